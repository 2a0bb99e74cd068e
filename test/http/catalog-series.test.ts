import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seasonCastCache } from '../../src/data/schema.ts';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { fixturePayload, loadFixture, parseAppends } from '../helpers/tmdb-fixtures.ts';

/*
 * Series, season, episode and person-in-series pages (§5.3–§5.6, §7) against the
 * fake TMDB serving Mr. Robot (62560). Ids from 7_700_000 up are edited copies of it.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed TMDB/API JSON

let t: TestApp;
let fake: FakeTmdb;
/** Per synthetic series id: a change applied to the Mr. Robot payload (with its appends). */
const seriesEdits = new Map<number, (series: Json) => void>();

beforeAll(async () => {
  fake = await startFakeTmdb();
  fake.otherwise('/tv/:id', (req) => {
    const id = Number(req.params.id);
    const edit = seriesEdits.get(id);
    if (!edit) return undefined;
    const series = fixturePayload<Json>('/tv/62560', req.append);
    series.id = id;
    edit(series);
    return { body: series };
  });
  fake.otherwise('/tv/:id/season/:n/aggregate_credits', (req) => {
    if (!seriesEdits.has(Number(req.params.id))) return undefined;
    const n = Number(req.params.n);
    return { body: { id: 7_800_000 + n, ...fixturePayload<Json>(`/tv/62560/season/${n}`, ['aggregate_credits']).aggregate_credits } };
  });
  // The timing tests measure round trips, not the client-side rate limit.
  t = await buildTestAppOn(fake, { env: { TMDB_RATE_LIMIT: '1000' } });
});
afterAll(() => closeAll(t, fake));
beforeEach(() => fake.clearCalls());

