import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/db.ts';
import { JOB_NAMES } from '../../src/jobs/job.catalog.ts';
import { createJobHandlers } from '../../src/jobs/job.handlers.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { startWorker, type Worker } from '../../src/worker.ts';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { aired, createTestUser, FROZEN, serveSynthetic, type TestUser } from '../helpers/me-fixtures.ts';

let t: TestApp;
let fake: FakeTmdb;
let worker: Worker | undefined;
const clock = fixedClock('2026-06-15T12:00:00Z');
const DECADE_MOVIES = [1955, 1962, 1974, 1988, 1991, 2003, 2012, 2021].map((year, i) => ({ id: 940_000 + i, year }));
const GENRE_MOVIES = Array.from({ length: 10 }, (_, i) => ({ id: 941_000 + i, genre: `Genre ${i}` }));
const LONG = 942_001;
const SHORT_SERIES = 943_001;

beforeAll(async () => {
  fake = await startFakeTmdb();
  serveSynthetic(fake, {
    movies: new Map<number, { releaseDate?: string; runtime?: number; genres?: string[] }>([
      ...DECADE_MOVIES.map((m): [number, { releaseDate: string; runtime: number }] => [m.id, { releaseDate: `${m.year}-05-01`, runtime: 90 }]),
      ...GENRE_MOVIES.map((m): [number, { genres: string[]; runtime: number }] => [m.id, { genres: [m.genre], runtime: 90 }]),
      [LONG, { runtime: 300, genres: ['Epic'] }],
    ]),
    series: new Map([[SHORT_SERIES, { seasons: [{ number: 1, episodes: aired(6, 20) }] }]]),
  });
  t = await buildTestAppOn(fake, { overrides: { clock } });
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(() => closeAll(t, fake));

const post = async (u: TestUser, payload: Record<string, unknown>) => {
  const res = await t.app.inject({ method: 'POST', url: '/me/watch-events', headers: u.headers, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>();
};
const earnedRows = async (userId: string) =>
  rowsOf<{ achievement_id: string; earned_at: string }>(
    await t.container.db.execute(sql`select achievement_id, earned_at::text from user_achievements where user_id = ${userId} order by achievement_id`),
  );
const runJob = (userId: string) => createJobHandlers(t.container).achievements.run({ userId }, { jobId: 'test', retryCount: 0, signal: new AbortController().signal });

describe('achievement rules on real history', () => {
  it('first movie, rewatch, decades, genres, a long week, binge and a completed series', async () => {
    const u = await createTestUser(t);
    await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-06-01T20:00:00Z' });
    await runJob(u.userId);
    expect((await earnedRows(u.userId)).map((r) => r.achievement_id)).toEqual(['first-movie']);

    await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-06-02T20:00:00Z' });
    await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-06-03T20:00:00Z' });
    for (const m of DECADE_MOVIES.slice(0, 7)) await post(u, { type: 'movie', tmdbId: m.id, watchedAt: '2026-05-01T20:00:00Z' });
    await runJob(u.userId);
    let ids = (await earnedRows(u.userId)).map((r) => r.achievement_id);
    expect(ids).toContain('rewatch-3');
    expect(ids).not.toContain('decades');
    expect(ids).not.toContain('genres-10');

    await post(u, { type: 'movie', tmdbId: DECADE_MOVIES[7]!.id, watchedAt: '2026-05-01T20:00:00Z' });
    for (const m of GENRE_MOVIES) await post(u, { type: 'movie', tmdbId: m.id, watchedAt: '2026-04-01T20:00:00Z' });
    // 2 × 300 minutes in the local week of Mon 2026-03-02 (Los Angeles would split them differently; the profile is UTC).
    await post(u, { type: 'movie', tmdbId: LONG, watchedAt: '2026-03-02T10:00:00Z' });
    await post(u, { type: 'movie', tmdbId: LONG, watchedAt: '2026-03-08T10:00:00Z' });
    // Five episodes logged one by one on one local day, then the rest of the season.
    for (let e = 1; e <= 5; e++) await post(u, { type: 'episode', tmdbId: SHORT_SERIES, seasonNumber: 1, episodeNumber: e, watchedAt: `2026-02-10T0${e}:00:00Z` });
    await runJob(u.userId);
    ids = (await earnedRows(u.userId)).map((r) => r.achievement_id);
    expect(ids).toEqual(expect.arrayContaining(['decades', 'genres-10', 'week-10-hours', 'binge-5', 'first-episode', 'movies-10']));
    expect(ids).not.toContain('first-series-completed');
    await post(u, { type: 'episode', tmdbId: SHORT_SERIES, seasonNumber: 1, episodeNumber: 6, watchedAt: '2026-02-11T01:00:00Z' });
    await runJob(u.userId);
    expect((await earnedRows(u.userId)).map((r) => r.achievement_id)).toContain('first-series-completed');
  });

  it('the 7-day streak follows the profile’s local dates', async () => {
    const u = await createTestUser(t);
    await t.app.inject({ method: 'PATCH', url: '/me', headers: u.headers, payload: { timezone: 'Pacific/Auckland' } });
    // 23:30 UTC each day is the next morning in Auckland: 7 consecutive local days from Jan 2 to Jan 8.
    for (let d = 1; d <= 7; d++) await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: `2026-01-0${d}T11:30:00Z` });
    await runJob(u.userId);
    expect((await earnedRows(u.userId)).map((r) => r.achievement_id)).toContain('streak-7');
  });
});

describe('the achievements job', () => {
  it('is idempotent: running it twice changes nothing, and earned stays earned after deletions', async () => {
    const u = await createTestUser(t);
    const ev = await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-06-01T20:00:00Z' });
    await runJob(u.userId);
    const once = await earnedRows(u.userId);
    clock.advance(60_000);
    await runJob(u.userId);
    expect(await earnedRows(u.userId)).toEqual(once);
    expect(once.map((r) => r.achievement_id)).toEqual(['first-movie']);

    await t.app.inject({ method: 'DELETE', url: `/me/watch-events/${ev.id}`, headers: u.headers });
    await runJob(u.userId);
    expect(await earnedRows(u.userId)).toEqual(once);
    const list = (await t.app.inject({ method: 'GET', url: '/me/achievements', headers: u.headers })).json().achievements;
    expect(list.find((a: { id: string }) => a.id === 'first-movie')).toMatchObject({ earned: true, current: 0 });
  });

  it('a deleted user is a no-op', async () => {
    await expect(runJob('00000000-0000-4000-8000-000000000000')).resolves.toBeUndefined();
  });

  it('runs in the worker after a watch event (queued after the commit)', async () => {
    const u = await createTestUser(t);
    worker = await startWorker(t.container, {
      pollingIntervalSeconds: 0.5,
      schedules: Object.fromEntries(JOB_NAMES.map((n) => [n, null])),
      stopTimeoutMs: 1000,
    });
    await post(u, { type: 'episode', tmdbId: SHORT_SERIES, seasonNumber: 1, episodeNumber: 1 });
    const deadline = Date.now() + 15_000;
    while ((await earnedRows(u.userId)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await earnedRows(u.userId)).map((r) => r.achievement_id)).toEqual(['first-episode']);
  });
});
