import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { aired, createTestUser, FROZEN, serveSynthetic, type SyntheticSeason, type TestUser } from '../helpers/me-fixtures.ts';

let t: TestApp;
let fake: FakeTmdb;
const clock = fixedClock('2026-06-15T12:00:00Z');
const MIX = 920_001;
const mixSeries = { seasons: [] as SyntheticSeason[], name: 'Mix', genres: ['Drama'] };

beforeAll(async () => {
  fake = await startFakeTmdb();
  serveSynthetic(fake, { series: new Map([[MIX, mixSeries]]) });
  // No TMDB response cache: the test changes what TMDB says about the Mix series midway.
  t = await buildTestAppOn(fake, { env: { TMDB_CACHE_MB: '0' }, overrides: { clock } });
});
afterAll(() => closeAll(t, fake));

const post = async (u: TestUser, payload: Record<string, unknown>) => {
  const res = await t.app.inject({ method: 'POST', url: '/me/watch-events', headers: u.headers, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>();
};
const stats = async (u: TestUser, query = '') => {
  const res = await t.app.inject({ method: 'GET', url: `/me/stats${query}`, headers: u.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const movieAt = (u: TestUser, watchedAt: string) => post(u, { type: 'movie', tmdbId: FROZEN.id, watchedAt });
const setTimezone = (u: TestUser, timezone: string) => t.app.inject({ method: 'PATCH', url: '/me', headers: u.headers, payload: { timezone } });

describe('streaks follow local dates', () => {
  it('America/Los_Angeles, across the March DST change', async () => {
    clock.set('2026-03-10T20:00:00Z');
    const u = await createTestUser(t);
    // Local dates Mar 6, 7, 8 (after the switch to PDT), 9; in UTC they fall on Mar 7, 8, 9, 9.
    for (const at of ['2026-03-06T23:30:00-08:00', '2026-03-07T23:45:00-08:00', '2026-03-08T23:15:00-07:00', '2026-03-09T00:10:00-07:00']) await movieAt(u, at);
    expect(await stats(u, '?tz=America/Los_Angeles')).toMatchObject({ timezone: 'America/Los_Angeles', longestStreak: 4, currentStreak: 4 });
    expect(await stats(u, '?tz=UTC')).toMatchObject({ longestStreak: 3, currentStreak: 3 });
    expect(await stats(u)).toMatchObject({ timezone: 'UTC', longestStreak: 3 });
    expect((await setTimezone(u, 'America/Los_Angeles')).statusCode).toBe(200);
    expect(await stats(u)).toMatchObject({ timezone: 'America/Los_Angeles', longestStreak: 4 });
    // 23:30 on Mar 10 in Los Angeles is already Mar 11 in UTC: alive locally (yesterday had a watch), broken in UTC.
    clock.set('2026-03-11T06:30:00Z');
    expect(await stats(u)).toMatchObject({ currentStreak: 4, longestStreak: 4 });
    expect(await stats(u, '?tz=UTC')).toMatchObject({ currentStreak: 0, longestStreak: 3 });
    clock.set('2026-03-11T08:30:00Z');
    expect(await stats(u)).toMatchObject({ currentStreak: 0, longestStreak: 4 });
  });

  it('Pacific/Auckland, across the April DST change', async () => {
    clock.set('2026-04-07T10:00:00Z');
    const u = await createTestUser(t);
    await setTimezone(u, 'Pacific/Auckland');
    // NZDT (+13) ends on Apr 5 at 03:00. Local dates Apr 4, 5, 6; UTC dates Apr 4, 5, 5.
    for (const at of ['2026-04-04T23:30:00+13:00', '2026-04-05T23:30:00+12:00', '2026-04-06T00:30:00+12:00']) await movieAt(u, at);
    expect(await stats(u)).toMatchObject({ timezone: 'Pacific/Auckland', longestStreak: 3, currentStreak: 3 });
    expect(await stats(u, '?tz=UTC')).toMatchObject({ longestStreak: 2, currentStreak: 0 });
  });

  it('Europe/London, across the March DST change, with months in local time', async () => {
    clock.set('2026-04-01T12:00:00Z');
    const u = await createTestUser(t);
    await setTimezone(u, 'Europe/London');
    // BST starts Mar 29 at 01:00 GMT. Local dates Mar 28, 29, 30, 31 and Apr 1; UTC dates Mar 28, 29, 29, 31, 31.
    for (const at of ['2026-03-28T23:30:00+00:00', '2026-03-29T23:30:00+01:00', '2026-03-30T00:30:00+01:00', '2026-03-31T23:30:00+01:00', '2026-04-01T00:30:00+01:00']) await movieAt(u, at);
    const local = await stats(u);
    expect(local).toMatchObject({ timezone: 'Europe/London', longestStreak: 5, currentStreak: 5 });
    expect(local.months).toEqual([
      { month: '2026-03', movies: 4, episodes: 0, minutes: 4 * FROZEN.runtime },
      { month: '2026-04', movies: 1, episodes: 0, minutes: FROZEN.runtime },
    ]);
    const utc = await stats(u, '?tz=UTC');
    expect(utc).toMatchObject({ longestStreak: 2, currentStreak: 1 });
    expect(utc.months).toEqual([{ month: '2026-03', movies: 5, episodes: 0, minutes: 5 * FROZEN.runtime }]);
  });
});

describe('stats', () => {
  it('count rewatches, a series completed through episode, season and series events, and deletions', async () => {
    clock.set('2026-06-15T12:00:00Z');
    const u = await createTestUser(t);
    mixSeries.seasons = [
      { number: 1, episodes: aired(2) },
      { number: 2, episodes: aired(2) },
    ];
    await movieAt(u, '2026-05-01T20:00:00Z');
    const rewatch = await movieAt(u, '2026-05-02T20:00:00Z');
    await post(u, { type: 'episode', tmdbId: MIX, seasonNumber: 1, episodeNumber: 1, watchedAt: '2026-05-03T20:00:00Z' });
    await post(u, { type: 'season', tmdbId: MIX, seasonNumber: 2, watchedAt: '2026-05-04T20:00:00Z' });
    expect(await stats(u)).toMatchObject({ episodesWatched: 3, seriesCompleted: 0 });
    await post(u, { type: 'episode', tmdbId: MIX, seasonNumber: 1, episodeNumber: 2, watchedAt: '2026-05-05T20:00:00Z' });
    expect(await stats(u)).toMatchObject({ episodesWatched: 4, seriesCompleted: 1 });

    // A new season airs: the latest snapshot has 6 aired episodes, so the series is no longer complete ...
    mixSeries.seasons = [...mixSeries.seasons, { number: 3, episodes: aired(2) }];
    await post(u, { type: 'episode', tmdbId: MIX, seasonNumber: 3, episodeNumber: 1, watchedAt: '2026-05-06T20:00:00Z' });
    expect(await stats(u)).toMatchObject({ episodesWatched: 5, seriesCompleted: 0 });
    // ... until a whole-series rewatch covers it.
    await post(u, { type: 'series', tmdbId: MIX, watchedAt: '2026-05-07T20:00:00Z' });
    const s = await stats(u);
    expect(s).toMatchObject({
      timezone: 'UTC',
      year: null,
      moviesWatched: 1,
      movieViews: 2,
      episodesWatched: 6,
      seriesCompleted: 1,
      minutesWatched: 2 * FROZEN.runtime + 30 + 60 + 30 + 30 + 180,
      longestStreak: 7,
      currentStreak: 0,
    });
    expect(s.genres).toEqual([
      { name: 'Drama', count: 11, minutes: 330 },
      { name: 'Adventure', count: 2, minutes: 204 },
      { name: 'Animation', count: 2, minutes: 204 },
      { name: 'Family', count: 2, minutes: 204 },
      { name: 'Fantasy', count: 2, minutes: 204 },
    ]);
    expect(s.months).toEqual([{ month: '2026-05', movies: 2, episodes: 11, minutes: 534 }]);

    expect((await t.app.inject({ method: 'DELETE', url: `/me/watch-events/${rewatch.id}`, headers: u.headers })).statusCode).toBe(204);
    expect(await stats(u)).toMatchObject({ moviesWatched: 1, movieViews: 1, minutesWatched: 534 - FROZEN.runtime, longestStreak: 5 });
  });

  it('year turns the stats into a local year in review, with all twelve months', async () => {
    clock.set('2026-06-15T12:00:00Z');
    const u = await createTestUser(t);
    await movieAt(u, '2025-12-31T23:30:00-08:00');
    await movieAt(u, '2026-02-01T12:00:00Z');
    const la2025 = await stats(u, '?year=2025&tz=America/Los_Angeles');
    expect(la2025).toMatchObject({ year: 2025, movieViews: 1 });
    expect(la2025.months).toHaveLength(12);
    expect(la2025.months[11]).toEqual({ month: '2025-12', movies: 1, episodes: 0, minutes: FROZEN.runtime });
    expect(await stats(u, '?year=2025')).toMatchObject({ movieViews: 0 });
    expect(await stats(u, '?year=2026')).toMatchObject({ movieViews: 2 });
    const empty = await stats(u, '?year=1990');
    expect(empty).toMatchObject({ movieViews: 0, currentStreak: 0, longestStreak: 0, genres: [] });
    expect(empty.months.every((m: { minutes: number }) => m.minutes === 0)).toBe(true);
  });

  it('a user without history gets zeros', async () => {
    const u = await createTestUser(t);
    expect(await stats(u)).toEqual({
      timezone: 'UTC',
      year: null,
      moviesWatched: 0,
      movieViews: 0,
      episodesWatched: 0,
      seriesCompleted: 0,
      minutesWatched: 0,
      currentStreak: 0,
      longestStreak: 0,
      genres: [],
      months: [],
    });
  });

  it('bad tz or year is a 400; no session is a 401', async () => {
    const u = await createTestUser(t);
    for (const [q, code] of [
      ['?tz=Mars/Olympus', 'INVALID_TIMEZONE'],
      ['?tz=%2B01:00', 'INVALID_TIMEZONE'],
      [`?tz=${'A'.repeat(100)}`, 'INVALID_TIMEZONE'],
      ['?year=99', 'INVALID_YEAR'],
      ['?year=2026.5', 'INVALID_YEAR'],
      ['?year=-2026', 'INVALID_YEAR'],
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/me/stats${q}`, headers: u.headers });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code, q).toBe(code);
    }
    expect((await t.app.inject({ method: 'GET', url: '/me/stats' })).statusCode).toBe(401);
  });
});
