import type { AchievementsService } from '../modules/activity/achievements.service.ts';
import type { AppleRevocationService } from '../modules/auth/apple-revocation.service.ts';
import type { AgesService } from '../modules/ages/ages.service.ts';
import type { PersonSyncService } from '../modules/ages/person-sync.service.ts';
import type { CleanupService } from '../modules/maintenance/cleanup.service.ts';
import { createAchievementsJob } from './achievements.job.ts';
import { createAppleRevokeJob } from './apple-revoke.job.ts';
import { createCleanupJob } from './cleanup.job.ts';
import { createPeopleWarmupJob, createPersonSyncJob } from './people.jobs.ts';
import type { JobHandlers } from './job.queue.ts';

export interface JobHandlerDeps {
  cleanup: CleanupService;
  auth: { appleRevocations: AppleRevocationService };
  ages: AgesService;
  personSync: PersonSyncService;
  activity: { achievements: AchievementsService };
}

/** Every job the worker runs, wired to the services that do the work. */
export function createJobHandlers(deps: JobHandlerDeps): JobHandlers {
  return {
    cleanup: createCleanupJob(deps),
    'apple-revoke': createAppleRevokeJob(deps),
    'people-warmup': createPeopleWarmupJob(deps),
    'person-sync': createPersonSyncJob(deps),
    achievements: createAchievementsJob(deps),
  };
}
