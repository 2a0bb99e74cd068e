import { performance } from 'node:perf_hooks';
import { PgBoss, fromPglite, type ConstructorOptions, type SendOptions } from 'pg-boss';
import type { DatabaseHandle } from '../data/db.ts';
import type { Logger } from '../shared/logger.ts';
import { JOB_NAMES, JOB_QUEUES, type JobName, type JobPayloads } from './job.catalog.ts';

export interface JobContext {
  jobId: string;
  /** 0 on the first attempt. */
  retryCount: number;
  /** Aborted when the worker stops before the job finished; the job then runs again later. */
  signal: AbortSignal;
}

export interface JobHandler<N extends JobName> {
  /** Run on this cron expression (UTC; five fields, or six with seconds first). */
  schedule?: { cron: string; data: JobPayloads[N] };
  /** Thin and idempotent: call one module service. A job can run again after a crash or a cut-off shutdown. */
  run(data: JobPayloads[N], ctx: JobContext): Promise<void>;
}

/** One handler per queue; a queue without a handler is a type error. */
export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

export type SendJobOptions = Omit<SendOptions, 'db'>;

export interface WorkOptions {
  /** How often each queue is polled for new jobs (pg-boss minimum 0.5). Default 2. */
  pollingIntervalSeconds?: number;
  /** How often each worker checks whether a schedule is due (1 to 45). Default 30. */
  cronMonitorIntervalSeconds?: number;
  /** How often due schedules are turned into jobs (1 to 45). Default 5. */
  cronWorkerIntervalSeconds?: number;
  /** Replace a job's cron expression, or `null` to leave the job unscheduled. */
  schedules?: Partial<Record<JobName, string | null>>;
}

export interface WorkStarted {
  queues: JobName[];
  /** The active schedules, queue name to cron expression. */
  schedules: Partial<Record<JobName, string>>;
}

/** The PostgreSQL-backed job queue (pg-boss), on PGlite or on a PostgreSQL server. */
export interface JobQueue {
  /**
   * Queue a job. Works on API nodes without a worker: pg-boss starts on first
   * use, without schedules or maintenance. Resolves with the job id, or `null`
   * when the queue's policy (or a singleton key) refused a duplicate.
   *
   * Call it after the transaction that made the job necessary has committed,
   * never inside one: pg-boss uses its own connection, so on PGlite (a single
   * connection) the send waits for the open transaction forever.
   */
  send<N extends JobName>(name: N, data: JobPayloads[N], options?: SendJobOptions): Promise<string | null>;
  /** Delete the jobs of `name` with this singleton key that have not started yet (e.g. a deleted user's). Resolves with how many. */
  deleteQueued(name: JobName, singletonKey: string): Promise<number>;
  /** Start consuming every queue and keep the schedules in the database in line with `handlers`. */
  work(handlers: JobHandlers, options?: WorkOptions): Promise<WorkStarted>;
  /**
   * Stop gracefully: fetch nothing more and wait up to `timeoutMs` for running
   * jobs; the ones still running are failed and retried later.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Stop and refuse further use. Idempotent. */
  close(): Promise<void>;
}

export interface JobQueueDeps {
  database: DatabaseHandle;
  logger: Logger;
}

type Role = 'producer' | 'worker';

const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const DEFAULT_TIMINGS = { pollingIntervalSeconds: 2, cronMonitorIntervalSeconds: 30, cronWorkerIntervalSeconds: 5 };

/** Create the job queue. Nothing connects until the first `send` or `work`. */
export function createJobQueue(deps: JobQueueDeps): JobQueue {
  const { database } = deps;
  const logger = deps.logger.child({ component: 'jobs' });
  let current: { boss: PgBoss; role: Role } | undefined;
  let closed = false;
  let tail: Promise<unknown> = Promise.resolve();
  const sending = new Set<Promise<unknown>>();

  // Starting, swapping and stopping the pg-boss instance take turns, so a send never sees a half-started or stopped one.
  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = tail.then(fn);
    tail = next.catch(() => undefined);
    return next;
  }

  async function stopCurrent(timeoutMs: number): Promise<void> {
    const running = current;
    current = undefined;
    if (!running) return;
    await Promise.allSettled([...sending]);
    await running.boss.stop({ graceful: true, timeout: timeoutMs });
  }

  function assertOpen(): void {
    if (closed) throw new Error('the job queue is closed');
  }

  return {
    async send(name, data, options = {}) {
      const boss = await serialized(async () => {
        assertOpen();
        current ??= { boss: await startBoss(database, 'producer', DEFAULT_TIMINGS, logger), role: 'producer' };
        return current.boss;
      });
      const sent = boss.send(name, data, options);
      sending.add(sent);
      try {
        return await sent;
      } finally {
        sending.delete(sent);
      }
    },

    async deleteQueued(name, singletonKey) {
      const boss = await serialized(async () => {
        assertOpen();
        current ??= { boss: await startBoss(database, 'producer', DEFAULT_TIMINGS, logger), role: 'producer' };
        return current.boss;
      });
      const queued = await boss.findJobs(name, { key: singletonKey, queued: true });
      if (queued.length === 0) return 0;
      await boss.deleteJob(name, queued.map((j) => j.id));
      return queued.length;
    },

    work(handlers, options = {}) {
      return serialized(async () => {
        assertOpen();
        if (current?.role === 'worker') throw new Error('the job worker is already running');
        // A producer started by an earlier send has no schedules or maintenance; a worker replaces it.
        await stopCurrent(DEFAULT_STOP_TIMEOUT_MS);
        const timings = { ...DEFAULT_TIMINGS, ...definedOnly(options) };
        const boss = await startBoss(database, 'worker', timings, logger);
        try {
          for (const name of JOB_NAMES) await consume(boss, name, handlers[name], timings.pollingIntervalSeconds, logger);
          const schedules = await syncSchedules(boss, handlers, options.schedules ?? {});
          current = { boss, role: 'worker' };
          return { queues: [...JOB_NAMES], schedules };
        } catch (err) {
          await boss.stop({ graceful: false }).catch(() => undefined);
          throw err;
        }
      });
    },

    stop(options = {}) {
      return serialized(() => stopCurrent(options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS));
    },

    close() {
      return serialized(async () => {
        closed = true;
        await stopCurrent(DEFAULT_STOP_TIMEOUT_MS);
      });
    },
  };
}

