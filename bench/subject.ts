import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../src/config/config.ts';
import { createContainer, type Container } from '../src/container.ts';
import { buildApp, type App } from '../src/http/app.ts';
import { createLogger } from '../src/shared/logger.ts';

export interface BenchSubject {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** A client token signed with the subject's secret. */
  token: string;
  app: App;
  container: Container;
  config: Config;
  close(): Promise<void>;
}

/**
 * MiniMovie as `minimovie serve` runs it (auth on, JSON logs at info, here
 * written to /dev/null), in this process on a random port, with its own data
 * folder. The in-process job worker is off so only the HTTP path is measured.
 * `BENCH_DATABASE_URL` puts it on a PostgreSQL server instead of PGlite.
 */
export async function startBenchSubject(env: Record<string, string> = {}): Promise<BenchSubject> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'minimovie-bench-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    WORKER: 'off',
    MINI_MOVIE_UI_SECRET: randomBytes(32).toString('base64url'),
    SECRET_KEY: randomBytes(32).toString('base64url'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const logger = createLogger({ level: 'info', format: 'json', destination: pino.destination({ dest: '/dev/null', sync: true }) });
  const container = await createContainer(config, { logger });
  const app = await buildApp(container);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token: await container.clientTokens.sign({ subject: 'bench' }),
    app,
    container,
    config,
    async close() {
      await app.close();
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The q-quantile of some timings (nearest rank). */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** One GET, timed to the last byte; anything but 200 stops the benchmark. */
export async function timedGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}
