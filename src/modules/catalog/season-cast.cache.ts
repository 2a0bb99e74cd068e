import type { SeasonCastCacheRepository } from '../../data/repositories/season-cast-cache.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { createLruCache } from '../../shared/lru-cache.ts';

/** Person id → episodes in one season. */
export type SeasonCastMap = ReadonlyMap<number, number>;

const MEMORY_TTL_MS = 24 * 60 * 60 * 1000;
const MEMORY_ENTRIES = 20_000;

export interface SeasonCastCache {
  get(seriesId: number, seasonNumber: number): Promise<SeasonCastMap | undefined>;
  set(seriesId: number, seasonNumber: number, cast: SeasonCastMap, ttlMs: number): Promise<void>;
}

/**
 * The two-tier season cast cache of §7: memory, then the `season_cast_cache`
 * table. Unlike the Go service, the memory tier never outlives the row's own
 * expiry, and a database failure only degrades to a miss.
 */
export function createSeasonCastCache(deps: { repository: SeasonCastCacheRepository; clock: Clock; logger: Logger }): SeasonCastCache {
  const memory = createLruCache<string, SeasonCastMap>(MEMORY_ENTRIES);
  const key = (s: number, n: number) => `${s}:${n}`;
  return {
    async get(seriesId, seasonNumber) {
      const now = deps.clock.now();
      const hit = memory.get(key(seriesId, seasonNumber), now.getTime());
      if (hit) return hit;
      try {
        const row = await deps.repository.findEntry(seriesId, seasonNumber, now);
        if (!row) return undefined;
        const map = new Map(Object.entries(row.cast).map(([id, count]) => [Number(id), count]));
        memory.set(key(seriesId, seasonNumber), map, { expiresAt: Math.min(row.expiresAt.getTime(), now.getTime() + MEMORY_TTL_MS) });
        return map;
      } catch (err) {
        deps.logger.warn({ err, seriesId, seasonNumber }, 'season cast cache read failed');
        return undefined;
      }
    },
    async set(seriesId, seasonNumber, cast, ttlMs) {
      const now = deps.clock.now().getTime();
      memory.set(key(seriesId, seasonNumber), cast, { expiresAt: now + Math.min(ttlMs, MEMORY_TTL_MS) });
      try {
        await deps.repository.upsert({
          seriesId,
          seasonNumber,
          cast: Object.fromEntries([...cast].map(([id, count]) => [String(id), count])),
          expiresAt: new Date(now + ttlMs),
        });
      } catch (err) {
        deps.logger.warn({ err, seriesId, seasonNumber }, 'season cast cache write failed');
      }
    },
  };
}
