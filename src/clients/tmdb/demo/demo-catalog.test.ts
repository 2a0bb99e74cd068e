import { describe, expect, it } from 'vitest';
import type {
  TmdbCollection,
  TmdbMovieDetails,
  TmdbPersonDetails,
  TmdbSeasonDetails,
  TmdbTvSeriesDetails,
  TmdbEpisodeDetails,
} from '../tmdb.types.ts';
import { buildDemoCatalog, DEMO_DATA, type DemoCatalog } from './demo-catalog.ts';

const catalog = buildDemoCatalog();

function payload<T>(c: DemoCatalog, path: string, appends: string[] = []): T {
  const r = c.resources.get(path);
  if (!r) throw new Error(`missing ${path}`);
  const out: Record<string, unknown> = { ...r.base };
  for (const a of appends) out[a] = r.appends[a];
  return out as T;
}

const movie = (id: number) => payload<TmdbMovieDetails>(catalog, `/movie/${id}`, ['credits', 'watch/providers', 'videos']);
const series = (id: number) => payload<TmdbTvSeriesDetails>(catalog, `/tv/${id}`, ['aggregate_credits', 'watch/providers', 'videos']);
const season = (id: number, n: number) => payload<TmdbSeasonDetails>(catalog, `/tv/${id}/season/${n}`, ['aggregate_credits', 'watch/providers']);
const person = (id: number) => payload<TmdbPersonDetails>(catalog, `/person/${id}`, ['combined_credits']);

describe('demo movies', () => {
  it('has movie 109445 with full credits, US and other providers and an official YouTube trailer', () => {
    const m = movie(109445);
    const jobs = m.credits.crew.map((c) => c.job);
    expect(jobs).toEqual(expect.arrayContaining(['Director', 'Screenplay', 'Story', 'Producer', 'Executive Producer']));
    expect(m.credits.cast.length).toBeGreaterThan(10);
    expect(m.credits.cast.map((c) => c.order)).toEqual(m.credits.cast.map((_, i) => i));
    expect(Object.keys(m['watch/providers'].results)).toEqual(expect.arrayContaining(['US', 'GB']));
    expect(m.videos.results.some((v) => v.site === 'YouTube' && v.type === 'Trailer' && v.official)).toBe(true);
  });

  it('has at least three movies and a collection of two or more parts that includes 109445', () => {
    expect(catalog.movies.length).toBeGreaterThanOrEqual(3);
    const ref = movie(109445).belongs_to_collection!;
    const collection = payload<TmdbCollection>(catalog, `/collection/${ref.id}`);
    expect(collection.parts.length).toBeGreaterThanOrEqual(2);
    expect(collection.parts.map((p) => p.id)).toContain(109445);
    for (const part of collection.parts) expect(movie(part.id).belongs_to_collection?.id).toBe(ref.id);
  });

  it('covers the awkward cases: no US providers, unreleased, nulls', () => {
    const paper = movie(9100003);
    expect(paper['watch/providers'].results.US).toBeUndefined();
    expect(paper.videos.results).toEqual([]);
    const upcoming = movie(9100004);
    expect(upcoming.runtime).toBeNull();
    expect(upcoming.poster_path).toBeNull();
    expect(upcoming.release_date > '2026-12-31').toBe(true);
  });
});

