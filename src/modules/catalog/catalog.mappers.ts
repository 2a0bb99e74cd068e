import type {
  TmdbCollection,
  TmdbEpisodeDetails,
  TmdbMovieDetails,
  TmdbMultiSearchItem,
  TmdbPage,
  TmdbPersonDetails,
  TmdbSeasonDetails,
  TmdbSeasonEpisode,
  TmdbTvSeriesDetails,
} from '../../clients/tmdb/tmdb.types.ts';
import { currentAge } from '../ages/age.rules.ts';
import { buildAggregateCredits, buildCredits, castPerson, mergeEpisodeCast, type CreditPerson, type Credits } from './credits.rules.ts';
import { IMAGE_SIZES, imageUrl } from './images.ts';
import { filmCredits, genderLabel, type FilmCredit } from './person-credits.rules.ts';
import { trailers, type Trailer } from './trailers.rules.ts';
import { whereToWatch, type WhereToWatch } from './where-to-watch.rules.ts';

/*
 * TMDB payload → API object. Field order and omission rules follow §5; the
 * response schemas fix the key order on the wire. Where TMDB sends null, the
 * Go service's zero values ("" / 0 / false) are used.
 */

export interface CollectionPart {
  id: number;
  title: string;
  overview: string;
  posterPath: string;
  posterUrl: string;
  releaseDate: string;
  voteAverage: number;
}

export interface CollectionInfo {
  id: number;
  name: string;
  overview: string;
  posterPath: string;
  posterUrl: string;
  parts: CollectionPart[];
}

export interface Movie {
  id: number;
  imdbID: string;
  title: string;
  tagline: string;
  overview: string;
  genres: string[];
  posterPath: string;
  posterUrl: string;
  status: string;
  releaseDate: string;
  runtime: number;
  budget: number;
  revenue: number;
  voteAverage: number;
  originalTitle: string;
  originalLanguage: string;
  originCountry: string;
  spokenLanguages: string[];
  productionCompanies: string[];
  productionCountries: string[];
  whereToWatch?: WhereToWatch;
  trailers: Trailer[];
  credits: Credits;
  collectionInfo?: CollectionInfo;
}

const names = (list: readonly { name: string }[] | null | undefined) => (list ?? []).map((x) => x.name);

/** Map `/movie/{id}` with its appends. */
export function toMovie(m: TmdbMovieDetails, region: string): Movie {
  const movie: Movie = {
    id: m.id,
    imdbID: m.imdb_id ?? '',
    title: m.title ?? '',
    tagline: m.tagline ?? '',
    overview: m.overview ?? '',
    genres: names(m.genres),
    posterPath: m.poster_path ?? '',
    posterUrl: imageUrl(m.poster_path, IMAGE_SIZES.poster),
    status: m.status ?? '',
    releaseDate: m.release_date ?? '',
    runtime: m.runtime ?? 0,
    budget: m.budget ?? 0,
    revenue: m.revenue ?? 0,
    voteAverage: m.vote_average ?? 0,
    originalTitle: m.original_title ?? '',
    originalLanguage: m.original_language ?? '',
    originCountry: m.origin_country?.[0] ?? '',
    spokenLanguages: (m.spoken_languages ?? []).map((l) => l.english_name),
    productionCompanies: names(m.production_companies),
    productionCountries: (m.production_countries ?? []).map((c) => c.iso_3166_1),
    trailers: trailers(m.videos),
    credits: buildCredits((m.credits?.cast ?? []).map(castPerson), m.credits?.crew),
  };
  const wtw = whereToWatch(m['watch/providers'], region);
  if (wtw) movie.whereToWatch = wtw;
  return movie;
}

/** Map `/collection/{id}`: parts in TMDB order, current movie included. */
export function toCollectionInfo(c: TmdbCollection): CollectionInfo {
  return {
    id: c.id,
    name: c.name ?? '',
    overview: c.overview ?? '',
    posterPath: c.poster_path ?? '',
    posterUrl: imageUrl(c.poster_path, IMAGE_SIZES.poster),
    parts: (c.parts ?? []).map((p) => ({
      id: p.id,
      title: p.title ?? '',
      overview: p.overview ?? '',
      posterPath: p.poster_path ?? '',
      posterUrl: imageUrl(p.poster_path, IMAGE_SIZES.poster),
      releaseDate: p.release_date ?? '',
      voteAverage: p.vote_average ?? 0,
    })),
  };
}

export interface Series {
  id: number;
  name: string;
  tagline: string;
  overview: string;
  genres: string[];
  posterPath: string;
  posterUrl: string;
  status: string;
  inProduction: boolean;
  firstAirDate: string;
  lastAirDate: string;
  numberOfSeasons: number;
  numberOfEpisodes: number;
  episodeRunTime: number[] | null;
  voteAverage: number;
  originalName: string;
  originalLanguage: string;
  originCountry: string;
  spokenLanguages: string[];
  productionCompanies: string[];
  productionCountries: string[];
  createdBy: { id: number; name: string; photoPath?: string; photoUrl: string }[];
  networks: { id: number; name: string; logoPath: string; logoUrl: string; originCountry: string }[];
  seasons: {
    id: number;
    name: string;
    overview: string;
    seasonNumber: number;
    episodeCount: number;
    airDate: string;
    posterPath: string;
    posterUrl: string;
    voteAverage: number;
  }[];
  whereToWatch?: WhereToWatch;
  trailers: Trailer[];
  credits: Credits;
}

