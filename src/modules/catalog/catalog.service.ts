import type { CacheStatus, TmdbCallOptions, TmdbClient, TmdbResult } from '../../clients/tmdb/tmdb.client.ts';
import type { TmdbSeason, TmdbTvSeriesWithSeasons } from '../../clients/tmdb/tmdb.types.ts';
import { utcDate, type Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { tmdbStep } from './catalog.errors.ts';
import {
  toCollectionInfo,
  toEpisode,
  toMovie,
  toPerson,
  toSearchResponse,
  toSeason,
  toSeries,
  type Episode,
  type Movie,
  type Person,
  type SearchResponse,
  type Season,
  type Series,
} from './catalog.mappers.ts';
import type { CreditPerson, Credits } from './credits.rules.ts';
import { IMAGE_SIZES, imageUrl } from './images.ts';
import { personSeasons, type PersonSeason } from './person-series.rules.ts';
import type { SeasonCastCache, SeasonCastMap } from './season-cast.cache.ts';

/** Per-request context: language/region and the route deadline. */
export interface CatalogContext {
  language: string;
  region: string;
  signal?: AbortSignal;
  /** Epoch ms. */
  deadline?: number;
  /** Set by the ages module when some people still lack ages (they are being fetched in the background). */
  agesIncomplete?: boolean;
}

/** A catalog page and how its TMDB data was served (for `X-Cache`). */
export interface Served<T> {
  body: T;
  cache: CacheStatus;
  /** False when the page should not be reused as is (ages still being filled in). */
  complete?: boolean;
}

/** The dates ages are computed against (§6.5). `end` differs from `start` only for series. */
export interface AgeDates {
  start: string;
  end: string;
}

/**
 * Fills in the age fields of credit persons (the Ages module). The catalog
 * works without one; then people simply carry no ages.
 */
export interface CreditAges {
  applyToCredits(groups: { credits: Credits; extra?: CreditPerson[][] }, dates: AgeDates, ctx: CatalogContext): Promise<void>;
  applyToSearch(results: SearchResponse['results'], ctx: CatalogContext): Promise<void>;
}

export type SearchType = 'all' | 'movie' | 'series' | 'person';

export interface PersonSeriesCredits {
  person: { id: number; name: string; photoPath?: string; photoUrl: string };
  series: { id: number; name: string; posterPath?: string; posterUrl: string };
  totalEpisodeCount: number;
  roles: { character: string }[];
  seasons: PersonSeason[];
}

export interface CatalogService {
  search(q: string, page: number, type: SearchType, ctx: CatalogContext): Promise<Served<SearchResponse>>;
  movie(id: number, ctx: CatalogContext): Promise<Served<Movie>>;
  series(id: number, ctx: CatalogContext): Promise<Served<Series>>;
  season(seriesId: number, seasonNumber: number, ctx: CatalogContext): Promise<Served<Season>>;
  episode(seriesId: number, seasonNumber: number, episodeNumber: number, ctx: CatalogContext): Promise<Served<Episode>>;
  personInSeries(seriesId: number, personId: number, ctx: CatalogContext): Promise<Served<PersonSeriesCredits>>;
  person(id: number, ctx: CatalogContext): Promise<Served<Person>>;
}

export interface CatalogDeps {
  tmdb: TmdbClient;
  seasonCast: SeasonCastCache;
  clock: Clock;
  logger: Logger;
  ages?: CreditAges;
}

/** The worst of several cache statuses: any STALE part makes the page STALE, else any MISS makes it MISS. */
export function combineCache(...statuses: CacheStatus[]): CacheStatus {
  if (statuses.includes('STALE')) return 'STALE';
  if (statuses.includes('MISS')) return 'MISS';
  return 'HIT';
}

const SEARCH_KINDS = { all: 'multi', movie: 'movie', series: 'tv', person: 'person' } as const;
const FIRST_BATCH = 19;
const BATCH = 20;
const ENDED_TTL_MS = 180 * 24 * 60 * 60 * 1000;
const RUNNING_TTL_MS = 24 * 60 * 60 * 1000;

/** The catalog pages: one method per route, mapping TMDB data to the API shapes. */
export function createCatalogService(deps: CatalogDeps): CatalogService {
  const { tmdb, clock, logger } = deps;
  const opts = (ctx: CatalogContext): TmdbCallOptions => ({
    language: ctx.language,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.deadline !== undefined ? { deadline: ctx.deadline } : {}),
  });

  async function applyAges(credits: Credits, dates: AgeDates, ctx: CatalogContext, extra?: CreditPerson[][]): Promise<void> {
    if (!deps.ages) return;
    await deps.ages.applyToCredits(extra ? { credits, extra } : { credits }, dates, ctx);
  }

  /** The series with seasons 1..N appended, fetched in batches of 20 appends (TMDB's limit). */
  async function seriesWithSeasons(seriesId: number, ctx: CatalogContext) {
    const first = await tmdbStep(
      () => tmdb.tvWithSeasons(seriesId, range(1, FIRST_BATCH), true, opts(ctx)),
      { code: 'SERIES_NOT_FOUND', message: 'Series not found' },
    );
    const total = first.data.number_of_seasons ?? 0;
    const seasons = new Map<number, TmdbSeason>();
    collectSeasons(first.data, seasons);
    const statuses: CacheStatus[] = [first.cache];
    const batches: number[][] = [];
    for (let start = FIRST_BATCH + 1; start <= total; start += BATCH) batches.push(range(start, Math.min(total, start + BATCH - 1)));
    const results = await Promise.allSettled(batches.map((b) => tmdb.tvWithSeasons(seriesId, b, false, opts(ctx))));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        collectSeasons(r.value.data, seasons);
        statuses.push(r.value.cache);
      } else {
        logger.warn({ err: r.reason, seriesId, seasons: batches[i] }, 'season batch fetch failed; those seasons are left out');
      }
    });
    return { series: first.data, seasons, cache: combineCache(...statuses) };
  }

  /** Season cast maps for every fetched regular season: cache first, misses fetched in parallel. */
  async function seasonCastMaps(seriesId: number, series: TmdbTvSeriesWithSeasons, seasons: Map<number, TmdbSeason>, ctx: CatalogContext) {
    const total = series.number_of_seasons ?? 0;
    const wanted = [...seasons.keys()].filter((n) => n >= 1 && n <= total).sort((a, b) => a - b);
    const maps = new Map<number, SeasonCastMap>();
    const cached = await Promise.all(wanted.map((n) => deps.seasonCast.get(seriesId, n)));
    const misses: number[] = [];
    wanted.forEach((n, i) => {
      const hit = cached[i];
      if (hit) maps.set(n, hit);
      else misses.push(n);
    });
    const ended = series.status === 'Ended' || series.status === 'Canceled';
    const statuses: CacheStatus[] = [];
    await Promise.all(
      misses.map(async (n) => {
        try {
          const res = await tmdb.seasonAggregateCredits(seriesId, n, opts(ctx));
          statuses.push(res.cache);
          const map = new Map((res.data.cast ?? []).map((c) => [c.id, c.total_episode_count ?? 0] as const));
          maps.set(n, map);
          await deps.seasonCast.set(seriesId, n, map, ended || n < total ? ENDED_TTL_MS : RUNNING_TTL_MS);
        } catch (err) {
          logger.warn({ err, seriesId, season: n }, 'season cast fetch failed; counting 0 episodes');
        }
      }),
    );
    return { maps, cache: combineCache(...statuses) };
  }

  return {
    async search(q, page, type, ctx) {
      const kind = SEARCH_KINDS[type];
      const res: TmdbResult<Parameters<typeof toSearchResponse>[0]> = await tmdbStep(() =>
        tmdb.search(kind, q, page, { ...opts(ctx), region: ctx.region }),
      );
      const body = toSearchResponse(res.data, kind === 'multi' ? undefined : kind);
      if (deps.ages) await deps.ages.applyToSearch(body.results, ctx);
      return { body, cache: res.cache };
    },

    async movie(id, ctx) {
      const res = await tmdbStep(() => tmdb.movie(id, opts(ctx)), { code: 'MOVIE_NOT_FOUND', message: 'Movie not found' });
      const movie = toMovie(res.data, ctx.region);
      const collectionRef = res.data.belongs_to_collection;
      // The collection and the ages need only the movie, so they run side by side.
      const [collection] = await Promise.all([
        collectionRef
          ? tmdb.collection(collectionRef.id, opts(ctx)).catch((err: unknown) => {
              logger.warn({ err, movieId: id, collectionId: collectionRef.id }, 'collection fetch failed; collectionInfo left out');
              return undefined;
            })
          : undefined,
        applyAges(movie.credits, { start: movie.releaseDate, end: movie.releaseDate }, ctx),
      ]);
      if (collection) movie.collectionInfo = toCollectionInfo(collection.data);
      return { body: movie, cache: combineCache(res.cache, ...(collection ? [collection.cache] : [])) };
    },

    async series(id, ctx) {
      const res = await tmdbStep(() => tmdb.tv(id, opts(ctx)), { code: 'SERIES_NOT_FOUND', message: 'Series not found' });
      const series = toSeries(res.data, ctx.region);
      await applyAges(series.credits, { start: series.firstAirDate, end: series.lastAirDate }, ctx);
      return { body: series, cache: res.cache };
    },

    async season(seriesId, seasonNumber, ctx) {
      const res = await tmdbStep(() => tmdb.season(seriesId, seasonNumber, opts(ctx)), {
        code: 'SEASON_NOT_FOUND',
        message: 'Season not found',
      });
      const season = toSeason(res.data, ctx.region);
      await applyAges(season.credits, { start: season.airDate, end: season.airDate }, ctx);
      return { body: season, cache: res.cache };
    },

    async episode(seriesId, seasonNumber, episodeNumber, ctx) {
      const res = await tmdbStep(() => tmdb.episode(seriesId, seasonNumber, episodeNumber, opts(ctx)), {
        code: 'EPISODE_NOT_FOUND',
        message: 'Episode not found',
      });
      const episode = toEpisode(res.data);
      await applyAges(episode.credits, { start: episode.airDate, end: episode.airDate }, ctx, [episode.guestStars]);
      return { body: episode, cache: res.cache };
    },

    async personInSeries(seriesId, personId, ctx) {
      const { series, seasons, cache } = await seriesWithSeasons(seriesId, ctx);
      const member = (series.aggregate_credits?.cast ?? []).find((c) => c.id === personId);
      if (!member) throw new AppError(404, 'PERSON_NOT_IN_SERIES', 'Person not found in series credits');
      const { maps, cache: castCache } = await seasonCastMaps(seriesId, series, seasons, ctx);
      const person: PersonSeriesCredits['person'] = { id: member.id, name: member.name ?? '', photoUrl: imageUrl(member.profile_path, IMAGE_SIZES.photo) };
      if (member.profile_path) person.photoPath = member.profile_path;
      const seriesRef: PersonSeriesCredits['series'] = { id: series.id, name: series.name ?? '', posterUrl: imageUrl(series.poster_path, IMAGE_SIZES.poster) };
      if (series.poster_path) seriesRef.posterPath = series.poster_path;
      return {
        body: {
          person,
          series: seriesRef,
          totalEpisodeCount: member.total_episode_count ?? 0,
          roles: (member.roles ?? []).map((r) => ({ character: r.character ?? '' })),
          seasons: personSeasons(personId, seasons, maps, series.number_of_seasons ?? 0, (p) => imageUrl(p, IMAGE_SIZES.still)),
        },
        cache: combineCache(cache, castCache),
      };
    },

    async person(id, ctx) {
      const res = await tmdbStep(() => tmdb.person(id, opts(ctx)), { code: 'PERSON_NOT_FOUND', message: 'Person not found' });
      return { body: toPerson(res.data, utcDate(clock.now())), cache: res.cache };
    },
  };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

function collectSeasons(data: TmdbTvSeriesWithSeasons, into: Map<number, TmdbSeason>): void {
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith('season/') || !value || typeof value !== 'object') continue;
    const season = value as TmdbSeason;
    if (typeof season.season_number === 'number' && Array.isArray(season.episodes)) into.set(season.season_number, season);
  }
}
