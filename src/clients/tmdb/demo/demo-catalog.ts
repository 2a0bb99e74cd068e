import type {
  TmdbAggregateCastMember,
  TmdbAggregateCredits,
  TmdbAggregateCrewMember,
  TmdbCastCredit,
  TmdbCollection,
  TmdbCombinedCredits,
  TmdbCreditPerson,
  TmdbCrewCredit,
  TmdbEpisode,
  TmdbEpisodeCredits,
  TmdbEpisodeSummary,
  TmdbMovie,
  TmdbMovieListItem,
  TmdbPerson,
  TmdbPersonListItem,
  TmdbSeason,
  TmdbSeasonEpisode,
  TmdbSeasonSummary,
  TmdbTvListItem,
  TmdbTvSeries,
} from '../tmdb.types.ts';
import { demoHexId } from './demo-ids.ts';
import { DEMO_COLLECTIONS, DEMO_MOVIES } from './demo-movies.data.ts';
import { DEMO_PEOPLE } from './demo-people.data.ts';
import { DEMO_SERIES } from './demo-series.data.ts';
import type { DemoCollection, DemoMovie, DemoSeries } from './demo.types.ts';

/** A TMDB resource: its payload without appends, and each append by its `append_to_response` name. */
export interface DemoResource {
  base: object;
  appends: Readonly<Record<string, object>>;
}

/** The demo catalog in TMDB's wire format, ready to be served by path. */
export interface DemoCatalog {
  /** Keyed by TMDB path: `/movie/109445`, `/tv/9200001/season/1/episode/2`, `/person/9300001`, ... */
  resources: ReadonlyMap<string, DemoResource>;
  /** Search entries, without `media_type`. */
  movies: readonly TmdbMovieListItem[];
  series: readonly TmdbTvListItem[];
  people: readonly TmdbPersonListItem[];
}

/** The raw demo data the catalog is built from. */
export interface DemoData {
  people: readonly TmdbPerson[];
  movies: readonly DemoMovie[];
  collections: readonly DemoCollection[];
  series: readonly DemoSeries[];
}

/** The built-in demo data. */
export const DEMO_DATA: DemoData = { people: DEMO_PEOPLE, movies: DEMO_MOVIES, collections: DEMO_COLLECTIONS, series: DEMO_SERIES };

type CombinedCast = TmdbCombinedCredits['cast'][number];
type CombinedCrew = TmdbCombinedCredits['crew'][number];

function movieListItem(m: TmdbMovie): TmdbMovieListItem {
  return {
    adult: m.adult,
    backdrop_path: m.backdrop_path,
    genre_ids: m.genres.map((g) => g.id),
    id: m.id,
    original_language: m.original_language,
    original_title: m.original_title,
    overview: m.overview,
    popularity: m.popularity,
    poster_path: m.poster_path,
    release_date: m.release_date,
    title: m.title,
    video: m.video,
    vote_average: m.vote_average,
    vote_count: m.vote_count,
  };
}

function tvListItem(s: TmdbTvSeries): TmdbTvListItem {
  return {
    adult: s.adult,
    backdrop_path: s.backdrop_path,
    genre_ids: s.genres.map((g) => g.id),
    id: s.id,
    origin_country: s.origin_country,
    original_language: s.original_language,
    original_name: s.original_name,
    overview: s.overview,
    popularity: s.popularity,
    poster_path: s.poster_path,
    first_air_date: s.first_air_date ?? '',
    name: s.name,
    vote_average: s.vote_average,
    vote_count: s.vote_count,
  };
}

function personFields(c: TmdbCreditPerson): TmdbCreditPerson {
  return {
    adult: c.adult,
    gender: c.gender,
    id: c.id,
    known_for_department: c.known_for_department,
    name: c.name,
    original_name: c.original_name,
    popularity: c.popularity,
    profile_path: c.profile_path,
  };
}

