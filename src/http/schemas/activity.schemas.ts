import { Type } from '@sinclair/typebox';
import { tmdbIdParam } from './common.schemas.ts';

const withCode = (code: string, message: string) => ({ 'x-error-code': code, 'x-error-message': message });
const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const dateTime = (description: string) => Type.String({ format: 'date-time', description });

export const MediaTypeSchema = Type.Union([Type.Literal('movie'), Type.Literal('series')], {
  description: '`movie` or `series`.',
  ...withCode('INVALID_MEDIA_TYPE', 'The media type must be movie or series'),
});
export const WatchlistStatusSchema = Type.Union([Type.Literal('want_to_watch'), Type.Literal('watched')], {
  description: '`want_to_watch` or `watched`.',
  ...withCode('INVALID_STATUS', 'status must be want_to_watch or watched'),
});
export const WatchEventTypeSchema = Type.Union([Type.Literal('movie'), Type.Literal('series'), Type.Literal('season'), Type.Literal('episode')], {
  description: '`movie`, `series` (the whole series), `season` (a whole season) or `episode`.',
  ...withCode('INVALID_EVENT_TYPE', 'type must be movie, series, season or episode'),
});

export const TitleParamsSchema = Type.Object({ mediaType: MediaTypeSchema, tmdbId: tmdbIdParam('INVALID_ID', 'TMDB id') });
export const SeriesParamsSchema = Type.Object({ tmdbId: tmdbIdParam('INVALID_ID', 'series ID') });
export const EventIdParamsSchema = Type.Object({
  id: Type.String({ maxLength: 100, description: 'The watch event id (a uuid). Any other value, or another user’s id, is a 404.' }),
});

const limit = Type.Optional(
  Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1 to 100 (default 20).', ...withCode('INVALID_LIMIT', 'limit must be an integer from 1 to 100') }),
);
const cursor = Type.Optional(
  Type.String({ maxLength: 200, description: 'The `nextCursor` of the previous page (opaque).', ...withCode('INVALID_CURSOR', 'The cursor is malformed; use the nextCursor of a previous page') }),
);

export const WatchlistQuerySchema = Type.Object({
  status: Type.Optional(WatchlistStatusSchema),
  type: Type.Optional(MediaTypeSchema),
  limit,
  cursor,
});

export const WatchlistPutBodySchema = Type.Object({ status: WatchlistStatusSchema }, { additionalProperties: false });

export const WatchlistItemSchema = Type.Object(
  {
    mediaType: MediaTypeSchema,
    tmdbId: Type.Integer(),
    status: WatchlistStatusSchema,
    title: Type.String({ description: 'Snapshot taken from TMDB when the title was added.' }),
    posterPath: nullable(Type.String()),
    posterUrl: Type.String({ description: 'Full poster URL (w300), `""` without a poster.' }),
    releaseDate: nullable(Type.String({ description: 'Release date (movie) or first air date (series), `YYYY-MM-DD`.' })),
    addedAt: dateTime('When the title was added.'),
    updatedAt: dateTime('When the status last changed (the list order).'),
  },
  { $id: 'WatchlistItem', title: 'WatchlistItem' },
);

export const WatchlistPageSchema = Type.Object({
  items: Type.Array(Type.Ref(WatchlistItemSchema)),
  nextCursor: nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page.' })),
});

export const WatchEventBodySchema = Type.Object(
  {
    type: WatchEventTypeSchema,
    tmdbId: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The movie id, or the series id for series, season and episode events.', ...withCode('INVALID_ID', 'tmdbId must be a positive integer') }),
    seasonNumber: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Required for season and episode events (0 is Specials).', ...withCode('INVALID_SEASON_NUMBER', 'seasonNumber must be an integer of 0 or more') })),
    episodeNumber: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'Required for episode events.', ...withCode('INVALID_EPISODE_NUMBER', 'episodeNumber must be an integer of 0 or more') })),
    watchedAt: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'ISO 8601 date-time with an offset (`Z` or `±hh:mm`), at most 24 h in the future. Defaults to now.',
        examples: ['2026-01-31T21:30:00-08:00'],
        ...withCode('INVALID_WATCHED_AT', '`watchedAt` must be an ISO 8601 date-time with an offset'),
      }),
    ),
  },
  { additionalProperties: false },
);

