import type { Container } from './container.ts';
import { createJobHandlers } from './jobs/job.handlers.ts';
import type { WorkOptions } from './jobs/job.queue.ts';

/** A running job worker. */
export interface Worker {
  /** Stop gracefully; jobs still running when the time is up are failed and run again later. Idempotent. */
  stop(): Promise<void>;
}

export interface WorkerOptions extends WorkOptions {
  /** How long `stop()` waits for running jobs. Default: the shutdown timeout less one second. */
  stopTimeoutMs?: number;
}

/** Start the job worker: consume queued jobs and run the schedules. */
export async function startWorker(container: Container, options: WorkerOptions = {}): Promise<Worker> {
  const { stopTimeoutMs, ...workOptions } = options;
  const started = await container.jobs.work(createJobHandlers(container), workOptions);
  container.logger.info({ queues: started.queues, schedules: started.schedules }, 'job worker started');
  // The server's shutdown timer covers the HTTP drain too, so the worker keeps a second in hand.
  const timeoutMs = stopTimeoutMs ?? Math.max(1000, container.config.shutdownTimeoutMs - 1000);
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= container.jobs.stop({ timeoutMs }).then(() => container.logger.info('job worker stopped'));
      return stopping;
    },
  };
}
