import type { TmdbVideo, TmdbWatchProvider } from '../tmdb.types.ts';
import { demoHexId } from './demo-ids.ts';

const provider = (provider_id: number, provider_name: string, display_priority: number): TmdbWatchProvider => ({
  logo_path: `/demo-provider-${provider_id}.png`,
  provider_id,
  provider_name,
  display_priority,
});

/** Invented streaming services used by the demo titles. */
export const DEMO_PROVIDERS = {
  lumen: provider(9401, 'Lumen+', 1),
  reelhouse: provider(9402, 'Reelhouse', 4),
  marquee: provider(9403, 'Marquee Store', 7),
  freeflix: provider(9404, 'FreeFlix', 12),
  tidewave: provider(9405, 'Tidewave TV', 20),
  kinora: provider(9406, 'Kinora', 3),
  maplestream: provider(9407, 'Maplestream', 2),
} as const;

/** A video entry; its TMDB-style id is derived from the key. */
export const demoVideo = (key: string, name: string, type: string, official: boolean, published_at: string, site = 'YouTube', size = 1080): TmdbVideo => ({
  iso_639_1: 'en',
  iso_3166_1: 'US',
  name,
  key,
  site,
  size,
  type,
  official,
  published_at,
  id: demoHexId(`video:${key}`),
});

/** TMDB's watch page link of a title in one country. */
export const watchLink = (path: string, country: string) => `https://www.themoviedb.org/${path}/watch?locale=${country}`;