export const WatchEventPatchBodySchema = Type.Object(
  {
    watchedAt: Type.String({
      maxLength: 64,
      description: 'ISO 8601 date-time with an offset, at most 24 h in the future.',
      ...withCode('INVALID_WATCHED_AT', '`watchedAt` must be an ISO 8601 date-time with an offset'),
    }),
  },
  { additionalProperties: false },
);

export const WatchEventSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    type: WatchEventTypeSchema,
    tmdbId: Type.Integer(),
    seasonNumber: Type.Union([Type.Integer(), Type.Null()]),
    episodeNumber: Type.Union([Type.Integer(), Type.Null()]),
    watchedAt: dateTime('When it was watched.'),
    title: Type.String({ description: 'Movie title or series name (snapshot).' }),
    episodeTitle: nullable(Type.String({ description: 'Episode name for episode events.' })),
    posterPath: nullable(Type.String()),
    posterUrl: Type.String(),
    runtimeMinutes: Type.Integer({ description: 'Minutes this event counts: the movie runtime, the episode runtime, or the sum over the aired episodes a season/series event covers (an unknown runtime counts as the series’ typical runtime, else 0).' }),
    episodeCount: Type.Integer({ description: 'Episodes covered: 1 for an episode, the aired episodes of the season or series, 0 for a movie.' }),
    genres: Type.Array(Type.String()),
    createdAt: dateTime('When it was logged.'),
  },
  { $id: 'WatchEvent', title: 'WatchEvent' },
);

export const WatchEventPageSchema = Type.Object({
  items: Type.Array(Type.Ref(WatchEventSchema)),
  nextCursor: nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page.' })),
});

export const WatchEventsQuerySchema = Type.Object({
  type: Type.Optional(WatchEventTypeSchema),
  tmdbId: Type.Optional(tmdbIdParam('INVALID_ID', 'TMDB id')),
  from: Type.Optional(Type.String({ maxLength: 64, description: 'Only events watched at or after this ISO 8601 date-time (with an offset).' })),
  to: Type.Optional(Type.String({ maxLength: 64, description: 'Only events watched before this ISO 8601 date-time (with an offset).' })),
  limit,
  cursor,
});

export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      maxLength: 255,
      description: 'Makes a retried POST safe: the same key (per user, kept 24 h) returns the first response and creates nothing; with a different body it is a 422 `IDEMPOTENCY_KEY_REUSED`. 1 to 255 visible ASCII characters.',
      ...withCode('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters'),
    }),
  ),
});

export const TitleStateSchema = Type.Object({
  watchlistStatus: Type.Union([WatchlistStatusSchema, Type.Null()], { description: 'null when the title is not on the watchlist.' }),
  watchCount: Type.Integer({ description: 'Watch events of the title: movie views, or for a series every episode, season and series event.' }),
  lastWatchedAt: Type.Union([dateTime('Latest `watchedAt`.'), Type.Null()]),
});

export const SeriesProgressSchema = Type.Object({
  tmdbId: Type.Integer(),
  airedEpisodes: Type.Integer({ description: 'Aired regular-season episodes (season 1 and up; air date today (UTC) or earlier).' }),
  watchedEpisodes: Type.Integer({ description: 'Aired regular-season episodes watched at least once.' }),
  completed: Type.Boolean({ description: 'Every aired regular-season episode watched.' }),
  seasons: Type.Array(
    Type.Object({
      seasonNumber: Type.Integer(),
      airedEpisodes: Type.Integer(),
      watchedEpisodes: Type.Integer({ description: 'Distinct episodes of the season watched (by episode, season or series events).' }),
      watchedEpisodeNumbers: Type.Array(Type.Integer()),
    }),
  ),
  nextEpisode: Type.Union([Type.Object({ seasonNumber: Type.Integer(), episodeNumber: Type.Integer() }), Type.Null()], {
    description: 'The first aired regular-season episode not yet watched, in season and episode order; null when none is left.',
  }),
});

export const ProfileSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: nullable(Type.String()),
  displayName: nullable(Type.String()),
  timezone: Type.String({ description: 'IANA time zone; stats and streaks count local dates in it.' }),
  createdAt: dateTime('When the account was created.'),
});

