import type { AppleRevocationService } from '../modules/auth/apple-revocation.service.ts';
import type { JobHandler } from './job.queue.ts';

/** The hourly sweep of due Apple revocations, at a quarter past (away from the cleanup on the hour). */
export const APPLE_REVOKE_SWEEP_CRON = '15 * * * *';

/** Revoke a queued Apple refresh token; a failure throws so pg-boss retries with backoff. */
export function createAppleRevokeJob(deps: { auth: { appleRevocations: AppleRevocationService } }): JobHandler<'apple-revoke'> {
  return {
    schedule: { cron: APPLE_REVOKE_SWEEP_CRON, data: {} },
    async run(data) {
      const service = deps.auth.appleRevocations;
      if (data.revocationId) await service.processRevocation(data.revocationId);
      else await service.retryDue();
    },
  };
}
