import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import scalar from '@scalar/fastify-api-reference';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyRequest, type FastifyInstance, type RawServerDefault } from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Container } from '../container.ts';
import { nowMs } from '../shared/clock.ts';
import { AppError, errorBody } from '../shared/errors.ts';
import { createAccessLogWriter, redactUrl, withLazyRequestLoggers } from '../shared/logger.ts';
import type { HttpRouteSeries, Metrics } from '../clients/telemetry/metrics.ts';
import { createCors } from './plugins/cors.ts';
import { authPlugin, noStoreIfPrivate, readBearerToken } from './plugins/auth.plugin.ts';
import { registerErrorHandling, sendError } from './plugins/errors.plugin.ts';
import { createCatalogResponder } from './plugins/catalog-response.ts';
import { buildOrderedSerializer } from './plugins/ordered-serializer.ts';
import { createPageEdge } from './plugins/page-edge.ts';
import { buildSplitValidator } from './plugins/validators.ts';
import { catalogRoutes } from './routes/catalog.routes.ts';
import { interestingRoutes } from './routes/interesting.routes.ts';
import { accountRoutes } from './routes/auth.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { meRoutes } from './routes/me.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import { activitySchemas } from './schemas/activity.schemas.ts';
import { catalogSchemas } from './schemas/catalog.schemas.ts';
import { ErrorSchema } from './schemas/common.schemas.ts';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export const BODY_LIMIT_BYTES = 64 * 1024;
/** How long a rendered catalog page is reused before it is rebuilt from the TMDB cache. */
export const RENDERED_PAGE_TTL_MS = 60_000;
/** Incoming request ids are reused only when they look like ids, never echoing arbitrary text. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request ids we make: a random per-process prefix and a counter
 * (`3f9c0a7d12be-1a`), unique across instances and restarts, and several
 * times cheaper than a random UUID per request.
 */
const REQUEST_ID_PREFIX = `${randomBytes(6).toString('hex')}-`;
let requestCounter = 0;
function nextRequestId(): string {
  return REQUEST_ID_PREFIX + (++requestCounter).toString(36);
}

/** The request's id: the caller's `X-Request-Id` when it looks like an id, else a new one. */
function requestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : nextRequestId();
}

export interface BuildAppOptions {
  /** Let every request through the rate limiter (the hostile-input tests need to reach the handlers). */
  disableRateLimit?: boolean;
}