describe('demo series', () => {
  it('has two series with two or more regular seasons, one with Specials', () => {
    expect(catalog.series).toHaveLength(2);
    for (const s of catalog.series) expect(series(s.id).number_of_seasons).toBeGreaterThanOrEqual(2);
    expect(series(9200001).seasons[0]).toMatchObject({ season_number: 0, name: 'Specials' });
  });

  it('keeps season lists, episode counts and episode resources consistent', () => {
    for (const { id } of catalog.series) {
      const s = series(id);
      let regularEpisodes = 0;
      for (const summary of s.seasons) {
        const full = season(id, summary.season_number);
        expect(full.episodes).toHaveLength(summary.episode_count);
        expect(full.id).toBe(summary.id);
        if (summary.season_number > 0) regularEpisodes += summary.episode_count;
        for (const ep of full.episodes) {
          const single = payload<TmdbEpisodeDetails>(catalog, `/tv/${id}/season/${summary.season_number}/episode/${ep.episode_number}`, ['credits']);
          expect(single.id).toBe(ep.id);
          expect(single.credits.guest_stars).toEqual(ep.guest_stars);
          expect(single.credits.crew).toEqual(ep.crew);
        }
        expect(catalog.resources.get(`/tv/${id}`)!.appends[`season/${summary.season_number}`]).toBe(catalog.resources.get(`/tv/${id}/season/${summary.season_number}`)!.base);
      }
      expect(s.number_of_episodes).toBe(regularEpisodes);
      expect(s.last_episode_to_air?.air_date).toBe(s.last_air_date);
    }
  });

  it('derives series aggregate counts as the sum of the regular seasons', () => {
    for (const { id } of catalog.series) {
      const s = series(id);
      for (const member of s.aggregate_credits.cast) {
        const perSeason = s.seasons
          .filter((x) => x.season_number > 0)
          .map((x) => season(id, x.season_number).aggregate_credits.cast.find((c) => c.id === member.id)?.total_episode_count ?? 0);
        expect(perSeason.reduce((a, b) => a + b, 0)).toBe(member.total_episode_count);
      }
    }
  });

  it('lets a regular miss an episode without being a guest star (the §5.6 quirk)', () => {
    const s1 = season(9200001, 1);
    const nell = s1.aggregate_credits.cast.find((c) => c.id === 9300009)!;
    expect(nell.total_episode_count).toBe(s1.episodes.length - 1);
    expect(s1.episodes.every((e) => e.guest_stars.every((g) => g.id !== 9300009))).toBe(true);
  });

  it('has guests whose order is lower than a regular’s, and a regular who is also a guest', () => {
    const ep3 = payload<TmdbEpisodeDetails>(catalog, '/tv/9200001/season/1/episode/3', ['credits']);
    const regular = ep3.credits.cast.find((c) => c.id === 9300012)!;
    const guest = ep3.credits.guest_stars.find((c) => c.id === 9300012)!;
    expect(guest.order).toBeLessThan(regular.order);
    const ep1 = payload<TmdbEpisodeDetails>(catalog, '/tv/9200001/season/1/episode/1', ['credits']);
    const maxRegular = Math.max(...ep1.credits.cast.map((c) => c.order));
    expect(ep1.credits.guest_stars.some((g) => g.order < maxRegular)).toBe(true);
  });
});

describe('demo people', () => {
  it('has about thirty people with a mix of known, unknown and ended lives', () => {
    const people = DEMO_DATA.people;
    expect(people.length).toBeGreaterThanOrEqual(30);
    expect(people.some((p) => p.birthday === null)).toBe(true);
    expect(people.filter((p) => p.deathday !== null).length).toBeGreaterThanOrEqual(3);
    expect(new Set(people.map((p) => p.id)).size).toBe(people.length);
  });

  it('lists every credited person as a person with the same name', () => {
    const names = new Map(DEMO_DATA.people.map((p) => [p.id, p.name]));
    const check = (c: { id: number; name: string }) => expect(names.get(c.id), `person ${c.id}`).toBe(c.name);
    for (const { id } of catalog.movies) {
      const m = movie(id);
      [...m.credits.cast, ...m.credits.crew].forEach(check);
    }
    for (const { id } of catalog.series) {
      const s = series(id);
      [...s.aggregate_credits.cast, ...s.aggregate_credits.crew, ...s.created_by].forEach(check);
      for (const summary of s.seasons) {
        for (const ep of season(id, summary.season_number).episodes) [...ep.crew, ...ep.guest_stars].forEach(check);
      }
    }
  });

  it('derives combined credits from the titles', () => {
    const mara = person(9300001);
    const titles = mara.combined_credits.cast.map((c) => (c.media_type === 'movie' ? c.title : c.name));
    expect(titles).toEqual(expect.arrayContaining(['The Lantern Keeper', 'The Quiet Orbit', 'Northbound Signal']));
    const orbit = mara.combined_credits.cast.find((c) => c.media_type === 'tv' && c.id === 9200002);
    expect(orbit).toMatchObject({ episode_count: 6, character: 'Commander Ada Quill', first_credit_air_date: '2022-09-09' });
    const evelyn = person(9300013);
    expect(evelyn.combined_credits.crew.filter((c) => c.id === 109445).map((c) => c.job)).toEqual(['Director', 'Screenplay', 'Story']);
  });

  it('rejects data that credits an unknown person', () => {
    const broken = { ...DEMO_DATA, people: DEMO_DATA.people.filter((p) => p.id !== 9300001) };
    expect(() => buildDemoCatalog(broken)).toThrow(/unknown person 9300001/);
  });
});