/** Episode-level appearances, folded into TMDB's aggregate credits (cast by episode count, then order). */
function createAggregator() {
  const cast = new Map<
    number,
    { person: TmdbCreditPerson; regularOrder?: number; guestOrder?: number; episodes: Set<number>; roles: Map<string, { credit_id: string; episodes: Set<number> }> }
  >();
  const crew = new Map<string, { person: TmdbCreditPerson; department: string; episodes: Set<number>; jobs: Map<string, { credit_id: string; episodes: Set<number> }> }>();
  const lowest = (a: number | undefined, b: number) => (a === undefined ? b : Math.min(a, b));
  return {
    /** Regulars keep their cast order; people who were only ever guests get their lowest guest order. */
    addCast(person: TmdbCreditPerson, character: string, creditId: string, order: number, episodeId: number, regular: boolean) {
      let entry = cast.get(person.id);
      if (!entry) {
        entry = { person: personFields(person), episodes: new Set(), roles: new Map() };
        cast.set(person.id, entry);
      }
      if (regular) entry.regularOrder = lowest(entry.regularOrder, order);
      else entry.guestOrder = lowest(entry.guestOrder, order);
      entry.episodes.add(episodeId);
      let role = entry.roles.get(character);
      if (!role) {
        role = { credit_id: creditId, episodes: new Set() };
        entry.roles.set(character, role);
      }
      role.episodes.add(episodeId);
    },
    addCrew(person: TmdbCreditPerson, department: string, job: string, creditId: string, episodeId: number) {
      const key = `${person.id}|${department}`;
      let entry = crew.get(key);
      if (!entry) {
        entry = { person: personFields(person), department, episodes: new Set(), jobs: new Map() };
        crew.set(key, entry);
      }
      entry.episodes.add(episodeId);
      let j = entry.jobs.get(job);
      if (!j) {
        j = { credit_id: creditId, episodes: new Set() };
        entry.jobs.set(job, j);
      }
      j.episodes.add(episodeId);
    },
    result(): TmdbAggregateCredits {
      const castOut: TmdbAggregateCastMember[] = [...cast.values()]
        .map((e) => ({
          ...e.person,
          roles: [...e.roles].map(([character, r]) => ({ credit_id: r.credit_id, character, episode_count: r.episodes.size })),
          total_episode_count: e.episodes.size,
          order: e.regularOrder ?? e.guestOrder ?? 0,
        }))
        .sort((a, b) => b.total_episode_count - a.total_episode_count || a.order - b.order);
      const crewOut: TmdbAggregateCrewMember[] = [...crew.values()]
        .map((e) => ({
          ...e.person,
          jobs: [...e.jobs].map(([job, j]) => ({ credit_id: j.credit_id, job, episode_count: j.episodes.size })),
          department: e.department,
          total_episode_count: e.episodes.size,
        }))
        .sort((a, b) => a.department.localeCompare(b.department) || b.total_episode_count - a.total_episode_count);
      return { cast: castOut, crew: crewOut };
    },
    episodesByPerson(): Map<number, number[]> {
      const out = new Map<number, number[]>();
      for (const [id, e] of cast) out.set(id, [...e.episodes]);
      return out;
    },
  };
}

/**
 * Build every demo payload in TMDB's wire format. Credits are stored by person id and
 * expanded here, and everything TMDB derives (aggregate credits, `combined_credits`,
 * season lists and counts, collection parts) is derived the same way, so the catalog
 * cannot contradict itself. Throws when the data references an unknown person or movie.
 */
