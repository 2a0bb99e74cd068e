import type { TmdbMode } from './tmdb.config.ts';
import type {
  TmdbCollection,
  TmdbEpisodeDetails,
  TmdbMovieDetails,
  TmdbPersonChangesResponse,
  TmdbPersonDetails,
  TmdbSearchMovieResponse,
  TmdbSearchMultiResponse,
  TmdbSearchPersonResponse,
  TmdbSearchTvResponse,
  TmdbSeasonAggregateCreditsResponse,
  TmdbSeasonDetails,
  TmdbTvSeriesDetails,
  TmdbTvSeriesWithSeasons,
} from './tmdb.types.ts';

/** How a result was served: from a fresh cache entry, from TMDB, or from a stale entry (revalidating, or because TMDB failed). */
export type CacheStatus = 'HIT' | 'MISS' | 'STALE';

export interface TmdbResult<T> {
  /** Shared with the cache: treat as read-only. */
  data: T;
  cache: CacheStatus;
}

export interface TmdbCallOptions {
  /** Aborts the call (the route deadline). */
  signal?: AbortSignal;
  /** Epoch ms after which no retry or wait may start (the route deadline). */
  deadline?: number;
  /** TMDB `language`, e.g. `en-US` (part of the cache key). */
  language?: string;
  /** Skip the cache read (still writes). */
  bypassCache?: boolean;
}

export type TmdbSearchKind = 'multi' | 'movie' | 'tv' | 'person';

export interface TmdbSearchResponses {
  multi: TmdbSearchMultiResponse;
  movie: TmdbSearchMovieResponse;
  tv: TmdbSearchTvResponse;
  person: TmdbSearchPersonResponse;
}

/**
 * Every TMDB call MiniMovie makes, through one client with pooling, timeouts,
 * retries, a rate limit, request coalescing and a response cache.
 * Failures are thrown as the typed errors below.
 */
export interface TmdbClient {
  readonly mode: TmdbMode;
  /** `/movie/{id}?append_to_response=credits,watch/providers,videos`. */
  movie(id: number, opts?: TmdbCallOptions): Promise<TmdbResult<TmdbMovieDetails>>;
  collection(id: number, opts?: TmdbCallOptions): Promise<TmdbResult<TmdbCollection>>;
  /** `/tv/{id}?append_to_response=aggregate_credits,watch/providers,videos`. */
  tv(id: number, opts?: TmdbCallOptions): Promise<TmdbResult<TmdbTvSeriesDetails>>;
  /** `/tv/{id}?append_to_response=[aggregate_credits,]season/a,...` (at most 20 appends). */
  tvWithSeasons(
    id: number,
    seasons: readonly number[],
    withAggregateCredits: boolean,
    opts?: TmdbCallOptions,
  ): Promise<TmdbResult<TmdbTvSeriesWithSeasons>>;
  /** `/tv/{id}/season/{n}?append_to_response=watch/providers,aggregate_credits`. */
  season(seriesId: number, seasonNumber: number, opts?: TmdbCallOptions): Promise<TmdbResult<TmdbSeasonDetails>>;
  seasonAggregateCredits(seriesId: number, seasonNumber: number, opts?: TmdbCallOptions): Promise<TmdbResult<TmdbSeasonAggregateCreditsResponse>>;
  /** `/tv/{id}/season/{n}/episode/{e}?append_to_response=credits`. */
  episode(seriesId: number, seasonNumber: number, episodeNumber: number, opts?: TmdbCallOptions): Promise<TmdbResult<TmdbEpisodeDetails>>;
  /** `/person/{id}?append_to_response=combined_credits`. */
  person(id: number, opts?: TmdbCallOptions): Promise<TmdbResult<TmdbPersonDetails>>;
  /** `/search/{kind}?query=&page=` (`region` only for movie search). */
  search<K extends TmdbSearchKind>(
    kind: K,
    query: string,
    page: number,
    opts?: TmdbCallOptions & { region?: string },
  ): Promise<TmdbResult<TmdbSearchResponses[K]>>;
  /** `/person/changes?start_date=&end_date=&page=`; never cached. */
  personChanges(startDate: string, endDate: string, page: number, opts?: TmdbCallOptions): Promise<TmdbResult<TmdbPersonChangesResponse>>;
  /** Release connections and timers. */
  close(): Promise<void>;
}

/** Base of every TMDB failure. `endpoint` is the metric label (`movie`, `tv`, `search_multi`, ...). */
export class TmdbError extends Error {
  constructor(
    message: string,
    readonly endpoint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** TMDB answered 404. */
export class TmdbNotFoundError extends TmdbError {}

/** TMDB cannot serve us now: 429 after retries, 5xx after retries, or unreachable. */
export class TmdbUnavailableError extends TmdbError {
  constructor(
    message: string,
    endpoint: string,
    readonly reason: 'rate_limited' | 'server_error' | 'network',
    /** Seconds the caller should wait, from TMDB's `Retry-After` when it sent one. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, endpoint, options);
  }
}

/** The call (with its retries) did not finish within the timeout or the route deadline. */
export class TmdbTimeoutError extends TmdbError {}

/** TMDB answered something we cannot use: a malformed body or an unexpected status (401, 400, ...). */
export class TmdbBadResponseError extends TmdbError {
  constructor(
    message: string,
    endpoint: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, endpoint, options);
  }
}
