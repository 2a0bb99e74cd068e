import { setMaxListeners } from 'node:events';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { CatalogContext, CatalogService, Served } from '../../modules/catalog/catalog.service.ts';
import { AppError } from '../../shared/errors.ts';
import type { CatalogResponder } from '../plugins/catalog-response.ts';
import {
  EpisodeSchema,
  MovieSchema,
  PersonSchema,
  PersonSeriesCreditsSchema,
  SearchResponseSchema,
  SeasonSchema,
  SeriesSchema,
} from '../schemas/catalog.schemas.ts';
import { authErrors, commonErrors, errorRef, ordinalParam, tmdbIdParam } from '../schemas/common.schemas.ts';

export interface CatalogRoutesOptions {
  catalog: CatalogService;
  responder: CatalogResponder;
  /** `TIMEOUT`: the deadline of each catalog request. */
  requestTimeoutMs: number;
}

const MAX_TMDB_ID = 2_147_483_647;
const MAX_SEARCH_PAGE = 500;

const LocaleQuery = {
  language: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,4})?$',
      default: 'en-US',
      description: 'TMDB language for titles and overviews (ISO 639-1, optionally with a region), e.g. `en-US`, `fr-FR`, `de`.',
      'x-error-code': 'INVALID_LANGUAGE',
    }),
  ),
  region: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z]{2}$',
      default: 'US',
      description: 'ISO 3166-1 country for `whereToWatch` (and search release dates). Default US, as the Go service hard-coded.',
      'x-error-code': 'INVALID_REGION',
    }),
  ),
};
const LocaleQuerySchema = Type.Object(LocaleQuery);
type LocaleQueryT = Static<typeof LocaleQuerySchema>;

const upstreamErrors = {
  502: errorRef('TMDB sent something unusable (`TMDB_ERROR`).'),
  503: errorRef('TMDB is rate-limiting us, failing or unreachable (`TMDB_UNAVAILABLE`); see `Retry-After`.'),
  504: errorRef('TMDB did not answer within the deadline (`TMDB_TIMEOUT`).'),
};

const catalogHeaders = {
  description:
    'Successful responses carry a strong `ETag` (send it back in `If-None-Match` for a 304), `Cache-Control: public, max-age=N, s-maxage=N` (`CACHE_MAX_AGE`), and `X-Cache: HIT | MISS | STALE` saying whether the TMDB data came from the cache, from TMDB, or from a stale cache entry.',
};

/** A 304 has no body. */
const notModified = { 304: Type.Null({ description: 'Not modified: the `If-None-Match` ETag still matches.' }) };

function toId(raw: string, code: string, what: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_TMDB_ID) throw new AppError(400, code, `Invalid ${what}`);
  return n;
}

/** Go's lenient page rule, kept because the web client sends `page=NaN` (§16.2), plus TMDB's upper bound. */
export function parseSearchPage(raw: string | undefined): number {
  const text = raw?.trim() ?? '';
  if (!/^[+-]?\d+$/.test(text)) return 1;
  const n = Number(text);
  if (n < 1) return 1;
  if (n > MAX_SEARCH_PAGE) throw new AppError(400, 'INVALID_PAGE', `Invalid page: TMDB serves pages 1 to ${MAX_SEARCH_PAGE}`);
  return n;
}

function normalizeLanguage(raw: string | undefined): string {
  if (!raw) return 'en-US';
  const [lang = 'en', region] = raw.split('-');
  return region ? `${lang.toLowerCase()}-${region.toUpperCase()}` : lang.toLowerCase();
}

