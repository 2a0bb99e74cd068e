import type { Config } from '../../config/config.ts';

/** What the TMDB client needs from the configuration (`Config.tmdb`). */
export interface TmdbConfig {
  /** Unset means demo mode: the built-in catalog answers instead of TMDB. */
  readonly accessToken: string | undefined;
  /** Base URL that request paths are appended to, e.g. `https://api.themoviedb.org/3`. */
  readonly baseUrl: string;
  /** Deadline of one whole TMDB call, body included. */
  readonly timeoutMs: number;
  readonly rateLimitPerSecond: number;
  /** Size of the in-memory response cache; 0 turns it off. */
  readonly cacheBytes: number;
  /** Most people fetched for ages in one request (already normalised: never ≤ 0). */
  readonly maxFetchPerRequest: number;
}

/** Which backend the TMDB transport talks to. */
export type TmdbMode = 'live' | 'demo';

/** Pick the TMDB settings out of the application configuration. */
export function tmdbConfigFrom(config: Pick<Config, 'tmdb'>): TmdbConfig {
  const t = config.tmdb;
  return {
    accessToken: t.accessToken,
    baseUrl: t.baseUrl,
    timeoutMs: t.timeoutMs,
    rateLimitPerSecond: t.rateLimitPerSecond,
    cacheBytes: t.cacheBytes,
    maxFetchPerRequest: t.maxFetchPerRequest,
  };
}

/** Demo mode when no access token is configured. */
export function tmdbMode(config: Pick<TmdbConfig, 'accessToken'>): TmdbMode {
  return config.accessToken ? 'live' : 'demo';
}
