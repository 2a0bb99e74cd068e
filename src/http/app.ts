import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import scalar from '@scalar/fastify-api-reference';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Container } from '../container.ts';
import { AppError, errorBody } from '../shared/errors.ts';
import { createAccessLogWriter, redactUrl } from '../shared/logger.ts';
import { authPlugin, noStoreIfPrivate } from './plugins/auth.plugin.ts';
import { registerErrorHandling, sendError } from './plugins/errors.plugin.ts';
import { createCatalogResponder } from './plugins/catalog-response.ts';
import { buildOrderedSerializer } from './plugins/ordered-serializer.ts';
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

export interface BuildAppOptions {
  /** Let every request through the rate limiter (the hostile-input tests need to reach the handlers). */
  disableRateLimit?: boolean;
}

/** Build the HTTP application on a container. Does not listen. */
export async function buildApp(container: Container, opts: BuildAppOptions = {}): Promise<App> {
  const { config } = container;
  // Typed as Fastify's logger so the instance type stays the default one that plugins expect.
  const logger: FastifyBaseLogger = container.logger;
  // A hop count becomes a function: Fastify's types accept no number here (it would trust the n nearest hops).
  const hops = config.trustProxy;
  const trustProxy: boolean | string[] | ((address: string, hop: number) => boolean) =
    hops === false ? false : typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : [...hops];
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
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

  // Callback-style hooks on the hot path: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // One access-log line per request, instead of Fastify's two, and the request metrics.
  const accessLog = createAccessLogWriter(container.logger);
  const routeLabels = new Map<string, string>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    let endpoint = route === undefined ? 'unknown' : routeLabels.get(route);
    if (endpoint === undefined && route !== undefined) {
      endpoint = route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      routeLabels.set(route, endpoint);
    }
    container.metrics.httpRequest({ method: request.method, endpoint: endpoint ?? 'unknown', statusCode: reply.statusCode, durationSeconds: reply.elapsedTime / 1000 });
    accessLog({
      reqId: request.id,
      method: request.method,
      url: redactUrl(request.url.length > 300 ? `${request.url.slice(0, 300)}...` : request.url),
      route: request.routeOptions.url ?? 'unknown',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    });
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

  // Origins match exactly but case-insensitively, as in the Go service (§3.4).
  const allowedOrigins = new Set(config.corsOrigins.map((o) => o.toLowerCase()));
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowedOrigins.has(origin.toLowerCase())),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'MM-Cache-Bypass', 'Accept'],
    exposedHeaders: ['ETag', 'X-Cache', 'X-Request-Id', 'Retry-After'],
    credentials: false,
    maxAge: 300,
    // §3.4: the preflight answer is a 200 (some older clients reject a 204).
    optionsSuccessStatus: 200,
    strictPreflight: false,
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

  await app.register(healthRoutes, { container });
  await app.register(metricsRoutes, { metrics: container.metrics, token: config.metricsToken });
  await app.register(accountRoutes, { auth: container.auth, rateLimitPerMinute: opts.disableRateLimit ? undefined : config.auth.rateLimitPerMinute });
  await app.register(catalogRoutes, {
    catalog: container.catalog,
    requestTimeoutMs: config.requestTimeoutMs,
    responder: createCatalogResponder({
      cacheMaxAge: config.cacheMaxAge,
      cacheBytes: Math.min(64 * 1024 * 1024, Math.floor(config.tmdb.cacheBytes / 4)),
      ttlMs: RENDERED_PAGE_TTL_MS,
      // The same clock as the ages and the TMDB cache, so a page never outlives the date its ages were computed for.
      now: () => container.clock.now().getTime(),
    }),
  });
  await app.register(meRoutes, { activity: container.activity });
  await app.register(interestingRoutes, { interesting: container.interesting, requestTimeoutMs: config.llm.timeoutMs });

  app.get('/openapi.json', { schema: { hide: true } }, async (_req, reply) => reply.type('application/json').send(app.swagger()));
  await app.register(scalar, {
    routePrefix: '/docs',
    configuration: { url: '/openapi.json', title: 'MiniMovie API reference' },
    logLevel: 'warn',
  });

  return app;
}
