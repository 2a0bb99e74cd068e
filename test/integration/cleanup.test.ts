import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { formatCleanupReport, runCleanupCommand } from '../../src/cli/cleanup.command.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { openDatabase, rowsOf, type Db } from '../../src/data/db.ts';
import { createSeasonCastCacheRepository } from '../../src/data/repositories/season-cast-cache.repository.ts';
import { createSyncJobStatusRepository } from '../../src/data/repositories/sync-job-status.repository.ts';
import { CLEANUP_RUN_TYPE, createCleanupService } from '../../src/modules/maintenance/cleanup.service.ts';
import { createExpiredRowsRegistry } from '../../src/modules/maintenance/expired-rows.registry.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { testConfig } from '../helpers/build-test-app.ts';
import { createServerDatabase, createTestDatabase } from '../helpers/test-db.ts';

const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/minimovie.js', import.meta.url));
const NOW = new Date('2025-03-10T12:00:00Z');
const HOUR = 3_600_000;

const clock = fixedClock(NOW);
let container: Container;

beforeAll(async () => {
  const config = testConfig();
  container = await createContainer(config, { database: await createTestDatabase(), clock, migrate: false, logger: createLogger({ level: 'silent', format: 'json' }) });
});
afterAll(async () => {
  await container?.close();
});
beforeEach(async () => {
  clock.set(NOW);
  await container.db.execute(sql`truncate season_cast_cache, sync_job_status restart identity`);
});

/** Cache rows that expire `offsetsMs` from NOW, inserted through the real repository. */
async function seedCache(db: Db, offsetsMs: number[], now = NOW): Promise<void> {
  const repo = createSeasonCastCacheRepository(db);
  for (const [i, offset] of offsetsMs.entries()) {
    await repo.upsert({ seriesId: 1000 + i, seasonNumber: 1, cast: { '17': 3 }, expiresAt: new Date(now.getTime() + offset) });
  }
}

async function cacheKeys(db: Db): Promise<number[]> {
  const res = await db.execute(sql`select series_id from season_cast_cache order by series_id`);
  return rowsOf<{ series_id: number }>(res).map((r) => r.series_id);
}

describe('cleanup service', () => {
  it('removes expired rows and keeps fresh ones', async () => {
    await seedCache(container.db, [-2 * HOUR, -1, 1, 3 * HOUR]);
    const report = await container.cleanup.run();
    expect(report).toMatchObject({ status: 'completed', totalRemoved: 2 });
    expect(report.tables).toContainEqual({ table: 'season_cast_cache', removed: 2 });
    expect(await cacheKeys(container.db)).toEqual([1002, 1003]);
    expect(await createSeasonCastCacheRepository(container.db).find(1003, 1, NOW)).toEqual({ '17': 3 });
  });

  it('records the run in sync_job_status as cache_cleanup', async () => {
    await seedCache(container.db, [-HOUR, -HOUR * 2, -HOUR * 3, HOUR]);
    const report = await container.cleanup.run();
    const [run, ...older] = await createSyncJobStatusRepository(container.db).listByType(CLEANUP_RUN_TYPE);
    expect(older).toEqual([]);
    expect(run).toMatchObject({
      id: report.runId,
      type: 'cache_cleanup',
      startDate: '2025-03-10',
      endDate: '2025-03-10',
      status: 'completed',
      updatedCount: 3,
      tmdbChangeCount: 0,
      updatedIds: null,
    });
    expect(run!.message?.split(', ')).toContain('season_cast_cache: 3');
    expect(run!.durationMs).toBeGreaterThanOrEqual(0);
    expect(run!.startedAt).toEqual(NOW);
    expect(run!.finishedAt).toEqual(NOW);
  });

  it('is idempotent: a second run removes nothing and records a second row', async () => {
    await seedCache(container.db, [-HOUR]);
    expect((await container.cleanup.run()).totalRemoved).toBe(1);
    expect((await container.cleanup.run()).totalRemoved).toBe(0);
    const runs = await createSyncJobStatusRepository(container.db).listByType(CLEANUP_RUN_TYPE);
    expect(runs.map((r) => [r.status, r.updatedCount])).toEqual([
      ['completed', 0],
      ['completed', 1],
    ]);
  });

  it('marks the run failed when a table cannot be purged, and exits 1', async () => {
    await container.db.execute(sql`alter table season_cast_cache rename to season_cast_cache_moved`);
    try {
      const out: string[] = [];
      const code = await runCleanupCommand(container.cleanup, { json: false, write: (t) => out.push(t) });
      expect(code).toBe(1);
      expect(out.join('').split('\n')).toContain('season_cast_cache: failed: relation "season_cast_cache" does not exist');
      const [run] = await createSyncJobStatusRepository(container.db).listByType(CLEANUP_RUN_TYPE);
      expect(run).toMatchObject({ status: 'failed', updatedCount: 0 });
      expect(run!.message).toBe('season_cast_cache: relation "season_cast_cache" does not exist');
    } finally {
      await container.db.execute(sql`alter table season_cast_cache_moved rename to season_cast_cache`);
    }
  });

  it('keeps purging the other tables when one fails', async () => {
    await seedCache(container.db, [-HOUR, HOUR]);
    const repo = createSeasonCastCacheRepository(container.db);
    const registry = createExpiredRowsRegistry();
    registry.register({
      table: 'broken_table',
      purgeExpired: () => Promise.reject(new Error('relation "broken_table" does not exist')),
    });
    registry.register({ table: 'season_cast_cache', purgeExpired: (now) => repo.deleteExpired(now) });
    const service = createCleanupService({
      expiredRows: registry,
      syncJobs: createSyncJobStatusRepository(container.db),
      clock,
      logger: createLogger({ level: 'silent', format: 'json' }),
    });
    const report = await service.run();
    expect(report.status).toBe('failed');
    expect(report.tables).toEqual([
      { table: 'broken_table', removed: 0, error: 'relation "broken_table" does not exist' },
      { table: 'season_cast_cache', removed: 1 },
    ]);
    expect(formatCleanupReport(report, false)).toBe(
      'broken_table: failed: relation "broken_table" does not exist\nseason_cast_cache: 1 expired row removed',
    );
    const [run] = await createSyncJobStatusRepository(container.db).listByType(CLEANUP_RUN_TYPE);
    expect(run).toMatchObject({ status: 'failed', updatedCount: 1, message: 'broken_table: relation "broken_table" does not exist' });
  });

  it('refuses to register a table twice', () => {
    const registry = createExpiredRowsRegistry();
    registry.register({ table: 'x', purgeExpired: async () => 0 });
    expect(() => registry.register({ table: 'x', purgeExpired: async () => 0 })).toThrow(/already registered/);
  });
});

