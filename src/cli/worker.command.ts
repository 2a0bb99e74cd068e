import { resolveEmbeddedSecrets } from '../config/embedded-secrets.ts';
import type { CliCommand } from './commands.ts';
import { waitForShutdown } from './serve.command.ts';

export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'Run the job worker alone (for scaled-out deployments with WORKER=off on API nodes)',
  async run({ config: base }) {
    const { config } = resolveEmbeddedSecrets(base);
    const { createContainer } = await import('../container.ts');
    const { startWorker } = await import('../worker.ts');
    const container = await createContainer(config);
    const worker = await startWorker(container).catch(async (err: unknown) => {
      await container.close();
      throw err;
    });
    container.logger.info('MiniMovie worker is running; press Ctrl-C to stop');
    return waitForShutdown(
      {
        stop: async () => {
          await worker.stop();
          await container.close();
        },
      },
      config.shutdownTimeoutMs,
      (msg, extra) => container.logger.info(extra ?? {}, msg),
    );
  },
};
