import { Type } from '@sinclair/typebox';
import type { App } from '../../src/http/app.ts';
import { authErrors, commonErrors, tmdbIdParam } from '../../src/http/schemas/common.schemas.ts';

export const PROBE_PREFIX = '/__probe/catalog';

const Params = Type.Object({ id: tmdbIdParam('INVALID_ID', 'A TMDB id.') });

/**
 * Test-only routes shaped like the catalog routes (client-token auth in
 * onRequest, a TMDB id parameter, a query and a JSON body), so auth and
 * hostile-input tests have an authenticated target before the real catalog
 * routes exist. Register with `buildTestApp({ configure: registerProbeRoutes })`.
 */
export function registerProbeRoutes(app: App): void {
  app.get(
    `${PROBE_PREFIX}/:id`,
    {
      onRequest: app.requireCatalogAuth,
      schema: {
        hide: true,
        params: Params,
        querystring: Type.Object({
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, 'x-error-code': 'INVALID_PAGE' })),
          language: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$', 'x-error-code': 'INVALID_LANGUAGE' })),
        }),
        response: { 200: Type.Object({ id: Type.Integer(), principal: Type.String() }), ...authErrors, ...commonErrors },
      },
    },
    async (request) => ({ id: Number(request.params.id), principal: request.principal?.kind ?? 'none' }),
  );

  app.post(
    `${PROBE_PREFIX}/:id/notes`,
    {
      onRequest: app.requireCatalogAuth,
      schema: {
        hide: true,
        params: Params,
        body: Type.Object(
          {
            text: Type.String({ minLength: 1, maxLength: 500 }),
            rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
            tags: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 10 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.Integer(), length: Type.Integer() }), ...authErrors, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send({ id: Number(request.params.id), length: request.body.text.length }),
  );
}
