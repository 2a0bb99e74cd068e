import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { disabledError, type InterestingService } from '../../modules/interesting/interesting.service.ts';
import { AppError } from '../../shared/errors.ts';
import { authErrors, commonErrors, errorRef, tmdbIdParam } from '../schemas/common.schemas.ts';
import { PersonInterestingInfoSchema } from '../schemas/interesting.schemas.ts';

export interface InterestingRoutesOptions {
  interesting: InterestingService;
  /** `AUGUR_TIMEOUT`: the deadline of each request. */
  requestTimeoutMs: number;
}

const MAX_TMDB_ID = 2_147_483_647;
export const MAX_NAME_LENGTH = 200;
/**
 * Browsers may reuse an answer for 5 minutes, privately: the facts are public,
 * but a shared cache would keep serving them after the sync expired them and
 * would answer `MM-Cache-Bypass` requests itself. `Vary: MM-Cache-Bypass`
 * keeps a bypass request from being answered by the browser cache, and a
 * bypass answer is `no-store` so the next bypass reaches us too.
 */
export const INTERESTING_CACHE_CONTROL = 'private, max-age=300';

/** `GET /interesting/person/{id}` (§5.8): LLM facts about a person. */
export const interestingRoutes: FastifyPluginAsyncTypebox<InterestingRoutesOptions> = async (app, opts) => {
  const { interesting } = opts;

  app.get(
    '/interesting/person/:id',
    {
      onRequest: app.requireCatalogAuth,
      // The Go service answered 503 before looking at the id; validation runs after preValidation.
      preValidation: async () => {
        if (!interesting.enabled) throw disabledError();
      },
      schema: {
        tags: ['interesting'],
        summary: 'Net worth, family and one interesting fact about a person (LLM)',
        description:
          'Asks Claude (with web search) about the person, or serves the stored answer. Stored answers expire after `INTERESTING_INFO_TTL_DAYS` and when the TMDB sync sees the person change. ' +
          'Send `MM-Cache-Bypass: true` to skip the stored answer (the fresh one is stored). Concurrent requests for one person share one LLM call. ' +
          '`AUGUR_TIMEOUT` bounds the request. Successful answers carry `Cache-Control: private, max-age=300` (`no-store` with the bypass header) and `Vary: MM-Cache-Bypass`.',
        security: [{ clientToken: [] }, { session: [] }],
        params: Type.Object({ id: tmdbIdParam('INVALID_ID', 'person ID') }),
        querystring: Type.Object({
          name: Type.String({
            minLength: 1,
            maxLength: MAX_NAME_LENGTH,
            pattern: '\\S',
            description: `The person's name as TMDB spells it (required, 1 to ${MAX_NAME_LENGTH} characters). It is what the model is asked about; the stored answer is keyed by \`id\` only.`,
            'x-error-code': 'INVALID_NAME',
            'x-error-message': `name query parameter is required (1 to ${MAX_NAME_LENGTH} characters)`,
          }),
        }),
        response: {
          200: PersonInterestingInfoSchema,
          ...commonErrors,
          ...authErrors,
          502: errorRef('The model failed or its answer was unusable after the retries (`LLM_ERROR`).'),
          503: errorRef('No `ANTHROPIC_API_KEY` (`INTERESTING_INFO_DISABLED`), or Anthropic is rate-limiting us (`LLM_UNAVAILABLE`, with `Retry-After`).'),
          504: errorRef('No answer within `AUGUR_TIMEOUT` (`LLM_TIMEOUT`).'),
        },
      },
    },
    async (request, reply) => {
      const id = Number(request.params.id);
      if (id > MAX_TMDB_ID) throw new AppError(400, 'INVALID_ID', 'Invalid person ID');
      const bypassCache = request.headers['mm-cache-bypass'] === 'true';
      const facts = await interesting.personFacts(id, request.query.name, { bypassCache, signal: AbortSignal.timeout(opts.requestTimeoutMs) });
      const vary = reply.getHeader('vary');
      void reply
        .header('cache-control', bypassCache ? 'no-store' : INTERESTING_CACHE_CONTROL)
        .header('vary', vary ? `${String(vary)}, MM-Cache-Bypass` : 'MM-Cache-Bypass');
      return facts;
    },
  );
};
