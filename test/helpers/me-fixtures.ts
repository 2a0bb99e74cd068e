import { randomBytes } from 'node:crypto';
import type { TestApp } from './build-test-app.ts';
import type { FakeTmdb } from './fake-tmdb.ts';
import { fixturePayload, syntheticMovie } from './tmdb-fixtures.ts';

export interface TestUser {
  userId: string;
  token: string;
  headers: { authorization: string };
}

/** A user with a session, created directly (as `minimovie sessions create` does). */
export async function createTestUser(t: TestApp, name = 'user'): Promise<TestUser> {
  const email = `${name}-${randomBytes(4).toString('hex')}@example.com`;
  const { token, userId } = await t.container.auth.operatorSessions.createSession(email, name);
  return { userId, token, headers: { authorization: `Bearer ${token}` } };
}

/** Mr. Robot in the TMDB fixtures: 4 regular seasons of 10, 12, 10 and 13 episodes. */
export const MR_ROBOT = { id: 62560, seasons: { 1: 10, 2: 12, 3: 10, 4: 13 } as Record<number, number>, episodes: 45 };
/** Frozen (102 minutes) in the TMDB fixtures. */
export const FROZEN = { id: 109445, runtime: 102 };


/** One synthetic season: episode air dates (null = no date yet) and runtimes. */
export interface SyntheticSeason {
  number: number;
  episodes: { airDate: string | null; runtime: number | null }[];
}

/** A TMDB series payload (any appends) for a synthetic series, built from the Mr. Robot fixture. */
export function syntheticSeries(id: number, seasons: SyntheticSeason[], opts: { name?: string; genres?: string[]; firstAirDate?: string } = {}, appends: readonly string[] = []) {
  const base = fixturePayload('/tv/62560');
  const seasonPayload = (s: SyntheticSeason) => ({
    _id: `s${id}-${s.number}`,
    air_date: s.episodes[0]?.airDate ?? null,
    id: id * 100 + s.number,
    name: `Season ${s.number}`,
    overview: '',
    poster_path: null,
    season_number: s.number,
    vote_average: 0,
    episodes: s.episodes.map((e, i) => ({
      air_date: e.airDate,
      episode_number: i + 1,
      episode_type: 'standard',
      id: id * 10_000 + s.number * 100 + i + 1,
      name: `S${s.number}E${i + 1}`,
      overview: '',
      production_code: '',
      runtime: e.runtime,
      season_number: s.number,
      show_id: id,
      still_path: null,
      vote_average: 0,
      vote_count: 0,
      crew: [],
      guest_stars: [],
    })),
  });
  const body: Record<string, unknown> = {
    ...base,
    id,
    name: opts.name ?? `Series ${id}`,
    first_air_date: opts.firstAirDate ?? '2020-01-01',
    genres: (opts.genres ?? ['Drama']).map((name, i) => ({ id: 1000 + i, name })),
    episode_run_time: [],
    seasons: seasons.map((s) => ({ air_date: s.episodes[0]?.airDate ?? null, episode_count: s.episodes.length, id: id * 100 + s.number, name: `Season ${s.number}`, overview: '', poster_path: null, season_number: s.number, vote_average: 0 })),
    number_of_seasons: seasons.filter((s) => s.number > 0).length,
  };
  delete body.aggregate_credits;
  delete body['watch/providers'];
  delete body.videos;
  for (const a of appends) {
    if (a === 'aggregate_credits') body[a] = { cast: [], crew: [] };
    else if (a === 'watch/providers') body[a] = { results: {} };
    else if (a === 'videos') body[a] = { results: [] };
    else if (a.startsWith('season/')) {
      const s = seasons.find((x) => `season/${x.number}` === a);
      if (s) body[a] = seasonPayload(s);
    }
  }
  return body;
}

/** Serve synthetic series and movies from the fake TMDB (ids the fixtures do not cover). */
export function serveSynthetic(
  fake: FakeTmdb,
  catalog: {
    series?: Map<number, { seasons: SyntheticSeason[]; name?: string; genres?: string[] }>;
    movies?: Map<number, { title?: string; runtime?: number | null; genres?: string[]; releaseDate?: string }>;
  },
): void {
  fake.otherwise('/tv/:id', (req) => {
    const s = catalog.series?.get(Number(req.params.id));
    return s ? { body: syntheticSeries(Number(req.params.id), s.seasons, s, req.append) } : undefined;
  });
  fake.otherwise('/movie/:id', (req) => {
    const m = catalog.movies?.get(Number(req.params.id));
    if (!m) return undefined;
    const body = syntheticMovie(Number(req.params.id), req.append);
    if (m.title !== undefined) body.title = m.title;
    if (m.runtime !== undefined) body.runtime = m.runtime;
    if (m.genres) body.genres = m.genres.map((name, i) => ({ id: 2000 + i, name }));
    if (m.releaseDate !== undefined) body.release_date = m.releaseDate;
    return { body };
  });
}

/** `n` aired episodes of `runtime` minutes, all aired in 2020. */
export const aired = (n: number, runtime = 30) => Array.from({ length: n }, (_, i) => ({ airDate: `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`, runtime }));
