import type { AppleRevocationService } from '../modules/auth/apple-revocation.service.ts';
import type { CleanupService } from '../modules/maintenance/cleanup.service.ts';
import { createAppleRevokeJob } from './apple-revoke.job.ts';
import { createCleanupJob } from './cleanup.job.ts';
import type { JobHandlers } from './job.queue.ts';

export interface JobHandlerDeps {
  cleanup: CleanupService;
  auth: { appleRevocations: AppleRevocationService };
}

/** Every job the worker runs, wired to the services that do the work. */
export function createJobHandlers(deps: JobHandlerDeps): JobHandlers {
  return {
    cleanup: createCleanupJob(deps),
    'apple-revoke': createAppleRevokeJob(deps),
  };
}
