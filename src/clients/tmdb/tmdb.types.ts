/**
 * Raw TMDB v3 wire payloads, as far as MiniMovie reads them (snake_case, exactly as sent).
 *
 * Nullability follows what TMDB actually sends, not its OpenAPI file (which marks almost
 * nothing nullable): image paths, `imdb_id`, `homepage`, `runtime`, `birthday`,
 * `deathday`, `place_of_birth` and unaired air dates come back as `null`, while unknown
 * dates in list items come back as `""`. Keys TMDB sometimes leaves out are optional.
 * @see https://developer.themoviedb.org/reference/intro/getting-started
 */

/** TMDB gender code: 0 not specified, 1 female, 2 male, 3 non-binary. */
export type TmdbGender = number;

/** One page of a paged TMDB list (search, changes). */
export interface TmdbPage<T> {
  page: number;
  results: T[];
  total_pages: number;
  total_results: number;
}

/** The error body TMDB sends with 401/404/429/5xx, e.g. `status_code: 34` for "not found". */
export interface TmdbErrorBody {
  success?: boolean;
  status_code: number;
  status_message: string;
}

/** An entry of `genres`. */
export interface TmdbGenre {
  id: number;
  name: string;
}

/** An entry of `production_companies`. */
export interface TmdbProductionCompany {
  id: number;
  logo_path: string | null;
  name: string;
  origin_country: string;
}

/** An entry of `production_countries`. */
export interface TmdbProductionCountry {
  iso_3166_1: string;
  name: string;
}

/** An entry of `spoken_languages`. */
export interface TmdbSpokenLanguage {
  english_name: string;
  iso_639_1: string;
  name: string;
}

/** An entry of a series' or season's `networks`. */
export interface TmdbNetwork {
  id: number;
  logo_path: string | null;
  name: string;
  origin_country: string;
}

/** The person fields every credit entry carries. */
export interface TmdbCreditPerson {
  adult: boolean;
  gender: TmdbGender;
  id: number;
  known_for_department: string;
  name: string;
  original_name: string;
  popularity: number;
  profile_path: string | null;
}

/** A cast entry of movie or episode credits (also an episode's `guest_stars`). */
export interface TmdbCastCredit extends TmdbCreditPerson {
  /** Movies only. */
  cast_id?: number;
  character: string;
  credit_id: string;
  order: number;
}

/** A crew entry of movie or episode credits: one entry per job, so one person can repeat. */
export interface TmdbCrewCredit extends TmdbCreditPerson {
  credit_id: string;
  department: string;
  job: string;
}

/** The `credits` append of a movie. */
export interface TmdbCredits {
  cast: TmdbCastCredit[];
  crew: TmdbCrewCredit[];
}

/** The `credits` append of an episode; guest stars are listed separately from the regular cast. */
export interface TmdbEpisodeCredits extends TmdbCredits {
  guest_stars: TmdbCastCredit[];
}

/** One character of an aggregate cast member, with the episodes they played it in. */
export interface TmdbAggregateRole {
  credit_id: string;
  character: string;
  episode_count: number;
}

/** One job of an aggregate crew member, with the episodes they did it in. */
export interface TmdbAggregateJob {
  credit_id: string;
  job: string;
  episode_count: number;
}

/** A cast entry of series or season aggregate credits. */
export interface TmdbAggregateCastMember extends TmdbCreditPerson {
  roles: TmdbAggregateRole[];
  total_episode_count: number;
  order: number;
}

/** A crew entry of series or season aggregate credits. */
export interface TmdbAggregateCrewMember extends TmdbCreditPerson {
  jobs: TmdbAggregateJob[];
  department: string;
  total_episode_count: number;
}

/** The `aggregate_credits` append of a series or a season. */
export interface TmdbAggregateCredits {
  cast: TmdbAggregateCastMember[];
  crew: TmdbAggregateCrewMember[];
}

/** `GET /tv/{id}/season/{n}/aggregate_credits`: the append plus the season's id. */
export interface TmdbSeasonAggregateCreditsResponse extends TmdbAggregateCredits {
  id: number;
}

