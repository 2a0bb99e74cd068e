import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ActivityComponents } from '../../modules/activity/activity.components.ts';
import { sessionErrors } from '../schemas/auth.schemas.ts';
import {
  AchievementListSchema,
  AchievementsSeenBodySchema,
  EventIdParamsSchema,
  ExportQuerySchema,
  IdempotencyHeadersSchema,
  ProfilePatchBodySchema,
  ProfileSchema,
  SeriesParamsSchema,
  SeriesProgressSchema,
  STATS_RULES,
  StatsQuerySchema,
  StatsSchema,
  TitleParamsSchema,
  TitleStateSchema,
  WatchEventBodySchema,
  WatchEventPageSchema,
  WatchEventPatchBodySchema,
  WatchEventSchema,
  WatchEventsQuerySchema,
  WatchlistItemSchema,
  WatchlistPageSchema,
  WatchlistPutBodySchema,
  WatchlistQuerySchema,
} from '../schemas/activity.schemas.ts';
import { commonErrors, errorRef } from '../schemas/common.schemas.ts';

const tmdbErrors = {
  502: errorRef('TMDB sent an unusable answer (`TMDB_ERROR`).'),
  503: errorRef('TMDB is unavailable (`TMDB_UNAVAILABLE`); see `Retry-After`.'),
  504: errorRef('TMDB did not answer in time (`TMDB_TIMEOUT`).'),
};
const PAGINATION = 'Cursor pagination: pass the `nextCursor` of one page as `cursor` for the next; a malformed cursor is a 400 `INVALID_CURSOR`.';
const OWNERSHIP = 'Only the signed-in user’s data is ever read or changed; another user’s id is a 404, exactly like an unknown one.';

