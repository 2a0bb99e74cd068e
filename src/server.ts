import type { Config } from './config/config.ts';
import { resolveEmbeddedSecrets } from './config/embedded-secrets.ts';
import { createContainer, type Container } from './container.ts';
import { buildApp, type App } from './http/app.ts';
import { startWorker, type Worker } from './worker.ts';

export interface RunningServer {
  app: App;
  container: Container;
  worker: Worker | undefined;
  url: string;
  /** Graceful stop: stop accepting, drain in-flight requests, stop the worker, close the database. */
  stop(): Promise<void>;
}

/** Start the API (and, unless `WORKER=off`, the job worker in the same process). */
export async function startServer(baseConfig: Config): Promise<RunningServer> {
  const { config, generated } = resolveEmbeddedSecrets(baseConfig);
  const container = await createContainer(config);
  const { logger } = container;
  for (const warning of config.warnings) logger.warn(warning);
  if (generated.length > 0) logger.info({ generated, dataDir: config.database.dataDir }, 'generated embedded-mode secrets');
  if (!config.auth.uiSecret) {
    logger.error('MINI_MOVIE_UI_SECRET is not set: every catalog route answers 401 until you set it to a long random string');
  }

  let app: App | undefined;
  let worker: Worker | undefined;
  try {
    app = await buildApp(container);
    await app.listen({ port: config.port, host: config.host });
    // After listen: the API answers while pg-boss starts (on a cold PGlite that takes up to a second).
    if (config.worker.inProcess) worker = await startWorker(container);
  } catch (err) {
    await worker?.stop().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await container.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  const started = app;
  let stopping: Promise<void> | undefined;
  return {
    app: started,
    container,
    worker,
    url,
    stop() {
      stopping ??= (async () => {
        await started.close();
        await worker?.stop();
        await container.close();
      })();
      return stopping;
    },
  };
}
