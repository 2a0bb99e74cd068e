import type { TmdbMovie, TmdbNetwork, TmdbTvSeries, TmdbVideos, TmdbWatchProviders } from '../tmdb.types.ts';

/** A cast credit by person id; the person fields come from the demo people. */
export interface DemoCastRef {
  person: number;
  character: string;
  /** Defaults to the position in the list. */
  order?: number;
}

/** A crew credit by person id. */
export interface DemoCrewRef {
  person: number;
  department: string;
  job: string;
}

/** A demo movie: the TMDB payload plus its appends, credits by reference. */
export interface DemoMovie {
  movie: TmdbMovie;
  cast: DemoCastRef[];
  crew: DemoCrewRef[];
  watchProviders: TmdbWatchProviders;
  videos: TmdbVideos;
}

/** A demo collection; `parts` are demo movie ids in TMDB order. */
export interface DemoCollection {
  id: number;
  name: string;
  overview: string;
  poster_path: string | null;
  backdrop_path: string | null;
  parts: number[];
}

/** A demo episode; its id, number, still and regular cast are derived. */
export interface DemoEpisode {
  name: string;
  overview: string;
  air_date: string;
  runtime: number | null;
  vote_average: number;
  vote_count: number;
  crew: DemoCrewRef[];
  /** Guest stars, with TMDB's (often large) `order`. */
  guests: (DemoCastRef & { order: number })[];
  /** Season regulars who are not in this episode. */
  absent?: number[];
}

/** A demo season; its id, air date and aggregate credits are derived. */
export interface DemoSeason {
  season_number: number;
  name: string;
  overview: string;
  poster_path: string | null;
  vote_average: number;
  /** Regular cast of the season: in every episode unless listed in `absent`. */
  cast: DemoCastRef[];
  episodes: DemoEpisode[];
}

/** Series fields the catalog derives from the seasons instead of storing them. */
export type DerivedSeriesField =
  | 'created_by'
  | 'seasons'
  | 'number_of_seasons'
  | 'number_of_episodes'
  | 'first_air_date'
  | 'last_air_date'
  | 'last_episode_to_air'
  | 'next_episode_to_air'
  | 'networks';

/** A demo series: the TMDB payload minus what the seasons determine. */
export interface DemoSeries {
  series: Omit<TmdbTvSeries, DerivedSeriesField>;
  networks: TmdbNetwork[];
  createdBy: number[];
  seasons: DemoSeason[];
  watchProviders: TmdbWatchProviders;
  videos: TmdbVideos;
}
