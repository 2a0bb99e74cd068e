import type { PGlite } from '@electric-sql/pglite';
import type { Config } from './config/config.ts';
import { createMetrics, type Metrics } from './clients/telemetry/metrics.ts';
import { createLlmClient } from './clients/llm/anthropic.client.ts';
import { createTmdbClient } from './clients/tmdb/tmdb-api.client.ts';
import { TmdbNotFoundError, type TmdbClient } from './clients/tmdb/tmdb.client.ts';
import { tmdbConfigFrom } from './clients/tmdb/tmdb.config.ts';
import { createTmdbTransport } from './clients/tmdb/tmdb-transport.factory.ts';
import type { TmdbTransport } from './clients/tmdb/tmdb.transport.ts';
import { createPeopleRepository } from './data/repositories/people.repository.ts';
import { createInterestingInfoRepository } from './data/repositories/interesting-info.repository.ts';
import { createInterestingService, type InterestingService } from './modules/interesting/interesting.service.ts';
import { createAgesService, type AgesService } from './modules/ages/ages.service.ts';
import { createPeopleDatesCache } from './modules/ages/people-dates.cache.ts';
import { createPeopleWriter, type PeopleWriter } from './modules/ages/people-writer.ts';
import { createPersonSyncService, type PersonSyncService } from './modules/ages/person-sync.service.ts';
import type { ActivityComponents } from './modules/activity/activity.components.ts';
import { createCatalogService, type CatalogService } from './modules/catalog/catalog.service.ts';
import { createSeasonCastCache } from './modules/catalog/season-cast.cache.ts';
import { openDatabase, runMigrations, type DatabaseHandle, type Db } from './data/db.ts';
import { withExclusiveLock } from './data/locks.ts';
import { createSeasonCastCacheRepository } from './data/repositories/season-cast-cache.repository.ts';
import { createSyncJobStatusRepository } from './data/repositories/sync-job-status.repository.ts';
import { createJobQueue, type JobQueue } from './jobs/job.queue.ts';
import { createWarmupQueue } from './jobs/people.jobs.ts';
import type { AuthComponents } from './modules/auth/auth.components.ts';
import { createActivityComponents } from './wiring/activity.wiring.ts';
import { createAuthComponents } from './wiring/auth.wiring.ts';
import { createClientTokenService, type ClientTokenService } from './modules/auth/client-token.service.ts';
import { createCleanupService, type CleanupService } from './modules/maintenance/cleanup.service.ts';
import { createExpiredRowsRegistry } from './modules/maintenance/expired-rows.registry.ts';
import type { UsersService } from './modules/users/users.service.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createLogger, type Logger } from './shared/logger.ts';

/** People whose dates are kept in memory per process (about 32 MiB of typed arrays). */
const PEOPLE_CACHE_CAPACITY = 1_000_000;
/** How long cached dates are trusted before the `people` table is asked again (the sync job marks changes there). */
const PEOPLE_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/** Everything the API server, the worker, the CLI and the tests need, wired once. */
export interface Container {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly database: DatabaseHandle;
  readonly db: Db;
  readonly clientTokens: ClientTokenService;
  /** The job queue (pg-boss); connects on first use. */
  readonly jobs: JobQueue;
  /** Purges expired rows; behind the `cleanup` job and `minimovie cleanup`. */
  readonly cleanup: CleanupService;
  /** Sign-in with Google and Apple, sessions, linked identities, Apple notifications and revocation. */
  readonly auth: AuthComponents;
  /** Users and account deletion. */
  readonly users: UsersService;
  /** OpenTelemetry metrics: Prometheus text at /metrics, OTLP push when configured. */
  readonly metrics: Metrics;
  /** The one TMDB client (live HTTP or the built-in demo catalog). */
  readonly tmdb: TmdbClient;
  /** Movie, series, season, episode, person and search pages. */
  readonly catalog: CatalogService;
  /** Ages of every credit: the people cache, the `people` table and TMDB. */
  readonly ages: AgesService;
  /** Background writes of fetched people (flushed on close). */
  readonly peopleWriter: PeopleWriter;
  /** The TMDB person-change sync (`minimovie sync` and the daily job). */
  readonly personSync: PersonSyncService;
  /** LLM facts about people (`/interesting/person/{id}`); disabled without `ANTHROPIC_API_KEY`. */
  readonly interesting: InterestingService;
  /** The personal layer: watchlist, watch history, stats, achievements, profile and export. */
  readonly activity: ActivityComponents;
  /** Release every resource the container opened (job queue, database pool or PGlite). Idempotent. */
  close(): Promise<void>;
}

export interface ContainerOverrides {
  logger?: Logger;
  clock?: Clock;
  /** An already-open database (tests pass a clone of a migrated template). */
  database?: DatabaseHandle;
  /** An already-open PGlite instance to wrap. */
  pglite?: PGlite;
  /** Apply migrations while creating the container (default: `config.database.migrateOnStart`). */
  migrate?: boolean;
  /** Talk to TMDB through this transport instead of the configured one. */
  tmdbTransport?: TmdbTransport;
}

