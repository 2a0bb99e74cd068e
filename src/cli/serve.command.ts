import { performance } from 'node:perf_hooks';
import type { RunningServer } from '../server.ts';
import type { CliCommand } from './commands.ts';

/** Wait for SIGINT/SIGTERM, then stop gracefully within `timeoutMs`. Resolves with the exit code. */
export function waitForShutdown(server: { stop(): Promise<void> }, timeoutMs: number, log: (msg: string, extra?: object) => void): Promise<number> {
  return new Promise((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        log(`received ${signal} again; exiting now`);
        resolve(1);
        return;
      }
      signalled = true;
      log(`received ${signal}; shutting down (at most ${timeoutMs / 1000} s)`);
      const timer = setTimeout(() => {
        log('shutdown timed out; unfinished jobs will run again later');
        resolve(1);
      }, timeoutMs);
      timer.unref();
      server.stop().then(
        () => {
          clearTimeout(timer);
          log('shutdown complete');
          resolve(0);
        },
        (err: unknown) => {
          clearTimeout(timer);
          log('shutdown failed', { err });
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function printWelcome(server: RunningServer): Promise<void> {
  const { config, logger, clientTokens } = server.container;
  const startupMs = Math.round(performance.now());
  logger.info({ url: server.url, startupMs, database: config.database.url ? 'postgres' : 'embedded', worker: server.worker ? 'in-process' : 'off' }, 'MiniMovie is listening');
  if (!config.tmdb.accessToken) {
    logger.info('Demo mode: serving the built-in demo catalog. Set TMDB_ACCESS_TOKEN to a TMDB read access token to use real TMDB.');
  }
  if (!config.database.url && clientTokens.enabled) {
    const token = await clientTokens.sign({ subject: 'startup' });
    const lines = [
      '',
      `  MiniMovie is running at ${server.url}`,
      `  API reference:  ${server.url}/docs`,
      `  OpenAPI:        ${server.url}/openapi.json`,
      '',
      '  A client token for the catalog routes (make more with "npx minimovie token"):',
      `  ${token}`,
      '',
      '  Try it:',
      `  curl -H "Authorization: Bearer ${token}" ${server.url}/movies/${config.tmdb.accessToken ? '550' : '109445'}`,
      '',
      '  Press Ctrl-C to stop.',
      '',
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Start the API server (and the job worker unless WORKER=off)',
  description: 'With no configuration it uses the embedded database in ./data and the demo catalog.',
  async run({ config }) {
    // A Ctrl-C while starting must not kill the process half-way (PGlite would not be closed): note it, finish starting, then stop.
    let early: NodeJS.Signals | undefined;
    const remember = (signal: NodeJS.Signals) => {
      early ??= signal;
    };
    process.on('SIGINT', remember);
    process.on('SIGTERM', remember);
    let server: RunningServer;
    try {
      const { startServer } = await import('../server.ts');
      server = await startServer(config);
    } finally {
      process.off('SIGINT', remember);
      process.off('SIGTERM', remember);
    }
    if (early) {
      server.container.logger.info(`received ${early} while starting; shutting down`);
      await server.stop();
      return 0;
    }
    const { logger } = server.container;
    // The shutdown handlers go in before the banner, so a Ctrl-C right after "listening" is a clean stop.
    const stopped = waitForShutdown(server, config.shutdownTimeoutMs, (msg, extra) => logger.info(extra ?? {}, msg));
    await printWelcome(server);
    return stopped;
  },
};
