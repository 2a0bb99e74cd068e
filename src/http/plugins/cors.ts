import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CorsOptions {
  /** Allowed origins (`CORS_ORIGINS`); matched exactly but case-insensitively, as in the Go service (§3.4). */
  origins: readonly string[];
  /** Methods a browser may use cross-origin. */
  methods: readonly string[];
  /** Request headers a browser may send cross-origin (case-insensitive). */
  headers: readonly string[];
  /** Response headers a page may read. */
  exposedHeaders: readonly string[];
  /** Access-Control-Max-Age of preflight answers, in seconds. */
  maxAgeSeconds: number;
}

/**
 * CORS as in §3.4, run from the app's one onRequest hook (so before auth and
 * routing decisions), with our methods and headers instead of the Go
 * service's GET-only lists:
 *
 * - a preflight (OPTIONS with `Access-Control-Request-Method`) on any path is
 *   answered here with 200 and an empty body; it carries the allow headers
 *   only when the origin is allowed, the method is allowed and every requested
 *   header is allowed (the requested method and headers are echoed back);
 * - every other response gets `Vary: Origin`, and `Access-Control-Allow-Origin`
 *   plus `Access-Control-Expose-Headers` when the origin is allowed, 401s included;
 * - an OPTIONS request that is not a preflight goes on to the router (405).
 *
 * Credentials are never allowed. Requests without an Origin header (the iOS
 * app, the server-side web app, curl) only pay for the Vary header.
 *
 * `onRequest` returns true when it answered the request (a preflight);
 * `headersFor` gives the headers of any other answer, as a flat name/value
 * list, for the server's edge path, which answers without Fastify.
 */
export interface Cors {
  onRequest(request: FastifyRequest, reply: FastifyReply): boolean;
  headersFor(origin: string | undefined): readonly string[];
}

export function createCors(opts: CorsOptions): Cors {
  const origins = new Set(opts.origins.map((o) => o.toLowerCase()));
  const methods = new Set(opts.methods.map((m) => m.toUpperCase()));
  const headers = new Set(opts.headers.map((h) => h.toLowerCase()));
  const exposed = opts.exposedHeaders.join(', ');
  const maxAge = String(opts.maxAgeSeconds);

  const allowedOrigin = (origin: string | undefined): origin is string => origin !== undefined && origins.has(origin.toLowerCase());

  function preflight(request: FastifyRequest, reply: FastifyReply, requestedMethod: string): void {
    const origin = request.headers.origin;
    void reply.header('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    const method = requestedMethod.trim().toUpperCase();
    const requestedHeaders = request.headers['access-control-request-headers'];
    const requested = typeof requestedHeaders === 'string' ? requestedHeaders.split(',').map((h) => h.trim()).filter((h) => h.length > 0) : [];
    if (allowedOrigin(origin) && methods.has(method) && requested.every((h) => headers.has(h.toLowerCase()))) {
      void reply.header('access-control-allow-origin', origin).header('access-control-allow-methods', method).header('access-control-max-age', maxAge);
      if (requested.length > 0) void reply.header('access-control-allow-headers', requested.join(', '));
    }
    void reply.code(200).send();
  }

  const VARY_ONLY = ['vary', 'Origin'];
  const headersFor = (origin: string | undefined): readonly string[] =>
    allowedOrigin(origin) ? ['vary', 'Origin', 'access-control-allow-origin', origin, 'access-control-expose-headers', exposed] : VARY_ONLY;

  return {
    onRequest(request, reply) {
      if (request.method === 'OPTIONS') {
        const requestedMethod = request.headers['access-control-request-method'];
        if (typeof requestedMethod === 'string') {
          preflight(request, reply, requestedMethod);
          return true;
        }
      }
      const headers = headersFor(request.headers.origin);
      for (let i = 0; i < headers.length; i += 2) void reply.header(headers[i]!, headers[i + 1]!);
      return false;
    },
    headersFor,
  };
}
