import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { withTimeout } from '../../shared/timeout.ts';
import { errorRef } from '../schemas/common.schemas.ts';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('failed')]))),
});

const READY_TIMEOUT_MS = 2000;

/** `/ping` as the Go service had it, and the liveness/readiness probes. */
export interface HealthRoutesOptions {
  /** Resolves when the database answers a trivial query. */
  pingDatabase: () => Promise<unknown>;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { pingDatabase }) => {
  app.get(
    '/ping',
    {
      schema: {
        tags: ['health'],
        summary: 'Ping',
        description: 'Answers `pong` (text/plain, no newline). No authentication, no caching headers.',
        response: { 200: Type.String({ examples: ['pong'] }) },
      },
    },
    async (_request, reply) => reply.type('text/plain; charset=utf-8').send('pong'),
  );

  app.get(
    '/health/live',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness probe',
        description: '200 while the process is running and serving HTTP.',
        response: { 200: HealthSchema },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness probe',
        description: '200 when the database answers within 2 s; 503 (`DATABASE_UNAVAILABLE`) otherwise, so a load balancer stops routing here.',
        response: { 200: HealthSchema, 503: errorRef('The database cannot be reached.') },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
      try {
        await withTimeout(pingDatabase(), READY_TIMEOUT_MS, 'database ping');
      } catch (err) {
        reply.log.warn({ err }, 'readiness check failed');
        return reply.code(503).send({
          error: 'Service Unavailable',
          message: 'The database cannot be reached',
          code: 'DATABASE_UNAVAILABLE',
        });
      }
      return { status: 'ok' as const, checks: { database: 'ok' as const } };
    },
  );
};