export function buildDemoCatalog(data: DemoData = DEMO_DATA): DemoCatalog {
  const resources = new Map<string, DemoResource>();
  const peopleById = new Map(data.people.map((p) => [p.id, p]));
  const personCredits = new Map<number, { cast: CombinedCast[]; crew: CombinedCrew[] }>(data.people.map((p) => [p.id, { cast: [], crew: [] }]));

  const person = (id: number): TmdbPerson => {
    const p = peopleById.get(id);
    if (!p) throw new Error(`demo catalog: unknown person ${id}`);
    return p;
  };
  const creditPerson = (id: number): TmdbCreditPerson => personFields({ ...person(id), original_name: person(id).name });
  const creditsOf = (id: number) => personCredits.get(person(id).id)!;

  const moviesById = new Map<number, TmdbMovie>();
  for (const { movie, cast, crew, watchProviders, videos } of data.movies) {
    moviesById.set(movie.id, movie);
    const item = movieListItem(movie);
    const castCredits: TmdbCastCredit[] = cast.map((ref, i) => ({
      ...creditPerson(ref.person),
      cast_id: i + 1,
      character: ref.character,
      credit_id: demoHexId(`movie:${movie.id}:cast:${i}`),
      order: ref.order ?? i,
    }));
    const crewCredits: TmdbCrewCredit[] = crew.map((ref, i) => ({
      ...creditPerson(ref.person),
      credit_id: demoHexId(`movie:${movie.id}:crew:${i}`),
      department: ref.department,
      job: ref.job,
    }));
    for (const c of castCredits) creditsOf(c.id).cast.push({ ...item, character: c.character, credit_id: c.credit_id, order: c.order, media_type: 'movie' });
    for (const c of crewCredits) creditsOf(c.id).crew.push({ ...item, credit_id: c.credit_id, department: c.department, job: c.job, media_type: 'movie' });
    resources.set(`/movie/${movie.id}`, {
      base: movie,
      appends: { credits: { cast: castCredits, crew: crewCredits }, 'watch/providers': watchProviders, videos },
    });
  }

  for (const c of data.collections) {
    const collection: TmdbCollection = {
      id: c.id,
      name: c.name,
      original_language: 'en',
      original_name: c.name,
      overview: c.overview,
      poster_path: c.poster_path,
      backdrop_path: c.backdrop_path,
      parts: c.parts.map((id) => {
        const movie = moviesById.get(id);
        if (!movie) throw new Error(`demo catalog: collection ${c.id} lists unknown movie ${id}`);
        return { ...movieListItem(movie), media_type: 'movie' as const };
      }),
    };
    resources.set(`/collection/${c.id}`, { base: collection, appends: {} });
  }

  const seriesItems: TmdbTvListItem[] = [];
  data.series.forEach((demo, index) => {
    const sid = demo.series.id;
    const slug = demo.series.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const seriesAgg = createAggregator();
    const airDates = new Map<number, string>();
    const summaries: TmdbSeasonSummary[] = [];
    const seasonPayloads = new Map<number, TmdbSeason>();
    const regularEpisodes: TmdbSeasonEpisode[] = [];

    for (const season of demo.seasons) {
      const n = season.season_number;
      const seasonId = 9_210_000 + (index + 1) * 100 + n;
      const seasonAgg = createAggregator();
      const regular = n > 0;
      const orders = new Map(season.cast.map((ref, i) => [ref.person, ref.order ?? i]));

      const episodes: TmdbSeasonEpisode[] = season.episodes.map((ep, i) => {
        const e = i + 1;
        const episodeId = 9_220_000 + (index + 1) * 1000 + n * 100 + e;
        airDates.set(episodeId, ep.air_date);
        const cast: TmdbCastCredit[] = season.cast
          .filter((ref) => !ep.absent?.includes(ref.person))
          .map((ref) => ({
            ...creditPerson(ref.person),
            character: ref.character,
            credit_id: demoHexId(`tv:${sid}:s${n}:cast:${ref.person}`),
            order: orders.get(ref.person)!,
          }));
        const guests: TmdbCastCredit[] = [...ep.guests]
          .sort((a, b) => a.order - b.order)
          .map((ref) => ({
            character: ref.character,
            credit_id: demoHexId(`tv:${sid}:s${n}e${e}:guest:${ref.person}`),
            order: ref.order,
            ...creditPerson(ref.person),
          }));
        const crew: TmdbCrewCredit[] = ep.crew.map((ref, j) => ({
          job: ref.job,
          department: ref.department,
          credit_id: demoHexId(`tv:${sid}:s${n}e${e}:crew:${j}`),
          ...creditPerson(ref.person),
        }));

        for (const agg of regular ? [seasonAgg, seriesAgg] : [seasonAgg]) {
          for (const c of cast) agg.addCast(c, c.character, demoHexId(`tv:${sid}:role:${c.id}:${c.character}`), c.order, episodeId, true);
          for (const g of guests) agg.addCast(g, g.character, demoHexId(`tv:${sid}:role:${g.id}:${g.character}`), g.order, episodeId, false);
          for (const c of crew) agg.addCrew(c, c.department, c.job, demoHexId(`tv:${sid}:job:${c.id}:${c.job}`), episodeId);
        }

        const code = `s${String(n).padStart(2, '0')}e${String(e).padStart(2, '0')}`;
        const seasonEpisode: TmdbSeasonEpisode = {
          air_date: ep.air_date,
          episode_number: e,
          episode_type: regular && e === season.episodes.length ? 'finale' : 'standard',
          id: episodeId,
          name: ep.name,
          overview: ep.overview,
          production_code: '',
          runtime: ep.runtime,
          season_number: n,
          show_id: sid,
          still_path: `/demo-${slug}-${code}.jpg`,
          vote_average: ep.vote_average,
          vote_count: ep.vote_count,
          crew,
          guest_stars: guests,
        };
        const { show_id: _showId, ...episodeBase } = seasonEpisode;
        const episodePayload: TmdbEpisode = episodeBase;
        const episodeCredits: TmdbEpisodeCredits = { cast, crew, guest_stars: guests };
        resources.set(`/tv/${sid}/season/${n}/episode/${e}`, { base: episodePayload, appends: { credits: episodeCredits } });
        return seasonEpisode;
      });
      if (regular) regularEpisodes.push(...episodes);

      const payload: TmdbSeason = {
        _id: demoHexId(`season:${sid}:${n}`),
        air_date: episodes[0]?.air_date ?? null,
        episodes,
        name: season.name,
        networks: demo.networks,
        overview: season.overview,
        id: seasonId,
        poster_path: season.poster_path,
        season_number: n,
        vote_average: season.vote_average,
      };
      seasonPayloads.set(n, payload);
      resources.set(`/tv/${sid}/season/${n}`, {
        base: payload,
        appends: { aggregate_credits: seasonAgg.result(), 'watch/providers': demo.watchProviders },
      });
      summaries.push({
        air_date: payload.air_date,
        episode_count: episodes.length,
        id: seasonId,
        name: season.name,
        overview: season.overview,
        poster_path: season.poster_path,
        season_number: n,
        vote_average: season.vote_average,
      });
    }

    const last = regularEpisodes.at(-1);
    const lastEpisode: TmdbEpisodeSummary | null = last
      ? {
          id: last.id,
          name: last.name,
          overview: last.overview,
          vote_average: last.vote_average,
          vote_count: last.vote_count,
          air_date: last.air_date,
          episode_number: last.episode_number,
          episode_type: last.episode_type,
          production_code: last.production_code,
          runtime: last.runtime,
          season_number: last.season_number,
          show_id: sid,
          still_path: last.still_path,
        }
      : null;
    const series: TmdbTvSeries = {
      ...demo.series,
      created_by: demo.createdBy.map((id) => {
        const p = person(id);
        return { id, credit_id: demoHexId(`tv:${sid}:creator:${id}`), name: p.name, original_name: p.name, gender: p.gender, profile_path: p.profile_path };
      }),
      first_air_date: regularEpisodes[0]?.air_date ?? null,
      last_air_date: last?.air_date ?? null,
      last_episode_to_air: lastEpisode,
      next_episode_to_air: null,
      networks: demo.networks,
      number_of_episodes: regularEpisodes.length,
      number_of_seasons: summaries.filter((s) => s.season_number > 0).length,
      seasons: summaries,
    };
    const aggregate = seriesAgg.result();
    const appends: Record<string, object> = { aggregate_credits: aggregate, 'watch/providers': demo.watchProviders, videos: demo.videos };
    for (const [n, payload] of seasonPayloads) appends[`season/${n}`] = payload;
    resources.set(`/tv/${sid}`, { base: series, appends });

    const item = tvListItem(series);
    seriesItems.push(item);
    const episodesOf = seriesAgg.episodesByPerson();
    const firstAirDate = (personId: number) =>
      (episodesOf.get(personId) ?? []).map((id) => airDates.get(id) ?? '').sort()[0] ?? '';
    for (const c of aggregate.cast) {
      const role = c.roles[0]!;
      creditsOf(c.id).cast.push({
        ...item,
        character: role.character,
        credit_id: role.credit_id,
        episode_count: c.total_episode_count,
        first_credit_air_date: firstAirDate(c.id),
        media_type: 'tv',
      });
    }
    for (const c of aggregate.crew) {
      for (const job of c.jobs) {
        creditsOf(c.id).crew.push({
          ...item,
          credit_id: job.credit_id,
          department: c.department,
          episode_count: job.episode_count,
          job: job.job,
          media_type: 'tv',
        });
      }
    }
  });

  const peopleItems: TmdbPersonListItem[] = data.people.map((p) => {
    const credits = personCredits.get(p.id)!;
    resources.set(`/person/${p.id}`, { base: p, appends: { combined_credits: credits } });
    const seen = new Set<string>();
    const knownFor = [...credits.cast, ...credits.crew]
      .filter((c) => {
        const key = `${c.media_type}:${c.id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => b.popularity - a.popularity)
      .slice(0, 3)
      .map((c): TmdbMovieListItem | TmdbTvListItem =>
        c.media_type === 'movie'
          ? { ...movieListItem(moviesById.get(c.id)!), media_type: 'movie' }
          : { ...seriesItems.find((s) => s.id === c.id)!, media_type: 'tv' },
      );
    return {
      adult: p.adult,
      gender: p.gender,
      id: p.id,
      known_for: knownFor,
      known_for_department: p.known_for_department,
      name: p.name,
      original_name: p.name,
      popularity: p.popularity,
      profile_path: p.profile_path,
    };
  });

  return { resources, movies: [...moviesById.values()].map(movieListItem), series: seriesItems, people: peopleItems };
}
