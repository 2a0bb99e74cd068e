import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/db.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { aired, createTestUser, FROZEN, MR_ROBOT, serveSynthetic, type SyntheticSeason, type TestUser } from '../helpers/me-fixtures.ts';

let t: TestApp;
let fake: FakeTmdb;
const clock = fixedClock('2026-06-15T12:00:00Z');
const SPARSE = 910_001;
const sparseSeasons: SyntheticSeason[] = [
  { number: 0, episodes: aired(2) },
  { number: 1, episodes: aired(3) },
  { number: 2, episodes: [...aired(2), { airDate: '2030-01-01', runtime: 30 }, { airDate: null, runtime: null }] },
];

beforeAll(async () => {
  fake = await startFakeTmdb();
  serveSynthetic(fake, { series: new Map([[SPARSE, { seasons: sparseSeasons, name: 'Sparse' }]]) });
  t = await buildTestAppOn(fake, { overrides: { clock } });
});
afterAll(() => closeAll(t, fake));

const post = (u: TestUser, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/me/watch-events', headers: { ...u.headers, ...headers }, payload: payload as object });
const get = (u: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: u.headers });
const countEvents = async (userId: string) =>
  rowsOf<{ n: number }>(await t.container.db.execute(sql`select count(*)::int as n from watch_events where user_id = ${userId}`))[0]!.n;

describe('watch events: happy path', () => {
  it('logs a movie with its snapshot and moves its watchlist item to watched', async () => {
    const u = await createTestUser(t);
    await t.app.inject({ method: 'PUT', url: `/me/watchlist/movie/${FROZEN.id}`, headers: u.headers, payload: { status: 'want_to_watch' } });
    const res = await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-06-14T21:30:00-07:00' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({
      type: 'movie',
      tmdbId: FROZEN.id,
      seasonNumber: null,
      episodeNumber: null,
      watchedAt: '2026-06-15T04:30:00.000Z',
      title: 'Frozen',
      runtimeMinutes: FROZEN.runtime,
      episodeCount: 0,
      genres: ['Animation', 'Family', 'Adventure', 'Fantasy'],
    });
    expect((await get(u, `/me/titles/movie/${FROZEN.id}`)).json().watchlistStatus).toBe('watched');
  });

  it('defaults watchedAt to now; rewatches are separate events', async () => {
    const u = await createTestUser(t);
    const a = await post(u, { type: 'movie', tmdbId: FROZEN.id });
    const b = await post(u, { type: 'movie', tmdbId: FROZEN.id });
    expect(a.json().watchedAt).toBe(clock.now().toISOString());
    expect(a.json().id).not.toBe(b.json().id);
    expect(await countEvents(u.userId)).toBe(2);
  });

  it('snapshots an episode, a season (aired episodes only) and a series (regular seasons only)', async () => {
    const u = await createTestUser(t);
    const ep = (await post(u, { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 1 })).json();
    expect(ep).toMatchObject({ title: 'Mr. Robot', episodeTitle: expect.any(String), runtimeMinutes: 65, episodeCount: 1, genres: ['Crime', 'Drama'] });
    const season = (await post(u, { type: 'season', tmdbId: SPARSE, seasonNumber: 2 })).json();
    expect(season).toMatchObject({ title: 'Sparse', episodeCount: 2, runtimeMinutes: 60 });
    const series = (await post(u, { type: 'series', tmdbId: SPARSE })).json();
    expect(series).toMatchObject({ episodeCount: 5, runtimeMinutes: 150 });
    const specials = (await post(u, { type: 'episode', tmdbId: SPARSE, seasonNumber: 0, episodeNumber: 2 })).json();
    expect(specials).toMatchObject({ seasonNumber: 0, episodeNumber: 2, episodeCount: 1 });
  });

  it('lists newest first with filters and cursor pages that neither skip nor repeat (same watchedAt tie-broken by id)', async () => {
    const u = await createTestUser(t);
    const same = '2026-01-01T10:00:00Z';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: same })).json().id);
    ids.push((await post(u, { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 2, watchedAt: '2026-02-01T10:00:00Z' })).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(u, `/me/watch-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      seen.push(...page.items.map((e: { id: string }) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen[0]).toBe(ids[5]);
    expect(seen.slice(1)).toEqual([...ids.slice(0, 5)].sort().reverse());

    expect((await get(u, '/me/watch-events?type=episode')).json().items).toHaveLength(1);
    expect((await get(u, `/me/watch-events?tmdbId=${FROZEN.id}`)).json().items).toHaveLength(5);
    expect((await get(u, '/me/watch-events?from=2026-01-15T00:00:00Z')).json().items).toHaveLength(1);
    expect((await get(u, '/me/watch-events?to=2026-01-01T10:00:00Z')).json().items).toHaveLength(0);
    expect((await get(u, '/me/watch-events?to=2026-01-01T10:00:01%2B00:00')).json().items).toHaveLength(5);
  });

  it('gets, re-dates and deletes an event', async () => {
    const u = await createTestUser(t);
    const id = (await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-01-01T10:00:00Z' })).json().id;
    expect((await get(u, `/me/watch-events/${id}`)).json().id).toBe(id);
    const patched = await t.app.inject({ method: 'PATCH', url: `/me/watch-events/${id}`, headers: u.headers, payload: { watchedAt: '2026-03-01T09:00:00+01:00' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id, watchedAt: '2026-03-01T08:00:00.000Z', title: 'Frozen' });
    expect((await t.app.inject({ method: 'DELETE', url: `/me/watch-events/${id}`, headers: u.headers })).statusCode).toBe(204);
    expect((await get(u, `/me/watch-events/${id}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/me/watch-events/${id}`, headers: u.headers })).statusCode).toBe(404);
  });

  it('queues the achievements job after a change (one per user while queued)', async () => {
    const u = await createTestUser(t);
    await post(u, { type: 'movie', tmdbId: FROZEN.id });
    await post(u, { type: 'movie', tmdbId: FROZEN.id });
    await new Promise((r) => setTimeout(r, 200));
    const jobs = rowsOf<{ n: number }>(
      await t.container.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'achievements' and data->>'userId' = ${u.userId} and state = 'created'`),
    )[0]!.n;
    expect(jobs).toBe(1);
  });
});