async function get(url: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.clientToken}` } });
  expect(res.statusCode, res.body).not.toBe(500);
  return res;
}

async function ok(url: string): Promise<Json> {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const ids = (list: Json[]): number[] => list.map((p) => p.id as number);
/** Age fields belong to the Ages module; these tests check everything else about a credit person. */
const AGE_KEYS = new Set(['birthday', 'deathday', 'currentAge', 'ageAtRelease', 'ageRange']);
const withoutAges = (person: Record<string, unknown>) => Object.fromEntries(Object.entries(person).filter(([k]) => !AGE_KEYS.has(k)));
const keysWithoutAges = (person: Record<string, unknown>) => Object.keys(person).filter((k) => !AGE_KEYS.has(k));
const rawSeries = loadFixture('tv_series');
const rawSeason1 = loadFixture('tv_seasons');
const rawEpisodeCredits = loadFixture('tv_episode.credits');

describe('GET /series/{id}', () => {
  it('answers every documented field, in wire order', async () => {
    const series = await ok('/series/62560');
    expect(Object.keys(series)).toEqual([
      'id',
      'name',
      'tagline',
      'overview',
      'genres',
      'posterPath',
      'posterUrl',
      'status',
      'inProduction',
      'firstAirDate',
      'lastAirDate',
      'numberOfSeasons',
      'numberOfEpisodes',
      'episodeRunTime',
      'voteAverage',
      'originalName',
      'originalLanguage',
      'originCountry',
      'spokenLanguages',
      'productionCompanies',
      'productionCountries',
      'createdBy',
      'networks',
      'seasons',
      'whereToWatch',
      'trailers',
      'credits',
    ]);
    expect(series).toMatchObject({
      id: 62560,
      name: 'Mr. Robot',
      tagline: rawSeries.tagline,
      genres: ['Crime', 'Drama'],
      posterPath: rawSeries.poster_path,
      posterUrl: `https://image.tmdb.org/t/p/w300${rawSeries.poster_path}`,
      status: 'Ended',
      inProduction: false,
      firstAirDate: '2015-06-24',
      lastAirDate: '2019-12-22',
      numberOfSeasons: 4,
      numberOfEpisodes: 45,
      // TMDB sent [], so [] is copied (not null).
      episodeRunTime: [],
      voteAverage: rawSeries.vote_average,
      originalName: 'Mr. Robot',
      originalLanguage: 'en',
      originCountry: 'US',
      spokenLanguages: ['English'],
      productionCompanies: ['Anonymous Content', 'UCP', 'Esmail Corp'],
      productionCountries: ['US'],
    });
  });

  it('maps createdBy and networks with their image URLs', async () => {
    const series = await ok('/series/62560');
    expect(series.createdBy).toEqual([
      {
        id: 1331163,
        name: 'Sam Esmail',
        photoPath: '/mej39wMtNDsOI5HklLb65QAiM6K.jpg',
        photoUrl: 'https://image.tmdb.org/t/p/w92/mej39wMtNDsOI5HklLb65QAiM6K.jpg',
      },
    ]);
    expect(series.networks).toEqual([
      {
        id: 30,
        name: 'USA Network',
        logoPath: '/g1e0H0Ka97IG5SyInMXdJkHGKiH.png',
        logoUrl: 'https://image.tmdb.org/t/p/w92/g1e0H0Ka97IG5SyInMXdJkHGKiH.png',
        originCountry: 'US',
      },
    ]);
  });

  it('leaves Specials (season 0) out of seasons', async () => {
    const series = await ok('/series/62560');
    expect(rawSeries.seasons.map((s: Json) => s.season_number)).toContain(0);
    expect(series.seasons.map((s: Json) => s.seasonNumber)).toEqual([1, 2, 3, 4]);
    const raw1 = rawSeries.seasons.find((s: Json) => s.season_number === 1);
    expect(series.seasons[0]).toEqual({
      id: raw1.id,
      name: raw1.name,
      overview: raw1.overview,
      seasonNumber: 1,
      episodeCount: 10,
      airDate: raw1.air_date,
      posterPath: raw1.poster_path,
      posterUrl: `https://image.tmdb.org/t/p/w92${raw1.poster_path}`,
      voteAverage: raw1.vote_average,
    });
    expect(series.seasons.map((s: Json) => s.episodeCount)).toEqual([10, 12, 10, 13]);
  });

  it('builds credits from aggregate_credits: first role, total episode count, order 0 omitted, every job of a person', async () => {
    const { credits } = await ok('/series/62560');
    expect(ids(credits.cast)).toEqual(ids(rawSeries.aggregate_credits.cast));
    expect(withoutAges(credits.cast[0])).toEqual({
      id: 17838,
      name: 'Rami Malek',
      photoPath: '/ewr46CGOdsx5NzAJdIzEBz2yIQh.jpg',
      photoUrl: 'https://image.tmdb.org/t/p/w92/ewr46CGOdsx5NzAJdIzEBz2yIQh.jpg',
      role: 'Elliot Alderson',
      episodeCount: 45,
    });
    const portia = credits.cast.find((p: Json) => p.id === 117669);
    expect(keysWithoutAges(portia)).toEqual(['id', 'name', 'photoPath', 'photoUrl', 'role', 'order', 'episodeCount']);
    expect(portia).toMatchObject({ role: 'Angela Moss', order: 193, episodeCount: 36 });
    // Sam Esmail: director, writer and executive producer.
    const esmail = (group: string) => credits[group].filter((p: Json) => p.id === 1331163).map((p: Json) => p.role);
    expect(esmail('directors')).toEqual(['Director']);
    expect(esmail('writers')).toEqual(['Writer']);
    expect(esmail('producers')).toEqual(['Executive Producer']);
    expect(Object.keys(credits)).toEqual([
      'cast',
      'directors',
      'writers',
      'producers',
      'composers',
      'cinematographers',
      'editors',
      'productionDesign',
      'costumeDesign',
      'casting',
    ]);
  });

  it('lists trailers (official first, newest first) fetched in the same TMDB call', async () => {
    const { trailers } = await ok('/series/62560');
    expect(trailers.map((v: Json) => [v.name, v.official])).toEqual([
      ['Mr. Robot | Season 4 Official Trailer', true],
      ['Mr. Robot | Season 3 Official Trailer', true],
      ['Mr. Robot | Official Trailer', true],
      ['Mr. Robot Season 1 Trailer (fan cut)', false],
    ]);
    expect(trailers[0].url).toBe(`https://www.youtube.com/watch?v=${trailers[0].key}`);
  });

  it('asks TMDB once, with aggregate credits, providers and videos appended', async () => {
    await ok('/series/62560?language=en-GB');
    const calls = fake.callsTo('/tv/*');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/tv/62560');
    expect(parseAppends(calls[0]!.query.append_to_response).sort()).toEqual(['aggregate_credits', 'videos', 'watch/providers']);
    expect(calls[0]!.query.language).toBe('en-GB');
  });

  it('copies episode_run_time as sent, and null when TMDB sent none', async () => {
    seriesEdits.set(7_700_001, (s) => {
      delete s.episode_run_time;
    });
    seriesEdits.set(7_700_002, (s) => {
      s.episode_run_time = [42, 45];
      s.origin_country = ['GB', 'US'];
    });
    expect((await ok('/series/7700001')).episodeRunTime).toBeNull();
    const edited = await ok('/series/7700002');
    expect(edited.episodeRunTime).toEqual([42, 45]);
    expect(edited.originCountry).toBe('GB');
  });
});

