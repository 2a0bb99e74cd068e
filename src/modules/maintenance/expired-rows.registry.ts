/** Something that can delete the rows of one table whose lifetime is over. */
export interface ExpiredRowsPurger {
  /** The table name, as reports and logs show it. */
  readonly table: string;
  /** Delete the rows that expired before `now`; resolves with how many went. */
  purgeExpired(now: Date): Promise<number>;
}

/** The tables the cleanup job purges. Each area registers its own when the container is built. */
export interface ExpiredRowsRegistry {
  register(purger: ExpiredRowsPurger): void;
  /** The purgers, in registration order. */
  list(): readonly ExpiredRowsPurger[];
}

/** Create an empty registry of expired-rows purgers. */
export function createExpiredRowsRegistry(): ExpiredRowsRegistry {
  const purgers: ExpiredRowsPurger[] = [];
  return {
    register(purger) {
      if (purgers.some((p) => p.table === purger.table)) throw new Error(`an expired-rows purger for "${purger.table}" is already registered`);
      purgers.push(purger);
    },
    list: () => [...purgers],
  };
}
