import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db.ts';
import { seasonCastCache } from '../schema.ts';

/** Person id (as a string key) to that person's episode count in one season. */
export type SeasonCast = Record<string, number>;

export interface SeasonCastCacheEntry {
  seriesId: number;
  seasonNumber: number;
  cast: SeasonCast;
  expiresAt: Date;
}

export interface SeasonCastCacheRepository {
  /** The cached cast of a season, unless it expired before `now`. */
  find(seriesId: number, seasonNumber: number, now: Date, tx?: DbOrTx): Promise<SeasonCast | undefined>;
  /** The same, with the row's expiry (so a memory tier can expire with it). */
  findEntry(seriesId: number, seasonNumber: number, now: Date, tx?: DbOrTx): Promise<{ cast: SeasonCast; expiresAt: Date } | undefined>;
  /** Store a season's cast, replacing the map and the expiry and resetting `created_at` (§7 Set). */
  upsert(entry: SeasonCastCacheEntry, tx?: DbOrTx): Promise<void>;
  /** Delete the rows that expired before `now`; resolves with how many went. */
  deleteExpired(now: Date, tx?: DbOrTx): Promise<number>;
}

/** The Postgres tier of the season cast cache. */
export function createSeasonCastCacheRepository(db: DbOrTx): SeasonCastCacheRepository {
  return {
    async find(seriesId, seasonNumber, now, tx = db) {
      return (await this.findEntry(seriesId, seasonNumber, now, tx))?.cast;
    },

    async findEntry(seriesId, seasonNumber, now, tx = db) {
      const rows = await tx
        .select({ cast: seasonCastCache.castData, expiresAt: seasonCastCache.expiresAt })
        .from(seasonCastCache)
        .where(and(eq(seasonCastCache.seriesId, seriesId), eq(seasonCastCache.seasonNumber, seasonNumber), gt(seasonCastCache.expiresAt, now)));
      return rows[0];
    },

    async upsert(entry, tx = db) {
      await tx
        .insert(seasonCastCache)
        .values({ seriesId: entry.seriesId, seasonNumber: entry.seasonNumber, castData: entry.cast, expiresAt: entry.expiresAt })
        .onConflictDoUpdate({
          target: [seasonCastCache.seriesId, seasonCastCache.seasonNumber],
          set: { castData: entry.cast, expiresAt: entry.expiresAt, createdAt: sql`now()` },
        });
    },

    async deleteExpired(now, tx = db) {
      // Counted in SQL because the drivers report affected rows under different names (rowCount vs affectedRows).
      const result = await tx.execute(
        sql`with gone as (delete from ${seasonCastCache} where ${lt(seasonCastCache.expiresAt, now)} returning 1) select count(*)::int as n from gone`,
      );
      return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
    },
  };
}
