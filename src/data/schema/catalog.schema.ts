import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, real, serial, text, timestamp } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * People whose birth and death dates are known (or known to be unknown).
 * Improvements on the Go schema: timestamps carry a time zone, `fetched` is
 * NOT NULL, and the redundant covering index on the primary key is replaced
 * by a partial index on the stale rows the resolver and sync look for.
 */
export const people = pgTable(
  'people',
  {
    id: integer('id').primaryKey(),
    name: text('name'),
    dateOfBirth: date('date_of_birth'),
    dateOfDeath: date('date_of_death'),
    popularity: real('popularity').notNull().default(0),
    fetched: boolean('fetched').notNull().default(false),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('idx_people_stale').on(t.id).where(sql`${t.fetched} = false`)],
);

/** One row per sync or cleanup run. The Go service's resume query is served by the (type, status, end_date) index. */
export const syncJobStatus = pgTable(
  'sync_job_status',
  {
    id: serial('id').primaryKey(),
    type: text('type').notNull(),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    status: text('status').notNull().default('running'),
    message: text('message'),
    updatedIds: integer('updated_ids').array(),
    tmdbChangeCount: integer('tmdb_change_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    durationMs: integer('duration_ms'),
    startedAt: tstz('started_at').notNull().defaultNow(),
    finishedAt: tstz('finished_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('idx_sync_job_status_resume').on(t.type, t.status, t.endDate),
    check('sync_job_status_status_check', sql`${t.status} in ('running', 'completed', 'failed')`),
  ],
);

/** Per-season map of person id to episode count, used by the person-in-series credits. */
export const seasonCastCache = pgTable(
  'season_cast_cache',
  {
    seriesId: integer('series_id').notNull(),
    seasonNumber: integer('season_number').notNull(),
    castData: jsonb('cast_data').$type<Record<string, number>>().notNull(),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.seasonNumber] }), index('idx_season_cast_cache_expires').on(t.expiresAt)],
);

/**
 * LLM-sourced facts about a person. Unlike the Go service, rows expire
 * (`expires_at`), so the cleanup job can purge them and the sync job can
 * invalidate them.
 */
export const interestingInfo = pgTable(
  'interesting_info',
  {
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    name: text('name').notNull(),
    data: jsonb('data').notNull(),
    fetchedAt: tstz('fetched_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entityType, t.entityId] }), index('idx_interesting_info_expires').on(t.expiresAt)],
);

/** Key-value store for instance-wide settings (for example the generated embedded-mode secrets). */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