/** Build the HTTP application on a container. Does not listen. */
export async function buildApp(container: Container, opts: BuildAppOptions = {}): Promise<App> {
  const { config } = container;
  // Typed as Fastify's logger so the instance type stays the default one that plugins expect.
  const logger: FastifyBaseLogger = withLazyRequestLoggers(container.logger);
  // A hop count becomes a function: Fastify's types accept no number here (it would trust the n nearest hops).
  const hops = config.trustProxy;
  const trustProxy: boolean | string[] | ((address: string, hop: number) => boolean) =
    hops === false ? false : typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : [...hops];

  // CORS (§3.4) answers preflights on any path before anything else runs.
  const cors = createCors({
    origins: config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    headers: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'MM-Cache-Bypass', 'Accept'],
    exposedHeaders: ['ETag', 'X-Cache', 'X-Request-Id', 'Retry-After'],
    maxAgeSeconds: 300,
  });
  // One access-log line per request (instead of Fastify's two) and the request metrics.
  const accessLog = createAccessLogWriter(container.logger);
  const telemetry = createRouteTelemetry(container.metrics);
  const observe = (route: RouteTelemetry, reqId: string, method: string, url: string, status: number, ms: number) => {
    route.series(method).record(status, ms / 1000);
    accessLog.write({ reqId, method, url: redactUrl(url.length > 300 ? `${url.slice(0, 300)}...` : url), route: route.route, status, ms });
  };
  const responder = createCatalogResponder({
    cacheMaxAge: config.cacheMaxAge,
    cacheBytes: Math.min(64 * 1024 * 1024, Math.floor(config.tmdb.cacheBytes / 4)),
    ttlMs: RENDERED_PAGE_TTL_MS,
    // The same clock as the ages and the TMDB cache, so a page never outlives the date its ages were computed for.
    now: () => nowMs(container.clock),
  });
  let closing = false;
  // Warm catalog pages are answered in front of Fastify (see page-edge.ts); anything else goes to Fastify's handler.
  const pageEdge = createPageEdge({
    responder,
    isKnownClient: (request) => container.clientTokens.isKnownValid(readBearerToken(request)),
    requestId,
    corsHeaders: (origin) => cors.headersFor(origin),
    observe: (line) => observe(telemetry.ofRoute(line.route), line.reqId, line.method, line.url, line.status, line.ms),
    closing: () => closing,
    onError: (err, request, detail) =>
      container.logger.error({ err, url: redactUrl(request.url ?? ''), ...detail }, detail.answered ? 'answering a cached page failed midway' : 'the page edge failed; Fastify answered instead'),
  });

  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    requestIdHeader: false,
    genReqId: requestId,
    serverFactory: (handler, options) => {
      const listener = (request: IncomingMessage, response: ServerResponse) => {
        if (!pageEdge(request, response)) handler(request, response);
      };
      const http = options.http;
      const server = typeof http === 'object' && http !== null ? createServer(http, listener) : createServer(listener);
      // What Fastify sets on the server it makes itself (lib/server.js; the options carry its defaults).
      const ms = (name: string, fallback: number) => (typeof options[name] === 'number' ? options[name] : fallback);
      server.keepAliveTimeout = ms('keepAliveTimeout', 72_000);
      server.requestTimeout = ms('requestTimeout', 0);
      server.setTimeout(ms('connectionTimeout', 0));
      const perSocket = ms('maxRequestsPerSocket', 0);
      if (perSocket > 0) server.maxRequestsPerSocket = perSocket;
      return server;
    },
    bodyLimit: BODY_LIMIT_BYTES,
    schemaController: { compilersFactory: { buildSerializer: buildOrderedSerializer, buildValidator: buildSplitValidator } },
    trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    // Bad percent-encoding and over-long path parameters are answered by the router itself; route them through our error shape.
    frameworkErrors: (error, request, reply) => {
      void sendError(error, request, noStoreIfPrivate(request.url, reply.header('x-request-id', request.id)));
    },
    ajv: { customOptions: { keywords: ['x-error-code', 'x-error-message'], allErrors: false, coerceTypes: 'array', removeAdditional: false } },
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => {
      // Malformed HTTP (oversized headers, bad request lines) never reaches a route; answer it in the house shape anyway.
      if (!socket.writable) return;
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const status = tooLarge ? 431 : 400;
      const body = JSON.stringify(
        tooLarge
          ? errorBody(431, 'HEADERS_TOO_LARGE', 'Request headers are too large')
          : errorBody(400, 'MALFORMED_REQUEST', 'The HTTP request is malformed'),
      );
      socket.end(
        `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorSchema);
  for (const schema of catalogSchemas) app.addSchema(schema);
  for (const schema of activitySchemas) app.addSchema(schema);
  registerErrorHandling(app);

  // One callback-style hook on each end of a request: no promise, and as little work as possible on the hot path.
  // Warm pages answered by the page edge never pass Fastify's hooks: a header or a check added to every answer
  // here must be added to the edge too (test/http/page-edge.test.ts compares the two paths).
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (!cors.onRequest(request, reply)) done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    observe(telemetry.ofRequest(request), request.id, request.method, request.url, reply.statusCode, reply.elapsedTime);
    done();
  });
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onClose', (_app, done) => {
    accessLog.close();
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MiniMovie API',
        version: '1.0.0',
        description:
          'Movies, series, seasons, episodes and people from TMDB, with the age of every cast and crew member at release and today, plus a personal layer (watchlist, history, stats, achievements).\n\n' +
          'Errors always use the `Error` body: `{ error, message, code, details? }`. `code` is stable.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          clientToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 client token signed with MINI_MOVIE_UI_SECRET (`minimovie token`). Also accepted as the `jwt` cookie.' },
          session: { type: 'http', scheme: 'bearer', description: 'Session token from `POST /auth/token` or `/auth/{provider}/native` (opaque, `mms_…`). Only in the Authorization header.' },
        },
      },
      tags: [
        { name: 'health', description: 'Liveness, readiness and ping' },
        { name: 'auth', description: 'Sign in with Google and Apple, sessions, Apple server notifications' },
        { name: 'me', description: "The signed-in user's account" },
        { name: 'catalog', description: 'Movies, series, seasons, episodes, people and search' },
        { name: 'interesting', description: 'LLM facts about people (needs ANTHROPIC_API_KEY)' },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });

  const { sessions } = container.auth;
  await app.register(authPlugin, {
    clientTokens: container.clientTokens,
    sessions: {
      authenticate: async (token) => {
        const s = await sessions.authenticate(token);
        return s ? { kind: 'user' as const, userId: s.userId, sessionId: s.sessionId } : null;
      },
    },
  });
  if (!opts.disableRateLimit) {
    // Only routes that ask for it are limited (the /auth/* routes); the key is the client IP, which honours TRUST_PROXY.
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, ctx) => new AppError(429, 'RATE_LIMITED', `Too many requests; try again in ${ctx.after}`),
    });
  }

  await app.register(healthRoutes, { pingDatabase: () => container.database.ping() });
  await app.register(metricsRoutes, { metrics: container.metrics, token: config.metricsToken });
  // Sign-in and account responses carry tokens and personal data: never cached anywhere, errors included
  // (unknown /auth and /me paths get the same header from the not-found handler, malformed URLs from frameworkErrors).
  await app.register(async (privateScope) => {
    privateScope.addHook('onSend', (_request, reply, payload, done) => {
      void reply.header('cache-control', 'no-store');
      done(null, payload);
    });
    await privateScope.register(accountRoutes, { auth: container.auth, rateLimitPerMinute: opts.disableRateLimit ? undefined : config.auth.rateLimitPerMinute });
    await privateScope.register(meRoutes, { activity: container.activity });
  });
  await app.register(catalogRoutes, {
    catalog: container.catalog,
    requestTimeoutMs: config.requestTimeoutMs,
    responder,
  });
  await app.register(interestingRoutes, { interesting: container.interesting, requestTimeoutMs: config.llm.timeoutMs });

  app.get('/openapi.json', { schema: { hide: true } }, async (_req, reply) => reply.type('application/json').send(app.swagger()));
  await app.register(scalar, {
    routePrefix: '/docs',
    configuration: { url: '/openapi.json', title: 'MiniMovie API reference' },
    logLevel: 'warn',
  });

  return app;
}

/** What the onResponse hook needs about the route that answered: its pattern and its metric series per method. */
interface RouteTelemetry {
  /** Fastify's pattern (`/movies/:id`), or `unknown` when no route matched. */
  route: string;
  series(method: string): HttpRouteSeries;
}

/**
 * Finds the telemetry of the route a request went to, computed once per route.
 * Fastify's public `request.routeOptions` builds a fresh object on every read,
 * so the lookup keys on the route's context object instead (found once by its
 * symbol's description); if a Fastify upgrade renames it, the public getter is
 * used.
 */
function createRouteTelemetry(metrics: Metrics): { ofRequest(request: FastifyRequest): RouteTelemetry; ofRoute(url: string | undefined): RouteTelemetry } {
  const byContext = new WeakMap<object, RouteTelemetry>();
  const byUrl = new Map<string, RouteTelemetry>();
  let contextSymbol: symbol | null | undefined;

  const build = (url: string | undefined): RouteTelemetry => {
    const endpoint = url === undefined ? 'unknown' : url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const perMethod = new Map<string, HttpRouteSeries>();
    return {
      route: url ?? 'unknown',
      series(method) {
        let s = perMethod.get(method);
        if (!s) perMethod.set(method, (s = metrics.httpRoute(method, endpoint)));
        return s;
      },
    };
  };
  const ofRoute = (url: string | undefined): RouteTelemetry => {
    const key = url ?? '';
    let t = byUrl.get(key);
    if (!t) byUrl.set(key, (t = build(url)));
    return t;
  };

  return {
    ofRequest(request) {
      if (contextSymbol === undefined) contextSymbol = Object.getOwnPropertySymbols(request).find((s) => s.description === 'fastify.context') ?? null;
      const context = contextSymbol === null ? undefined : ((request as unknown as Record<symbol, { config?: { url?: string } } | undefined>)[contextSymbol] ?? undefined);
      if (!context) return ofRoute(request.routeOptions.url);
      let t = byContext.get(context);
      if (!t) byContext.set(context, (t = ofRoute(context.config?.url)));
      return t;
    },
    ofRoute,
  };
}
