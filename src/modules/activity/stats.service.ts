import type { ActivityRepository } from '../../data/repositories/activity.repository.ts';
import type { UsersRepository } from '../../data/repositories/users.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import { activityErrors } from './activity.errors.ts';
import { computeStreaks, localDate } from './streaks.ts';
import { canonicalTimeZone } from './timezones.ts';

export interface StatsView {
  timezone: string;
  year: number | null;
  moviesWatched: number;
  movieViews: number;
  episodesWatched: number;
  seriesCompleted: number;
  minutesWatched: number;
  currentStreak: number;
  longestStreak: number;
  genres: { name: string; count: number; minutes: number }[];
  months: { month: string; movies: number; episodes: number; minutes: number }[];
}

export interface StatsService {
  /** Stats over the whole history, or one local calendar year. */
  get(userId: string, q: { tz?: string | undefined; year?: number | undefined }): Promise<StatsView>;
  /** The zone to count local dates in: the `tz` given, else the profile's, else UTC. */
  resolveTimeZone(userId: string, tz: string | undefined): Promise<string>;
}

/** PostgreSQL's "invalid parameter value" (an unknown time zone name in `AT TIME ZONE`). */
export function isInvalidTimeZoneError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === '22023' && typeof message === 'string' && message.includes('time zone')) return true;
  }
  return false;
}

/** Every month from the first to the last (or all twelve of a year), zeros included, so charts need no gap filling. */
function fillMonths(months: StatsView['months'], year: number | undefined): StatsView['months'] {
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const keys: string[] = [];
  if (year !== undefined) {
    for (let m = 1; m <= 12; m++) keys.push(`${year}-${String(m).padStart(2, '0')}`);
  } else if (months.length > 0) {
    const first = months[0]!.month;
    const last = months[months.length - 1]!.month;
    let [y, m] = first.split('-').map(Number) as [number, number];
    for (let key = first; key <= last; ) {
      keys.push(key);
      m++;
      if (m > 12) {
        m = 1;
        y++;
      }
      key = `${y}-${String(m).padStart(2, '0')}`;
    }
  }
  return keys.map((month) => byMonth.get(month) ?? { month, movies: 0, episodes: 0, minutes: 0 });
}

/** Stats aggregated in SQL over the watch-event snapshots; only streaks are computed here, from the distinct local dates. */
export function createStatsService(deps: { repo: ActivityRepository; users: UsersRepository; clock: Clock }): StatsService {
  const { repo, users, clock } = deps;

  async function resolveTimeZone(userId: string, tz: string | undefined): Promise<string> {
    if (tz !== undefined) {
      const zone = canonicalTimeZone(tz);
      if (!zone) throw activityErrors.invalidTimezone(tz);
      return zone;
    }
    const user = await users.findById(userId);
    return (user && canonicalTimeZone(user.timezone)) ?? 'UTC';
  }

  return {
    resolveTimeZone,

    async get(userId, q) {
      const timezone = await resolveTimeZone(userId, q.tz);
      let agg;
      try {
        agg = await repo.aggregates(userId, timezone, q.year);
      } catch (err) {
        if (isInvalidTimeZoneError(err)) throw activityErrors.invalidTimezone(timezone);
        throw err;
      }
      const streaks = computeStreaks(agg.dates, localDate(clock.now(), timezone));
      return {
        timezone,
        year: q.year ?? null,
        moviesWatched: agg.moviesWatched,
        movieViews: agg.movieViews,
        episodesWatched: agg.episodesWatched,
        seriesCompleted: agg.seriesCompleted,
        minutesWatched: agg.minutesWatched,
        currentStreak: streaks.current,
        longestStreak: streaks.longest,
        genres: agg.genres,
        months: fillMonths(agg.months, q.year),
      };
    },
  };
}