describe('watch events: idempotency', () => {
  it('a retry with the same key returns the first response and creates nothing', async () => {
    const u = await createTestUser(t);
    const body = { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 3, watchedAt: '2026-06-01T20:00:00Z' };
    const first = await post(u, body, { 'idempotency-key': 'retry-1' });
    // The same instant spelled differently is the same request.
    const again = await post(u, { ...body, watchedAt: '2026-06-01T22:00:00+02:00' }, { 'idempotency-key': 'retry-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await countEvents(u.userId)).toBe(1);
  });

  it('the same key with a different body is a 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const u = await createTestUser(t);
    await post(u, { type: 'movie', tmdbId: FROZEN.id }, { 'idempotency-key': 'k' });
    const res = await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-01-01T00:00:00Z' }, { 'idempotency-key': 'k' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countEvents(u.userId)).toBe(1);
  });

  it('keys are scoped to the user and expire after 24 hours', async () => {
    const a = await createTestUser(t);
    const b = await createTestUser(t);
    expect((await post(a, { type: 'movie', tmdbId: FROZEN.id }, { 'idempotency-key': 'shared' })).statusCode).toBe(201);
    const other = await post(b, { type: 'movie', tmdbId: FROZEN.id }, { 'idempotency-key': 'shared' });
    expect(other.statusCode).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    clock.advance(24 * 60 * 60 * 1000 + 1000);
    try {
      const later = await post(a, { type: 'movie', tmdbId: FROZEN.id }, { 'idempotency-key': 'shared' });
      expect(later.statusCode).toBe(201);
      expect(later.headers['idempotent-replayed']).toBeUndefined();
      expect(await countEvents(a.userId)).toBe(2);
    } finally {
      clock.set('2026-06-15T12:00:00Z');
    }
  });

  it('rejects malformed keys', async () => {
    const u = await createTestUser(t);
    for (const key of ['has space', 'x'.repeat(256), 'é']) {
      const res = await post(u, { type: 'movie', tmdbId: FROZEN.id }, { 'idempotency-key': key });
      expect(res.statusCode, key).toBe(400);
      expect(res.json().code).toBe('INVALID_IDEMPOTENCY_KEY');
    }
  });
});

describe('watch events: errors', () => {
  it('a season or episode that does not exist is a 422; an unknown title too', async () => {
    const u = await createTestUser(t);
    const cases: [unknown, string][] = [
      [{ type: 'season', tmdbId: MR_ROBOT.id, seasonNumber: 9 }, 'SEASON_NOT_FOUND'],
      [{ type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 9, episodeNumber: 1 }, 'SEASON_NOT_FOUND'],
      [{ type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 99 }, 'EPISODE_NOT_FOUND'],
      [{ type: 'movie', tmdbId: 999_999_999 }, 'TITLE_NOT_FOUND'],
      [{ type: 'series', tmdbId: 999_999_999 }, 'TITLE_NOT_FOUND'],
    ];
    for (const [body, code] of cases) {
      const res = await post(u, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().code).toBe(code);
    }
    expect(await countEvents(u.userId)).toBe(0);
  });

  it('watchedAt unparseable or more than a day ahead is a 400', async () => {
    const u = await createTestUser(t);
    const cases: [string, string][] = [
      ['yesterday', 'INVALID_WATCHED_AT'],
      ['2026-06-15T12:00:00', 'INVALID_WATCHED_AT'],
      ['2026-02-30T12:00:00Z', 'INVALID_WATCHED_AT'],
      ['1800-01-01T00:00:00Z', 'INVALID_WATCHED_AT'],
      ['2026-06-16T12:00:01Z', 'WATCHED_AT_IN_FUTURE'],
      ['2026-06-17T02:00:00+13:00', 'WATCHED_AT_IN_FUTURE'],
    ];
    for (const [watchedAt, code] of cases) {
      const res = await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt });
      expect(res.statusCode, watchedAt).toBe(400);
      expect(res.json().code, watchedAt).toBe(code);
    }
    expect((await post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-06-16T11:59:59Z' })).statusCode).toBe(201);
  });

  it('hostile bodies are 4xx, never 500', async () => {
    const u = await createTestUser(t);
    const bodies: unknown[] = [
      {},
      { type: 'movie' },
      { type: 'movie', tmdbId: '109445' },
      { type: 'movie', tmdbId: -1 },
      { type: 'movie', tmdbId: 1.5 },
      { type: 'movie', tmdbId: 1e300 },
      { type: 'movie', tmdbId: FROZEN.id, seasonNumber: 1 },
      { type: 'season', tmdbId: MR_ROBOT.id },
      { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1 },
      { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: -1, episodeNumber: 1 },
      { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 1e9 },
      { type: 'MOVIE', tmdbId: FROZEN.id },
      { type: 'movie', tmdbId: FROZEN.id, watchedAt: 'x'.repeat(10_000) },
      { type: 'movie', tmdbId: FROZEN.id, watchedAt: 12 },
      { type: 'movie', tmdbId: FROZEN.id, watchedAt: '２０２６-01-01T00:00:00Z' },
      { type: 'movie', tmdbId: FROZEN.id, extra: 1 },
      [],
      'movie',
    ];
    for (const body of bodies) {
      const res = await post(u, body);
      expect([400, 415], JSON.stringify(body).slice(0, 80)).toContain(res.statusCode);
    }
    const dup = await t.app.inject({
      method: 'POST',
      url: '/me/watch-events',
      headers: { ...u.headers, 'content-type': 'application/json' },
      payload: `{"type":"movie","tmdbId":1,"tmdbId":${FROZEN.id}}`,
    });
    expect(dup.statusCode).toBe(201);
    const patch = await t.app.inject({ method: 'PATCH', url: `/me/watch-events/${dup.json().id}`, headers: u.headers, payload: { watchedAt: 'soon' } });
    expect(patch.statusCode).toBe(400);
    for (const q of ['from=yesterday', 'to=2026-01-01', 'tmdbId=abc', 'type=book', 'limit=1000', 'cursor=!!']) {
      expect((await get(u, `/me/watch-events?${q}`)).statusCode, q).toBe(400);
    }
  });

  it('an unknown or non-uuid id is a 404', async () => {
    const u = await createTestUser(t);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1', `${'a'.repeat(90)}`]) {
      expect((await get(u, `/me/watch-events/${id}`)).statusCode, id).toBe(404);
      expect((await t.app.inject({ method: 'PATCH', url: `/me/watch-events/${id}`, headers: u.headers, payload: { watchedAt: '2026-01-01T00:00:00Z' } })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `/me/watch-events/${id}`, headers: u.headers })).statusCode).toBe(404);
    }
  });
});

