import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../../src/container.ts';
import { rowsOf, type Db } from '../../src/data/db.ts';
import { createSyncJobStatusRepository, type SyncJobRun } from '../../src/data/repositories/sync-job-status.repository.ts';
import { JOB_NAMES, type JobName } from '../../src/jobs/job.catalog.ts';
import { createJobHandlers } from '../../src/jobs/job.handlers.ts';
import { CLEANUP_CRON } from '../../src/jobs/cleanup.job.ts';
import { CLEANUP_RUN_TYPE } from '../../src/modules/maintenance/cleanup.service.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startWorker, type Worker, type WorkerOptions } from '../../src/worker.ts';
import { testConfig } from '../helpers/build-test-app.ts';
import { createServerDatabase, createTestDatabase, testDatabaseKind } from '../helpers/test-db.ts';

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
/** No schedules, so none can fire in the middle of a test. */
const NO_SCHEDULES = Object.fromEntries(JOB_NAMES.map((name) => [name, null])) as Record<JobName, null>;
/** Short pg-boss intervals. */
const FAST: WorkerOptions = { pollingIntervalSeconds: 0.5, schedules: NO_SCHEDULES, stopTimeoutMs: 1000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

const cleanupRuns = (db: Db): Promise<SyncJobRun[]> => createSyncJobStatusRepository(db).listByType(CLEANUP_RUN_TYPE);

interface JobRow {
  id: string;
  state: string;
  retry_count: number;
  /** Whether the job waits for a later time (a retry delay, or startAfter). */
  deferred: boolean;
}

async function jobRows(db: Db, queue: string): Promise<JobRow[]> {
  const res = await db.execute(sql`select id, state, retry_count, start_after > now() as deferred from pgboss.job where name = ${queue} order by created_on`);
  return rowsOf<JobRow>(res);
}

describe('job queue and worker', () => {
  let container: Container;
  let worker: Worker | undefined;

  beforeAll(async () => {
    container = await createContainer(testConfig(), { database: await createTestDatabase(), migrate: false, logger });
  });
  afterAll(async () => {
    await container?.close();
  });
  beforeEach(async () => {
    await container.db.execute(sql`truncate sync_job_status, pgboss.job, pgboss.schedule`);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await container.jobs.stop();
  });

  it('processes a sent job', async () => {
    worker = await startWorker(container, FAST);
    const id = await container.jobs.send('cleanup', {});
    expect(id).toEqual(expect.any(String));
    const [run] = await waitFor(() => cleanupRuns(container.db), (runs) => runs.length > 0 && runs[0]?.status !== 'running');
    expect(run).toMatchObject({ status: 'completed', updatedCount: 0 });
    const jobs = await waitFor(() => jobRows(container.db, 'cleanup'), (rows) => rows[0]?.state === 'completed');
    expect(jobs.map((j) => j.id)).toEqual([id]);
  });

  it('accepts jobs while no worker runs (API node) and a worker started later runs them', async () => {
    const id = await container.jobs.send('cleanup', {});
    expect(id).toEqual(expect.any(String));
    // The cleanup queue is `exclusive`: a second one is refused while the first waits.
    expect(await container.jobs.send('cleanup', {})).toBeNull();
    await sleep(300);
    expect((await jobRows(container.db, 'cleanup')).map((j) => j.state)).toEqual(['created']);
    expect(await cleanupRuns(container.db)).toEqual([]);

    worker = await startWorker(container, FAST);
    await waitFor(() => jobRows(container.db, 'cleanup'), (rows) => rows[0]?.state === 'completed');
    expect(await cleanupRuns(container.db)).toHaveLength(1);
  });

  it('keeps the schedules in the database in line with the code', async () => {
    const schedules = async () =>
      rowsOf<{ name: string; cron: string; timezone: string }>(await container.db.execute(sql`select name, cron, timezone from pgboss.schedule order by name`));
    worker = await startWorker(container, { ...FAST, schedules: {} });
    expect(await schedules()).toContainEqual({ name: 'cleanup', cron: CLEANUP_CRON, timezone: 'UTC' });
    await worker.stop();
    worker = await startWorker(container, FAST);
    expect(await schedules()).toEqual([]);
  });

  it('stops gracefully: a job cut off by stop() is failed and retried later', async () => {
    let entered = false;
    await container.jobs.work(
      {
        ...createJobHandlers(container),
        cleanup: {
          run: (_data, { signal }) =>
            new Promise<void>((resolve) => {
              entered = true;
              signal.addEventListener('abort', () => resolve());
            }),
        },
      },
      { pollingIntervalSeconds: 0.5, schedules: NO_SCHEDULES },
    );
    const id = await container.jobs.send('cleanup', {});
    await waitFor(async () => entered, Boolean);
    const before = Date.now();
    await container.jobs.stop({ timeoutMs: 1000 });
    expect(Date.now() - before).toBeLessThan(3000);
    const [job] = await jobRows(container.db, 'cleanup');
    expect(job).toMatchObject({ id, state: 'retry', deferred: true });

    // "Later" is the queue's retry delay; bring it forward and let a real worker finish the job.
    await container.db.execute(sql`update pgboss.job set start_after = now() where id = ${id}::uuid`);
    worker = await startWorker(container, FAST);
    await waitFor(() => jobRows(container.db, 'cleanup'), (rows) => rows[0]?.state === 'completed');
    expect(await cleanupRuns(container.db)).toHaveLength(1);
  });

  it('refuses a second worker in one process', async () => {
    worker = await startWorker(container, FAST);
    await expect(startWorker(container, FAST)).rejects.toThrow(/already running/);
  });
});

describe.skipIf(testDatabaseKind() !== 'postgres')(
  'two workers on one PostgreSQL (needs TEST_DATABASE_URL: PGlite has one connection and shows no contention)',
  () => {
    it('run a scheduled cleanup once, not twice', async () => {
      const { url } = await createServerDatabase();
      const config = testConfig({ DATABASE_URL: url });
      const a = await createContainer(config, { migrate: false, logger });
      const b = await createContainer(config, { migrate: false, logger });
      const workers: Worker[] = [];
      try {
        // One occurrence, this very second. pg-boss keeps an occurrence due for 60 seconds, so every
        // cron pass of both workers (one a second here) finds it and tries to send it.
        const now = new Date();
        const cron = `${now.getUTCSeconds()} ${now.getUTCMinutes()} ${now.getUTCHours()} * * *`;
        const options: WorkerOptions = {
          pollingIntervalSeconds: 0.5,
          cronMonitorIntervalSeconds: 1,
          cronWorkerIntervalSeconds: 1,
          schedules: { ...NO_SCHEDULES, cleanup: cron },
          stopTimeoutMs: 1000,
        };
        workers.push(...(await Promise.all([startWorker(a, options), startWorker(b, options)])));

        const instances = await a.db.execute(sql`select count(*)::int as n from pgboss.instance where schedule and stopped_on is null`);
        expect(rowsOf<{ n: number }>(instances)[0]?.n).toBe(2);

        await waitFor(() => cleanupRuns(a.db), (runs) => runs.length > 0);
        await sleep(2000);

        expect((await cleanupRuns(a.db)).map((r) => r.status)).toEqual(['completed']);
        expect((await jobRows(a.db, 'cleanup')).map((j) => j.state)).toEqual(['completed']);
        // The dedupe happens where the schedule is turned into a job: one forward per occurrence.
        expect(await jobRows(a.db, '__pgboss__send-it')).toHaveLength(1);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
        await Promise.all([a.close(), b.close()]);
      }
    });
  },
);
