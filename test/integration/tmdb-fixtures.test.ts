import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDemoCatalog } from '../../src/clients/tmdb/demo/demo-catalog.ts';
import type {
  TmdbEpisodeDetails,
  TmdbMovieDetails,
  TmdbPersonChangesResponse,
  TmdbPersonDetails,
  TmdbSeasonAggregateCreditsResponse,
  TmdbTvSeriesWithSeasons,
} from '../../src/clients/tmdb/tmdb.types.ts';
import { fixturePayload, loadFixture, TMDB_FIXTURE_DIR } from '../helpers/tmdb-fixtures.ts';

const REAL = [
  'collection.json',
  'movie.json',
  'person.json',
  'search_movie.json',
  'search_multi.json',
  'search_person.json',
  'search_tv.json',
  'tv_episode.json',
  'tv_seasons.json',
  'tv_series.json',
];

describe('fixture inventory', () => {
  it('lists every fixture file in the README as real or hand-written', () => {
    const readme = readFileSync(`${TMDB_FIXTURE_DIR}README.md`, 'utf8');
    const rows = readme.split('\n').filter((l) => l.startsWith('| `'));
    const files = readdirSync(TMDB_FIXTURE_DIR).filter((f) => f.endsWith('.json'));
    for (const file of files) {
      const row = rows.find((r) => r.includes(`\`${file}\``));
      expect(row, `${file} is not in the README table`).toBeDefined();
      expect(row!.includes('| real |'), `${file} real/hand-written mark`).toBe(REAL.includes(file));
    }
  });

  it('keeps real payloads free of marker keys', () => {
    for (const file of REAL) expect(Object.keys(loadFixture(file)).some((k) => k.startsWith('_hand'))).toBe(false);
  });
});

describe('movie 109445', () => {
  it('assembles the full /movie/109445?append_to_response=credits,watch/providers,videos', () => {
    const m = fixturePayload<TmdbMovieDetails>('/movie/109445', 'credits,watch/providers,videos');
    expect(m.title).toBe('Frozen');
    expect(m.credits.crew.filter((c) => c.name === 'Jennifer Lee').map((c) => c.job)).toEqual(['Director', 'Screenplay', 'Story']);
    expect(m.credits.cast.length).toBeGreaterThan(10);
    expect(m['watch/providers'].results.US?.flatrate?.length).toBeGreaterThan(0);
    expect(m.videos.results.some((v) => v.official && v.type === 'Trailer' && v.site === 'YouTube')).toBe(true);
  });

  it('has person fixtures whose credits point back at the movie', () => {
    const m = fixturePayload<TmdbMovieDetails>('/movie/109445', 'credits');
    const credited = new Map([...m.credits.cast, ...m.credits.crew].map((c) => [c.id, c.name]));
    for (const id of [8800001, 8800002, 8800004, 8800016, 8800017, 8800019]) {
      const p = loadFixture<TmdbPersonDetails>(`person_${id}`);
      expect(credited.get(id)).toBe(p.name);
      expect([...p.combined_credits.cast, ...p.combined_credits.crew].every((c) => c.id === 109445 && c.media_type === 'movie')).toBe(true);
    }
  });
});

describe('Mr. Robot', () => {
  const appends = ['aggregate_credits', ...Array.from({ length: 19 }, (_, i) => `season/${i + 1}`)];
  const series = fixturePayload<TmdbTvSeriesWithSeasons>('/tv/62560', appends);
  const seasons = [1, 2, 3, 4] as const;
  const aggregates = new Map<number, TmdbSeasonAggregateCreditsResponse>(
    seasons.map((n) => [n, n === 1 ? { ...loadFixture('tv_seasons').aggregate_credits, id: 66343 } : loadFixture(`tv_season_${n}.aggregate_credits`)]),
  );
  const seasonAgg = (n: number) => aggregates.get(n)!;

  it('has every season with the episode count of the series season list', () => {
    for (const n of seasons) {
      const summary = series.seasons.find((s) => s.season_number === n)!;
      const season = series[`season/${n}`]!;
      expect(season.id).toBe(summary.id);
      expect(season.episodes).toHaveLength(summary.episode_count);
      expect(season.episodes.map((e) => e.episode_number)).toEqual(season.episodes.map((_, i) => i + 1));
      expect(seasonAgg(n).id).toBe(summary.id);
    }
    expect(series['season/4']!.episodes.at(-1)!.id).toBe(series.last_episode_to_air!.id);
  });

  it('adds season counts up to the series aggregate counts', () => {
    for (const member of series.aggregate_credits!.cast) {
      const sum = seasons.map((n) => seasonAgg(n).cast.find((c) => c.id === member.id)?.total_episode_count ?? 0).reduce((a, b) => a + b, 0);
      expect(sum, member.name).toBe(member.total_episode_count);
    }
  });

  it('lists partial cast as guest stars in exactly that many episodes (generated seasons)', () => {
    for (const n of [2, 3, 4]) {
      const season = series[`season/${n}`]!;
      for (const member of seasonAgg(n).cast) {
        const guestIn = season.episodes.filter((e) => e.guest_stars.some((g) => g.id === member.id)).length;
        expect(guestIn, `${member.name} s${n}`).toBe(member.total_episode_count < season.episodes.length ? member.total_episode_count : 0);
      }
    }
  });

  it('has episode credits that exercise the cast merge', () => {
    const ep = fixturePayload<TmdbEpisodeDetails>('/tv/62560/season/1/episode/1', 'credits');
    const cast = (id: number) => ep.credits.cast.find((c) => c.id === id)!;
    const guest = (id: number) => ep.credits.guest_stars.find((c) => c.id === id)!;
    expect(guest(85756).order).toBeLessThan(cast(85756).order);
    expect(guest(58525).order).toBeGreaterThan(cast(58525).order);
    expect(ep.credits.crew.filter((c) => c.name === 'Sam Esmail' && c.job === 'Writer')).toHaveLength(2);
    expect(ep.credits.guest_stars).toEqual(loadFixture('tv_episode').guest_stars);
  });
});

describe('person changes', () => {
  it('has three pages with duplicates and null adult flags', () => {
    const pages = [1, 2, 3].map((n) => loadFixture<TmdbPersonChangesResponse>(`person_changes.page_${n}`));
    const ids = pages.flatMap((p) => p.results.map((r) => r.id));
    expect(pages.every((p, i) => p.page === i + 1 && p.total_pages === 3 && p.total_results === ids.length)).toBe(true);
    expect(ids.filter((id) => id === 17838)).toHaveLength(2);
    expect(pages.some((p) => p.results.some((r) => r.adult === null))).toBe(true);
  });
});

describe('demo catalog vs fixtures', () => {
  function ids(value: unknown, out: Set<number>, key = ''): Set<number> {
    if (Array.isArray(value)) for (const v of value) ids(v, out, key);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'genres' || k === 'genre_ids') continue;
        if (k === 'id' && typeof v === 'number') out.add(v);
        else ids(v, out, k);
      }
    }
    return out;
  }

  it('shares no id with the fixtures except movie 109445', () => {
    const fixtureIds = new Set<number>();
    for (const file of readdirSync(TMDB_FIXTURE_DIR).filter((f) => f.endsWith('.json'))) ids(loadFixture(file), fixtureIds);
    const demoIds = new Set<number>();
    for (const r of buildDemoCatalog().resources.values()) {
      ids(r.base, demoIds);
      ids(r.appends, demoIds);
    }
    expect([...demoIds].filter((id) => fixtureIds.has(id))).toEqual([109445]);
  });
});