/**
 * Install (or upgrade) the pg-boss schema and create every queue, then
 * disconnect. The test setup runs it once on the migrated template.
 */
export async function installJobSchema(database: DatabaseHandle): Promise<void> {
  const boss = new PgBoss({ ...connectionOptions(database, 1), migrate: true, schedule: false, supervise: false, registerInstance: false });
  const errors: Error[] = [];
  boss.on('error', (err) => errors.push(err));
  await boss.start();
  try {
    await createQueues(boss);
  } finally {
    await boss.stop({ graceful: false });
  }
  if (errors[0]) throw errors[0];
}

function connectionOptions(database: DatabaseHandle, max: number): ConstructorOptions {
  // On a server pg-boss keeps its own small pool (its connections show up as `pgboss:<id>` in pg_stat_activity).
  return database.kind === 'pglite' ? { db: fromPglite(database.pglite), backend: 'pglite' } : { connectionString: database.url, max };
}

async function startBoss(database: DatabaseHandle, role: Role, timings: typeof DEFAULT_TIMINGS, logger: Logger): Promise<PgBoss> {
  const worker = role === 'worker';
  const boss = new PgBoss({
    ...connectionOptions(database, worker ? 4 : 2),
    migrate: true,
    schedule: worker,
    supervise: worker,
    instanceName: `minimovie-${role}`,
    ...(worker ? { cronMonitorIntervalSeconds: timings.cronMonitorIntervalSeconds, cronWorkerIntervalSeconds: timings.cronWorkerIntervalSeconds } : {}),
  });
  // pg-boss reports background failures as 'error' events; an EventEmitter without a listener would crash the process.
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  boss.on('warning', (warning) => logger.warn({ data: warning.data }, warning.message));
  try {
    await boss.start();
    await createQueues(boss);
  } catch (err) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw err;
  }
  logger.debug({ role }, 'job queue started');
  return boss;
}

async function createQueues(boss: PgBoss): Promise<void> {
  for (const name of JOB_NAMES) {
    const { policy: _policy, ...settings } = JOB_QUEUES[name];
    // createQueue does nothing for an existing queue, so changed settings are applied with updateQueue.
    await boss.createQueue(name, JOB_QUEUES[name]);
    if (Object.keys(settings).length > 0) await boss.updateQueue(name, settings);
  }
}

async function consume<N extends JobName>(boss: PgBoss, name: N, handler: JobHandler<N>, pollingIntervalSeconds: number, logger: Logger): Promise<void> {
  await boss.work<JobPayloads[N]>(name, { pollingIntervalSeconds, batchSize: 1, localConcurrency: 1 }, async (jobs) => {
    for (const job of jobs) {
      const started = performance.now();
      logger.debug({ job: name, jobId: job.id, retryCount: job.retryCount }, 'job started');
      try {
        await handler.run(job.data, { jobId: job.id, retryCount: job.retryCount, signal: job.signal });
      } catch (err) {
        logger.error({ err, job: name, jobId: job.id, retryCount: job.retryCount }, 'job failed');
        throw err;
      }
      logger.info({ job: name, jobId: job.id, durationMs: Math.round(performance.now() - started) }, 'job completed');
    }
  });
}

async function syncSchedules(boss: PgBoss, handlers: JobHandlers, overrides: Partial<Record<JobName, string | null>>): Promise<Partial<Record<JobName, string>>> {
  const active: Partial<Record<JobName, string>> = {};
  for (const name of JOB_NAMES) {
    const declared = handlers[name].schedule;
    const cron = Object.hasOwn(overrides, name) ? overrides[name] : declared?.cron;
    if (!cron) continue;
    await boss.schedule(name, cron, declared?.data ?? {}, { tz: 'UTC' });
    active[name] = cron;
  }
  // A schedule dropped from the code would otherwise keep creating jobs.
  for (const row of await boss.getSchedules()) {
    if (row.key !== '' || !Object.hasOwn(active, row.name)) await boss.unschedule(row.name, row.key);
  }
  return active;
}

function definedOnly(options: WorkOptions): Partial<typeof DEFAULT_TIMINGS> {
  // pg-boss checks `'key' in options`, so a key set to undefined fails its validation.
  const out: Partial<typeof DEFAULT_TIMINGS> = {};
  if (options.pollingIntervalSeconds !== undefined) out.pollingIntervalSeconds = options.pollingIntervalSeconds;
  if (options.cronMonitorIntervalSeconds !== undefined) out.cronMonitorIntervalSeconds = options.cronMonitorIntervalSeconds;
  if (options.cronWorkerIntervalSeconds !== undefined) out.cronWorkerIntervalSeconds = options.cronWorkerIntervalSeconds;
  return out;
}