/** `/me` and everything under it except identities: profile, watchlist, history, stats, achievements, export and deletion. Session only. */
export const meRoutes: FastifyPluginAsyncTypebox<{ activity: ActivityComponents }> = async (app, { activity }) => {
  app.addHook('onRequest', app.requireSession);
  const userId = (principal: unknown) => {
    const p = principal as { kind?: string; userId?: string } | null;
    if (p?.kind !== 'user' || !p.userId) throw new Error('requireSession did not set a user');
    return p.userId;
  };
  const security = [{ session: [] }];
  const tags = ['me'];

  app.get(
    '/me',
    { schema: { tags, security, summary: 'Profile', description: 'The signed-in user’s profile.', response: { ...commonErrors, 200: ProfileSchema, ...sessionErrors } } },
    async (request) => activity.profile.get(userId(request.principal)),
  );

  app.patch(
    '/me',
    {
      schema: {
        tags,
        security,
        summary: 'Update the profile',
        description: 'Change `displayName` and/or `timezone` (an IANA name such as `America/Los_Angeles`; an unknown one is a 400 `INVALID_TIMEZONE`). Stats and streaks count local dates in this zone.',
        body: ProfilePatchBodySchema,
        response: { ...commonErrors, 200: ProfileSchema, ...sessionErrors },
      },
    },
    async (request) => activity.profile.update(userId(request.principal), request.body),
  );

  app.delete(
    '/me',
    {
      schema: {
        tags,
        security,
        summary: 'Delete the account',
        description: 'Deletes the account and all of its data in one transaction (watchlist, history, achievements, identities, sessions). Every session is revoked, so this token answers 401 from now on. Apple tokens are queued for revocation at Apple.',
        response: { ...commonErrors, 204: Type.Null({ description: 'Deleted.' }), ...sessionErrors },
      },
    },
    async (request, reply) => {
      await activity.profile.deleteAccount(userId(request.principal));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me/watchlist',
    {
      schema: {
        tags,
        security,
        summary: 'The watchlist',
        description: `Most recently changed first (ties by id). Filter by \`status\` and \`type\`. ${PAGINATION}`,
        querystring: WatchlistQuerySchema,
        response: { ...commonErrors, 200: WatchlistPageSchema, ...sessionErrors },
      },
    },
    async (request) => {
      const q = request.query;
      return activity.watchlist.list(userId(request.principal), { status: q.status, type: q.type, limit: q.limit ?? 20, cursor: q.cursor });
    },
  );

  app.put(
    '/me/watchlist/:mediaType/:tmdbId',
    {
      schema: {
        tags,
        security,
        summary: 'Add a title to the watchlist or change its status',
        description: 'Adds the title (201) with a snapshot of its title, poster and release date from TMDB, or changes the status of an item already on the list (200; the snapshot is kept). An unknown TMDB id is a 422 `TITLE_NOT_FOUND`.',
        params: TitleParamsSchema,
        body: WatchlistPutBodySchema,
        response: {
          ...commonErrors,
          200: Type.Ref(WatchlistItemSchema),
          201: Type.Ref(WatchlistItemSchema),
          ...sessionErrors,
          422: errorRef('TMDB has no such title (`TITLE_NOT_FOUND`).'),
          ...tmdbErrors,
        },
      },
    },
    async (request, reply) => {
      const { item, created } = await activity.watchlist.put(userId(request.principal), request.params.mediaType, Number(request.params.tmdbId), request.body.status);
      return reply.code(created ? 201 : 200).send(item);
    },
  );

  app.delete(
    '/me/watchlist/:mediaType/:tmdbId',
    {
      schema: {
        tags,
        security,
        summary: 'Remove a title from the watchlist',
        params: TitleParamsSchema,
        response: { ...commonErrors, 204: Type.Null({ description: 'Removed.' }), ...sessionErrors, 404: errorRef('The title is not on the watchlist (`WATCHLIST_ITEM_NOT_FOUND`).') },
      },
    },
    async (request, reply) => {
      await activity.watchlist.remove(userId(request.principal), request.params.mediaType, Number(request.params.tmdbId));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/me/watch-events',
    {
      schema: {
        tags,
        security,
        summary: 'Log a watch',
        description:
          'Logs a movie, an episode, a whole season or a whole series. TMDB metadata is resolved once and stored with the event (title, runtime, genres and, for a season or series, the aired episodes it covers), so stats never call TMDB. Rewatches are separate events. ' +
          'Logging a movie also moves its watchlist item (if any) to `watched`. ' +
          'With `Idempotency-Key`, a retry returns the first response (with `Idempotent-Replayed: true`) and creates nothing. ' +
          'An unknown title, season or episode is a 422; an unparseable `watchedAt` or one more than 24 h ahead is a 400.',
        headers: IdempotencyHeadersSchema,
        body: WatchEventBodySchema,
        response: {
          ...commonErrors,
          201: Type.Ref(WatchEventSchema),
          ...sessionErrors,
          409: errorRef('A request with the same key is still being processed (`IDEMPOTENCY_KEY_IN_PROGRESS`).'),
          422: errorRef('`TITLE_NOT_FOUND`, `SEASON_NOT_FOUND`, `EPISODE_NOT_FOUND` or `IDEMPOTENCY_KEY_REUSED`.'),
          ...tmdbErrors,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const result = await activity.watchEvents.create(userId(request.principal), request.body, key);
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(result.status).send(result.event);
    },
  );

  app.get(
    '/me/watch-events',
    {
      schema: {
        tags,
        security,
        summary: 'The watch history',
        description: `Newest \`watchedAt\` first (ties by id). Filters: \`type\`, \`tmdbId\` (the movie or series id), \`from\` (inclusive) and \`to\` (exclusive), both ISO 8601 with an offset (else 400 \`INVALID_DATE_RANGE\`). ${PAGINATION}`,
        querystring: WatchEventsQuerySchema,
        response: { ...commonErrors, 200: WatchEventPageSchema, ...sessionErrors },
      },
    },
    async (request) => {
      const q = request.query;
      return activity.watchEvents.list(userId(request.principal), {
        type: q.type,
        tmdbId: q.tmdbId === undefined ? undefined : Number(q.tmdbId),
        from: q.from,
        to: q.to,
        limit: q.limit ?? 20,
        cursor: q.cursor,
      });
    },
  );

  app.get(
    '/me/watch-events/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One watch event',
        description: OWNERSHIP,
        params: EventIdParamsSchema,
        response: { ...commonErrors, 200: Type.Ref(WatchEventSchema), ...sessionErrors, 404: errorRef('No such event of this user (`WATCH_EVENT_NOT_FOUND`).') },
      },
    },
    async (request) => activity.watchEvents.get(userId(request.principal), request.params.id),
  );

  app.patch(
    '/me/watch-events/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change when a watch happened',
        description: `Only \`watchedAt\` can change (the snapshot stays). ${OWNERSHIP}`,
        params: EventIdParamsSchema,
        body: WatchEventPatchBodySchema,
        response: { ...commonErrors, 200: Type.Ref(WatchEventSchema), ...sessionErrors, 404: errorRef('No such event of this user (`WATCH_EVENT_NOT_FOUND`).') },
      },
    },
    async (request) => activity.watchEvents.updateWatchedAt(userId(request.principal), request.params.id, request.body.watchedAt),
  );

  app.delete(
    '/me/watch-events/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a watch event',
        description: `Stats follow at once; achievements already earned stay earned. ${OWNERSHIP}`,
        params: EventIdParamsSchema,
        response: { ...commonErrors, 204: Type.Null({ description: 'Deleted.' }), ...sessionErrors, 404: errorRef('No such event of this user (`WATCH_EVENT_NOT_FOUND`).') },
      },
    },
    async (request, reply) => {
      await activity.watchEvents.remove(userId(request.principal), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me/titles/:mediaType/:tmdbId',
    {
      schema: {
        tags,
        security,
        summary: 'The user’s state of one title',
        description: 'Everything a title page needs in one call: the watchlist status, the number of watch events and the latest `watchedAt`. No TMDB call.',
        params: TitleParamsSchema,
        response: { ...commonErrors, 200: TitleStateSchema, ...sessionErrors },
      },
    },
    async (request) => activity.watchEvents.titleState(userId(request.principal), request.params.mediaType, Number(request.params.tmdbId)),
  );

  app.get(
    '/me/series/:tmdbId/progress',
    {
      schema: {
        tags,
        security,
        summary: 'Progress through a series',
        description:
          'Per regular season (1 and up): aired and watched episode counts and the watched episode numbers, plus `nextEpisode`. Aired episodes come from the latest snapshot stored with the user’s events of the series; without any event, from TMDB (then an unknown series is a 404 `TITLE_NOT_FOUND`).',
        params: SeriesParamsSchema,
        response: { ...commonErrors, 200: SeriesProgressSchema, ...sessionErrors, 404: errorRef('TMDB has no such series (`TITLE_NOT_FOUND`).'), ...tmdbErrors },
      },
    },
    async (request) => activity.watchEvents.progress(userId(request.principal), Number(request.params.tmdbId)),
  );

  app.get(
    '/me/stats',
    {
      schema: {
        tags,
        security,
        summary: 'Stats, streaks and the year in review',
        description: STATS_RULES,
        querystring: StatsQuerySchema,
        response: { ...commonErrors, 200: StatsSchema, ...sessionErrors },
      },
    },
    async (request) =>
      activity.stats.get(userId(request.principal), { tz: request.query.tz, year: request.query.year === undefined ? undefined : Number(request.query.year) }),
  );

  app.get(
    '/me/achievements',
    {
      schema: {
        tags,
        security,
        summary: 'All achievements with progress',
        description:
          'Every achievement with `current`/`target` (computed from the history now) and `earnedAt`. Achievements are awarded by a background job after each change to the history, so `earned` may lag a new event by a moment. Once earned, an achievement stays earned, even if events are deleted later.',
        response: { ...commonErrors, 200: AchievementListSchema, ...sessionErrors },
      },
    },
    async (request) => ({ achievements: await activity.achievements.list(userId(request.principal)) }),
  );

  app.get(
    '/me/achievements/unseen',
    {
      schema: {
        tags,
        security,
        summary: 'Earned achievements not shown yet',
        description: 'Earned achievements the app has not marked with `POST /me/achievements/seen`.',
        response: { ...commonErrors, 200: AchievementListSchema, ...sessionErrors },
      },
    },
    async (request) => ({ achievements: await activity.achievements.unseen(userId(request.principal)) }),
  );

  app.post(
    '/me/achievements/seen',
    {
      schema: {
        tags,
        security,
        summary: 'Mark achievements as shown',
        description: 'Idempotent. Unknown ids are a 400 `UNKNOWN_ACHIEVEMENT`; ids not earned yet are ignored. `marked` counts the ids that changed.',
        body: AchievementsSeenBodySchema,
        response: { ...commonErrors, 200: Type.Object({ marked: Type.Integer() }), ...sessionErrors },
      },
    },
    async (request) => activity.achievements.markSeen(userId(request.principal), request.body.ids),
  );

  app.get(
    '/me/export',
    {
      schema: {
        tags,
        security,
        summary: 'Export all data',
        description:
          'Streams one JSON document with everything held about the user: `profile`, `identities` (no tokens or secrets), `watchlist`, `watchEvents` (oldest first) and `achievements` (earned). `?format=csv` streams the watch history as CSV instead (RFC 4180, CRLF, genres joined with `|`; cells starting with `=`, `+`, `-` or `@` get a leading `\'` so spreadsheets do not run them).',
        querystring: ExportQuerySchema,
        response: {
          ...commonErrors,
          200: Type.Object({}, { additionalProperties: true, description: 'The export document (application/json), or CSV (text/csv).' }),
          ...sessionErrors,
        },
      },
    },
    async (request, reply) => {
      const id = userId(request.principal);
      const csv = request.query.format === 'csv';
      const chunks = csv ? activity.profile.exportCsv(id) : activity.profile.exportJson(id);
      return reply
        .type(csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="minimovie-${csv ? 'history.csv' : 'export.json'}"`)
        .send(Readable.from(chunks));
    },
  );
};
