import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, runMigrations } from '../../src/data/db.ts';
import { installJobSchema } from '../../src/jobs/job.queue.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: { kind: 'pglite'; snapshotFile: string } | { kind: 'postgres'; serverUrl: string; template: string; runId: string };
  }
}

/**
 * Migrate one database per test run, and install the pg-boss schema in it so
 * no test file pays for that. Each test file then gets a fresh copy:
 * a PGlite instance loaded from a dumped snapshot, or a PostgreSQL database
 * created from a template (`CREATE DATABASE ... TEMPLATE`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
    const template = `mm_tpl_${runId}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${template}`);
    const handle = await openDatabase({ url: withDatabase(serverUrl, template) });
    await runMigrations(handle);
    await installJobSchema(handle);
    await handle.close();
    project.provide('testDb', { kind: 'postgres', serverUrl, template, runId });
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1 or datname = $2`,
        [`mm_t_${runId}_%`, template],
      );
      for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'minimovie-test-'));
  const lite = await PGlite.create();
  const handle = await openDatabase({ pglite: lite });
  await runMigrations(handle);
  await installJobSchema(handle);
  const dump = await lite.dumpDataDir('none');
  const snapshotFile = path.join(dir, 'template.tar');
  writeFileSync(snapshotFile, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  project.provide('testDb', { kind: 'pglite', snapshotFile });
  return async () => {
    rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}
