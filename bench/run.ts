/**
 * `npm run bench [-- <scenario>...]`: drive MiniMovie with autocannon and
 * compare every scenario with a bare Fastify baseline measured in the same
 * run, alternating the two so that a noisy neighbour hurts both alike.
 *
 * Settings (environment): BENCH_DURATION (measured seconds per target, default
 * 20), BENCH_WARMUP (seconds, default 5), BENCH_CONNECTIONS (default 10),
 * BENCH_ROUNDS (alternations, default 8), BENCH_DATABASE_URL (PostgreSQL
 * instead of embedded PGlite), BENCH_PIN=1 (pin the server's main thread and
 * the load generator to separate CPUs; it did not change the ratios here),
 * BENCH_VERBOSE=1 (print every round's throughput).
 */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import { printCold, runColdScenarios } from './catalog.bench.ts';
import { printStats, runStatsScenario, STATS_SCENARIO } from './me-stats.bench.ts';
import { measurePeopleCacheMemory, printMemory } from './memory/people-cache.memory.ts';
import { pinThisThread } from './pin.ts';
import type { LoadJob, LoadResult } from './load.worker.ts';
import { scenarios } from './scenarios/index.ts';
import type { BenchContext, BenchRequest, Scenario } from './scenarios/scenario.ts';
import { startBenchSubject, type BenchSubject } from './subject.ts';

function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    console.error(`${name} must be a number of at least ${min}, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const settings = {
  durationSeconds: numberFromEnv('BENCH_DURATION', 20, 1),
  warmupSeconds: numberFromEnv('BENCH_WARMUP', 5, 0),
  connections: Math.round(numberFromEnv('BENCH_CONNECTIONS', 10, 1)),
  rounds: Math.round(numberFromEnv('BENCH_ROUNDS', 8, 1)),
};

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * Runs load jobs on a worker thread, one at a time. The worker is TypeScript;
 * Node 20 does not apply `--import tsx` to workers, so a tiny bootstrap
 * registers tsx inside the worker before importing it.
 */
function createLoadRunner(cpu: number | undefined) {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./load.worker.ts', import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData: { cpu } });
  let nextId = 1;
  let failure: Error | undefined;
  const pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (msg: LoadResult | { id: number; error: string }) => {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if ('error' in msg) p?.reject(new Error(`load generator: ${msg.error}`));
    else p?.resolve(msg);
  });
  worker.on('error', (err) => failAll(new Error(`load generator failed: ${err.message}`)));
  worker.on('exit', (code) => failAll(new Error(`load generator exited with code ${code}`)));
  return {
    run(job: Omit<LoadJob, 'id'>): Promise<LoadResult> {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...job, id });
      });
    },
    close: () => worker.terminate(),
  };
}

/** A bare Fastify server with one route that answers the given bytes. */
async function startBaseline(req: BenchRequest, body: Buffer, headers: Record<string, string>): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.route({ method: req.method, url: new URL(req.path, 'http://x').pathname, handler: (_request, reply) => reply.headers(headers).send(body) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function probe(url: string, req: BenchRequest): Promise<{ status: number; body: Buffer; contentType: string }> {
  const res = await fetch(`${url}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? '' };
}

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  completed: number;
  problems: string[];
}

function summarize(results: LoadResult[]): Measured {
  const total = results.reduce((n, r) => n + r.latencies.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const r of results) {
    all.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  all.sort();
  const pct = (q: number) => (total === 0 ? Number.NaN : all[Math.min(total - 1, Math.floor(q * total))]!);
  const seconds = results.reduce((s, r) => s + r.durationSeconds, 0);
  const problems: string[] = [];
  const non2xx = results.reduce((n, r) => n + r.non2xx, 0);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const timeouts = results.reduce((n, r) => n + r.timeouts, 0);
  if (non2xx > 0) problems.push(`${non2xx} non-2xx responses (${JSON.stringify(mergeStatuses(results))})`);
  if (errors > 0) problems.push(`${errors} errors`);
  if (timeouts > 0) problems.push(`${timeouts} timeouts`);
  return { requestsPerSecond: total / seconds, p50: pct(0.5), p99: pct(0.99), completed: total, problems };
}

function mergeStatuses(results: LoadResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.statuses)) out[code] = (out[code] ?? 0) + n;
  return out;
}

interface Row {
  scenario: string;
  subject: Measured;
  baseline: Measured;
  /** Throughput ratio of each round (subject / baseline, measured back to back), in round order. */
  roundRatios: number[];
}

