import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../../clients/telemetry/metrics.ts';
import { safeEqual } from '../../modules/auth/auth-crypto.ts';
import { errorBody } from '../../shared/errors.ts';
import { readBearerToken } from '../plugins/auth.plugin.ts';
import { errorRef } from '../schemas/common.schemas.ts';

/** `GET /metrics`: Prometheus text. With `METRICS_TOKEN` set, it needs `Authorization: Bearer <token>`. */
export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics; token: string | undefined }> = async (app, opts) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics',
        description:
          'HTTP requests and durations by route and status, TMDB calls by endpoint and outcome, cache hits/misses, purged rows (§12 names). Protected by `METRICS_TOKEN` when it is set.',
        response: { 200: Type.String(), 401: errorRef('`METRICS_TOKEN` is set and the bearer token does not match (`TOKEN_INVALID`).') },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      if (opts.token) {
        const given = readBearerToken(request);
        if (!given || !safeEqual(given, opts.token)) {
          return reply.code(401).send(errorBody(401, given ? 'TOKEN_INVALID' : 'TOKEN_MISSING', 'A valid metrics token is required'));
        }
      }
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await opts.metrics.prometheus());
    },
  );
};
