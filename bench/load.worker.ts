/**
 * Load generator thread. Runs autocannon off the main thread, so the server
 * under test keeps its own event loop, and records every response time with
 * sub-millisecond precision (autocannon's own histogram rounds to whole ms).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pinThisThread } from './pin.ts';
import autocannon from 'autocannon';

export interface LoadJob {
  id: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  id: number;
  durationSeconds: number;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  /** Response times in ms, unsorted; transferred, not copied. */
  latencies: Float64Array;
}

const port = parentPort;
if (!port) throw new Error('load.worker.ts must run as a worker thread');
const { cpu } = (workerData ?? {}) as { cpu?: number };
if (cpu !== undefined) pinThisThread(cpu);

port.on('message', (job: LoadJob) => {
  void run(job).then(
    (result) => port.postMessage(result, [result.latencies.buffer as ArrayBuffer]),
    (err: unknown) => port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) }),
  );
});

async function run(job: LoadJob): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  const instance = autocannon({
    url: job.url,
    method: job.method,
    headers: job.headers,
    ...(job.body === undefined ? {} : { body: job.body }),
    connections: job.connections,
    pipelining: 1,
    duration: job.durationSeconds,
    timeout: 10,
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    if (n === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[n++] = responseTime;
  });
  const result = await instance;
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    id: job.id,
    durationSeconds: result.duration,
    completed: n,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    latencies: latencies.slice(0, n),
  };
}