describe('GET /series/{id}/seasons/{n}', () => {
  it('answers the season with every episode in TMDB order, keys in wire order', async () => {
    const season = await ok('/series/62560/seasons/1');
    expect(Object.keys(season)).toEqual([
      'id',
      'name',
      'overview',
      'posterPath',
      'posterUrl',
      'seasonNumber',
      'airDate',
      'voteAverage',
      'episodes',
      'whereToWatch',
      'credits',
    ]);
    expect(season).toMatchObject({
      id: rawSeason1.id,
      name: rawSeason1.name,
      posterUrl: `https://image.tmdb.org/t/p/w300${rawSeason1.poster_path}`,
      seasonNumber: 1,
      airDate: '2015-06-24',
      voteAverage: rawSeason1.vote_average,
    });
    expect(season.episodes.map((e: Json) => e.episodeNumber)).toEqual(rawSeason1.episodes.map((e: Json) => e.episode_number));
    const first = rawSeason1.episodes[0];
    expect(season.episodes[0]).toEqual({
      id: first.id,
      name: first.name,
      overview: first.overview,
      episodeNumber: 1,
      seasonNumber: 1,
      airDate: first.air_date,
      runtime: first.runtime,
      stillPath: first.still_path,
      stillUrl: `https://image.tmdb.org/t/p/w300${first.still_path}`,
      voteAverage: first.vote_average,
    });
  });

  it("counts the cast's episodes in this season", async () => {
    const { credits } = await ok('/series/62560/seasons/1');
    expect(ids(credits.cast)).toEqual(ids(rawSeason1.aggregate_credits.cast));
    expect(credits.cast[0]).toMatchObject({ id: 17838, episodeCount: 10 });
    expect(credits.cast[0]).not.toHaveProperty('order');
  });

  it('serves season 0 (Specials)', async () => {
    fake.on('/tv/62560/season/0', (req) => {
      const specials = fixturePayload<Json>('/tv/62560/season/2', req.append);
      specials.id = 7_900_000;
      specials.season_number = 0;
      specials.name = 'Specials';
      specials.episodes = specials.episodes.slice(0, 2).map((e: Json) => ({ ...e, season_number: 0 }));
      return { body: specials };
    });
    const season = await ok('/series/62560/seasons/0');
    expect(season).toMatchObject({ id: 7_900_000, name: 'Specials', seasonNumber: 0 });
    expect(season.episodes.map((e: Json) => e.seasonNumber)).toEqual([0, 0]);
    expect(fake.callsTo('/tv/62560/season/0')).toHaveLength(1);
  });
});

