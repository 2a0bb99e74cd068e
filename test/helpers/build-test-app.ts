import { loadConfig, type Config } from '../../src/config/config.ts';
import { createContainer, type Container, type ContainerOverrides } from '../../src/container.ts';
import { buildApp, type App, type BuildAppOptions } from '../../src/http/app.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { FakeTmdb } from './fake-tmdb.ts';
import { createTestDatabase } from './test-db.ts';

export const TEST_UI_SECRET = 'test-ui-secret-that-is-long-enough-000';
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789';

/** Configuration for tests: production-like defaults, quiet logs, a known client-token secret. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_FORMAT: 'json',
    MINI_MOVIE_UI_SECRET: TEST_UI_SECRET,
    SECRET_KEY: TEST_SECRET_KEY,
    WORKER: 'off',
    MIGRATE_ON_START: 'false',
    ...env,
  });
}

export interface TestApp {
  app: App;
  container: Container;
  /** A valid client token for the catalog routes. */
  clientToken: string;
  close(): Promise<void>;
}

export interface BuildTestAppOptions extends BuildAppOptions {
  env?: Record<string, string | undefined>;
  overrides?: ContainerOverrides;
  /** Register extra (test-only) routes or hooks before the app is made ready. */
  configure?: (app: App) => void | Promise<void>;
}

/** Build the real app on a fresh migrated database, for `app.inject()` tests. */
export async function buildTestApp(opts: BuildTestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(opts.env);
  const database = opts.overrides?.database ?? (await createTestDatabase());
  const container = await createContainer(config, {
    logger: createLogger({ level: config.logLevel, format: 'json' }),
    migrate: false,
    ...opts.overrides,
    database,
  });
  const app = await buildApp(container, opts);
  await opts.configure?.(app);
  await app.ready();
  const clientToken = container.clientTokens.enabled ? await container.clientTokens.sign() : '';
  return {
    app,
    container,
    clientToken,
    async close() {
      await app.close();
      await container.close();
    },
  };
}

/** `buildTestApp` on a fake TMDB: its token and base URL are set, everything else in `opts` applies as given. */
export function buildTestAppOn(fake: FakeTmdb, opts: BuildTestAppOptions = {}): Promise<TestApp> {
  return buildTestApp({ ...opts, env: { TMDB_ACCESS_TOKEN: 'test-token', TMDB_BASE_URL: fake.baseUrl, ...opts.env } });
}

/** Close what a test file started, in order, skipping what never started (a failed beforeAll). */
export async function closeAll(...things: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const thing of things) await thing?.close();
}
