import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/data/db.ts';
import { withDatabase } from './global-setup.ts';

let counter = 0;

/** Which database the suite runs on; tests of real contention need `postgres`. */
export function testDatabaseKind(): 'pglite' | 'postgres' {
  return inject('testDb').kind;
}

/** A fresh, migrated database for one test file (or one test). Close it when done. */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const info = inject('testDb');
  if (info.kind === 'postgres') {
    const { url } = await createServerDatabase();
    return openDatabase({ url });
  }
  const blob = new Blob([readFileSync(info.snapshotFile)]);
  const pglite = await PGlite.create({ loadDataDir: blob });
  return openDatabase({ pglite });
}

/** Create a migrated database on the PostgreSQL test server and return its URL (postgres runs only). */
export async function createServerDatabase(): Promise<{ url: string; name: string }> {
  const info = inject('testDb');
  if (info.kind !== 'postgres') throw new Error('createServerDatabase needs TEST_DATABASE_URL');
  const name = `mm_t_${info.runId}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: info.serverUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${info.template}`);
        break;
      } catch (err) {
        // Two files copying the template at the same instant can collide; retry briefly.
        if (attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return { url: withDatabase(info.serverUrl, name), name };
}
