import pg from 'pg';
import type { DatabaseHandle } from './db.ts';

const localLocks = new Set<string>();

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };
/** Runs `fn` while holding the exclusive lock `name`, or reports that another process holds it (see `withExclusiveLock`). */
export type ExclusiveRunner = <T>(name: string, fn: () => Promise<T>) => Promise<LockOutcome<T>>;

/** Stable 32-bit key for an advisory lock name. */
export function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * Run `fn` only if no other process holds the lock `name`; resolves with
 * `{ acquired: false }` otherwise. On a PostgreSQL server this is a session
 * advisory lock on a dedicated connection (released if the process dies);
 * embedded PGlite lives in one process, so an in-process lock is enough.
 */
export async function withExclusiveLock<T>(
  database: DatabaseHandle,
  name: string,
  fn: () => Promise<T>,
): Promise<LockOutcome<T>> {
  if (database.kind === 'pglite') {
    if (localLocks.has(name)) return { acquired: false };
    localLocks.add(name);
    try {
      return { acquired: true, value: await fn() };
    } finally {
      localLocks.delete(name);
    }
  }
  const client = new pg.Client({ connectionString: database.url, application_name: `minimovie-lock:${name}` });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [lockKey(name)]);
    if (!rows[0]?.ok) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      await client.query('select pg_advisory_unlock($1)', [lockKey(name)]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
