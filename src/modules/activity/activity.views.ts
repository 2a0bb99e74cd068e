import type { WatchEventRecord, WatchlistRecord } from '../../data/repositories/activity.repository.ts';
import { IMAGE_SIZES, imageUrl } from '../catalog/images.ts';

/** A watchlist item as the API shows it. */
export interface WatchlistItemView {
  mediaType: 'movie' | 'series';
  tmdbId: number;
  status: 'want_to_watch' | 'watched';
  title: string;
  posterPath: string | null;
  posterUrl: string;
  releaseDate: string | null;
  addedAt: string;
  updatedAt: string;
}

/** A watch event as the API shows it. */
export interface WatchEventView {
  id: string;
  type: 'movie' | 'series' | 'season' | 'episode';
  tmdbId: number;
  seasonNumber: number | null;
  episodeNumber: number | null;
  watchedAt: string;
  title: string;
  episodeTitle: string | null;
  posterPath: string | null;
  posterUrl: string;
  runtimeMinutes: number;
  episodeCount: number;
  genres: string[];
  createdAt: string;
}

export const watchlistView = (r: WatchlistRecord): WatchlistItemView => ({
  mediaType: r.mediaType,
  tmdbId: r.tmdbId,
  status: r.status,
  title: r.title,
  posterPath: r.posterPath,
  posterUrl: imageUrl(r.posterPath, IMAGE_SIZES.poster),
  releaseDate: r.releaseDate,
  addedAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const watchEventView = (r: WatchEventRecord): WatchEventView => ({
  id: r.id,
  type: r.type,
  tmdbId: r.tmdbId,
  seasonNumber: r.seasonNumber,
  episodeNumber: r.episodeNumber,
  watchedAt: r.watchedAt.toISOString(),
  title: r.title,
  episodeTitle: r.episodeTitle,
  posterPath: r.posterPath,
  posterUrl: imageUrl(r.posterPath, IMAGE_SIZES.poster),
  runtimeMinutes: r.runtimeMinutes,
  episodeCount: r.type === 'movie' ? 0 : r.itemCount,
  genres: r.genres,
  createdAt: r.createdAt.toISOString(),
});
