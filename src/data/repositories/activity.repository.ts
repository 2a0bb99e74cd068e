import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db.ts';
import { idempotencyKeys, userAchievements, watchedEpisodes, watchedTitles, watchEvents, watchlistItems, type EpisodeRef } from '../schema.ts';

export type MediaType = 'movie' | 'series';
export type WatchlistStatus = 'want_to_watch' | 'watched';
export type WatchEventType = 'movie' | 'series' | 'season' | 'episode';

export interface WatchlistRecord {
  id: string;
  mediaType: MediaType;
  tmdbId: number;
  status: WatchlistStatus;
  title: string;
  posterPath: string | null;
  releaseDate: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewWatchEvent {
  userId: string;
  type: WatchEventType;
  tmdbId: number;
  seasonNumber: number | null;
  episodeNumber: number | null;
  watchedAt: Date;
  title: string;
  episodeTitle: string | null;
  posterPath: string | null;
  releaseYear: number | null;
  runtimeMinutes: number;
  itemCount: number;
  genres: string[];
  episodes: EpisodeRef[];
  seriesAired: EpisodeRef[] | null;
  createdAt: Date;
}

export interface WatchEventRecord extends Omit<NewWatchEvent, 'seriesAired' | 'userId'> {
  id: string;
}

/** A keyset position: the sort timestamp and the id that breaks ties. */
export interface Keyset {
  at: Date;
  id: string;
}

export interface WatchEventFilter {
  type?: WatchEventType | undefined;
  tmdbId?: number | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface StoredIdempotencyKey {
  requestHash: string;
  statusCode: number | null;
  response: unknown;
}

/** What the stats and the achievements are computed from, aggregated in SQL. */
export interface ActivityAggregates {
  moviesWatched: number;
  movieViews: number;
  episodesWatched: number;
  seriesCompleted: number;
  minutesWatched: number;
  genres: { name: string; count: number; minutes: number }[];
  months: { month: string; movies: number; episodes: number; minutes: number }[];
  /** Distinct local dates with a watch, ascending, `YYYY-MM-DD`. */
  dates: string[];
}

export interface AchievementFacts extends ActivityAggregates {
  genresExplored: number;
  /** Most episodes logged one by one on a single local day. */
  maxEpisodesInDay: number;
  /** Most minutes in one local calendar week (Monday to Sunday). */
  maxMinutesInWeek: number;
  /** Distinct decades (1950s and later) of the release years of watched movies. */
  movieDecades: number;
  /** Most views of a single movie. */
  maxMovieViews: number;
}

export interface SeriesSnapshot {
  /** Aired regular-season episodes of the latest snapshot. */
  aired: EpisodeRef[];
  /** Distinct [season, episode] pairs watched (any event type). */
  watched: [number, number][];
}

const wlColumns = {
  id: watchlistItems.id,
  mediaType: watchlistItems.mediaType,
  tmdbId: watchlistItems.tmdbId,
  status: watchlistItems.status,
  title: watchlistItems.title,
  posterPath: watchlistItems.posterPath,
  releaseDate: watchlistItems.releaseDate,
  createdAt: watchlistItems.createdAt,
  updatedAt: watchlistItems.updatedAt,
};

const evColumns = {
  id: watchEvents.id,
  type: watchEvents.type,
  tmdbId: watchEvents.tmdbId,
  seasonNumber: watchEvents.seasonNumber,
  episodeNumber: watchEvents.episodeNumber,
  watchedAt: watchEvents.watchedAt,
  title: watchEvents.title,
  episodeTitle: watchEvents.episodeTitle,
  posterPath: watchEvents.posterPath,
  releaseYear: watchEvents.releaseYear,
  runtimeMinutes: watchEvents.runtimeMinutes,
  itemCount: watchEvents.itemCount,
  genres: watchEvents.genres,
  episodes: watchEvents.episodes,
  createdAt: watchEvents.createdAt,
};

const asWatchlist = (r: { mediaType: string; status: string } & Omit<WatchlistRecord, 'mediaType' | 'status'>) => r as WatchlistRecord;
const asEvent = (r: { type: string } & Omit<WatchEventRecord, 'type'>) => r as WatchEventRecord;

export interface ActivityRepository {
  findWatchlistItem(userId: string, mediaType: MediaType, tmdbId: number, tx?: DbOrTx): Promise<WatchlistRecord | undefined>;
  /** Insert the item with its snapshot, or (when it exists) change only its status. */
  upsertWatchlistItem(item: { userId: string; mediaType: MediaType; tmdbId: number; status: WatchlistStatus; title: string; posterPath: string | null; releaseDate: string | null; now: Date }, tx?: DbOrTx): Promise<WatchlistRecord>;
  setWatchlistStatus(userId: string, mediaType: MediaType, tmdbId: number, status: WatchlistStatus, now: Date, tx?: DbOrTx): Promise<WatchlistRecord | undefined>;
  deleteWatchlistItem(userId: string, mediaType: MediaType, tmdbId: number, tx?: DbOrTx): Promise<boolean>;
  /** Most recently changed first (`updated_at desc, id desc`). */
  listWatchlist(userId: string, filter: { status?: WatchlistStatus | undefined; mediaType?: MediaType | undefined }, limit: number, after: Keyset | undefined, tx?: DbOrTx): Promise<WatchlistRecord[]>;

