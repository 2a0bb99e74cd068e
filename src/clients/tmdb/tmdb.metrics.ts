/** Outcome label of one HTTP call to TMDB (the Go service's `tmdb_requests_total{status}`). */
export type TmdbRequestStatus = 'success' | 'not_found' | 'rate_limited' | 'error';

/** One HTTP attempt to TMDB: retries are separate events. `statusCode` is 0 when no answer arrived. */
export interface TmdbRequestEvent {
  /** `movie`, `tv`, `person`, `collection` or `search_<kind>`. */
  endpoint: string;
  status: TmdbRequestStatus;
  statusCode: number;
  durationSeconds: number;
}

/** What happened to one cache lookup (`hit`, `miss`, `stale`) or store (`write`). */
export type CacheOperation = 'hit' | 'miss' | 'stale' | 'write';

export interface CacheEvent {
  store: 'tmdb';
  operation: CacheOperation;
}

/**
 * Hooks the TMDB client calls synchronously on its hot path; implementations must be
 * cheap and must not throw (the metrics layer maps them to counters and histograms).
 */
export interface TmdbMetrics {
  tmdbRequest(event: TmdbRequestEvent): void;
  cacheEvent(event: CacheEvent): void;
}

/** Metrics that record nothing, used when none are passed. */
export const noopTmdbMetrics: TmdbMetrics = {
  tmdbRequest: () => undefined,
  cacheEvent: () => undefined,
};
