import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessLine } from '../../shared/logger.ts';
import { matchesIfNoneMatch, type CatalogResponder } from './catalog-response.ts';

export interface PageEdgeOptions {
  responder: Pick<CatalogResponder, 'peek'>;
  /** True when the request carries a client token that was verified before and still holds (no I/O, no throw). */
  isKnownClient(request: IncomingMessage): boolean;
  /** The request id, as Fastify's `genReqId` makes it. */
  requestId(request: IncomingMessage): string;
  /** CORS headers of a non-preflight answer for this Origin. */
  corsHeaders(origin: string | undefined): readonly string[];
  /** The access line and the request metrics, as the app's onResponse hook records them. */
  observe(line: AccessLine): void;
  /** True once the app is closing: then Fastify answers (503). */
  closing(): boolean;
  /**
   * Reports a failure of the edge (never expected). `answered` tells whether
   * the answer had been sent: if not, Fastify answers the request instead.
   * Called for the first failure and then at most once a minute, with the
   * number of failures since the last report.
   */
  onError(err: unknown, request: IncomingMessage, detail: { answered: boolean; failures: number }): void;
  now?: () => number;
}

/** At most one failure report per this long, so a lasting fault cannot flood the log. */
const REPORT_EVERY_MS = 60_000;

/**
 * The rendered-page cache, answered in front of Fastify. A GET for a page
 * rendered in the last minute, from a client whose token was already
 * verified (in the Authorization header or the `jwt` cookie, as Fastify's
 * path reads it), is written straight to Node's response: the same status,
 * headers and bytes that Fastify's path (the catalog routes' onRequest hooks)
 * would send, and the same access line and metrics, without routing or
 * building Fastify's request and reply objects. Everything else (other
 * methods, other URLs, session tokens, unknown or expired tokens, a closing
 * server) returns false and goes to Fastify, which holds the full rules; so
 * does a request the edge fails on before answering.
 *
 * The page's URL is its cache key, and it was routed and validated when the
 * page was rendered, so a cached URL always belongs to a catalog route.
 * The logged duration ends when the answer is handed to the socket (Fastify's
 * ends at the response's `finish` event, usually the same moment).
 */
export function createPageEdge(opts: PageEdgeOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  const now = opts.now ?? Date.now;
  let failures = 0;
  let lastReport = Number.NEGATIVE_INFINITY;

  function failed(err: unknown, request: IncomingMessage, answered: boolean): void {
    failures++;
    const t = now();
    if (t - lastReport < REPORT_EVERY_MS) return;
    lastReport = t;
    const detail = { answered, failures };
    failures = 0;
    try {
      opts.onError(err, request, detail);
    } catch {
      // Reporting must never take the server down: this runs in the HTTP server's request listener.
    }
  }

  return (request, response) => {
    if (request.method !== 'GET') return false;
    const url = request.url;
    if (url === undefined) return false;
    const start = performance.now();
    try {
      if (opts.closing()) return false;
      const page = opts.responder.peek(url);
      if (page === undefined || !opts.isKnownClient(request)) return false;
      const reqId = opts.requestId(request);
      const notModified = matchesIfNoneMatch(request.headers['if-none-match'], page.etag);
      const headers = ['x-request-id', reqId];
      const cors = opts.corsHeaders(request.headers.origin);
      for (let i = 0; i < cors.length; i++) headers.push(cors[i]!);
      const own = notModified ? page.notModifiedHeaders : page.okHeaders;
      for (let i = 0; i < own.length; i++) headers.push(own[i]!);
      const status = notModified ? 304 : 200;
      response.writeHead(status, headers);
      if (notModified) response.end();
      else response.end(page.body);
      opts.observe({ reqId, method: 'GET', url, route: page.route, status, ms: performance.now() - start });
      return true;
    } catch (err) {
      const answered = response.headersSent;
      failed(err, request, answered);
      if (!answered) return false;
      // Headers went out but the body may not have: the client must not mistake a cut answer for a whole one.
      if (!response.writableEnded) response.destroy();
      return true;
    }
  };
}