describe('GET /series/{id}/seasons/{n}/episodes/{e}', () => {
  it('answers the episode, keys in wire order, without whereToWatch', async () => {
    const episode = await ok('/series/62560/seasons/1/episodes/1');
    const raw = loadFixture('tv_episode');
    expect(Object.keys(episode)).toEqual([
      'id',
      'name',
      'overview',
      'episodeNumber',
      'seasonNumber',
      'airDate',
      'runtime',
      'stillPath',
      'stillUrl',
      'voteAverage',
      'voteCount',
      'guestStars',
      'credits',
    ]);
    expect(episode).toMatchObject({
      id: raw.id,
      name: raw.name,
      episodeNumber: 1,
      seasonNumber: 1,
      airDate: '2015-06-24',
      runtime: raw.runtime,
      stillPath: raw.still_path,
      stillUrl: `https://image.tmdb.org/t/p/w300${raw.still_path}`,
      voteAverage: raw.vote_average,
      voteCount: raw.vote_count,
    });
    const call = fake.callsTo('/tv/62560/season/1/episode/1')[0]!;
    expect(parseAppends(call.query.append_to_response)).toEqual(['credits']);
  });

  it('merges guests into the cast: a guest replaces a regular only with a strictly lower order; sorted by order', async () => {
    const { credits } = await ok('/series/62560/seasons/1/episodes/1');
    const cast: Json[] = credits.cast;
    const regulars: Json[] = rawEpisodeCredits.cast;
    const guests: Json[] = rawEpisodeCredits.guest_stars;
    const regularIds = new Set(regulars.map((r) => r.id));
    // Every person once: all regulars, plus the guests who are not regulars.
    expect(cast).toHaveLength(regulars.length + guests.filter((g) => !regularIds.has(g.id)).length);
    expect(new Set(ids(cast)).size).toBe(cast.length);
    // Ron Cephas Jones: regular order 12, guest order 579 → the regular entry stays.
    expect(cast.filter((p) => p.id === 58525)).toEqual([expect.objectContaining({ order: 12, role: 'Leslie Romero' })]);
    // Frankie Shaw: regular order 14, guest order 11 → the guest entry replaces it.
    expect(cast.filter((p) => p.id === 85756)).toEqual([expect.objectContaining({ order: 11, role: 'Shayla Nico' })]);
    const orders = cast.map((p) => p.order ?? 0);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(ids(cast.slice(0, 7))).toEqual([17838, 2224, 114601, 117669, 213486, 85756, 58525]);
    // Rami Malek (order 0) leads, with no order key.
    expect(keysWithoutAges(cast[0]!)).toEqual(['id', 'name', 'photoPath', 'photoUrl', 'role']);
  });

  it('keeps the separate guestStars list for the older web client, as TMDB sent it', async () => {
    const { guestStars } = await ok('/series/62560/seasons/1/episodes/1');
    expect(ids(guestStars)).toEqual(ids(rawEpisodeCredits.guest_stars));
    const ron = guestStars.find((p: Json) => p.id === 58525);
    expect(ron).toMatchObject({ name: 'Ron Cephas Jones', role: 'Leslie Romero (uncredited)', order: 579 });
    expect(keysWithoutAges(guestStars[0])).toEqual(['id', 'name', 'photoPath', 'photoUrl', 'role', 'order']);
  });

  it('groups the episode crew with duplicates', async () => {
    const { credits } = await ok('/series/62560/seasons/1/episodes/1');
    const roles = (group: string) => credits[group].map((p: Json) => [p.id, p.role]);
    // Sam Esmail has a duplicate Writer entry: he is listed twice.
    expect(roles('writers')).toEqual([
      [1331163, 'Writer'],
      [1331163, 'Writer'],
    ]);
    expect(roles('directors')).toEqual([[19346, 'Director']]);
    expect(roles('producers')).toEqual([
      [1485875, 'Producer'],
      [19346, 'Executive Producer'],
      [1331163, 'Executive Producer'],
    ]);
  });

  it('sorts the merged cast stably: equal orders keep regulars-then-guests order', async () => {
    const person = (id: number, order: number) => ({ id, name: `P${id}`, character: `C${id}`, order, profile_path: null });
    fake.on('/tv/62560/season/1/episode/2', (req) => {
      const episode = fixturePayload<Json>('/tv/62560/season/1/episode/1', req.append);
      episode.episode_number = 2;
      episode.credits = {
        cast: [person(1, 0), person(2, 5), person(3, 5)],
        crew: [],
        guest_stars: [person(4, 5), person(5, 3), person(2, 5)],
      };
      return { body: episode };
    });
    const episode = await ok('/series/62560/seasons/1/episodes/2');
    expect(episode.credits.cast.map((p: Json) => [p.id, p.order ?? 0])).toEqual([
      [1, 0],
      [5, 3],
      [2, 5],
      [3, 5],
      [4, 5],
    ]);
    expect(episode.credits.cast[2].role).toBe('C2');
    expect(episode.credits).not.toHaveProperty('directors');
    expect(withoutAges(episode.credits.cast[0])).toEqual({ id: 1, name: 'P1', photoUrl: '', role: 'C1' });
  });
});

