import type { TmdbClient } from '../../clients/tmdb/tmdb.client.ts';
import type { Db } from '../../data/db.ts';
import { createActivityRepository, type ActivityRepository } from '../../data/repositories/activity.repository.ts';
import { createIdentitiesRepository } from '../../data/repositories/identities.repository.ts';
import { createUsersRepository } from '../../data/repositories/users.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ExpiredRowsPurger } from '../maintenance/expired-rows.registry.ts';
import { createAchievementsService, type AchievementsService } from './achievements.service.ts';
import { createProfileService, type ProfileService } from './profile.service.ts';
import { createStatsService, type StatsService } from './stats.service.ts';
import { createTitleSnapshots } from './title-snapshots.ts';
import { createWatchEventsService, type WatchEventsService } from './watch-events.service.ts';
import { createWatchlistService, type WatchlistService } from './watchlist.service.ts';

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

/** Wire the personal layer. `onHistoryChanged` queues the achievements job (after the change committed). */
export function createActivityComponents(deps: {
  db: Db;
  tmdb: TmdbClient;
  clock: Clock;
  logger: Logger;
  onHistoryChanged: (userId: string) => Promise<unknown>;
  /** `UsersService.deleteUser` from sign-in. */
  deleteUser: (userId: string) => Promise<boolean>;
  /** Drop the user's queued achievements jobs. */
  dropQueuedJobs: (userId: string) => Promise<unknown>;
}): ActivityComponents {
  const { db, tmdb, clock, logger } = deps;
  const repository = createActivityRepository(db);
  const users = createUsersRepository(db);
  const snapshots = createTitleSnapshots({ tmdb, clock });
  return {
    repository,
    watchlist: createWatchlistService({ repo: repository, snapshots, clock }),
    watchEvents: createWatchEventsService({ db, repo: repository, snapshots, clock, logger, onHistoryChanged: deps.onHistoryChanged }),
    stats: createStatsService({ repo: repository, users, clock }),
    achievements: createAchievementsService({ repo: repository, users, clock, logger }),
    profile: createProfileService({ repo: repository, users, identities: createIdentitiesRepository(db), clock, deleteUser: deps.deleteUser, dropQueuedJobs: deps.dropQueuedJobs }),
    purger: { table: 'idempotency_keys', purgeExpired: (now) => repository.purgeExpiredIdempotencyKeys(now) },
  };
}
