import { Agent, request } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { buildTmdbQuery } from './tmdb-query.ts';
import { TmdbTransportError, type TmdbRequest, type TmdbResponse, type TmdbTransport } from './tmdb.transport.ts';

/** Settings of the live transport. */
export interface HttpTransportOptions {
  /** e.g. `https://api.themoviedb.org/3`; paths are appended as they are. */
  baseUrl: string;
  /** TMDB v4 read access token, sent as `Authorization: Bearer`. */
  accessToken: string;
  /** Whole-call deadline (connect, headers and body). */
  timeoutMs: number;
  /** Most open sockets to TMDB; unlimited when unset. */
  connections?: number;
}

/** TMDB over HTTP with a keep-alive connection pool (undici). */
export function createHttpTransport(options: HttpTransportOptions): TmdbTransport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connections: options.connections ?? null,
  });
  const headers = { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' };
  let closed: Promise<void> | undefined;

  return {
    mode: 'live',
    async request(req: TmdbRequest): Promise<TmdbResponse> {
      const qs = buildTmdbQuery(req.query);
      const url = `${base}${req.path}${qs ? `?${qs}` : ''}`;
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
      try {
        const res = await request(url, { method: 'GET', headers, dispatcher: agent, signal });
        const body = await res.body.text();
        return { status: res.statusCode, headers: flattenHeaders(res.headers), body };
      } catch (err) {
        if (req.signal?.aborted) throw new TmdbTransportError('aborted', `TMDB call aborted: GET ${req.path}`, { cause: err });
        if (deadline.aborted) {
          throw new TmdbTransportError('timeout', `TMDB call timed out after ${options.timeoutMs} ms: GET ${req.path}`, { cause: err });
        }
        const detail = err instanceof Error ? err.message : String(err);
        throw new TmdbTransportError('network', `TMDB call failed: GET ${req.path}: ${detail}`, { cause: err });
      }
    },
    close() {
      closed ??= agent.close();
      return closed;
    },
  };
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