  /** Insert an event and add it to the running totals; call inside a transaction. */
  insertEvent(event: NewWatchEvent, tx?: DbOrTx): Promise<WatchEventRecord>;
  /** Recompute a user's running totals from their events (after a bulk import). */
  rebuildTotals(userId: string, tx?: DbOrTx): Promise<void>;
  findEvent(userId: string, id: string, tx?: DbOrTx): Promise<WatchEventRecord | undefined>;
  /** Newest first (`watched_at desc, id desc`). */
  listEvents(userId: string, filter: WatchEventFilter, limit: number, after: Keyset | undefined, tx?: DbOrTx): Promise<WatchEventRecord[]>;
  /** Oldest first (`watched_at asc, id asc`), for the export. */
  listEventsAscending(userId: string, limit: number, after: Keyset | undefined, tx?: DbOrTx): Promise<WatchEventRecord[]>;
  updateEventWatchedAt(userId: string, id: string, watchedAt: Date, tx?: DbOrTx): Promise<WatchEventRecord | undefined>;
  /** Delete an event and take it out of the running totals; call inside a transaction. */
  deleteEvent(userId: string, id: string, tx?: DbOrTx): Promise<boolean>;
  titleState(userId: string, mediaType: MediaType, tmdbId: number, tx?: DbOrTx): Promise<{ watchCount: number; lastWatchedAt: Date | null }>;
  seriesSnapshot(userId: string, tmdbId: number, tx?: DbOrTx): Promise<SeriesSnapshot | undefined>;

  /** Forget the key if its 24 hours are over, then try to claim it; false when another request holds it. */
  claimIdempotencyKey(k: { userId: string; key: string; requestHash: string; now: Date; expiresAt: Date }, tx: DbOrTx): Promise<boolean>;
  findIdempotencyKey(userId: string, key: string, now: Date, tx?: DbOrTx): Promise<StoredIdempotencyKey | undefined>;
  completeIdempotencyKey(userId: string, key: string, statusCode: number, response: unknown, tx: DbOrTx): Promise<void>;
  purgeExpiredIdempotencyKeys(now: Date, tx?: DbOrTx): Promise<number>;

  /** Counts, sums, genres, months and the distinct local dates, in SQL, over the snapshots. */
  aggregates(userId: string, timezone: string, year: number | undefined, tx?: DbOrTx): Promise<ActivityAggregates>;
  achievementFacts(userId: string, timezone: string, tx?: DbOrTx): Promise<AchievementFacts>;

