import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { createTestUser, FROZEN, MR_ROBOT, type TestUser } from '../helpers/me-fixtures.ts';

let t: TestApp;
let fake: FakeTmdb;

beforeAll(async () => {
  fake = await startFakeTmdb();
  t = await buildTestAppOn(fake);
});
afterAll(() => closeAll(t, fake));

const put = (u: TestUser, path: string, payload: unknown) => t.app.inject({ method: 'PUT', url: `/me/watchlist/${path}`, headers: u.headers, payload: payload as object });
const get = (u: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: u.headers });

describe('watchlist: happy path', () => {
  it('adds a movie with its TMDB snapshot (201), changes the status (200) without calling TMDB again, and removes it', async () => {
    const u = await createTestUser(t);
    const added = await put(u, `movie/${FROZEN.id}`, { status: 'want_to_watch' });
    expect(added.statusCode).toBe(201);
    expect(added.headers['cache-control']).toBe('no-store');
    expect(added.json()).toMatchObject({
      mediaType: 'movie',
      tmdbId: FROZEN.id,
      status: 'want_to_watch',
      title: 'Frozen',
      posterPath: '/itAKcobTYGpYT8Phwjd8c9hleTo.jpg',
      posterUrl: 'https://image.tmdb.org/t/p/w300/itAKcobTYGpYT8Phwjd8c9hleTo.jpg',
      releaseDate: '2013-11-20',
    });
    fake.clearCalls();
    const changed = await put(u, `movie/${FROZEN.id}`, { status: 'watched' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ status: 'watched', title: 'Frozen' });
    expect(fake.calls).toHaveLength(0);

    const removed = await t.app.inject({ method: 'DELETE', url: `/me/watchlist/movie/${FROZEN.id}`, headers: u.headers });
    expect(removed.statusCode).toBe(204);
    expect((await get(u, '/me/watchlist')).json()).toEqual({ items: [], nextCursor: null });
  });

  it('adds a series with its name and first air date', async () => {
    const u = await createTestUser(t);
    const res = await put(u, `series/${MR_ROBOT.id}`, { status: 'want_to_watch' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ mediaType: 'series', title: 'Mr. Robot', releaseDate: '2015-06-24' });
  });

  it('lists most recently changed first, filters by status and type, and pages with a stable cursor', async () => {
    const u = await createTestUser(t);
    await put(u, `movie/${FROZEN.id}`, { status: 'want_to_watch' });
    await put(u, `series/${MR_ROBOT.id}`, { status: 'watched' });
    const all = (await get(u, '/me/watchlist')).json();
    expect(all.items.map((i: { tmdbId: number }) => i.tmdbId)).toEqual([MR_ROBOT.id, FROZEN.id]);
    await put(u, `movie/${FROZEN.id}`, { status: 'watched' });
    expect((await get(u, '/me/watchlist')).json().items.map((i: { tmdbId: number }) => i.tmdbId)).toEqual([FROZEN.id, MR_ROBOT.id]);
    expect((await get(u, '/me/watchlist?type=series')).json().items).toHaveLength(1);
    expect((await get(u, '/me/watchlist?status=want_to_watch')).json().items).toHaveLength(0);

    const page1 = (await get(u, '/me/watchlist?limit=1')).json();
    expect(page1.items).toHaveLength(1);
    expect(typeof page1.nextCursor).toBe('string');
    const page2 = (await get(u, `/me/watchlist?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(page2.items[0].tmdbId).toBe(MR_ROBOT.id);
    expect(page2.nextCursor).toBeNull();
  });

  it('shows the title state: watchlist status, watch count and last watch', async () => {
    const u = await createTestUser(t);
    expect((await get(u, `/me/titles/movie/${FROZEN.id}`)).json()).toEqual({ watchlistStatus: null, watchCount: 0, lastWatchedAt: null });
    await put(u, `movie/${FROZEN.id}`, { status: 'want_to_watch' });
    for (const watchedAt of ['2025-01-01T20:00:00Z', '2025-06-01T20:00:00+02:00']) {
      expect((await t.app.inject({ method: 'POST', url: '/me/watch-events', headers: u.headers, payload: { type: 'movie', tmdbId: FROZEN.id, watchedAt } })).statusCode).toBe(201);
    }
    expect((await get(u, `/me/titles/movie/${FROZEN.id}`)).json()).toEqual({ watchlistStatus: 'watched', watchCount: 2, lastWatchedAt: '2025-06-01T18:00:00.000Z' });
    expect((await get(u, `/me/titles/series/${FROZEN.id}`)).json()).toEqual({ watchlistStatus: null, watchCount: 0, lastWatchedAt: null });
  });
});

describe('watchlist: errors', () => {
  it('an unknown TMDB id is a 422 TITLE_NOT_FOUND', async () => {
    const u = await createTestUser(t);
    const res = await put(u, 'movie/999999999', { status: 'want_to_watch' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('TITLE_NOT_FOUND');
  });

  it('bad input is a 400, never a 500', async () => {
    const u = await createTestUser(t);
    const cases: [string, unknown, string][] = [
      ['movie/abc', { status: 'watched' }, 'INVALID_ID'],
      ['movie/-5', { status: 'watched' }, 'INVALID_ID'],
      ['movie/007', { status: 'watched' }, 'INVALID_ID'],
      ['movie/99999999999', { status: 'watched' }, 'INVALID_ID'],
      ['book/550', { status: 'watched' }, 'INVALID_MEDIA_TYPE'],
      ['movie/550', { status: 'seen' }, 'INVALID_STATUS'],
      ['movie/550', { status: 1 }, 'INVALID_STATUS'],
      ['movie/550', {}, 'INVALID_STATUS'],
      ['movie/550', { status: 'watched', extra: true }, 'INVALID_BODY'],
    ];
    for (const [path, body, code] of cases) {
      const res = await put(u, path, body);
      expect(res.statusCode, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json().code, `${path} ${JSON.stringify(body)}`).toBe(code);
    }
    for (const q of ['limit=0', 'limit=101', 'limit=x', 'status=nope', 'type=book', 'cursor=%%%', 'cursor=abc', `cursor=${Buffer.from('[1,"x"]').toString('base64url')}`, `cursor=${'a'.repeat(300)}`]) {
      const res = await get(u, `/me/watchlist?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    expect((await get(u, '/me/watchlist?cursor=abc')).json().code).toBe('INVALID_CURSOR');
    for (const url of ['/me/titles/book/1', '/me/titles/movie/0', '/me/titles/movie/1e3', `/me/titles/series/${'9'.repeat(11)}`]) {
      expect((await get(u, url)).statusCode, url).toBe(400);
    }
  });

  it('removing a title that is not on the list is a 404', async () => {
    const u = await createTestUser(t);
    const res = await t.app.inject({ method: 'DELETE', url: `/me/watchlist/movie/${FROZEN.id}`, headers: u.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('WATCHLIST_ITEM_NOT_FOUND');
  });

  it('TMDB being down is a 503, not a 500', async () => {
    const u = await createTestUser(t);
    const rule = fake.on('/movie/424242', { status: 500 });
    try {
      const res = await put(u, 'movie/424242', { status: 'watched' });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('TMDB_UNAVAILABLE');
    } finally {
      rule.remove();
    }
  });
});

describe('watchlist: auth', () => {
  it('needs a session', async () => {
    for (const [method, url] of [['GET', '/me/watchlist'], ['PUT', '/me/watchlist/movie/1'], ['DELETE', '/me/watchlist/movie/1'], ['GET', '/me/titles/movie/1']] as const) {
      const res = await t.app.inject({ method, url, payload: method === 'PUT' ? { status: 'watched' } : undefined });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const client = await t.app.inject({ method: 'GET', url: '/me/watchlist', headers: { authorization: `Bearer ${t.clientToken}` } });
    expect(client.statusCode).toBe(401);
  });
});