/** Map `/tv/{id}` with its appends. Specials (season 0) are left out of `seasons`. */
export function toSeries(t: TmdbTvSeriesDetails, region: string): Series {
  const series: Series = {
    id: t.id,
    name: t.name ?? '',
    tagline: t.tagline ?? '',
    overview: t.overview ?? '',
    genres: names(t.genres),
    posterPath: t.poster_path ?? '',
    posterUrl: imageUrl(t.poster_path, IMAGE_SIZES.poster),
    status: t.status ?? '',
    inProduction: t.in_production ?? false,
    firstAirDate: t.first_air_date ?? '',
    lastAirDate: t.last_air_date ?? '',
    numberOfSeasons: t.number_of_seasons ?? 0,
    numberOfEpisodes: t.number_of_episodes ?? 0,
    episodeRunTime: t.episode_run_time ?? null,
    voteAverage: t.vote_average ?? 0,
    originalName: t.original_name ?? '',
    originalLanguage: t.original_language ?? '',
    originCountry: t.origin_country?.[0] ?? '',
    spokenLanguages: (t.spoken_languages ?? []).map((l) => l.english_name),
    productionCompanies: names(t.production_companies),
    productionCountries: (t.production_countries ?? []).map((c) => c.iso_3166_1),
    createdBy: (t.created_by ?? []).map((c) => {
      const p: Series['createdBy'][number] = { id: c.id, name: c.name ?? '', photoUrl: imageUrl(c.profile_path, IMAGE_SIZES.photo) };
      if (c.profile_path) p.photoPath = c.profile_path;
      return p;
    }),
    networks: (t.networks ?? []).map((n) => ({
      id: n.id,
      name: n.name ?? '',
      logoPath: n.logo_path ?? '',
      logoUrl: imageUrl(n.logo_path, IMAGE_SIZES.networkLogo),
      originCountry: n.origin_country ?? '',
    })),
    seasons: (t.seasons ?? [])
      .filter((s) => s.season_number !== 0)
      .map((s) => ({
        id: s.id,
        name: s.name ?? '',
        overview: s.overview ?? '',
        seasonNumber: s.season_number,
        episodeCount: s.episode_count ?? 0,
        airDate: s.air_date ?? '',
        posterPath: s.poster_path ?? '',
        posterUrl: imageUrl(s.poster_path, IMAGE_SIZES.seasonPoster),
        voteAverage: s.vote_average ?? 0,
      })),
    trailers: trailers(t.videos),
    credits: buildAggregateCredits(t.aggregate_credits?.cast, t.aggregate_credits?.crew),
  };
  const wtw = whereToWatch(t['watch/providers'], region);
  if (wtw) series.whereToWatch = wtw;
  return series;
}

/** An episode as a season lists it; the episode page adds to it. */
export interface EpisodeSummary {
  id: number;
  name: string;
  overview: string;
  episodeNumber: number;
  seasonNumber: number;
  airDate: string;
  runtime: number;
  stillPath: string;
  stillUrl: string;
  voteAverage: number;
}

function toEpisodeSummary(e: TmdbSeasonEpisode | TmdbEpisodeDetails): EpisodeSummary {
  return {
    id: e.id,
    name: e.name ?? '',
    overview: e.overview ?? '',
    episodeNumber: e.episode_number,
    seasonNumber: e.season_number,
    airDate: e.air_date ?? '',
    runtime: e.runtime ?? 0,
    stillPath: e.still_path ?? '',
    stillUrl: imageUrl(e.still_path, IMAGE_SIZES.still),
    voteAverage: e.vote_average ?? 0,
  };
}

export interface Season {
  id: number;
  name: string;
  overview: string;
  posterPath: string;
  posterUrl: string;
  seasonNumber: number;
  airDate: string;
  voteAverage: number;
  episodes: EpisodeSummary[];
  whereToWatch?: WhereToWatch;
  credits: Credits;
}

/** Map `/tv/{id}/season/{n}` with its appends; every episode, TMDB order. */
export function toSeason(s: TmdbSeasonDetails, region: string): Season {
  const season: Season = {
    id: s.id,
    name: s.name ?? '',
    overview: s.overview ?? '',
    posterPath: s.poster_path ?? '',
    posterUrl: imageUrl(s.poster_path, IMAGE_SIZES.poster),
    seasonNumber: s.season_number,
    airDate: s.air_date ?? '',
    voteAverage: s.vote_average ?? 0,
    episodes: (s.episodes ?? []).map(toEpisodeSummary),
    credits: buildAggregateCredits(s.aggregate_credits?.cast, s.aggregate_credits?.crew),
  };
  const wtw = whereToWatch(s['watch/providers'], region);
  if (wtw) season.whereToWatch = wtw;
  return season;
}