/** A streaming, rental or purchase service. */
export interface TmdbWatchProvider {
  logo_path: string | null;
  provider_id: number;
  provider_name: string;
  display_priority: number;
}

/** Providers in one country. TMDB leaves out the kinds that have no provider. */
export interface TmdbWatchProviderCountry {
  link: string;
  flatrate?: TmdbWatchProvider[];
  rent?: TmdbWatchProvider[];
  buy?: TmdbWatchProvider[];
  free?: TmdbWatchProvider[];
  ads?: TmdbWatchProvider[];
}

/** The `watch/providers` append, keyed by ISO 3166-1 country code. */
export interface TmdbWatchProviders {
  results: Partial<Record<string, TmdbWatchProviderCountry>>;
}

/** A trailer, teaser, clip, ... hosted on YouTube or Vimeo. */
export interface TmdbVideo {
  iso_639_1: string;
  iso_3166_1: string;
  name: string;
  key: string;
  /** `YouTube` or `Vimeo`. */
  site: string;
  size: number;
  /** `Trailer`, `Teaser`, `Clip`, `Featurette`, `Behind the Scenes`, `Bloopers`, `Opening Credits`. */
  type: string;
  official: boolean;
  published_at: string;
  id: string;
}

/** The `videos` append of a movie or series. */
export interface TmdbVideos {
  results: TmdbVideo[];
}

/** `belongs_to_collection` of a movie. */
export interface TmdbCollectionRef {
  id: number;
  name: string;
  poster_path: string | null;
  backdrop_path: string | null;
}

/** `GET /movie/{id}` without appends. */
export interface TmdbMovie {
  adult: boolean;
  backdrop_path: string | null;
  belongs_to_collection: TmdbCollectionRef | null;
  budget: number;
  genres: TmdbGenre[];
  homepage: string | null;
  id: number;
  imdb_id: string | null;
  origin_country: string[];
  original_language: string;
  original_title: string;
  overview: string;
  popularity: number;
  poster_path: string | null;
  production_companies: TmdbProductionCompany[];
  production_countries: TmdbProductionCountry[];
  /** `YYYY-MM-DD`, or `""` when unknown. */
  release_date: string;
  revenue: number;
  runtime: number | null;
  spoken_languages: TmdbSpokenLanguage[];
  status: string;
  tagline: string | null;
  title: string;
  video: boolean;
  vote_average: number;
  vote_count: number;
}

/** `GET /movie/{id}?append_to_response=credits,watch/providers,videos`. */
export interface TmdbMovieDetails extends TmdbMovie {
  credits: TmdbCredits;
  'watch/providers': TmdbWatchProviders;
  videos: TmdbVideos;
}

/** A movie in a list: search results, collection parts, `known_for`. */
export interface TmdbMovieListItem {
  adult: boolean;
  backdrop_path: string | null;
  genre_ids: number[];
  id: number;
  media_type?: 'movie';
  original_language: string;
  original_title: string;
  overview: string;
  popularity: number;
  poster_path: string | null;
  /** `""` when unknown; occasionally missing. */
  release_date?: string;
  title: string;
  video: boolean;
  vote_average: number;
  vote_count: number;
}

/** `GET /collection/{id}`. */
export interface TmdbCollection {
  id: number;
  name: string;
  original_language?: string;
  original_name?: string;
  overview: string;
  poster_path: string | null;
  backdrop_path: string | null;
  parts: TmdbMovieListItem[];
}

/** An entry of a series' `created_by`. */
export interface TmdbCreatedBy {
  id: number;
  credit_id: string;
  name: string;
  original_name: string;
  gender: TmdbGender;
  profile_path: string | null;
}

/** `last_episode_to_air` / `next_episode_to_air` of a series. */
export interface TmdbEpisodeSummary {
  id: number;
  name: string;
  overview: string;
  vote_average: number;
  vote_count: number;
  air_date: string | null;
  episode_number: number;
  /** `standard`, `finale`, `mid_season`. */
  episode_type: string;
  production_code: string;
  runtime: number | null;
  season_number: number;
  show_id: number;
  still_path: string | null;
}

