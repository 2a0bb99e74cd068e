import { IMAGE_SIZES, imageUrl } from './images.ts';

/** One title in a person's filmography (§5.7), keys in wire order. */
export interface FilmCredit {
  id: number;
  title: string;
  posterPath?: string;
  posterUrl: string;
  releaseDate?: string;
  role: string;
  order?: number;
  popularity: number;
  voteAverage: number;
  voteCount: number;
  episodeCount?: number;
  type: 'cast' | 'crew';
}

export interface RawCombinedCredit {
  id: number;
  media_type?: string | null;
  title?: string | null;
  name?: string | null;
  poster_path?: string | null;
  release_date?: string | null;
  first_air_date?: string | null;
  character?: string | null;
  job?: string | null;
  order?: number | null;
  popularity?: number | null;
  vote_average?: number | null;
  vote_count?: number | null;
  episode_count?: number | null;
}

function toFilmCredit(raw: RawCombinedCredit, type: 'cast' | 'crew'): FilmCredit {
  const tv = raw.media_type === 'tv';
  const credit: FilmCredit = {
    id: raw.id,
    title: (tv ? raw.name : raw.title) ?? '',
    posterUrl: imageUrl(raw.poster_path, IMAGE_SIZES.creditPoster),
    role: (type === 'cast' ? raw.character : raw.job) ?? '',
    popularity: raw.popularity ?? 0,
    voteAverage: raw.vote_average ?? 0,
    voteCount: raw.vote_count ?? 0,
    type,
  };
  if (raw.poster_path) credit.posterPath = raw.poster_path;
  const date = tv ? raw.first_air_date : raw.release_date;
  if (date) credit.releaseDate = date;
  // Cast order is kept even when 0 (unlike credit persons); TMDB sends none for TV cast.
  if (type === 'cast' && typeof raw.order === 'number') credit.order = raw.order;
  if (raw.episode_count) credit.episodeCount = raw.episode_count;
  return credit;
}

/**
 * A person's credits of one media type: all cast entries, then all crew
 * entries, with no de-duplication, sorted by popularity descending. The sort
 * is stable, so ties keep that order (the Go sort was not).
 */
export function filmCredits(
  cast: readonly RawCombinedCredit[] | null | undefined,
  crew: readonly RawCombinedCredit[] | null | undefined,
  mediaType: 'movie' | 'tv',
): FilmCredit[] {
  const list = [
    ...(cast ?? []).filter((c) => c.media_type === mediaType).map((c) => toFilmCredit(c, 'cast')),
    ...(crew ?? []).filter((c) => c.media_type === mediaType).map((c) => toFilmCredit(c, 'crew')),
  ];
  return list.sort((a, b) => b.popularity - a.popularity);
}

/** TMDB gender code → label. */
export function genderLabel(code: number | null | undefined): string {
  switch (code) {
    case 1:
      return 'Female';
    case 2:
      return 'Male';
    case 3:
      return 'Non-binary';
    default:
      return 'Not specified';
  }
}
