import { describe, expect, it } from 'vitest';
import { ACHIEVEMENTS, evaluateAchievements, type AchievementInput } from './achievements.ts';

const empty: AchievementInput = {
  moviesWatched: 0,
  movieViews: 0,
  episodesWatched: 0,
  seriesCompleted: 0,
  minutesWatched: 0,
  genres: [],
  months: [],
  dates: [],
  genresExplored: 0,
  maxEpisodesInDay: 0,
  maxMinutesInWeek: 0,
  movieDecades: 0,
  maxMovieViews: 0,
  longestStreak: 0,
};

const earned = (input: Partial<AchievementInput>) =>
  evaluateAchievements({ ...empty, ...input })
    .filter((a) => a.earned)
    .map((a) => a.id);

describe('achievement definitions', () => {
  it('has at least 20 with unique ids, names, descriptions and positive targets', () => {
    expect(ACHIEVEMENTS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ACHIEVEMENTS.map((a) => a.id)).size).toBe(ACHIEVEMENTS.length);
    for (const a of ACHIEVEMENTS) {
      expect(a.name.length).toBeGreaterThan(0);
      expect(a.description.length).toBeGreaterThan(0);
      expect(a.target).toBeGreaterThan(0);
    }
  });

  it('nothing is earned without history', () => {
    expect(earned({})).toEqual([]);
  });

  // Each rule: one below its target earns nothing, the target earns exactly the expected ids.
  const cases: [string, Partial<AchievementInput>, Partial<AchievementInput>, string[]][] = [
    ['first-movie', { moviesWatched: 0 }, { moviesWatched: 1 }, ['first-movie']],
    ['movies-10', { moviesWatched: 9 }, { moviesWatched: 10 }, ['first-movie', 'movies-10']],
    ['movies-50', { moviesWatched: 49 }, { moviesWatched: 50 }, ['first-movie', 'movies-10', 'movies-50']],
    ['movies-100', { moviesWatched: 99 }, { moviesWatched: 100 }, ['first-movie', 'movies-10', 'movies-50', 'movies-100']],
    ['movies-500', { moviesWatched: 499 }, { moviesWatched: 500 }, ['first-movie', 'movies-10', 'movies-50', 'movies-100', 'movies-500']],
    ['rewatch-3', { maxMovieViews: 2 }, { maxMovieViews: 3 }, ['rewatch-3']],
    ['decades', { movieDecades: 7 }, { movieDecades: 8 }, ['decades']],
    ['first-episode', { episodesWatched: 0 }, { episodesWatched: 1 }, ['first-episode']],
    ['episodes-100', { episodesWatched: 99 }, { episodesWatched: 100 }, ['first-episode', 'episodes-100']],
    ['episodes-1000', { episodesWatched: 999 }, { episodesWatched: 1000 }, ['first-episode', 'episodes-100', 'episodes-1000']],
    ['first-series-completed', { seriesCompleted: 0 }, { seriesCompleted: 1 }, ['first-series-completed']],
    ['series-completed-5', { seriesCompleted: 4 }, { seriesCompleted: 5 }, ['first-series-completed', 'series-completed-5']],
    ['series-completed-25', { seriesCompleted: 24 }, { seriesCompleted: 25 }, ['first-series-completed', 'series-completed-5', 'series-completed-25']],
    ['binge-5', { maxEpisodesInDay: 4 }, { maxEpisodesInDay: 5 }, ['binge-5']],
    ['binge-10', { maxEpisodesInDay: 9 }, { maxEpisodesInDay: 10 }, ['binge-5', 'binge-10']],
    ['streak-7', { longestStreak: 6 }, { longestStreak: 7 }, ['streak-7']],
    ['streak-30', { longestStreak: 29 }, { longestStreak: 30 }, ['streak-7', 'streak-30']],
    ['streak-100', { longestStreak: 99 }, { longestStreak: 100 }, ['streak-7', 'streak-30', 'streak-100']],
    ['genres-10', { genresExplored: 9 }, { genresExplored: 10 }, ['genres-10']],
    ['week-10-hours', { maxMinutesInWeek: 599 }, { maxMinutesInWeek: 600 }, ['week-10-hours']],
    ['hours-100', { minutesWatched: 5999 }, { minutesWatched: 6000 }, ['hours-100']],
    ['hours-1000', { minutesWatched: 59_999 }, { minutesWatched: 60_000 }, ['hours-100', 'hours-1000']],
  ];

  it('every definition has a rule test', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(ACHIEVEMENTS.map((a) => a.id).sort());
  });

  for (const [id, below, at, expected] of cases) {
    it(`${id}: earned exactly at its target`, () => {
      expect(earned(below)).not.toContain(id);
      expect(earned(at).sort()).toEqual([...expected].sort());
    });
  }

  it('caps progress at the target', () => {
    const p = evaluateAchievements({ ...empty, moviesWatched: 12 }).find((a) => a.id === 'movies-10');
    expect(p).toEqual({ id: 'movies-10', current: 10, target: 10, earned: true });
  });
});
