import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** A Drizzle handle that works the same on PGlite and on node-postgres. Repositories take this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
/** Either the database or an open transaction; every repository method accepts one. */
export type DbOrTx = Db | Tx;

/** The committed SQL migrations (the CLI bundle points at them through MINIMOVIE_MIGRATIONS_DIR). */
export const MIGRATIONS_FOLDER = process.env.MINIMOVIE_MIGRATIONS_DIR ?? fileURLToPath(new URL('./migrations', import.meta.url));

/** Session-level advisory lock id used to serialise migrations between instances. */
const MIGRATION_LOCK_ID = 727_001;

export type DatabaseHandle =
  | { kind: 'pglite'; db: Db; pglite: PGlite; close(): Promise<void>; ping(): Promise<void> }
  | { kind: 'postgres'; db: Db; pool: pg.Pool; url: string; close(): Promise<void>; ping(): Promise<void> };

export interface OpenDatabaseOptions {
  /** PostgreSQL server URL. When undefined, PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory. */
  dataDir?: string;
  /** An already-open PGlite instance (tests hand in a clone of a migrated template). */
  pglite?: PGlite;
  poolSize?: number;
}

/** Open the embedded PGlite database or a pool on a PostgreSQL server. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      application_name: 'minimovie',
    });
    // An idle client that loses its connection emits 'error'; without a listener Node would crash.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    const url = opts.url;
    return {
      kind: 'postgres',
      db,
      pool,
      url,
      close: () => pool.end(),
      ping: async () => {
        await pool.query('select 1');
      },
    };
  }
  let pglite = opts.pglite;
  let release = () => undefined as void;
  if (!pglite) {
    const dir = opts.dataDir ?? 'memory://';
    if (!dir.startsWith('memory://')) {
      mkdirSync(dir, { recursive: true });
      release = lockDataDir(dir);
    }
    try {
      pglite = await PGlite.create(dir);
    } catch (err) {
      release();
      throw err;
    }
  }
  const lite = pglite;
  const db = drizzlePglite(lite, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    pglite: lite,
    close: async () => {
      if (!lite.closed) await lite.close();
      release();
    },
    ping: async () => {
      await lite.query('select 1');
    },
  };
}

export const DATA_DIR_LOCK = '.minimovie.lock';

/**
 * PGlite is a single-process database: two processes writing one folder would
 * corrupt it. A lock file with the owner's pid keeps a second `minimovie`
 * process out (a lock left by a dead process is taken over).
 */
function lockDataDir(dir: string): () => void {
  const file = path.join(dir, DATA_DIR_LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      // Our own pid in the file is a lock left by an earlier process that had the same pid (PID 1 in a container).
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${owner} (a running "minimovie serve"?). ` +
            'Stop that process first, or set DATABASE_URL to share a PostgreSQL server between processes.',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Apply pending migrations. Safe to run twice and from several instances at
 * once: on a server an advisory lock makes the instances take turns, and
 * Drizzle's journal table skips what is already applied.
 */
export async function runMigrations(handle: DatabaseHandle): Promise<{ applied: number }> {
  if (handle.kind === 'pglite') {
    const before = await countApplied(handle.db);
    await migratePglite(drizzlePglite(handle.pglite), { migrationsFolder: MIGRATIONS_FOLDER });
    return { applied: (await countApplied(handle.db)) - before };
  }
  const client = new pg.Client({ connectionString: handle.url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const db = drizzlePg(client) as unknown as Db;
    const before = await countApplied(db);
    await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
    return { applied: (await countApplied(db)) - before };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

async function countApplied(db: Db): Promise<number> {
  const exists = await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!rowsOf<{ present: boolean }>(exists)[0]?.present) return 0;
  const res = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return rowsOf<{ n: number }>(res)[0]?.n ?? 0;
}

/** `db.execute` returns `{ rows }` on both drivers; this reads them with one type. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
