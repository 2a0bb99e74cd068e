import type { TmdbMode } from './tmdb.config.ts';

/** One GET to TMDB. `path` starts with `/` and excludes the query; `query` holds unescaped values. */
export interface TmdbRequest {
  path: string;
  query: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/** The raw answer: any status (404, 429 and 5xx are answers, not errors), lower-case header names, the body as text. */
export interface TmdbResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The seam between the TMDB client and the network. It resolves for every HTTP answer and
 * rejects only with `TmdbTransportError` (timeout, abort, network failure).
 */
export interface TmdbTransport {
  readonly mode: TmdbMode;
  request(req: TmdbRequest): Promise<TmdbResponse>;
  /** Release pooled connections. Idempotent. */
  close(): Promise<void>;
}

/** Why no HTTP answer arrived. */
export type TmdbTransportFailure = 'timeout' | 'aborted' | 'network';

/** No HTTP answer arrived: the call timed out, the caller aborted it, or the connection failed. */
export class TmdbTransportError extends Error {
  constructor(
    readonly reason: TmdbTransportFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TmdbTransportError';
  }
}
