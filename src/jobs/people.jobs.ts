import type { AgesService } from '../modules/ages/ages.service.ts';
import type { PersonSyncService } from '../modules/ages/person-sync.service.ts';
import { createLruCache } from '../shared/lru-cache.ts';
import type { JobHandler, JobQueue } from './job.queue.ts';

/** Every day at 03:30 UTC, after TMDB's day has closed. */
export const PERSON_SYNC_CRON = '30 3 * * *';

/**
 * Queue people for the warm-up job, one job per person (the queue's singleton
 * key stops duplicates across instances); people queued from this process in
 * the last ten minutes are not sent again.
 */
export function createWarmupQueue(jobs: JobQueue): (people: { id: number; name: string }[]) => Promise<void> {
  const recent = createLruCache<number, true>(100_000);
  return async (people) => {
    const now = Date.now();
    const fresh = people.filter((p) => recent.get(p.id, now) === undefined);
    for (const p of fresh) recent.set(p.id, true, { expiresAt: now + 10 * 60 * 1000 });
    await Promise.all(fresh.map((p) => jobs.send('people-warmup', { id: p.id, name: p.name }, { singletonKey: `person:${p.id}` })));
  };
}

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