/** An entry of a series' `seasons` list (season 0 is "Specials"). */
export interface TmdbSeasonSummary {
  air_date: string | null;
  episode_count: number;
  id: number;
  name: string;
  overview: string;
  poster_path: string | null;
  season_number: number;
  vote_average: number;
}

/** `GET /tv/{id}` without appends. */
export interface TmdbTvSeries {
  adult: boolean;
  backdrop_path: string | null;
  created_by: TmdbCreatedBy[];
  /** Usually `[]` nowadays. */
  episode_run_time?: number[];
  first_air_date: string | null;
  genres: TmdbGenre[];
  homepage: string | null;
  id: number;
  in_production: boolean;
  languages: string[];
  last_air_date: string | null;
  last_episode_to_air: TmdbEpisodeSummary | null;
  name: string;
  next_episode_to_air: TmdbEpisodeSummary | null;
  networks: TmdbNetwork[];
  number_of_episodes: number;
  number_of_seasons: number;
  origin_country: string[];
  original_language: string;
  original_name: string;
  overview: string;
  popularity: number;
  poster_path: string | null;
  production_companies: TmdbProductionCompany[];
  production_countries: TmdbProductionCountry[];
  seasons: TmdbSeasonSummary[];
  spoken_languages: TmdbSpokenLanguage[];
  /** `Returning Series`, `Ended`, `Canceled`, `In Production`, `Planned`, `Pilot`. */
  status: string;
  tagline: string | null;
  type: string;
  vote_average: number;
  vote_count: number;
}

/** `GET /tv/{id}?append_to_response=aggregate_credits,watch/providers,videos`. */
export interface TmdbTvSeriesDetails extends TmdbTvSeries {
  aggregate_credits: TmdbAggregateCredits;
  'watch/providers': TmdbWatchProviders;
  videos: TmdbVideos;
}

/** A `season/N` key of `append_to_response`. */
export type TmdbSeasonAppendKey = `season/${number}`;

/**
 * `GET /tv/{id}?append_to_response=aggregate_credits,season/1,...,season/19`.
 * TMDB silently leaves out seasons that do not exist, so every `season/N` is optional.
 */
export type TmdbTvSeriesWithSeasons = TmdbTvSeries & {
  aggregate_credits?: TmdbAggregateCredits;
} & { [key: TmdbSeasonAppendKey]: TmdbSeason | undefined };

/** An episode inside a season payload: its crew and guest stars, but not the regular cast. */
export interface TmdbSeasonEpisode {
  air_date: string | null;
  episode_number: number;
  episode_type: string;
  id: number;
  name: string;
  overview: string;
  production_code: string;
  runtime: number | null;
  season_number: number;
  show_id: number;
  still_path: string | null;
  vote_average: number;
  vote_count: number;
  crew: TmdbCrewCredit[];
  guest_stars: TmdbCastCredit[];
}

/** `GET /tv/{id}/season/{n}` without appends; also the shape of a `season/N` append. */
export interface TmdbSeason {
  _id: string;
  air_date: string | null;
  episodes: TmdbSeasonEpisode[];
  name: string;
  networks?: TmdbNetwork[];
  overview: string;
  id: number;
  poster_path: string | null;
  season_number: number;
  vote_average: number;
}

/** `GET /tv/{id}/season/{n}?append_to_response=watch/providers,aggregate_credits`. */
export interface TmdbSeasonDetails extends TmdbSeason {
  'watch/providers': TmdbWatchProviders;
  aggregate_credits: TmdbAggregateCredits;
}

/** `GET /tv/{id}/season/{n}/episode/{e}` without appends. Top-level `crew`/`guest_stars` exist but MiniMovie reads `credits`. */
export interface TmdbEpisode {
  air_date: string | null;
  crew: TmdbCrewCredit[];
  episode_number: number;
  episode_type: string;
  guest_stars: TmdbCastCredit[];
  name: string;
  overview: string;
  id: number;
  production_code: string;
  runtime: number | null;
  season_number: number;
  still_path: string | null;
  vote_average: number;
  vote_count: number;
}

