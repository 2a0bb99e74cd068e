import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../../src/container.ts';
import { openDatabase, type DatabaseHandle } from '../../src/data/db.ts';
import { createPeopleRepository } from '../../src/data/repositories/people.repository.ts';
import { createSyncJobStatusRepository } from '../../src/data/repositories/sync-job-status.repository.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { testConfig } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb, type FakeTmdbRequest } from '../helpers/fake-tmdb.ts';
import { createServerDatabase, createTestDatabase, testDatabaseKind } from '../helpers/test-db.ts';

/** Changes by window start date: ids per page. */
const CHANGES: Record<string, number[][]> = {
  '2026-01-01': [[1, 2, 3], [3, 4]],
  '2026-01-15': [[5], [6, 7], [8]],
  '2026-01-29': [[9, 1]],
};

function changesHandler(req: FakeTmdbRequest) {
  const pages = CHANGES[req.query.start_date ?? ''] ?? [[]];
  const page = Number(req.query.page ?? '1');
  return { body: { page, total_pages: pages.length, total_results: pages.flat().length, results: (pages[page - 1] ?? []).map((id) => ({ id, adult: false })) } };
}

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb({ fixtures: false });
});
afterAll(async () => {
  await fake.close();
});

const containers: Container[] = [];
afterEach(async () => {
  while (containers.length > 0) await containers.pop()!.close();
  fake.reset();
});

async function make(database: DatabaseHandle, now = '2026-02-10T12:00:00Z') {
  const clock = fixedClock(now);
  const config = testConfig({ TMDB_ACCESS_TOKEN: 't', TMDB_BASE_URL: fake.baseUrl, TMDB_TIMEOUT: '2' });
  const c = await createContainer(config, { database, clock, migrate: false, logger: createLogger({ level: 'silent', format: 'json' }) });
  containers.push(c);
  return { c, clock };
}

async function seedPeople(database: DatabaseHandle, ids: number[]) {
  await createPeopleRepository(database.db).upsertFetched(ids.map((id) => ({ id, name: `P${id}`, dateOfBirth: '1980-01-01', dateOfDeath: null })));
}

async function staleIds(database: DatabaseHandle): Promise<number[]> {
  const rows = await createPeopleRepository(database.db).findMany([...Array(12).keys()].map((i) => i + 1));
  return rows.filter((r) => !r.fetched).map((r) => r.id).sort((a, b) => a - b);
}

describe('person sync', () => {
  it('reads every page of every ≤14-day window, marks changed people stale and records the run', async () => {
    const db = await createTestDatabase();
    await seedPeople(db, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const { c } = await make(db);
    fake.on('/person/changes', changesHandler);
    const result = await c.personSync.run({ start: '2026-01-01', end: '2026-02-05' });
    if ('skipped' in result) throw new Error('unexpected skip');
    const calls = fake.callsTo('/person/changes').map((call) => [call.query.start_date, call.query.end_date, call.query.page]);
    expect(calls).toEqual([
      ['2026-01-01', '2026-01-14', '1'],
      ['2026-01-01', '2026-01-14', '2'],
      ['2026-01-15', '2026-01-28', '1'],
      ['2026-01-15', '2026-01-28', '2'],
      ['2026-01-15', '2026-01-28', '3'],
      ['2026-01-29', '2026-02-05', '1'],
    ]);
    expect(result.changeCount).toBe(11);
    expect(result.changedPeople).toBe(9);
    expect(result.markedStale).toBe(9);
    expect(await staleIds(db)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [run] = await createSyncJobStatusRepository(db.db).listByType('person_sync');
    expect(run).toMatchObject({ status: 'completed', startDate: '2026-01-01', endDate: '2026-02-05', tmdbChangeCount: 11, updatedCount: 9 });
    expect([...(run!.updatedIds ?? [])].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a run that fails half-way and runs again ends in the same state as one clean run', async () => {
    const clean = await createTestDatabase();
    await seedPeople(clean, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    fake.on('/person/changes', changesHandler);
    await (await make(clean)).c.personSync.run({ start: '2026-01-01', end: '2026-02-05' });

    const broken = await createTestDatabase();
    await seedPeople(broken, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const { c } = await make(broken);
    const failing = fake.on('/person/changes', (req) => (req.query.start_date === '2026-01-15' && req.query.page === '2' ? { status: 500 } : undefined));
    const err = await c.personSync.run({ start: '2026-01-01', end: '2026-02-05' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const runs = await createSyncJobStatusRepository(broken.db).listByType('person_sync');
    expect(runs[0], String(err)).toMatchObject({ status: 'failed' });
    expect(runs[0]!.message).toBeTruthy();
    failing.remove();
    await c.personSync.run({ start: '2026-01-01', end: '2026-02-05' });
    expect(await staleIds(broken)).toEqual(await staleIds(clean));
  });

  it('resumes from the last completed end date, and ends today (UTC)', async () => {
    const db = await createTestDatabase();
    fake.on('/person/changes', changesHandler);
    const { c } = await make(db, '2026-02-10T23:30:00Z');
    await c.personSync.run({ start: '2026-01-29', end: '2026-02-03' });
    fake.clearCalls();
    expect(await c.personSync.resolveRange()).toEqual({ start: '2026-02-03', end: '2026-02-10' });
    await c.personSync.run();
    expect(fake.callsTo('/person/changes')[0]?.query).toMatchObject({ start_date: '2026-02-03', end_date: '2026-02-10' });
  });

  it('starts from yesterday when it never ran, and refuses an end before the start', async () => {
    const db = await createTestDatabase();
    const { c } = await make(db, '2026-02-10T00:10:00Z');
    expect(await c.personSync.resolveRange()).toEqual({ start: '2026-02-09', end: '2026-02-10' });
    await expect(c.personSync.run({ start: '2026-02-10', end: '2026-02-01' })).rejects.toMatchObject({ code: 'INVALID_DATE_RANGE' });
  });

  describe.skipIf(testDatabaseKind() !== 'postgres')('on PostgreSQL (needs TEST_DATABASE_URL: PGlite has one connection and shows no contention)', () => {
    it('two instances started together sync once', async () => {
      const { url } = await createServerDatabase();
      fake.on('/person/changes', (req) => ({ ...changesHandler(req), latencyMs: 150 }));
      const a = await make(await openDatabase({ url }));
      const b = await make(await openDatabase({ url }));
      const results = await Promise.all([
        a.c.personSync.run({ start: '2026-01-01', end: '2026-01-14' }),
        b.c.personSync.run({ start: '2026-01-01', end: '2026-01-14' }),
      ]);
      expect(results.filter((r) => 'skipped' in r)).toHaveLength(1);
      const runs = await createSyncJobStatusRepository(a.c.db).listByType('person_sync');
      expect(runs).toHaveLength(1);
    });
  });
});