/** The composition root: build the database handle, clients, repositories and services. */
export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const clock = overrides.clock ?? systemClock;
  const database =
    overrides.database ??
    (await openDatabase({ url: config.database.url, dataDir: config.database.dataDir, ...(overrides.pglite ? { pglite: overrides.pglite } : {}) }));
  try {
    if (overrides.migrate ?? config.database.migrateOnStart) {
      const { applied } = await runMigrations(database);
      if (applied > 0) logger.info({ applied }, 'database migrations applied');
    }
  } catch (err) {
    await database.close();
    throw err;
  }

  const clientTokens = createClientTokenService({ secret: config.auth.uiSecret, clock });
  const syncJobs = createSyncJobStatusRepository(database.db);
  const seasonCastCache = createSeasonCastCacheRepository(database.db);
  const expiredRows = createExpiredRowsRegistry();
  expiredRows.register({ table: 'season_cast_cache', purgeExpired: (now) => seasonCastCache.deleteExpired(now) });
  const cleanup = createCleanupService({ expiredRows, syncJobs, clock, logger, onPurged: (table, count) => metrics.rowsPurged(table, count) });
  const jobs = createJobQueue({ database, logger });
  let auth: AuthComponents;
  try {
    auth = createAuthComponents({
      config,
      db: database.db,
      clock,
      logger,
      enqueueAppleRevocation: (revocationId) => jobs.send('apple-revoke', { revocationId }),
    });
  } catch (err) {
    await database.close();
    throw err;
  }
  for (const purger of auth.purgers) expiredRows.register(purger);

  const metrics = createMetrics({
    serviceName: config.otel.serviceName,
    otlp: config.otel.enabled && config.otel.endpoint ? { endpoint: config.otel.endpoint, headers: config.otel.headers } : undefined,
  });
  const tmdbConfig = tmdbConfigFrom(config);
  const tmdb = createTmdbClient({
    metrics: metrics.tmdb,
    transport: overrides.tmdbTransport ?? createTmdbTransport(tmdbConfig),
    config: tmdbConfig,
    clock,
    logger,
  });
  const peopleRepository = createPeopleRepository(database.db);
  const peopleWriter = createPeopleWriter({ repository: peopleRepository, logger });
  const ages = createAgesService({
    tmdb,
    people: peopleRepository,
    cache: createPeopleDatesCache({ capacity: PEOPLE_CACHE_CAPACITY, ttlMs: PEOPLE_CACHE_TTL_MS, now: () => clock.now().getTime() }),
    writer: peopleWriter,
    clock,
    logger,
    maxFetchPerRequest: config.tmdb.maxFetchPerRequest,
    cacheEvent: (operation) => metrics.cacheEvent('person', operation),
    enqueueWarmup: createWarmupQueue(jobs),
  });
  const { llm } = config;
  const interesting = createInterestingService({
    llm: llm.apiKey
      ? createLlmClient({ apiKey: llm.apiKey, baseUrl: llm.baseUrl, model: llm.model, maxTokens: llm.maxTokens, timeoutMs: llm.timeoutMs })
      : undefined,
    repository: createInterestingInfoRepository(database.db),
    clock,
    logger,
    metrics: metrics.augur,
    cacheEvent: (operation) => metrics.cacheEvent('interesting_info', operation),
    minConfidence: llm.minConfidence,
    maxRetries: llm.maxRetries,
    ttlMs: llm.ttlDays * 24 * 60 * 60 * 1000,
    timeoutMs: llm.timeoutMs,
    canonicalName: async (personId, signal) => {
      try {
        const { data } = await tmdb.person(personId, signal ? { signal } : {});
        return data.name ? { name: data.name } : undefined;
      } catch (err) {
        if (err instanceof TmdbNotFoundError) return 'not_found';
        return undefined;
      }
    },
  });
  expiredRows.register({ table: 'interesting_info', purgeExpired: (now) => interesting.purgeExpired(now) });
  const personSync = createPersonSyncService({
    tmdb,
    people: peopleRepository,
    syncJobs,
    runExclusive: (name, fn) => withExclusiveLock(database, name, fn),
    clock,
    logger,
    defaults: { start: config.sync.startDate, end: config.sync.endDate },
    onPeopleChanged: async (ids) => {
      ages.forget(ids);
      await interesting.expirePeople(ids);
    },
  });
  const catalog = createCatalogService({
    ages,
    tmdb,
    seasonCast: createSeasonCastCache({ repository: seasonCastCache, clock, logger }),
    clock,
    logger,
  });

  const activity = createActivityComponents({
    db: database.db,
    tmdb,
    clock,
    logger,
    // One queued evaluation per user at a time (`stately` + singleton key); it reads the whole history, so one run covers many changes.
    onHistoryChanged: (userId) => jobs.send('achievements', { userId }, { singletonKey: userId }),
    deleteUser: (userId) => auth.users.deleteUser(userId),
    dropQueuedJobs: (userId) => jobs.deleteQueued('achievements', userId),
  });
  expiredRows.register(activity.purger);

  let closed: Promise<void> | undefined;
  return {
    config,
    logger,
    clock,
    database,
    db: database.db,
    clientTokens,
    jobs,
    cleanup,
    auth,
    users: auth.users,
    metrics,
    tmdb,
    catalog,
    ages,
    peopleWriter,
    personSync,
    interesting,
    activity,
    close() {
      // Pending people writes go out before the database closes, within the shutdown budget.
      closed ??= peopleWriter
        .close(Date.now() + Math.max(1000, config.shutdownTimeoutMs / 2))
        .then(() => Promise.allSettled([jobs.close(), tmdb.close(), metrics.shutdown(), interesting.close()]))
        .then(() => database.close());
      return closed;
    },
  };
}
