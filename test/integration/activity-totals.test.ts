import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/db.ts';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { createTestUser, FROZEN, MR_ROBOT } from '../helpers/me-fixtures.ts';

let t: TestApp;
let fake: FakeTmdb;

beforeAll(async () => {
  fake = await startFakeTmdb();
  t = await buildTestAppOn(fake);
});
afterAll(() => closeAll(t, fake));

describe('running totals', () => {
  it('stay equal to a rebuild from the events through inserts and deletes, and all-time stats equal the sum of the years', async () => {
    const u = await createTestUser(t);
    const totals = async () => ({
      titles: rowsOf(await t.container.db.execute(sql`select kind, tmdb_id, views, items, minutes, genres, release_year from watched_titles where user_id = ${u.userId} order by kind, tmdb_id`)),
      episodes: rowsOf(await t.container.db.execute(sql`select tmdb_id, season_number, episode_number, views from watched_episodes where user_id = ${u.userId} order by 1, 2, 3`)),
    });
    const ids: string[] = [];
    for (const body of [
      { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2024-05-01T10:00:00Z' },
      { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2025-05-01T10:00:00Z' },
      { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 1, watchedAt: '2024-06-01T10:00:00Z' },
      { type: 'season', tmdbId: MR_ROBOT.id, seasonNumber: 1, watchedAt: '2025-06-01T10:00:00Z' },
      { type: 'series', tmdbId: MR_ROBOT.id, watchedAt: '2025-07-01T10:00:00Z' },
      { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 4, episodeNumber: 13, watchedAt: '2025-08-01T10:00:00Z' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/me/watch-events', headers: u.headers, payload: body });
      ids.push(res.json().id);
    }
    const check = async () => {
      const incremental = await totals();
      await t.container.db.transaction((tx) => t.container.activity.repository.rebuildTotals(u.userId, tx));
      expect(await totals()).toEqual(incremental);
    };
    await check();
    expect((await totals()).titles).toHaveLength(2);

    const all = (await t.app.inject({ method: 'GET', url: '/me/stats', headers: u.headers })).json();
    const years = await Promise.all([2024, 2025].map(async (y) => (await t.app.inject({ method: 'GET', url: `/me/stats?year=${y}`, headers: u.headers })).json()));
    expect(all.movieViews).toBe(years[0].movieViews + years[1].movieViews);
    expect(all.minutesWatched).toBe(years[0].minutesWatched + years[1].minutesWatched);
    expect(all.episodesWatched).toBe(45);
    expect(years[1].episodesWatched).toBe(45);
    expect(years[0].episodesWatched).toBe(1);

    for (const id of [ids[4]!, ids[0]!, ids[2]!]) {
      await t.app.inject({ method: 'DELETE', url: `/me/watch-events/${id}`, headers: u.headers });
      await check();
    }
    expect((await t.app.inject({ method: 'GET', url: '/me/stats', headers: u.headers })).json()).toMatchObject({ movieViews: 1, episodesWatched: 11, seriesCompleted: 0 });
    for (const id of [ids[1]!, ids[3]!, ids[5]!]) await t.app.inject({ method: 'DELETE', url: `/me/watch-events/${id}`, headers: u.headers });
    expect(await totals()).toEqual({ titles: [], episodes: [] });
  });
});
