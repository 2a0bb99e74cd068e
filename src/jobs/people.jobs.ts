import type { AgesService } from '../modules/ages/ages.service.ts';
import type { PersonSyncService } from '../modules/ages/person-sync.service.ts';
import type { JobHandler } from './job.queue.ts';

/** Every day at 03:30 UTC, after TMDB's day has closed. */
export const PERSON_SYNC_CRON = '30 3 * * *';

/** Fetch one person a page could not fetch in time; a TMDB failure fails the job so pg-boss retries it. */
export function createPeopleWarmupJob(deps: { ages: AgesService }): JobHandler<'people-warmup'> {
  return {
    async run(data) {
      const { failed } = await deps.ages.warm([data]);
      if (failed > 0) throw new Error(`TMDB did not answer for person ${data.id}; will retry`);
    },
  };
}

/** The daily person-change sync; the same service method as `minimovie sync`. */
export function createPersonSyncJob(deps: { personSync: PersonSyncService }): JobHandler<'person-sync'> {
  return {
    schedule: { cron: PERSON_SYNC_CRON, data: {} },
    async run(_data, ctx) {
      await deps.personSync.run({ signal: ctx.signal });
    },
  };
}
