import {
  TmdbBadResponseError,
  TmdbNotFoundError,
  TmdbTimeoutError,
  TmdbUnavailableError,
} from '../../clients/tmdb/tmdb.client.ts';
import { AppError } from '../../shared/errors.ts';

/**
 * What a TMDB failure means for our caller. The Go service answered 500 for
 * all of these; we say what happened:
 * - TMDB 404 → 404 with the resource's own code;
 * - rate-limited, 5xx or unreachable after retries → 503 `TMDB_UNAVAILABLE` with `Retry-After`;
 * - timeout or route deadline → 504 `TMDB_TIMEOUT`;
 * - malformed body or unexpected status → 502 `TMDB_ERROR`.
 */
export function mapTmdbError(err: unknown, notFound?: { code: string; message: string }): unknown {
  if (err instanceof TmdbNotFoundError) {
    return notFound
      ? new AppError(404, notFound.code, notFound.message, undefined, { cause: err })
      : new AppError(502, 'TMDB_ERROR', 'TMDB answered 404 for a request that should exist', undefined, { cause: err });
  }
  if (err instanceof TmdbUnavailableError) {
    return new AppError(503, 'TMDB_UNAVAILABLE', 'TMDB is unavailable right now; try again shortly', undefined, {
      cause: err,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(err.retryAfterSeconds))) },
    });
  }
  if (err instanceof TmdbTimeoutError) {
    return new AppError(504, 'TMDB_TIMEOUT', 'TMDB did not answer in time', undefined, { cause: err });
  }
  if (err instanceof TmdbBadResponseError) {
    return new AppError(502, 'TMDB_ERROR', 'TMDB sent a response we could not use', undefined, { cause: err });
  }
  return err;
}

/** Run a TMDB-backed step and translate its failure. */
export async function tmdbStep<T>(fn: () => Promise<T>, notFound?: { code: string; message: string }): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapTmdbError(err, notFound);
  }
}