/** The catalog routes of §5: thin handlers over the catalog service. */
export const catalogRoutes: FastifyPluginAsyncTypebox<CatalogRoutesOptions> = async (app, opts) => {
  const { catalog, responder } = opts;

  function context(request: FastifyRequest, query: LocaleQueryT): CatalogContext {
    const signal = AbortSignal.timeout(opts.requestTimeoutMs);
    // Every TMDB call of the request (the title, its collection, up to MAX_TMDB_FETCH_PER_REQUEST people) listens
    // on this signal until it settles; more than 10 is normal, not a leak, so no MaxListenersExceededWarning.
    setMaxListeners(0, signal);
    return {
      language: normalizeLanguage(query.language),
      region: (query.region ?? 'US').toUpperCase(),
      signal,
      deadline: Date.now() + opts.requestTimeoutMs,
    };
  }

  async function serve<T>(request: FastifyRequest, reply: FastifyReply, query: LocaleQueryT, run: (ctx: CatalogContext) => Promise<Served<T>>) {
    const ctx = context(request, query);
    const served = await run(ctx);
    return responder.send(request, reply, { ...served, complete: served.complete !== false && !ctx.agesIncomplete });
  }

  /**
   * A page rendered in the last minute is answered right after auth, before
   * validation and the handler: its URL (the cache key) passed validation
   * when the page was first served. Callback style, so a hit costs no promise.
   */
  const fromPageCache: onRequestHookHandler = (request, reply, done) => {
    if (!responder.tryCached(request, reply)) done();
  };
  const auth = { onRequest: [app.requireCatalogAuth, fromPageCache] };
  const security: { [scheme: string]: string[] }[] = [{ clientToken: [] }, { session: [] }];

  app.get(
    '/search',
    {
      ...auth,
      schema: {
        tags: ['catalog'],
        summary: 'Search movies, series and people',
        description: `${catalogHeaders.description}\n\n\`q\` is decoded once and re-escaped for TMDB exactly as the Go service did (the web client double-encodes it). \`page\`: missing, non-integer or < 1 means 1 (the web client may send \`page=NaN\`); above 500 is 400 \`INVALID_PAGE\`. People get \`age\` (-1 when deceased).`,
        security,
        querystring: Type.Object({
          q: Type.String({
            minLength: 1,
            maxLength: 500,
            description: 'Search text (required, non-empty, at most 500 characters).',
            'x-error-code': 'INVALID_QUERY',
            'x-error-message': "Query parameter 'q' is required (1 to 500 characters)",
          }),
          page: Type.Optional(Type.String({ maxLength: 32, description: 'Page, 1–500. Invalid values mean 1.' })),
          type: Type.Optional(
            Type.Union([Type.Literal('all'), Type.Literal('movie'), Type.Literal('series'), Type.Literal('person')], {
              default: 'all',
              'x-error-code': 'INVALID_TYPE',
              'x-error-message': 'Invalid type parameter. Must be one of: all, movie, series, person',
            }),
          ),
          ...LocaleQuery,
        }),
        response: { 200: SearchResponseSchema, ...notModified, ...commonErrors, ...authErrors, ...upstreamErrors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const page = parseSearchPage(q.page);
      return serve(request, reply, q, (ctx) => catalog.search(q.q, page, q.type ?? 'all', ctx));
    },
  );

  app.get(
    '/movies/:id',
    {
      ...auth,
      schema: {
        tags: ['catalog'],
        summary: 'Movie details',
        description: `${catalogHeaders.description}\n\nThe movie with credits, where to watch, trailers and its collection, fetched in one TMDB call plus the collection in parallel with the ages.`,
        security,
        params: Type.Object({ id: tmdbIdParam('INVALID_ID', 'movie ID') }),
        querystring: LocaleQuerySchema,
        response: { 200: MovieSchema, ...notModified, ...commonErrors, ...authErrors, 404: errorRef('`MOVIE_NOT_FOUND`'), ...upstreamErrors },
      },
    },
    async (request, reply) => {
      const id = toId(request.params.id, 'INVALID_ID', 'movie ID');
      return serve(request, reply, request.query, (ctx) => catalog.movie(id, ctx));
    },
  );

  app.get(
    '/series/:id',
    {
      ...auth,
      schema: {
        tags: ['catalog'],
        summary: 'Series details',
        description: `${catalogHeaders.description}\n\nCredits come from TMDB's aggregate credits (cast \`episodeCount\` is the whole run). Specials are left out of \`seasons\`.`,
        security,
        params: Type.Object({ id: tmdbIdParam('INVALID_ID', 'series ID') }),
        querystring: LocaleQuerySchema,
        response: { 200: SeriesSchema, ...notModified, ...commonErrors, ...authErrors, 404: errorRef('`SERIES_NOT_FOUND`'), ...upstreamErrors },
      },
    },
    async (request, reply) => {
      const id = toId(request.params.id, 'INVALID_ID', 'series ID');
      return serve(request, reply, request.query, (ctx) => catalog.series(id, ctx));
    },
  );

  app.get(
    '/series/:id/seasons/:seasonNumber',
    {
      ...auth,
      schema: {
        tags: ['catalog'],
        summary: 'Season details',
        description: `${catalogHeaders.description}\n\nSeason 0 (Specials) works here.`,
        security,
        params: Type.Object({
          id: tmdbIdParam('INVALID_ID', 'series ID'),
          seasonNumber: ordinalParam('INVALID_SEASON_NUMBER', 'season number'),
        }),
        querystring: LocaleQuerySchema,
        response: { 200: SeasonSchema, ...notModified, ...commonErrors, ...authErrors, 404: errorRef('`SEASON_NOT_FOUND`'), ...upstreamErrors },
      },
    },
    async (request, reply) => {
      const id = toId(request.params.id, 'INVALID_ID', 'series ID');
      const season = Number(request.params.seasonNumber);
      return serve(request, reply, request.query, (ctx) => catalog.season(id, season, ctx));
    },
  );

  app.get(
    '/series/:id/seasons/:seasonNumber/episodes/:episodeNumber',
    {
      ...auth,
      schema: {
        tags: ['catalog'],
        summary: 'Episode details',
        description: `${catalogHeaders.description}\n\n\`credits.cast\` merges the regular cast and the guest stars; \`guestStars\` also lists the guests separately for the older web client.`,
        security,
        params: Type.Object({
          id: tmdbIdParam('INVALID_ID', 'series ID'),
          seasonNumber: ordinalParam('INVALID_SEASON_NUMBER', 'season number'),
          episodeNumber: ordinalParam('INVALID_EPISODE_NUMBER', 'episode number'),
        }),
        querystring: LocaleQuerySchema,
        response: { 200: EpisodeSchema, ...notModified, ...commonErrors, ...authErrors, 404: errorRef('`EPISODE_NOT_FOUND`'), ...upstreamErrors },
      },
    },
    async (request, reply) => {
      const id = toId(request.params.id, 'INVALID_ID', 'series ID');
      const { seasonNumber, episodeNumber } = request.params;
      return serve(request, reply, request.query, (ctx) => catalog.episode(id, Number(seasonNumber), Number(episodeNumber), ctx));
    },
  );

  app.get(
    '/series/:id/person/:personId/credits',
    {
      ...auth,
      schema: {
        tags: ['catalog'],
        summary: "A person's episodes in a series",
        description: `${catalogHeaders.description}\n\nWhich episodes, season by season, one cast member appears in. Crew-only people get 404 \`PERSON_NOT_IN_SERIES\`.`,
        security,
        params: Type.Object({
          id: tmdbIdParam('INVALID_ID', 'series ID'),
          personId: tmdbIdParam('INVALID_PERSON_ID', 'person ID'),
        }),
        querystring: LocaleQuerySchema,
        response: {
          200: PersonSeriesCreditsSchema,
          ...notModified,
          ...commonErrors,
          ...authErrors,
          404: errorRef('`SERIES_NOT_FOUND` or `PERSON_NOT_IN_SERIES`'),
          ...upstreamErrors,
        },
      },
    },
    async (request, reply) => {
      const id = toId(request.params.id, 'INVALID_ID', 'series ID');
      const personId = toId(request.params.personId, 'INVALID_PERSON_ID', 'person ID');
      return serve(request, reply, request.query, (ctx) => catalog.personInSeries(id, personId, ctx));
    },
  );

  app.get(
    '/people/:id',
    {
      ...auth,
      schema: {
        tags: ['catalog'],
        summary: 'Person details',
        description: `${catalogHeaders.description}\n\n\`currentAge\` is computed in UTC, at death for a deceased person; an unparseable birthday just leaves it out.`,
        security,
        params: Type.Object({ id: tmdbIdParam('INVALID_ID', 'person ID') }),
        querystring: LocaleQuerySchema,
        response: { 200: PersonSchema, ...notModified, ...commonErrors, ...authErrors, 404: errorRef('`PERSON_NOT_FOUND`'), ...upstreamErrors },
      },
    },
    async (request, reply) => {
      const id = toId(request.params.id, 'INVALID_ID', 'person ID');
      return serve(request, reply, request.query, (ctx) => catalog.person(id, ctx));
    },
  );
};
