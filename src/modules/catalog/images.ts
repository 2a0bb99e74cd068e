/**
 * Full TMDB image URLs for the older web client (§16.3), which reads `*Url`
 * fields. Sizes are the ones that API version used.
 * @see https://developer.themoviedb.org/docs/image-basics
 */
export const IMAGE_BASE = 'https://image.tmdb.org/t/p/';

export const IMAGE_SIZES = {
  poster: 'w300',
  seasonPoster: 'w92',
  searchPoster: 'w185',
  photo: 'w92',
  creditPoster: 'w92',
  networkLogo: 'w92',
  providerLogo: 'w45',
  still: 'w300',
} as const;

export type ImageSize = (typeof IMAGE_SIZES)[keyof typeof IMAGE_SIZES];

/** `https://image.tmdb.org/t/p/<size><path>`, or `""` when TMDB has no image. */
export function imageUrl(path: string | null | undefined, size: ImageSize): string {
  return path ? `${IMAGE_BASE}${size}${path}` : '';
}