  listEarnedAchievements(userId: string, tx?: DbOrTx): Promise<{ achievementId: string; earnedAt: Date; seenAt: Date | null }[]>;
  /** Insert the earned ids that are not stored yet; resolves with the new ones. Never removes any. */
  addEarnedAchievements(userId: string, ids: string[], now: Date, tx?: DbOrTx): Promise<string[]>;
  markAchievementsSeen(userId: string, ids: string[], now: Date, tx?: DbOrTx): Promise<number>;
}

/** The watchlist, watch events, idempotency keys and achievements (all per user). */
export function createActivityRepository(db: DbOrTx): ActivityRepository {
  return {
    async findWatchlistItem(userId, mediaType, tmdbId, tx = db) {
      const [row] = await tx
        .select(wlColumns)
        .from(watchlistItems)
        .where(and(eq(watchlistItems.userId, userId), eq(watchlistItems.mediaType, mediaType), eq(watchlistItems.tmdbId, tmdbId)));
      return row && asWatchlist(row);
    },

    async upsertWatchlistItem(item, tx = db) {
      const [row] = await tx
        .insert(watchlistItems)
        .values({ ...item, createdAt: item.now, updatedAt: item.now })
        .onConflictDoUpdate({
          target: [watchlistItems.userId, watchlistItems.mediaType, watchlistItems.tmdbId],
          set: { status: item.status, updatedAt: item.now },
        })
        .returning(wlColumns);
      if (!row) throw new Error('watchlist upsert returned no row');
      return asWatchlist(row);
    },

    async setWatchlistStatus(userId, mediaType, tmdbId, status, now, tx = db) {
      const [row] = await tx
        .update(watchlistItems)
        .set({ status, updatedAt: now })
        .where(and(eq(watchlistItems.userId, userId), eq(watchlistItems.mediaType, mediaType), eq(watchlistItems.tmdbId, tmdbId)))
        .returning(wlColumns);
      return row && asWatchlist(row);
    },

    async deleteWatchlistItem(userId, mediaType, tmdbId, tx = db) {
      const rows = await tx
        .delete(watchlistItems)
        .where(and(eq(watchlistItems.userId, userId), eq(watchlistItems.mediaType, mediaType), eq(watchlistItems.tmdbId, tmdbId)))
        .returning({ id: watchlistItems.id });
      return rows.length > 0;
    },

    async listWatchlist(userId, filter, limit, after, tx = db) {
      const conds: (SQL | undefined)[] = [eq(watchlistItems.userId, userId)];
      if (filter.status) conds.push(eq(watchlistItems.status, filter.status));
      if (filter.mediaType) conds.push(eq(watchlistItems.mediaType, filter.mediaType));
      if (after) conds.push(or(lt(watchlistItems.updatedAt, after.at), and(eq(watchlistItems.updatedAt, after.at), lt(watchlistItems.id, after.id))));
      const rows = await tx
        .select(wlColumns)
        .from(watchlistItems)
        .where(and(...conds))
        .orderBy(desc(watchlistItems.updatedAt), desc(watchlistItems.id))
        .limit(limit);
      return rows.map(asWatchlist);
    },

    async insertEvent(event, tx = db) {
      const [row] = await tx.insert(watchEvents).values(event).returning(evColumns);
      if (!row) throw new Error('watch event insert returned no row');
      const kind = event.type === 'movie' ? 'movie' : 'series';
      await tx
        .insert(watchedTitles)
        .values({ userId: event.userId, kind, tmdbId: event.tmdbId, views: 1, items: event.itemCount, minutes: event.runtimeMinutes, genres: event.genres, releaseYear: event.releaseYear })
        .onConflictDoUpdate({
          target: [watchedTitles.userId, watchedTitles.kind, watchedTitles.tmdbId],
          set: {
            views: sql`${watchedTitles.views} + 1`,
            items: sql`${watchedTitles.items} + excluded.items`,
            minutes: sql`${watchedTitles.minutes} + excluded.minutes`,
            genres: sql`excluded.genres`,
            releaseYear: sql`excluded.release_year`,
          },
        });
      if (event.episodes.length > 0) {
        await tx
          .insert(watchedEpisodes)
          .values(event.episodes.map(([s, e]) => ({ userId: event.userId, tmdbId: event.tmdbId, seasonNumber: s, episodeNumber: e, views: 1 })))
          .onConflictDoUpdate({
            target: [watchedEpisodes.userId, watchedEpisodes.tmdbId, watchedEpisodes.seasonNumber, watchedEpisodes.episodeNumber],
            set: { views: sql`${watchedEpisodes.views} + 1` },
          });
      }
      return asEvent(row);
    },

    async rebuildTotals(userId, tx = db) {
      await tx.delete(watchedTitles).where(eq(watchedTitles.userId, userId));
      await tx.delete(watchedEpisodes).where(eq(watchedEpisodes.userId, userId));
      await tx.execute(sql`
        insert into watched_titles (user_id, kind, tmdb_id, views, items, minutes, genres, release_year)
        select distinct on (kind, tmdb_id) ${userId}::uuid, kind, tmdb_id,
               count(*) over w, sum(item_count) over w, sum(runtime_minutes) over w, genres, release_year
        from (select *, case when type = 'movie' then 'movie' else 'series' end as kind from watch_events where user_id = ${userId}) e
        window w as (partition by kind, tmdb_id)
        order by kind, tmdb_id, seq desc`);
      await tx.execute(sql`
        insert into watched_episodes (user_id, tmdb_id, season_number, episode_number, views)
        select ${userId}::uuid, w.tmdb_id, (x->>0)::int, (x->>1)::int, count(*)
        from watch_events w cross join lateral jsonb_array_elements(w.episodes) x
        where w.user_id = ${userId} and w.type <> 'movie'
        group by 2, 3, 4`);
    },

    async findEvent(userId, id, tx = db) {
      const [row] = await tx.select(evColumns).from(watchEvents).where(and(eq(watchEvents.userId, userId), eq(watchEvents.id, id)));
      return row && asEvent(row);
    },

    async listEvents(userId, filter, limit, after, tx = db) {
      const conds: (SQL | undefined)[] = [eq(watchEvents.userId, userId)];
      if (filter.type) conds.push(eq(watchEvents.type, filter.type));
      if (filter.tmdbId !== undefined) conds.push(eq(watchEvents.tmdbId, filter.tmdbId));
      if (filter.from) conds.push(gte(watchEvents.watchedAt, filter.from));
      if (filter.to) conds.push(lt(watchEvents.watchedAt, filter.to));
      if (after) conds.push(or(lt(watchEvents.watchedAt, after.at), and(eq(watchEvents.watchedAt, after.at), lt(watchEvents.id, after.id))));
      const rows = await tx
        .select(evColumns)
        .from(watchEvents)
        .where(and(...conds))
        .orderBy(desc(watchEvents.watchedAt), desc(watchEvents.id))
        .limit(limit);
      return rows.map(asEvent);
    },

    async listEventsAscending(userId, limit, after, tx = db) {
      const conds: (SQL | undefined)[] = [eq(watchEvents.userId, userId)];
      if (after) conds.push(or(sql`${watchEvents.watchedAt} > ${after.at}`, and(eq(watchEvents.watchedAt, after.at), sql`${watchEvents.id} > ${after.id}`)));
      const rows = await tx
        .select(evColumns)
        .from(watchEvents)
        .where(and(...conds))
        .orderBy(asc(watchEvents.watchedAt), asc(watchEvents.id))
        .limit(limit);
      return rows.map(asEvent);
    },

    async updateEventWatchedAt(userId, id, watchedAt, tx = db) {
      const [row] = await tx
        .update(watchEvents)
        .set({ watchedAt })
        .where(and(eq(watchEvents.userId, userId), eq(watchEvents.id, id)))
        .returning(evColumns);
      return row && asEvent(row);
    },

    async deleteEvent(userId, id, tx = db) {
      const [gone] = await tx
        .delete(watchEvents)
        .where(and(eq(watchEvents.userId, userId), eq(watchEvents.id, id)))
        .returning({ type: watchEvents.type, tmdbId: watchEvents.tmdbId, itemCount: watchEvents.itemCount, minutes: watchEvents.runtimeMinutes, episodes: watchEvents.episodes });
      if (!gone) return false;
      const titleKey = and(eq(watchedTitles.userId, userId), eq(watchedTitles.kind, gone.type === 'movie' ? 'movie' : 'series'), eq(watchedTitles.tmdbId, gone.tmdbId));
      await tx
        .update(watchedTitles)
        .set({ views: sql`${watchedTitles.views} - 1`, items: sql`${watchedTitles.items} - ${gone.itemCount}`, minutes: sql`${watchedTitles.minutes} - ${gone.minutes}` })
        .where(titleKey);
      await tx.delete(watchedTitles).where(and(titleKey, lte(watchedTitles.views, 0)));
      if (gone.episodes.length > 0) {
        const pairs = sql`(select (x->>0)::int, (x->>1)::int from jsonb_array_elements(${JSON.stringify(gone.episodes)}::jsonb) x)`;
        const episodeKey = and(
          eq(watchedEpisodes.userId, userId),
          eq(watchedEpisodes.tmdbId, gone.tmdbId),
          sql`(${watchedEpisodes.seasonNumber}, ${watchedEpisodes.episodeNumber}) in ${pairs}`,
        );
        await tx.update(watchedEpisodes).set({ views: sql`${watchedEpisodes.views} - 1` }).where(episodeKey);
        await tx.delete(watchedEpisodes).where(and(episodeKey, lte(watchedEpisodes.views, 0)));
      }
      return true;
    },

    async titleState(userId, mediaType, tmdbId, tx = db) {
      const typeCond = mediaType === 'movie' ? eq(watchEvents.type, 'movie') : inArray(watchEvents.type, ['series', 'season', 'episode']);
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int`, last: sql<string | null>`max(${watchEvents.watchedAt})` })
        .from(watchEvents)
        .where(and(eq(watchEvents.userId, userId), eq(watchEvents.tmdbId, tmdbId), typeCond));
      return { watchCount: row?.n ?? 0, lastWatchedAt: row?.last ? new Date(row.last) : null };
    },

    async seriesSnapshot(userId, tmdbId, tx = db) {
      const res = await tx.execute(sql`
        with ev as (
          select id, type, season_number, episode_number, episodes, series_aired, seq
          from watch_events where user_id = ${userId} and tmdb_id = ${tmdbId} and type <> 'movie'
        ),
        latest as (select series_aired from ev where series_aired is not null order by seq desc limit 1),
        watched as (
          select season_number as s, episode_number as e from ev where type = 'episode'
          union
          select (x->>0)::int, (x->>1)::int from ev cross join lateral jsonb_array_elements(ev.episodes) x where ev.type <> 'episode'
        )
        select (select series_aired from latest) as aired,
               (select coalesce(json_agg(json_build_array(s, e) order by s, e), '[]'::json) from watched) as watched,
               (select count(*)::int from ev) as n`);
      const row = rowsOf<{ aired: EpisodeRef[] | null; watched: [number, number][]; n: number }>(res)[0];
      if (!row || row.n === 0) return undefined;
      return { aired: row.aired ?? [], watched: row.watched };
    },

    async claimIdempotencyKey(k, tx) {
      await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, k.userId), eq(idempotencyKeys.key, k.key), lt(idempotencyKeys.expiresAt, k.now)));
      const rows = await tx
        .insert(idempotencyKeys)
        .values({ userId: k.userId, key: k.key, requestHash: k.requestHash, createdAt: k.now, expiresAt: k.expiresAt })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      return rows.length > 0;
    },

    async findIdempotencyKey(userId, key, now, tx = db) {
      const [row] = await tx
        .select({ requestHash: idempotencyKeys.requestHash, statusCode: idempotencyKeys.statusCode, response: idempotencyKeys.response })
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key), gte(idempotencyKeys.expiresAt, now)));
      return row;
    },

    async completeIdempotencyKey(userId, key, statusCode, response, tx) {
      await tx
        .update(idempotencyKeys)
        .set({ statusCode, response })
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    },

    async purgeExpiredIdempotencyKeys(now, tx = db) {
      const rows = await tx.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).returning({ key: idempotencyKeys.key });
      return rows.length;
    },

    async aggregates(userId, timezone, year, tx = db) {
      const res = await tx.execute(aggregatesSql(userId, timezone, year, false));
      return parseAggregates(rowsOf<Record<string, unknown>>(res)[0]);
    },

    async achievementFacts(userId, timezone, tx = db) {
      const res = await tx.execute(aggregatesSql(userId, timezone, undefined, true));
      const row = rowsOf<Record<string, unknown>>(res)[0];
      return {
        ...parseAggregates(row),
        genresExplored: Number(row?.genres_explored ?? 0),
        maxEpisodesInDay: Number(row?.max_episodes_in_day ?? 0),
        maxMinutesInWeek: Number(row?.max_minutes_in_week ?? 0),
        movieDecades: Number(row?.movie_decades ?? 0),
        maxMovieViews: Number(row?.max_movie_views ?? 0),
      };
    },

    async listEarnedAchievements(userId, tx = db) {
      return tx
        .select({ achievementId: userAchievements.achievementId, earnedAt: userAchievements.earnedAt, seenAt: userAchievements.seenAt })
        .from(userAchievements)
        .where(eq(userAchievements.userId, userId))
        .orderBy(asc(userAchievements.earnedAt), asc(userAchievements.achievementId));
    },

    async addEarnedAchievements(userId, ids, now, tx = db) {
      if (ids.length === 0) return [];
      const rows = await tx
        .insert(userAchievements)
        .values(ids.map((achievementId) => ({ userId, achievementId, earnedAt: now })))
        .onConflictDoNothing()
        .returning({ id: userAchievements.achievementId });
      return rows.map((r) => r.id);
    },

    async markAchievementsSeen(userId, ids, now, tx = db) {
      if (ids.length === 0) return 0;
      const rows = await tx
        .update(userAchievements)
        .set({ seenAt: now })
        .where(and(eq(userAchievements.userId, userId), inArray(userAchievements.achievementId, ids), isNull(userAchievements.seenAt)))
        .returning({ id: userAchievements.achievementId });
      return rows.length;
    },
  };
}

/** All time: the running totals, one row per title and per watched episode. */
function totalsCtes(userId: string): SQL {
  return sql`
    titles as (
      select tmdb_id, kind = 'movie' as is_movie, genres, release_year, views, items, minutes as m
      from watched_titles where user_id = ${userId}
    ),
    eps as (
      select tmdb_id, season_number as s, episode_number as e from watched_episodes where user_id = ${userId}
    )`;
}

/** One year: the same shapes, computed from that year's events (`ev`). */
function scannedCtes(): SQL {
  return sql`
    titles as (
      select tmdb_id, type = 'movie' as is_movie, genres, release_year,
             count(*)::int as views, sum(item_count)::int as items, sum(runtime_minutes)::int as m
      from ev
      group by tmdb_id, type = 'movie', genres, release_year
    ),
    eps as (
      select tmdb_id, season_number as s, episode_number as e from ev where type = 'episode'
      union
      select w.tmdb_id, (x->>0)::int, (x->>1)::int from ev w cross join lateral jsonb_array_elements(w.episodes) x
      where w.type in ('season', 'series')
    )`;
}

/**
 * One statement, one round trip:
 * - `ev`: the events in range, read once (for one year, PostgreSQL materializes
 *   it because three CTEs read it; for all time only `days` does, so it is inlined).
 * - `days`: one pass over the events, per local date (`watched_at AT TIME ZONE tz`,
 *   so a watch at 23:30 in Los Angeles counts on that Los Angeles date whatever
 *   the UTC date is): movie views, episodes, minutes. Months, totals and the
 *   streak dates come from it.
 * - `titles` and `eps`: per title and per distinct (series, season, episode);
 *   from the running totals for all time, from the events for one year.
 * - `latest`: the most recent snapshot of each series (one index lookup per series).
 */
function aggregatesSql(userId: string, timezone: string, year: number | undefined, facts: boolean): SQL {
  // The local year's bounds as instants, so the index on (user_id, watched_at) still applies.
  const range =
    year === undefined
      ? sql``
      : sql`and watched_at >= (make_timestamp(${year}::int, 1, 1, 0, 0, 0) at time zone ${timezone})
            and watched_at < (make_timestamp(${year + 1}::int, 1, 1, 0, 0, 0) at time zone ${timezone})`;
  const extra = facts
    ? sql`,
        (select count(distinct g)::int from titles cross join lateral jsonb_array_elements_text(titles.genres) g) as genres_explored,
        (select coalesce(max(ep_events), 0)::int from days) as max_episodes_in_day,
        (select coalesce(max(m), 0)::int from (select sum(m) as m from days group by date_trunc('week', d)) w) as max_minutes_in_week,
        (select count(distinct release_year / 10)::int from titles where is_movie and release_year >= 1950) as movie_decades,
        (select coalesce(max(v), 0)::int from (select sum(views) as v from titles where is_movie group by tmdb_id) v) as max_movie_views`
    : sql``;
  return sql`
    with ev as (
      select type, tmdb_id, season_number, episode_number, watched_at, item_count, runtime_minutes, genres, release_year, episodes
      from watch_events
      where user_id = ${userId} ${range}
    ),
    days as (
      select (watched_at at time zone ${timezone})::date as d,
             count(*) filter (where type = 'movie')::int as mv,
             count(*) filter (where type = 'episode')::int as ep_events,
             coalesce(sum(item_count) filter (where type <> 'movie'), 0)::int as ep,
             sum(runtime_minutes)::int as m
      from ev
      group by 1
    ),
    ${year === undefined ? totalsCtes(userId) : scannedCtes()},
    latest as (
      select s.tmdb_id,
             (select w.series_aired from watch_events w
              where w.user_id = ${userId} and w.tmdb_id = s.tmdb_id and w.type <> 'movie' and w.series_aired is not null ${range}
              order by w.seq desc limit 1) as series_aired
      from (select distinct tmdb_id from titles where not is_movie) s
    ),
    aired as (
      select l.tmdb_id, (x->>0)::int as s, (x->>1)::int as e from latest l cross join lateral jsonb_array_elements(l.series_aired) x
    ),
    completed as (
      select a.tmdb_id from aired a left join eps w on w.tmdb_id = a.tmdb_id and w.s = a.s and w.e = a.e
      group by a.tmdb_id having count(w.e) = count(*)
    )
    select
      (select count(distinct tmdb_id)::int from titles where is_movie) as movies_watched,
      (select coalesce(sum(mv), 0)::int from days) as movie_views,
      (select count(*)::int from eps) as episodes_watched,
      (select count(*)::int from completed) as series_completed,
      (select coalesce(sum(m), 0)::int from days) as minutes_watched,
      (select coalesce(json_agg(json_build_object('name', name, 'count', n, 'minutes', m) order by n desc, m desc, name), '[]'::json)
         from (select g as name, sum(items)::int as n, sum(m)::int as m
               from titles cross join lateral jsonb_array_elements_text(titles.genres) g group by g) gs) as genres,
      (select coalesce(json_agg(json_build_object('month', month, 'movies', mv, 'episodes', ep, 'minutes', m) order by month), '[]'::json)
         from (select to_char(d, 'YYYY-MM') as month, sum(mv)::int as mv, sum(ep)::int as ep, sum(m)::int as m from days group by 1) ms) as months,
      (select coalesce(json_agg(to_char(d, 'YYYY-MM-DD') order by d), '[]'::json) from days) as dates
      ${extra}`;
}

function parseAggregates(row: Record<string, unknown> | undefined): ActivityAggregates {
  const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  return {
    moviesWatched: Number(row?.movies_watched ?? 0),
    movieViews: Number(row?.movie_views ?? 0),
    episodesWatched: Number(row?.episodes_watched ?? 0),
    seriesCompleted: Number(row?.series_completed ?? 0),
    minutesWatched: Number(row?.minutes_watched ?? 0),
    genres: json(row?.genres ?? []),
    months: json(row?.months ?? []),
    dates: json(row?.dates ?? []),
  };
}