describe('series progress', () => {
  it('nextEpisode moves as episodes are logged out of order', async () => {
    const u = await createTestUser(t);
    const progress = async () => (await get(u, `/me/series/${MR_ROBOT.id}/progress`)).json();
    const episode = (s: number, e: number) => post(u, { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: s, episodeNumber: e });

    const start = await progress();
    expect(start).toMatchObject({ airedEpisodes: 45, watchedEpisodes: 0, completed: false, nextEpisode: { seasonNumber: 1, episodeNumber: 1 } });
    expect(start.seasons.map((s: { airedEpisodes: number }) => s.airedEpisodes)).toEqual([10, 12, 10, 13]);

    await episode(1, 2);
    expect((await progress()).nextEpisode).toEqual({ seasonNumber: 1, episodeNumber: 1 });
    await episode(1, 1);
    expect((await progress()).nextEpisode).toEqual({ seasonNumber: 1, episodeNumber: 3 });
    await episode(2, 1);
    expect((await progress()).nextEpisode).toEqual({ seasonNumber: 1, episodeNumber: 3 });
    await post(u, { type: 'season', tmdbId: MR_ROBOT.id, seasonNumber: 1 });
    const afterSeason = await progress();
    expect(afterSeason.nextEpisode).toEqual({ seasonNumber: 2, episodeNumber: 2 });
    expect(afterSeason.seasons[0]).toEqual({ seasonNumber: 1, airedEpisodes: 10, watchedEpisodes: 10, watchedEpisodeNumbers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(afterSeason.seasons[1]).toMatchObject({ watchedEpisodes: 1, watchedEpisodeNumbers: [1] });
    await post(u, { type: 'series', tmdbId: MR_ROBOT.id });
    expect(await progress()).toMatchObject({ watchedEpisodes: 45, completed: true, nextEpisode: null });
  });

  it('ignores specials and unaired episodes; unknown series is a 404', async () => {
    const u = await createTestUser(t);
    await post(u, { type: 'episode', tmdbId: SPARSE, seasonNumber: 0, episodeNumber: 1 });
    const p = (await get(u, `/me/series/${SPARSE}/progress`)).json();
    expect(p).toMatchObject({ airedEpisodes: 5, watchedEpisodes: 0, nextEpisode: { seasonNumber: 1, episodeNumber: 1 } });
    expect(p.seasons.map((s: { seasonNumber: number }) => s.seasonNumber)).toEqual([1, 2]);
    await post(u, { type: 'series', tmdbId: SPARSE });
    expect((await get(u, `/me/series/${SPARSE}/progress`)).json()).toMatchObject({ completed: true, nextEpisode: null });
    const unknown = await get(u, '/me/series/999999999/progress');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TITLE_NOT_FOUND');
    expect((await get(u, '/me/series/abc/progress')).statusCode).toBe(400);
  });
});

describe('watch events: auth', () => {
  it('needs a session', async () => {
    for (const [method, url] of [
      ['POST', '/me/watch-events'],
      ['GET', '/me/watch-events'],
      ['GET', '/me/watch-events/00000000-0000-4000-8000-000000000000'],
      ['PATCH', '/me/watch-events/00000000-0000-4000-8000-000000000000'],
      ['DELETE', '/me/watch-events/00000000-0000-4000-8000-000000000000'],
      ['GET', `/me/series/${MR_ROBOT.id}/progress`],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: { authorization: 'Bearer mms_not-a-session' }, payload: method === 'POST' || method === 'PATCH' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