const rps = (r: LoadResult) => r.latencies.length / r.durationSeconds;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function runScenario(scenario: Scenario, ctx: BenchContext, load: ReturnType<typeof createLoadRunner>): Promise<Row> {
  await scenario.setup?.(ctx);
  const req = scenario.request(ctx);
  const expected = scenario.expectStatus ?? 200;
  const answer = await probe(ctx.url, req);
  if (answer.status !== expected) {
    throw new Error(`${scenario.name}: ${req.method} ${req.path} answered ${answer.status}, expected ${expected}: ${answer.body.toString('utf8').slice(0, 300)}`);
  }
  const baselineBody = scenario.baseline ? Buffer.from(scenario.baseline.body) : answer.body;
  const baselineHeaders = scenario.baseline?.headers ?? { 'content-type': answer.contentType };
  if (!baselineBody.equals(answer.body)) {
    throw new Error(`${scenario.name}: the declared baseline body differs from what MiniMovie answers; the comparison would be unfair`);
  }
  const baseline = await startBaseline(req, baselineBody, baselineHeaders);
  try {
    const check = await probe(baseline.url, req);
    if (!check.body.equals(answer.body) || check.contentType !== answer.contentType) {
      throw new Error(`${scenario.name}: the baseline does not answer the same bytes and Content-Type`);
    }
    const job = (url: string, durationSeconds: number): Omit<LoadJob, 'id'> => ({
      url: `${url}${req.path}`,
      method: req.method,
      headers: req.headers ?? {},
      body: req.body,
      connections: settings.connections,
      durationSeconds,
    });
    if (settings.warmupSeconds > 0) {
      process.stderr.write(`  ${scenario.name}: warming up (${settings.warmupSeconds} s each)\n`);
      await load.run(job(ctx.url, settings.warmupSeconds));
      await load.run(job(baseline.url, settings.warmupSeconds));
    }
    const slice = settings.durationSeconds / settings.rounds;
    const subjectRuns: LoadResult[] = [];
    const baselineRuns: LoadResult[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      // ABBA order: whoever went second last round goes first now.
      const order = round % 2 === 0 ? (['subject', 'baseline'] as const) : (['baseline', 'subject'] as const);
      for (const target of order) {
        gc();
        process.stderr.write(`  ${scenario.name}: round ${round + 1}/${settings.rounds}, ${target} (${slice} s)\n`);
        const result = await load.run(job(target === 'subject' ? ctx.url : baseline.url, slice));
        if (process.env.BENCH_VERBOSE) process.stderr.write(`    ${Math.round(rps(result))} req/s\n`);
        (target === 'subject' ? subjectRuns : baselineRuns).push(result);
      }
    }
    return {
      scenario: scenario.name,
      subject: summarize(subjectRuns),
      baseline: summarize(baselineRuns),
      roundRatios: subjectRuns.map((r, i) => rps(r) / rps(baselineRuns[i]!)),
    };
  } finally {
    await baseline.app.close();
  }
}

function printTable(rows: Row[]): void {
  const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
  const fmtMs = (n: number) => n.toFixed(2);
  const fmtRatio = (n: number) => `${n.toFixed(2)}x`;
  const header = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'req/s vs base', 'per round: median (min-max)', 'p50 vs base', 'p99 vs base'];
  const lines: string[][] = [header];
  for (const r of rows) {
    lines.push([
      r.scenario,
      'minimovie',
      fmtInt(r.subject.requestsPerSecond),
      fmtMs(r.subject.p50),
      fmtMs(r.subject.p99),
      fmtRatio(r.subject.requestsPerSecond / r.baseline.requestsPerSecond),
      `${fmtRatio(median(r.roundRatios))} (${Math.min(...r.roundRatios).toFixed(2)}-${Math.max(...r.roundRatios).toFixed(2)})`,
      fmtRatio(r.subject.p50 / r.baseline.p50),
      fmtRatio(r.subject.p99 / r.baseline.p99),
    ]);
    lines.push(['', 'baseline', fmtInt(r.baseline.requestsPerSecond), fmtMs(r.baseline.p50), fmtMs(r.baseline.p99), '', '', '', '']);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const render = (l: string[]) => l.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  console.log(render(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines.slice(1)) console.log(render(l));
  console.log('\nreq/s vs base: MiniMovie throughput / baseline throughput over all rounds (higher is better, 1.00x = free).');
  console.log('per round: the same ratio for each back-to-back round pair; the median is robust to a noisy neighbour hitting one round.');
  console.log('p50/p99 vs base: MiniMovie latency / baseline latency (lower is better).');
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const coldNames = ['movie-cold', 'movie-cold-ages'];
  const MEMORY_SCENARIO = 'people-memory';
  const serialNames = [...coldNames, STATS_SCENARIO, MEMORY_SCENARIO];
  const unknown = wanted.filter((name) => !scenarios.some((s) => s.name === name) && !serialNames.includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown scenario${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Available: ${[...scenarios.map((s) => s.name), ...serialNames].join(', ')}`);
    return 2;
  }
  const selected = wanted.length > 0 ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
  const coldSelected = wanted.length > 0 ? coldNames.filter((n) => wanted.includes(n)) : coldNames;
  const statsSelected = wanted.length === 0 || wanted.includes(STATS_SCENARIO);
  const memorySelected = wanted.length === 0 || wanted.includes(MEMORY_SCENARIO);

  const cpus = os.cpus();
  console.log(
    `MiniMovie benchmark: ${selected.length} scenario(s); ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per target in ${settings.rounds} alternating rounds; ${settings.connections} connections`,
  );
  console.log(
    `node ${process.version}, ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}, database ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}\n`,
  );

  // BENCH_PIN=1: server thread on CPU 0, load generator on CPU 1.
  const pinned = process.env.BENCH_PIN === '1' && cpus.length >= 2 && pinThisThread(0);
  if (pinned) console.log('pinned: server (main thread) on CPU 0, load generator on CPU 1\n');
  const load = createLoadRunner(pinned ? 1 : undefined);
  let subject: BenchSubject | undefined;
  try {
    subject = await startBenchSubject();
    const rows: Row[] = [];
    for (const scenario of selected) {
      process.stderr.write(`${scenario.name}: ${scenario.description}\n`);
      rows.push(await runScenario(scenario, subject, load));
    }
    console.log('');
    if (rows.length > 0) printTable(rows);
    if (coldSelected.length > 0) printCold(await runColdScenarios(coldSelected));
    if (statsSelected) printStats(await runStatsScenario());
    if (memorySelected) printMemory(measurePeopleCacheMemory());
    const problems = rows.flatMap((r) => [
      ...r.subject.problems.map((p) => `${r.scenario} (minimovie): ${p}`),
      ...r.baseline.problems.map((p) => `${r.scenario} (baseline): ${p}`),
    ]);
    if (problems.length > 0) {
      console.log(`\nProblems during the run:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return 1;
    }
    return 0;
  } finally {
    await load.close();
    await subject?.close();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  return 1;
});
