import type { CleanupService } from '../modules/maintenance/cleanup.service.ts';
import type { JobHandler } from './job.queue.ts';

/** Every hour, on the hour (UTC). */
export const CLEANUP_CRON = '0 * * * *';

/** The scheduled cleanup: purge expired rows; a failed table fails the job so pg-boss retries it. */
export function createCleanupJob(deps: { cleanup: CleanupService }): JobHandler<'cleanup'> {
  return {
    schedule: { cron: CLEANUP_CRON, data: {} },
    async run() {
      const report = await deps.cleanup.run();
      if (report.status === 'failed') {
        const failed = report.tables.filter((t) => t.error !== undefined).map((t) => t.table);
        throw new Error(`cleanup failed for ${failed.join(', ')} (sync_job_status row ${report.runId})`);
      }
    },
  };
}
