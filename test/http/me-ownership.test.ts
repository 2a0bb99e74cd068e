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

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (u: TestUser, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers: { ...u.headers, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

/** Everything A can see about themselves (volatile export timestamp removed). */
async function snapshot(u: TestUser) {
  const exp = (await call(u, 'GET', '/me/export')).json();
  delete exp.exportedAt;
  return {
    export: exp,
    csv: (await call(u, 'GET', '/me/export?format=csv')).body,
    stats: (await call(u, 'GET', '/me/stats')).json(),
    achievements: (await call(u, 'GET', '/me/achievements')).json(),
    unseen: (await call(u, 'GET', '/me/achievements/unseen')).json(),
    profile: (await call(u, 'GET', '/me')).json(),
    titles: [(await call(u, 'GET', `/me/titles/movie/${FROZEN.id}`)).json(), (await call(u, 'GET', `/me/titles/series/${MR_ROBOT.id}`)).json()],
    progress: (await call(u, 'GET', `/me/series/${MR_ROBOT.id}/progress`)).json(),
  };
}

describe('ownership', () => {
  it('user B can neither read nor change anything of user A: every id of A is a 404 for B and A is unchanged', async () => {
    const a = await createTestUser(t, 'alice');
    const b = await createTestUser(t, 'bob');
    await call(a, 'PATCH', '/me', { timezone: 'Europe/London', displayName: 'Alice' });
    await call(a, 'PUT', `/me/watchlist/movie/${FROZEN.id}`, { status: 'want_to_watch' });
    await call(a, 'PUT', `/me/watchlist/series/${MR_ROBOT.id}`, { status: 'watched' });
    const ids: string[] = [];
    for (const body of [
      { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-01-01T10:00:00Z' },
      { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 1, watchedAt: '2026-01-02T10:00:00Z' },
      { type: 'season', tmdbId: MR_ROBOT.id, seasonNumber: 1, watchedAt: '2026-01-03T10:00:00Z' },
      { type: 'series', tmdbId: MR_ROBOT.id, watchedAt: '2026-01-04T10:00:00Z' },
    ]) {
      const res = await call(a, 'POST', '/me/watch-events', body, { 'idempotency-key': `a-${body.type}` });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    await t.container.activity.achievements.evaluate(a.userId);
    const aCursor = (await call(a, 'GET', '/me/watch-events?limit=1')).json().nextCursor as string;
    const before = await snapshot(a);
    expect(before.export.watchEvents).toHaveLength(4);

    // Every id of A, through every route that takes an id.
    for (const id of ids) {
      for (const [method, payload] of [['GET', undefined], ['PATCH', { watchedAt: '2020-01-01T00:00:00Z' }], ['DELETE', undefined]] as const) {
        const res = await call(b, method, `/me/watch-events/${id}`, payload);
        expect(res.statusCode, `${method} ${id}`).toBe(404);
        expect(res.json().code).toBe('WATCH_EVENT_NOT_FOUND');
      }
    }
    // A's idempotency keys are A's: B reusing them creates B's own event, never replays A's.
    const bEvent = await call(b, 'POST', '/me/watch-events', { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-01-01T10:00:00Z' }, { 'idempotency-key': 'a-movie' });
    expect(bEvent.statusCode).toBe(201);
    expect(bEvent.headers['idempotent-replayed']).toBeUndefined();
    expect(ids).not.toContain(bEvent.json().id);
    const bDifferent = await call(b, 'POST', '/me/watch-events', { type: 'series', tmdbId: MR_ROBOT.id }, { 'idempotency-key': 'a-series' });
    expect(bDifferent.statusCode).toBe(201);

    // Every list and title route answers from B's data only.
    const bEvents = (await call(b, 'GET', '/me/watch-events?limit=100')).json().items.map((e: { id: string }) => e.id);
    expect(bEvents.some((id: string) => ids.includes(id))).toBe(false);
    const withACursor = (await call(b, 'GET', `/me/watch-events?cursor=${aCursor}`)).json().items.map((e: { id: string }) => e.id);
    expect(withACursor.some((id: string) => ids.includes(id))).toBe(false);
    expect((await call(b, 'GET', '/me/watchlist')).json().items).toEqual([]);
    expect((await call(b, 'DELETE', `/me/watchlist/movie/${FROZEN.id}`)).statusCode).toBe(404);
    expect((await call(b, 'DELETE', `/me/watchlist/series/${MR_ROBOT.id}`)).statusCode).toBe(404);
    expect((await call(b, 'GET', `/me/titles/movie/${FROZEN.id}`)).json()).toMatchObject({ watchlistStatus: null, watchCount: 1 });
    expect((await call(b, 'GET', `/me/series/${MR_ROBOT.id}/progress`)).json()).toMatchObject({ completed: true });
    const bStats = (await call(b, 'GET', '/me/stats')).json();
    expect(bStats).toMatchObject({ movieViews: 1, timezone: 'UTC' });
    expect((await call(b, 'GET', '/me')).json()).toMatchObject({ id: b.userId, displayName: 'bob' });
    const bExport = (await call(b, 'GET', '/me/export')).body;
    for (const id of [a.userId, ...ids]) expect(bExport).not.toContain(id);
    expect((await call(b, 'GET', '/me/export?format=csv')).body).not.toContain(ids[0]);
    expect((await call(b, 'GET', '/me/achievements/unseen')).json().achievements).toEqual([]);
    // Marking A's earned achievements seen from B's session changes nothing of A's.
    expect((await call(b, 'POST', '/me/achievements/seen', { ids: ['first-movie', 'first-episode'] })).json()).toEqual({ marked: 0 });
    await call(b, 'PATCH', '/me', { displayName: 'Bob', timezone: 'Asia/Tokyo' });
    await call(b, 'PUT', `/me/watchlist/movie/${FROZEN.id}`, { status: 'watched' });
    expect((await call(b, 'DELETE', '/me')).statusCode).toBe(204);

    expect(await snapshot(a)).toEqual(before);
  });
});