describe('GET /series/{id}/person/{personId}/credits', () => {
  type Season = { seasonNumber: number; totalEpisodes: number; episodeCount: number; episodes: { episodeNumber: number }[] };
  const summary = (seasons: Season[]) =>
    seasons.map((s) => [s.seasonNumber, s.totalEpisodes, s.episodeCount, s.episodes.map((e) => e.episodeNumber)]);
  const all = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('lists every episode of every season for a full-season regular', async () => {
    const body = await ok('/series/62560/person/17838/credits');
    expect(Object.keys(body)).toEqual(['person', 'series', 'totalEpisodeCount', 'roles', 'seasons']);
    expect(body.person).toEqual({
      id: 17838,
      name: 'Rami Malek',
      photoPath: '/ewr46CGOdsx5NzAJdIzEBz2yIQh.jpg',
      photoUrl: 'https://image.tmdb.org/t/p/w92/ewr46CGOdsx5NzAJdIzEBz2yIQh.jpg',
    });
    expect(body.series).toEqual({
      id: 62560,
      name: 'Mr. Robot',
      posterPath: rawSeries.poster_path,
      posterUrl: `https://image.tmdb.org/t/p/w300${rawSeries.poster_path}`,
    });
    expect(body.totalEpisodeCount).toBe(45);
    expect(body.roles).toEqual([{ character: 'Elliot Alderson' }]);
    expect(summary(body.seasons)).toEqual([
      [1, 10, 10, all(10)],
      [2, 12, 12, all(12)],
      [3, 10, 10, all(10)],
      [4, 13, 13, all(13)],
    ]);
    const season1 = body.seasons[0];
    expect(Object.keys(season1)).toEqual(['seasonNumber', 'name', 'airDate', 'totalEpisodes', 'episodeCount', 'episodes']);
    expect(season1).toMatchObject({ name: rawSeason1.name, airDate: '2015-06-24' });
    const ep1 = rawSeason1.episodes[0];
    expect(season1.episodes[0]).toEqual({
      episodeNumber: 1,
      name: ep1.name,
      airDate: ep1.air_date,
      stillPath: ep1.still_path,
      stillUrl: `https://image.tmdb.org/t/p/w300${ep1.still_path}`,
    });
  });

  it('serves a second person of the same series without TMDB, and stores the season cast maps', async () => {
    // The previous test fetched the series and its season casts: both are cached now.
    await ok('/series/62560/person/2224/credits');
    expect(fake.calls).toHaveLength(0);

    const rows = await t.container.db.select().from(seasonCastCache).where(eq(seasonCastCache.seriesId, 62560));
    expect(rows.map((r) => r.seasonNumber).sort()).toEqual([1, 2, 3, 4]);
    const season1 = rows.find((r) => r.seasonNumber === 1)!;
    expect(season1.castData['17838']).toBe(10);
    // Mr. Robot has ended, so every season map is kept for 180 days.
    const days = (d: Date) => (d.getTime() - Date.now()) / 86_400_000;
    for (const row of rows) expect(days(row.expiresAt)).toBeGreaterThan(179);
  });

  it('sends aggregate_credits plus season/1..season/19 in the first call, then the season casts in parallel', async () => {
    seriesEdits.set(7_700_010, () => undefined);
    fake.latencyMs = 200;
    try {
      await ok('/series/7700010/person/17838/credits');
    } finally {
      fake.latencyMs = 0;
    }
    const [seriesCall, ...seasonCalls] = fake.calls;
    expect(seriesCall!.path).toBe('/tv/7700010');
    expect(parseAppends(seriesCall!.query.append_to_response)).toEqual(['aggregate_credits', ...all(19).map((n) => `season/${n}`)]);
    expect(seasonCalls.map((c) => c.path).sort()).toEqual(all(4).map((n) => `/tv/7700010/season/${n}/aggregate_credits`));
    // All four season casts were asked for before the first one answered.
    const firstAnswer = Math.min(...seasonCalls.map((c) => c.finishedAt!));
    for (const c of seasonCalls) expect(c.startedAt).toBeLessThan(firstAnswer);
  });

  it("lists a guest's episodes, and every episode of a season they are a regular in", async () => {
    // Gloria Reuben: guest in s1 (5 episodes) and s2 (3), regular in all of s4.
    const gloria = await ok('/series/62560/person/21369/credits');
    expect(gloria.roles).toEqual([{ character: 'Krista Gordon' }]);
    expect(summary(gloria.seasons)).toEqual([
      [1, 10, 5, [1, 2, 3, 7, 10]],
      [2, 12, 3, [2, 3, 4]],
      [4, 13, 13, all(13)],
    ]);
    // Sunita Mani: a guest in 8 episodes of s1 and of s4.
    const sunita = await ok('/series/62560/person/1375002/credits');
    expect(summary(sunita.seasons)).toEqual([
      [1, 10, 8, [1, 2, 3, 4, 5, 7, 8, 10]],
      [4, 13, 8, [4, 5, 6, 7, 8, 9, 10, 11]],
    ]);
    // Portia Doubleday: two aggregate roles, regular in s1–s3, guest in four s4 episodes.
    const portia = await ok('/series/62560/person/117669/credits');
    expect(portia.roles).toEqual([{ character: 'Angela Moss' }, { character: 'Angela Moss (voice)' }]);
    expect(summary(portia.seasons)).toEqual([
      [1, 10, 10, all(10)],
      [2, 12, 12, all(12)],
      [3, 10, 10, all(10)],
      [4, 13, 4, [8, 9, 10, 11]],
    ]);
  });

  it('keeps the season of a recurring regular who is in some episodes but never listed as a guest (Go dropped it)', async () => {
    seriesEdits.set(7_700_011, (s) => {
      for (const episode of s['season/4'].episodes) episode.guest_stars = episode.guest_stars.filter((g: Json) => g.id !== 117669);
    });
    const portia = await ok('/series/7700011/person/117669/credits');
    expect(summary(portia.seasons)).toEqual([
      [1, 10, 10, all(10)],
      [2, 12, 12, all(12)],
      [3, 10, 10, all(10)],
      [4, 13, 4, []],
    ]);
  });

  it('answers seasons: [] (never null) for a cast member found in no season', async () => {
    seriesEdits.set(7_700_012, (s) => {
      s.aggregate_credits.cast.push({ id: 9_999_001, name: 'Nobody Special', profile_path: null, roles: [], total_episode_count: 0, order: 999 });
    });
    const body = await ok('/series/7700012/person/9999001/credits');
    expect(body).toEqual({
      person: { id: 9_999_001, name: 'Nobody Special', photoUrl: '' },
      series: expect.objectContaining({ id: 7_700_012 }),
      totalEpisodeCount: 0,
      roles: [],
      seasons: [],
    });
  });

  it('answers 404 PERSON_NOT_IN_SERIES for crew-only people and strangers', async () => {
    for (const personId of [1544259, 8800001]) {
      const res = await get(`/series/62560/person/${personId}/credits`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Not Found', message: 'Person not found in series credits', code: 'PERSON_NOT_IN_SERIES' });
      expect(res.headers['cache-control']).toBeUndefined();
    }
  });
});
