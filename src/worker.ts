import type { Container } from './container.ts';

/** A running job worker. */
export interface Worker {
  stop(): Promise<void>;
}

/** Start the job worker: consume queued jobs and run the schedules. */
export async function startWorker(container: Container): Promise<Worker> {
  container.logger.debug('job worker not configured yet');
  return { stop: async () => undefined };
}
