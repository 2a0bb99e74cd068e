import type { ActivityRepository, MediaType, WatchlistStatus } from '../../data/repositories/activity.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import { activityErrors } from './activity.errors.ts';
import { watchlistView, type WatchlistItemView } from './activity.views.ts';
import { decodeCursor, paginate } from './cursor.ts';
import type { TitleSnapshots } from './title-snapshots.ts';

export interface WatchlistService {
  /** Add a title (snapshot from TMDB) or change its status; `created` says which. */
  put(userId: string, mediaType: MediaType, tmdbId: number, status: WatchlistStatus): Promise<{ item: WatchlistItemView; created: boolean }>;
  /** Remove a title; 404 when it is not on the list. */
  remove(userId: string, mediaType: MediaType, tmdbId: number): Promise<void>;
  /** Most recently changed first, cursor-paginated. */
  list(userId: string, q: { status?: WatchlistStatus | undefined; type?: MediaType | undefined; limit: number; cursor?: string | undefined }): Promise<{ items: WatchlistItemView[]; nextCursor: string | null }>;
}

/** The watchlist. */
export function createWatchlistService(deps: { repo: ActivityRepository; snapshots: TitleSnapshots; clock: Clock }): WatchlistService {
  const { repo, snapshots, clock } = deps;
  return {
    async put(userId, mediaType, tmdbId, status) {
      const existing = await repo.findWatchlistItem(userId, mediaType, tmdbId);
      if (existing) {
        const updated = await repo.setWatchlistStatus(userId, mediaType, tmdbId, status, clock.now());
        if (updated) return { item: watchlistView(updated), created: false };
      }
      // The snapshot is taken once, when the title is added; a status change keeps it.
      const snap = await snapshots.title(mediaType, tmdbId);
      const item = await repo.upsertWatchlistItem({ userId, mediaType, tmdbId, status, ...snap, now: clock.now() });
      return { item: watchlistView(item), created: !existing };
    },

    async remove(userId, mediaType, tmdbId) {
      if (!(await repo.deleteWatchlistItem(userId, mediaType, tmdbId))) throw activityErrors.watchlistItemNotFound();
    },

    async list(userId, q) {
      const after = decodeCursor(q.cursor);
      const rows = await repo.listWatchlist(userId, { status: q.status, mediaType: q.type }, q.limit + 1, after);
      const page = paginate(rows, q.limit, (r) => ({ at: r.updatedAt, id: r.id }));
      return { items: page.items.map(watchlistView), nextCursor: page.nextCursor };
    },
  };
}