export const ProfilePatchBodySchema = Type.Object(
  {
    displayName: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], { description: '1 to 100 characters, or null to clear.', ...withCode('INVALID_DISPLAY_NAME', 'displayName must be 1 to 100 characters or null') })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone name such as `Europe/London` (stored in canonical spelling).', ...withCode('INVALID_TIMEZONE', 'timezone must be an IANA time zone name') })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const StatsQuerySchema = Type.Object({
  tz: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone for local dates; default the profile’s, else UTC.', ...withCode('INVALID_TIMEZONE', 'tz must be an IANA time zone name') })),
  year: Type.Optional(Type.String({ pattern: '^(19[0-9]{2}|20[0-9]{2}|2100)$', description: 'A year in review: only events whose local date falls in this year (1900–2100).', ...withCode('INVALID_YEAR', 'year must be a year from 1900 to 2100') })),
});

export const STATS_RULES = [
  'Counting rules (all aggregated from the snapshots stored with each watch event; TMDB is never called):',
  '- Local dates are `watchedAt` in the time zone `tz`, else the profile’s, else UTC. With `year`, only events whose local date falls in that year count, for every field below.',
  '- `moviesWatched`: distinct movies with at least one movie event. `movieViews`: all movie events (rewatches count).',
  '- `episodesWatched`: distinct (series, season, episode) watched, through episode events or the aired episodes a season or series event covers. Specials (season 0) count when logged.',
  '- `seriesCompleted`: series whose every aired regular-season episode (per the most recently logged snapshot of that series) has been watched through any mix of episode, season and series events.',
  '- `minutesWatched`: the sum of every event’s runtime (rewatches count); a season or series event counts its covered episodes’ runtimes.',
  '- `currentStreak` / `longestStreak`: runs of consecutive local dates with at least one watch. The current streak is alive while the last such date is today or yesterday (local).',
  '- `genres`: per TMDB genre of the title, `count` = items watched (1 per movie view or episode, the covered episodes for a season or series event) and `minutes`. Sorted by count, then minutes, then name.',
  '- `months`: per local month `YYYY-MM`, movie views, episodes (items of series events) and minutes; every month from the first to the last is present (all twelve with `year`).',
  '- Deleting an event removes it from every figure.',
].join('\n');

export const StatsSchema = Type.Object({
  timezone: Type.String(),
  year: Type.Union([Type.Integer(), Type.Null()]),
  moviesWatched: Type.Integer(),
  movieViews: Type.Integer(),
  episodesWatched: Type.Integer(),
  seriesCompleted: Type.Integer(),
  minutesWatched: Type.Integer(),
  currentStreak: Type.Integer(),
  longestStreak: Type.Integer(),
  genres: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer(), minutes: Type.Integer() })),
  months: Type.Array(Type.Object({ month: Type.String({ description: '`YYYY-MM`, local.' }), movies: Type.Integer(), episodes: Type.Integer(), minutes: Type.Integer() })),
});

export const AchievementSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    category: Type.Union([Type.Literal('movies'), Type.Literal('series'), Type.Literal('streaks'), Type.Literal('variety'), Type.Literal('time')]),
    target: Type.Integer(),
    current: Type.Integer({ description: 'Progress now, from the history, capped at `target`.' }),
    earned: Type.Boolean({ description: 'Earned (stays true even if later deletions lower `current`).' }),
    earnedAt: Type.Union([dateTime('When the background evaluation found it earned.'), Type.Null()]),
  },
  { $id: 'Achievement', title: 'Achievement' },
);

export const AchievementListSchema = Type.Object({ achievements: Type.Array(Type.Ref(AchievementSchema)) });

export const AchievementsSeenBodySchema = Type.Object(
  {
    ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100, description: 'Achievement ids to mark as shown.', ...withCode('INVALID_IDS', 'ids must be 1 to 100 achievement ids') }),
  },
  { additionalProperties: false },
);

export const ExportQuerySchema = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: '`json` (default): everything; `csv`: the watch history only.', ...withCode('INVALID_FORMAT', 'format must be json or csv') })),
});

export const activitySchemas = [WatchlistItemSchema, WatchEventSchema, AchievementSchema];
