import type { AchievementFacts } from '../../data/repositories/activity.repository.ts';

export type AchievementCategory = 'movies' | 'series' | 'streaks' | 'variety' | 'time';

/** What the rules read: the aggregated history plus the longest streak (local dates). */
export interface AchievementInput extends AchievementFacts {
  longestStreak: number;
}

export interface AchievementDefinition {
  id: string;
  name: string;
  description: string;
  category: AchievementCategory;
  target: number;
  /** The user's progress towards `target`; earned when it reaches it. */
  current(input: AchievementInput): number;
}

const def = (
  id: string,
  name: string,
  description: string,
  category: AchievementCategory,
  target: number,
  current: (i: AchievementInput) => number,
): AchievementDefinition => ({ id, name, description, category, target, current });

/** Decades from the 1950s to the 2020s. */
export const DECADES_SINCE_1950 = 8;

/**
 * Every achievement. Ids are stable (stored with the user). All rules derive
 * from the watch history; the local dates use the profile's time zone.
 */
export const ACHIEVEMENTS: readonly AchievementDefinition[] = [
  def('first-movie', 'Lights, Camera', 'Log your first movie.', 'movies', 1, (i) => i.moviesWatched),
  def('movies-10', 'Film Fan', 'Watch 10 different movies.', 'movies', 10, (i) => i.moviesWatched),
  def('movies-50', 'Cinephile', 'Watch 50 different movies.', 'movies', 50, (i) => i.moviesWatched),
  def('movies-100', 'Centurion', 'Watch 100 different movies.', 'movies', 100, (i) => i.moviesWatched),
  def('movies-500', 'Projectionist', 'Watch 500 different movies.', 'movies', 500, (i) => i.moviesWatched),
  def('rewatch-3', 'Comfort Film', 'Watch the same movie 3 times.', 'movies', 3, (i) => i.maxMovieViews),
  def('decades', 'Time Traveller', 'Watch a film from each decade since the 1950s (1950s to 2020s), by release year.', 'movies', DECADES_SINCE_1950, (i) => i.movieDecades),
  def('first-episode', 'Pilot', 'Log your first episode.', 'series', 1, (i) => i.episodesWatched),
  def('episodes-100', 'Regular Viewer', 'Watch 100 different episodes.', 'series', 100, (i) => i.episodesWatched),
  def('episodes-1000', 'Couch Legend', 'Watch 1,000 different episodes.', 'series', 1000, (i) => i.episodesWatched),
  def('first-series-completed', 'Finale', 'Complete a series: every aired regular-season episode watched.', 'series', 1, (i) => i.seriesCompleted),
  def('series-completed-5', 'Completionist', 'Complete 5 series.', 'series', 5, (i) => i.seriesCompleted),
  def('series-completed-25', 'Box Set Master', 'Complete 25 series.', 'series', 25, (i) => i.seriesCompleted),
  def('binge-5', 'Binge Watcher', 'Log 5 episodes one by one on a single local day.', 'series', 5, (i) => i.maxEpisodesInDay),
  def('binge-10', 'Marathon', 'Log 10 episodes one by one on a single local day.', 'series', 10, (i) => i.maxEpisodesInDay),
  def('streak-7', 'Week Streak', 'Watch something on 7 consecutive local days.', 'streaks', 7, (i) => i.longestStreak),
  def('streak-30', 'Month Streak', 'Watch something on 30 consecutive local days.', 'streaks', 30, (i) => i.longestStreak),
  def('streak-100', 'Unstoppable', 'Watch something on 100 consecutive local days.', 'streaks', 100, (i) => i.longestStreak),
  def('genres-10', 'Explorer', 'Watch titles from 10 different genres.', 'variety', 10, (i) => i.genresExplored),
  def('week-10-hours', 'Big Week', 'Watch 10 hours in one local calendar week (Monday to Sunday).', 'time', 600, (i) => i.maxMinutesInWeek),
  def('hours-100', 'Hundred Hours', 'Watch 100 hours in total (rewatches count).', 'time', 6000, (i) => i.minutesWatched),
  def('hours-1000', 'Thousand Hours', 'Watch 1,000 hours in total (rewatches count).', 'time', 60000, (i) => i.minutesWatched),
];

/** Progress of every achievement (current capped at target) and the ids it earns. */
export function evaluateAchievements(input: AchievementInput): { id: string; current: number; target: number; earned: boolean }[] {
  return ACHIEVEMENTS.map((a) => {
    const value = Math.max(0, a.current(input));
    return { id: a.id, current: Math.min(value, a.target), target: a.target, earned: value >= a.target };
  });
}
