import type { ActivityRepository } from '../../data/repositories/activity.repository.ts';
import type { ExpiredRowsPurger } from '../maintenance/expired-rows.registry.ts';
import type { AchievementsService } from './achievements.service.ts';
import type { ProfileService } from './profile.service.ts';
import type { StatsService } from './stats.service.ts';
import type { WatchEventsService } from './watch-events.service.ts';
import type { WatchlistService } from './watchlist.service.ts';

/** The personal layer: watchlist, history, stats, achievements, profile and export. */
export interface ActivityComponents {
  repository: ActivityRepository;
  watchlist: WatchlistService;
  watchEvents: WatchEventsService;
  stats: StatsService;
  achievements: AchievementsService;
  profile: ProfileService;
  /** Expired idempotency keys, for the cleanup job. */
  purger: ExpiredRowsPurger;
}
