/** Time source. Services take a clock so tests can fix "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Milliseconds since the epoch on `clock`; the system clock skips the Date object (hot paths read it per request). */
export function nowMs(clock: Clock): number {
  return clock === systemClock ? Date.now() : clock.now().getTime();
}

/** A clock that stays where it is put; for tests. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (next) => {
      current = new Date(next);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** Today's date in UTC as `YYYY-MM-DD`. MiniMovie computes "today" in UTC everywhere it has no user time zone. */
export function utcDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
