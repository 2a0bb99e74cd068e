/*
 * Part of the composition root (src/container.ts): wires the personal layer.
 * Only container.ts imports it; the rest of the app sees the
 * ActivityComponents interface.
 */
import type { TmdbClient } from '../clients/tmdb/tmdb.client.ts';
import type { Db } from '../data/db.ts';
import { createActivityRepository } from '../data/repositories/activity.repository.ts';
import { createIdentitiesRepository } from '../data/repositories/identities.repository.ts';
import { createUsersRepository } from '../data/repositories/users.repository.ts';
import type { ActivityComponents } from '../modules/activity/activity.components.ts';
import { createAchievementsService } from '../modules/activity/achievements.service.ts';
import { createProfileService } from '../modules/activity/profile.service.ts';
import { createStatsService } from '../modules/activity/stats.service.ts';
import { createTitleSnapshots } from '../modules/activity/title-snapshots.ts';
import { createWatchEventsService } from '../modules/activity/watch-events.service.ts';
import { createWatchlistService } from '../modules/activity/watchlist.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';

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
