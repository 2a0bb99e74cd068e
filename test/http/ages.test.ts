import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/data/db.ts';
import { createPeopleRepository } from '../../src/data/repositories/people.repository.ts';
import { startWorker } from '../../src/worker.ts';
import { buildTestApp, buildTestAppOn, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { createServerDatabase, testDatabaseKind } from '../helpers/test-db.ts';

/** A synthetic TMDB person for ids the fixtures do not cover: born on a date derived from the id. */
function syntheticPerson(id: number) {
  const year = 1950 + (id % 40);
  return { id, name: `Person ${id}`, birthday: `${year}-06-15`, deathday: null, combined_credits: { cast: [], crew: [] } };
}

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
  fake.otherwise('/person/:id', (req) => ({ body: syntheticPerson(Number(req.params.id)) }));
});
afterAll(async () => {
  await fake.close();
});

const personCalls = () => fake.callsTo('/person/:id').map((c) => Number(c.path.split('/')[2]));

describe('age resolution on GET /movies/{id}', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
    fake.clearCalls();
  });

  it('fetches directors, then writers, then top cast, de-duplicated, at most MAX_TMDB_FETCH_PER_REQUEST', async () => {
    t = await buildTestAppOn(fake, { env: { MAX_TMDB_FETCH_PER_REQUEST: '5' } });
    const res = await t.app.inject({ url: '/movies/109445', headers: { authorization: `Bearer ${t.clientToken}` } });
    expect(res.statusCode).toBe(200);
    // Directors 8800016 and 8800017 (also writers: not fetched twice), writer 8800018, then the first two cast members.
    expect(personCalls()).toEqual([8800016, 8800017, 8800018, 8800001, 8800002]);
    const body = res.json();
    const director = body.credits.directors.find((p: { id: number }) => p.id === 8800017);
    expect(director.birthday).toBeDefined();
    expect(director.ageAtRelease).toBeTypeOf('number');
    expect(director.currentAge).toBeTypeOf('number');
    // Beyond the limit: no ages yet, and the page is not reused from the rendered cache.
    const late = body.credits.cast.find((p: { id: number }) => p.id === 8800010);
    expect(late.birthday).toBeUndefined();
    expect(res.headers['x-cache']).toBeDefined();
  });

  it('queues the people beyond the limit; after the warm-up job the next request has every age', async () => {
    t = await buildTestAppOn(fake, { env: { MAX_TMDB_FETCH_PER_REQUEST: '3' } });
    const auth = { authorization: `Bearer ${t.clientToken}` };
    const first = (await t.app.inject({ url: '/movies/109445', headers: auth })).json();
    const everyone = [...new Set(Object.values(first.credits as Record<string, { id: number }[]>).flat().map((p) => p.id))];
    expect(personCalls()).toHaveLength(3);

    const worker = await startWorker(t.container, { pollingIntervalSeconds: 0.5 });
    try {
      const people = createPeopleRepository(t.container.db);
      const deadline = Date.now() + 25_000;
      for (;;) {
        const rows = await people.findMany(everyone);
        if (rows.filter((r) => r.fetched).length === everyone.length) break;
        if (Date.now() > deadline) throw new Error(`warm-up incomplete: ${rows.length}/${everyone.length}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await worker.stop();
    }
    // Each person was fetched from TMDB exactly once, by the request or by the job.
    expect(personCalls().sort()).toEqual([...everyone].sort());
    fake.clearCalls();

    const second = (await t.app.inject({ url: '/movies/109445', headers: auth })).json();
    expect(personCalls()).toEqual([]);
    const withoutBirthday = Object.values(second.credits as Record<string, { id: number; birthday?: string }[]>)
      .flat()
      .filter((p) => !p.birthday)
      .map((p) => p.id);
    // 8800016 is the one person TMDB has no birthday for.
    expect([...new Set(withoutBirthday)]).toEqual([8800016]);
  });

  it('fills in more ages on the next request (sliding window) and ages stay after a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mm-ages-'));
    const open = async (): Promise<DatabaseHandle> => {
      const handle = testDatabaseKind() === 'postgres' ? await openDatabase({ url: (await sharedServerDb()).url }) : await openDatabase({ dataDir: dir });
      await runMigrations(handle);
      return handle;
    };
    const env = { TMDB_ACCESS_TOKEN: 't', TMDB_BASE_URL: fake.baseUrl, MAX_TMDB_FETCH_PER_REQUEST: '50' };
    t = await buildTestApp({ env, overrides: { database: await open() } });
    const first = await t.app.inject({ url: '/movies/109445', headers: { authorization: `Bearer ${t.clientToken}` } });
    const firstCalls = personCalls().length;
    expect(firstCalls).toBeGreaterThan(10);
    await t.close(); // flushes the background people writes
    fake.clearCalls();

    t = await buildTestApp({ env, overrides: { database: await open() } });
    const second = await t.app.inject({ url: '/movies/109445', headers: { authorization: `Bearer ${t.clientToken}` } });
    expect(personCalls()).toEqual([]);
    const agesOf = (body: { credits: Record<string, { id: number; ageAtRelease?: number; birthday?: string }[]> }) =>
      Object.values(body.credits)
        .flat()
        .map((p) => [p.id, p.birthday ?? null, p.ageAtRelease ?? null]);
    expect(agesOf(second.json())).toEqual(agesOf(first.json()));
    rmSync(dir, { recursive: true, force: true });
  });
});

let serverDb: Promise<{ url: string }> | undefined;
function sharedServerDb() {
  serverDb ??= createServerDatabase();
  return serverDb;
}
