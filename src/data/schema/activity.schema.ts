import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.schema.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One episode a watch event covers, or one aired episode of a series snapshot: season, episode, runtime in minutes (0 when TMDB has none). */
export type EpisodeRef = [season: number, episode: number, runtimeMinutes: number];

/** A title on a user's watchlist, with the TMDB snapshot taken when it was added. */
export const watchlistItems = pgTable(
  'watchlist_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    mediaType: text('media_type').notNull(),
    tmdbId: integer('tmdb_id').notNull(),
    status: text('status').notNull(),
    title: text('title').notNull(),
    posterPath: text('poster_path'),
    releaseDate: text('release_date'),
    createdAt: tstz('created_at').notNull(),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('uq_watchlist_items_user_title').on(t.userId, t.mediaType, t.tmdbId),
    index('idx_watchlist_items_user_updated').on(t.userId, t.updatedAt.desc(), t.id.desc()),
    check('watchlist_items_media_type_check', sql`${t.mediaType} in ('movie', 'series')`),
    check('watchlist_items_status_check', sql`${t.status} in ('want_to_watch', 'watched')`),
  ],
);

/**
 * One watch: a movie, an episode, a whole season or a whole series. The TMDB
 * metadata is resolved once and kept as a snapshot, so stats never call TMDB:
 * `episodes` lists the episodes the event covers with their runtimes, and
 * `series_aired` the aired regular-season episodes of the series at that time.
 */
export const watchEvents = pgTable(
  'watch_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    /** The movie id, or the series id for series, season and episode events. */
    tmdbId: integer('tmdb_id').notNull(),
    seasonNumber: integer('season_number'),
    episodeNumber: integer('episode_number'),
    watchedAt: tstz('watched_at').notNull(),
    title: text('title').notNull(),
    episodeTitle: text('episode_title'),
    posterPath: text('poster_path'),
    releaseYear: integer('release_year'),
    runtimeMinutes: integer('runtime_minutes').notNull(),
    /** Items counted by the stats: 1 for a movie or an episode, the number of covered episodes for a season or series. */
    itemCount: integer('item_count').notNull(),
    genres: jsonb('genres').$type<string[]>().notNull(),
    episodes: jsonb('episodes').$type<EpisodeRef[]>().notNull(),
    seriesAired: jsonb('series_aired').$type<EpisodeRef[]>(),
    createdAt: tstz('created_at').notNull(),
    /** Insertion order: the latest snapshot of a series is the one with the highest `seq` (timestamps can tie). */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [
    index('idx_watch_events_user_watched').on(t.userId, t.watchedAt.desc(), t.id.desc()),
    // Per-title state, progress and the latest snapshot of a series (highest `seq`).
    index('idx_watch_events_user_title').on(t.userId, t.tmdbId, t.seq),
    check('watch_events_type_check', sql`${t.type} in ('movie', 'series', 'season', 'episode')`),
  ],
);

/**
 * `Idempotency-Key`s of `POST /me/watch-events`, per user, for 24 hours. The
 * primary key makes concurrent retries safe: only one insert of a key wins.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: tstz('created_at').notNull(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idx_idempotency_keys_expires').on(t.expiresAt)],
);

/** Achievements a user has earned. Rows are only ever added: once earned, an achievement stays earned. */
export const userAchievements = pgTable(
  'user_achievements',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    achievementId: text('achievement_id').notNull(),
    earnedAt: tstz('earned_at').notNull(),
    seenAt: tstz('seen_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.achievementId] })],
);

/**
 * Running totals per title, kept in step with `watch_events` in the same
 * transaction (+1 on insert, -1 on delete), so all-time stats read one row
 * per title instead of every event. Genres and release year are the latest snapshot's.
 */
export const watchedTitles = pgTable(
  'watched_titles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    tmdbId: integer('tmdb_id').notNull(),
    views: integer('views').notNull(),
    items: integer('items').notNull(),
    minutes: integer('minutes').notNull(),
    genres: jsonb('genres').$type<string[]>().notNull(),
    releaseYear: integer('release_year'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.tmdbId] }), check('watched_titles_kind_check', sql`${t.kind} in ('movie', 'series')`)],
);

/** How many watch events cover each episode, per user (kept like `watched_titles`); a row exists while at least one does. */
export const watchedEpisodes = pgTable(
  'watched_episodes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tmdbId: integer('tmdb_id').notNull(),
    seasonNumber: integer('season_number').notNull(),
    episodeNumber: integer('episode_number').notNull(),
    views: integer('views').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tmdbId, t.seasonNumber, t.episodeNumber] })],
);