export interface Episode extends EpisodeSummary {
  voteCount: number;
  guestStars: CreditPerson[];
  credits: Credits;
}

/** Map `/tv/{id}/season/{n}/episode/{e}?append_to_response=credits`, with the cast merge of §5.5. */
export function toEpisode(e: TmdbEpisodeDetails): Episode {
  const regulars = e.credits?.cast ?? [];
  const guests = e.credits?.guest_stars ?? [];
  return {
    ...toEpisodeSummary(e),
    voteCount: e.vote_count ?? 0,
    guestStars: guests.map(castPerson),
    credits: buildCredits(mergeEpisodeCast(regulars, guests).map(castPerson), e.credits?.crew),
  };
}

export interface Person {
  id: number;
  imdbId: string;
  name: string;
  biography: string;
  birthday?: string;
  deathday?: string;
  currentAge?: number;
  gender: string;
  placeOfBirth?: string;
  photoPath: string;
  photoUrl: string;
  knownFor: string;
  alsoKnownAs?: string[];
  movieCredits?: FilmCredit[];
  seriesCredits?: FilmCredit[];
}

/** Map `/person/{id}?append_to_response=combined_credits`. `today` is a UTC date. */
export function toPerson(p: TmdbPersonDetails, today: string): Person {
  const person: Person = {
    id: p.id,
    imdbId: p.imdb_id ?? '',
    name: p.name ?? '',
    biography: p.biography ?? '',
    gender: genderLabel(p.gender),
    photoPath: p.profile_path ?? '',
    photoUrl: imageUrl(p.profile_path, IMAGE_SIZES.photo),
    knownFor: p.known_for_department ?? '',
  };
  if (p.birthday) person.birthday = p.birthday;
  if (p.deathday) person.deathday = p.deathday;
  const age = currentAge(p.birthday, p.deathday, today);
  if (age !== undefined) person.currentAge = age;
  if (p.place_of_birth) person.placeOfBirth = p.place_of_birth;
  if (p.also_known_as && p.also_known_as.length > 0) person.alsoKnownAs = p.also_known_as;
  const cast = p.combined_credits?.cast;
  const crew = p.combined_credits?.crew;
  const movies = filmCredits(cast, crew, 'movie');
  const series = filmCredits(cast, crew, 'tv');
  if (movies.length > 0) person.movieCredits = movies;
  if (series.length > 0) person.seriesCredits = series;
  return person;
}

export interface SearchResult {
  id: number;
  mediaType: string;
  title: string;
  overview?: string;
  posterPath?: string;
  posterUrl: string;
  releaseDate?: string;
  knownFor?: string;
  age?: number;
}

export interface SearchResponse {
  page: number;
  totalPages: number;
  totalResults: number;
  results: SearchResult[];
}

type AnySearchItem = Partial<TmdbMultiSearchItem> & {
  id: number;
  media_type?: string;
  title?: string;
  name?: string;
  overview?: string;
  poster_path?: string | null;
  profile_path?: string | null;
  release_date?: string;
  first_air_date?: string;
  known_for_department?: string;
};

/** Map one search item; `forced` is the media type of a single-type search. */
export function toSearchResult(item: AnySearchItem, forced?: 'movie' | 'tv' | 'person'): SearchResult {
  const kind = forced ?? item.media_type;
  const result: SearchResult = { id: item.id, mediaType: '', title: '', posterUrl: '' };
  if (item.overview) result.overview = item.overview;
  let poster: string | null | undefined;
  switch (kind) {
    case 'movie':
      result.mediaType = 'movie';
      result.title = item.title ?? '';
      poster = item.poster_path;
      if (item.release_date) result.releaseDate = item.release_date;
      break;
    case 'tv':
      result.mediaType = 'series';
      result.title = item.name ?? '';
      poster = item.poster_path;
      if (item.first_air_date) result.releaseDate = item.first_air_date;
      break;
    case 'person':
      result.mediaType = 'person';
      result.title = item.name ?? '';
      poster = item.profile_path;
      if (item.known_for_department) result.knownFor = item.known_for_department;
      break;
    default:
      break;
  }
  if (poster) result.posterPath = poster;
  result.posterUrl = imageUrl(poster, IMAGE_SIZES.searchPoster);
  return result;
}

/** Map a TMDB search page. */
export function toSearchResponse(page: TmdbPage<AnySearchItem>, forced?: 'movie' | 'tv' | 'person'): SearchResponse {
  return {
    page: page.page ?? 1,
    totalPages: page.total_pages ?? 0,
    totalResults: page.total_results ?? 0,
    results: (page.results ?? []).map((item) => toSearchResult(item, forced)),
  };
}