/** `GET /tv/{id}/season/{n}/episode/{e}?append_to_response=credits`. */
export interface TmdbEpisodeDetails extends TmdbEpisode {
  credits: TmdbEpisodeCredits;
}

/** A series in a list: search results, `known_for`. */
export interface TmdbTvListItem {
  adult: boolean;
  backdrop_path: string | null;
  first_air_date?: string;
  genre_ids: number[];
  id: number;
  media_type?: 'tv';
  name: string;
  origin_country: string[];
  original_language: string;
  original_name: string;
  overview: string;
  popularity: number;
  poster_path: string | null;
  vote_average: number;
  vote_count: number;
}

/** A person in a list: search results. */
export interface TmdbPersonListItem {
  adult: boolean;
  gender: TmdbGender;
  id: number;
  known_for?: (TmdbMovieListItem | TmdbTvListItem)[];
  known_for_department: string;
  media_type?: 'person';
  name: string;
  original_name: string;
  popularity: number;
  profile_path: string | null;
}

/** `GET /search/movie?query=&page=`. */
export type TmdbSearchMovieResponse = TmdbPage<TmdbMovieListItem>;
/** `GET /search/tv?query=&page=`. */
export type TmdbSearchTvResponse = TmdbPage<TmdbTvListItem>;
/** `GET /search/person?query=&page=`. */
export type TmdbSearchPersonResponse = TmdbPage<TmdbPersonListItem>;

/** A multi-search result; `media_type` says which shape it has. */
export type TmdbMultiSearchItem =
  | (TmdbMovieListItem & { media_type: 'movie' })
  | (TmdbTvListItem & { media_type: 'tv' })
  | (TmdbPersonListItem & { media_type: 'person' });

/** `GET /search/multi?query=&page=`. */
export type TmdbSearchMultiResponse = TmdbPage<TmdbMultiSearchItem>;

/** `GET /person/{id}` without appends. */
export interface TmdbPerson {
  adult: boolean;
  also_known_as: string[];
  biography: string;
  birthday: string | null;
  deathday: string | null;
  gender: TmdbGender;
  homepage: string | null;
  id: number;
  imdb_id: string | null;
  known_for_department: string;
  name: string;
  place_of_birth: string | null;
  popularity: number;
  profile_path: string | null;
}

/** A movie cast credit in `combined_credits`. */
export interface TmdbCombinedMovieCast extends Omit<TmdbMovieListItem, 'media_type'> {
  media_type: 'movie';
  character: string;
  credit_id: string;
  order: number;
}

/** A TV cast credit in `combined_credits` (no `order`). */
export interface TmdbCombinedTvCast extends Omit<TmdbTvListItem, 'media_type'> {
  media_type: 'tv';
  character: string;
  credit_id: string;
  episode_count: number;
  first_credit_air_date?: string;
}

/** A movie crew credit in `combined_credits`: one entry per job. */
export interface TmdbCombinedMovieCrew extends Omit<TmdbMovieListItem, 'media_type'> {
  media_type: 'movie';
  credit_id: string;
  department: string;
  job: string;
}

/** A TV crew credit in `combined_credits`: one entry per job. */
export interface TmdbCombinedTvCrew extends Omit<TmdbTvListItem, 'media_type'> {
  media_type: 'tv';
  credit_id: string;
  department: string;
  job: string;
  episode_count: number;
  first_credit_air_date?: string;
}

/** The `combined_credits` append of a person. */
export interface TmdbCombinedCredits {
  cast: (TmdbCombinedMovieCast | TmdbCombinedTvCast)[];
  crew: (TmdbCombinedMovieCrew | TmdbCombinedTvCrew)[];
}

/** `GET /person/{id}?append_to_response=combined_credits`. */
export interface TmdbPersonDetails extends TmdbPerson {
  combined_credits: TmdbCombinedCredits;
}

/** One entry of `GET /person/changes`; `adult` can be `null`. */
export interface TmdbChangedItem {
  id: number;
  adult: boolean | null;
}

/** `GET /person/changes?start_date=&end_date=&page=`. */
export type TmdbPersonChangesResponse = TmdbPage<TmdbChangedItem>;
