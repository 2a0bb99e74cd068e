import type { PGlite } from '@electric-sql/pglite';
import type { Config } from './config/config.ts';
import { openDatabase, runMigrations, type DatabaseHandle, type Db } from './data/db.ts';
import { createClientTokenService, type ClientTokenService } from './modules/auth/client-token.service.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createLogger, type Logger } from './shared/logger.ts';

/** Everything the API server, the worker, the CLI and the tests need, wired once. */
export interface Container {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly database: DatabaseHandle;
  readonly db: Db;
  readonly clientTokens: ClientTokenService;
  /** Release every resource the container opened (database pool or PGlite). Idempotent. */
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

  let closed: Promise<void> | undefined;
  return {
    config,
    logger,
    clock,
    database,
    db: database.db,
    clientTokens,
    close() {
      closed ??= database.close();
      return closed;
    },
  };
}
