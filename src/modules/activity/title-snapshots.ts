import { TmdbNotFoundError, type TmdbClient } from '../../clients/tmdb/tmdb.client.ts';
import type { TmdbSeason, TmdbTvSeries } from '../../clients/tmdb/tmdb.types.ts';
import type { EpisodeRef } from '../../data/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { utcDate } from '../../shared/clock.ts';
import { mapTmdbError } from '../catalog/catalog.errors.ts';
import { activityErrors } from './activity.errors.ts';

export interface TitleSnapshot {
  title: string;
  posterPath: string | null;
  releaseDate: string | null;
}

/** Everything a watch event stores about its title, resolved from TMDB once. */
export interface EventSnapshot {
  title: string;
  episodeTitle: string | null;
  posterPath: string | null;
  releaseYear: number | null;
  runtimeMinutes: number;
  itemCount: number;
  genres: string[];
  episodes: EpisodeRef[];
  /** Aired regular-season episodes of the series (null for movies). */
  seriesAired: EpisodeRef[] | null;
}

export type EventTarget =
  | { type: 'movie'; tmdbId: number }
  | { type: 'series'; tmdbId: number }
  | { type: 'season'; tmdbId: number; seasonNumber: number }
  | { type: 'episode'; tmdbId: number; seasonNumber: number; episodeNumber: number };

export interface TitleSnapshots {
  /** Title, poster and release date of a movie or series (the watchlist). */
  title(mediaType: 'movie' | 'series', tmdbId: number): Promise<TitleSnapshot>;
  /** The snapshot of a watch event. Unknown titles, seasons and episodes are 422s. */
  event(target: EventTarget): Promise<EventSnapshot>;
  /** The aired regular-season episodes of a series, for progress without history. */
  seriesAired(tmdbId: number): Promise<EpisodeRef[]>;
}

/** TMDB appends at most 20 sub-requests per call. */
const MAX_APPENDS = 20;

const yearOf = (date: string | null | undefined) => {
  const y = date ? Number(date.slice(0, 4)) : Number.NaN;
  return Number.isInteger(y) && y > 0 ? y : null;
};

/** Resolve title snapshots through the shared TMDB client (cached, rate-limited, with retries). */
export function createTitleSnapshots(deps: { tmdb: TmdbClient; clock: Clock }): TitleSnapshots {
  const { tmdb, clock } = deps;

  async function call<T>(kind: string, id: number, fn: () => Promise<{ data: T }>): Promise<T> {
    try {
      return (await fn()).data;
    } catch (err) {
      if (err instanceof TmdbNotFoundError) throw activityErrors.titleNotFound(kind, id);
      throw mapTmdbError(err);
    }
  }

  /** The series with the requested seasons' episode lists; seasons TMDB does not have are missing from the map. */
  async function seriesWithSeasons(tmdbId: number, extraSeason?: number): Promise<{ series: TmdbTvSeries; seasons: Map<number, TmdbSeason> }> {
    const series = await call('series', tmdbId, () => tmdb.tv(tmdbId));
    const wanted = new Set(series.seasons.map((s) => s.season_number).filter((n) => n >= 1));
    if (extraSeason !== undefined) wanted.add(extraSeason);
    const numbers = [...wanted].sort((a, b) => a - b);
    const seasons = new Map<number, TmdbSeason>();
    for (let i = 0; i < numbers.length; i += MAX_APPENDS) {
      const chunk = numbers.slice(i, i + MAX_APPENDS);
      const data = await call('series', tmdbId, () => tmdb.tvWithSeasons(tmdbId, chunk, false));
      for (const n of chunk) {
        const season = data[`season/${n}`];
        if (season && Array.isArray(season.episodes)) seasons.set(n, season);
      }
    }
    return { series, seasons };
  }

  function fallbackRuntime(series: TmdbTvSeries): number {
    return series.episode_run_time?.find((m) => Number.isFinite(m) && m > 0) ?? 0;
  }

  /** An episode is aired when TMDB has an air date that is today (UTC) or earlier. */
  function airedOf(series: TmdbTvSeries, season: TmdbSeason, today: string): EpisodeRef[] {
    const fallback = fallbackRuntime(series);
    return season.episodes
      .filter((e) => e.air_date !== null && e.air_date !== '' && e.air_date <= today)
      .map((e): EpisodeRef => [season.season_number, e.episode_number, e.runtime ?? fallback])
      .sort((a, b) => a[1] - b[1]);
  }

  function allAired(series: TmdbTvSeries, seasons: Map<number, TmdbSeason>, today: string): EpisodeRef[] {
    return [...seasons.entries()]
      .filter(([n]) => n >= 1)
      .sort(([a], [b]) => a - b)
      .flatMap(([, s]) => airedOf(series, s, today));
  }

  return {
    async title(mediaType, tmdbId) {
      if (mediaType === 'movie') {
        const m = await call('movie', tmdbId, () => tmdb.movie(tmdbId));
        return { title: m.title, posterPath: m.poster_path, releaseDate: m.release_date || null };
      }
      const s = await call('series', tmdbId, () => tmdb.tv(tmdbId));
      return { title: s.name, posterPath: s.poster_path, releaseDate: s.first_air_date || null };
    },

    async event(target) {
      if (target.type === 'movie') {
        const m = await call('movie', target.tmdbId, () => tmdb.movie(target.tmdbId));
        return {
          title: m.title,
          episodeTitle: null,
          posterPath: m.poster_path,
          releaseYear: yearOf(m.release_date),
          runtimeMinutes: m.runtime ?? 0,
          itemCount: 1,
          genres: (m.genres ?? []).map((g) => g.name),
          episodes: [],
          seriesAired: null,
        };
      }
      const today = utcDate(clock.now());
      const extra = target.type === 'series' ? undefined : target.seasonNumber;
      const { series, seasons } = await seriesWithSeasons(target.tmdbId, extra);
      const seriesAired = allAired(series, seasons, today);
      const base = {
        title: series.name,
        posterPath: series.poster_path,
        releaseYear: yearOf(series.first_air_date),
        genres: (series.genres ?? []).map((g) => g.name),
        seriesAired,
      };
      const sum = (eps: EpisodeRef[]) => eps.reduce((n, e) => n + e[2], 0);
      if (target.type === 'series') {
        return { ...base, episodeTitle: null, runtimeMinutes: sum(seriesAired), itemCount: seriesAired.length, episodes: seriesAired };
      }
      const season = seasons.get(target.seasonNumber);
      if (!season) throw activityErrors.seasonNotFound(target.seasonNumber);
      if (target.type === 'season') {
        const covered = airedOf(series, season, today);
        return { ...base, episodeTitle: null, runtimeMinutes: sum(covered), itemCount: covered.length, episodes: covered };
      }
      const episode = season.episodes.find((e) => e.episode_number === target.episodeNumber);
      if (!episode) throw activityErrors.episodeNotFound(target.seasonNumber, target.episodeNumber);
      const runtime = episode.runtime ?? fallbackRuntime(series);
      return { ...base, episodeTitle: episode.name, runtimeMinutes: runtime, itemCount: 1, episodes: [[target.seasonNumber, target.episodeNumber, runtime]] };
    },

    async seriesAired(tmdbId) {
      const { series, seasons } = await seriesWithSeasons(tmdbId);
      return allAired(series, seasons, utcDate(clock.now()));
    },
  };
}