describe('minimovie cleanup output', () => {
  it('prints one line per table with the count removed', async () => {
    await seedCache(container.db, [-HOUR, -2 * HOUR, -3 * HOUR, HOUR]);
    const out: string[] = [];
    const code = await runCleanupCommand(container.cleanup, { json: false, write: (t) => out.push(t) });
    expect(code).toBe(0);
    const lines = out.join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toContain('season_cast_cache: 3 expired rows removed');
    for (const line of lines) expect(line).toMatch(/^[a-z_]+: \d+ expired rows? removed$/);
  });

  it('prints the report as JSON with --json', async () => {
    await seedCache(container.db, [-HOUR]);
    const out: string[] = [];
    const code = await runCleanupCommand(container.cleanup, { json: true, write: (t) => out.push(t) });
    expect(code).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(report).toEqual({
      runId: expect.any(Number),
      status: 'completed',
      tables: expect.arrayContaining([{ table: 'season_cast_cache', removed: 1 }]),
      totalRemoved: 1,
      durationMs: expect.any(Number),
    });
  });
});

describe('node bin/minimovie.js cleanup', () => {
  let dir: string;
  let env: Record<string, string>;
  let db: Awaited<ReturnType<typeof openDatabase>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'minimovie-cleanup-'));
    const info = inject('testDb');
    env = { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false', DATA_DIR: path.join(dir, 'data') };
    if (info.kind === 'postgres') {
      env.DATABASE_URL = (await createServerDatabase()).url;
      db = await openDatabase({ url: env.DATABASE_URL });
    } else {
      // An on-disk copy of the migrated template, so the child process opens it in well under a second.
      const pglite = await PGlite.create(env.DATA_DIR, { loadDataDir: new Blob([readFileSync(info.snapshotFile)]) });
      db = await openDatabase({ pglite });
    }
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    // PGlite allows one process per data folder: hand it over to the child and take it back after.
    if (db.kind === 'pglite') await db.close();
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, 'cleanup', ...args], { cwd: dir, env, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout: string; stderr: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
    } finally {
      if (db.kind === 'pglite') db = await openDatabase({ dataDir: env.DATA_DIR! });
    }
  }

  it('purges, prints a line per table and records the run', async () => {
    const now = new Date();
    await seedCache(db.db, [-HOUR, -HOUR, HOUR], now);
    const res = await cli();
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')).toContain('season_cast_cache: 2 expired rows removed');
    expect(await cacheKeys(db.db)).toEqual([1002]);
    const [run] = await createSyncJobStatusRepository(db.db).listByType(CLEANUP_RUN_TYPE);
    expect(run).toMatchObject({ status: 'completed', updatedCount: 2 });
  });
});
