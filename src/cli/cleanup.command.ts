import pino from 'pino';
import type { Config } from '../config/config.ts';
import { resolveEmbeddedSecrets } from '../config/embedded-secrets.ts';
import type { CleanupReport, CleanupService } from '../modules/maintenance/cleanup.service.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import type { CliCommand } from './commands.ts';

/** The report as the command prints it: one line per table, or one JSON document. */
export function formatCleanupReport(report: CleanupReport, json: boolean): string {
  if (json) return JSON.stringify(report, null, 2);
  return report.tables
    .map((t) =>
      t.error === undefined ? `${t.table}: ${t.removed} expired row${t.removed === 1 ? '' : 's'} removed` : `${t.table}: failed: ${t.error}`,
    )
    .join('\n');
}

/** Run one cleanup, print the report and resolve with the exit code (1 when a table failed). */
export async function runCleanupCommand(cleanup: CleanupService, opts: { json: boolean; write(text: string): void }): Promise<number> {
  const report = await cleanup.run();
  const text = formatCleanupReport(report, opts.json);
  if (text) opts.write(`${text}\n`);
  return report.status === 'failed' ? 1 : 0;
}

function commandLogger(config: Config): Logger {
  // The printed lines are the result: logs go to stderr (stdout may be JSON), and info lines that repeat them are hidden.
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  return createLogger({ level, format: 'json', destination: pino.destination({ dest: 2, sync: true }) });
}

export const cleanupCommand: CliCommand = {
  name: 'cleanup',
  summary: 'Delete expired rows now (the worker also does this every hour)',
  usage: 'cleanup [--json]',
  options: { json: { type: 'boolean' } },
  optionDocs: { json: 'print the report as JSON' },
  description: 'Prints one line per table with the number of rows removed, records the run in\nsync_job_status (type cache_cleanup) and exits 1 if a table could not be purged.',
  async run({ config: base, options }) {
    const { config } = resolveEmbeddedSecrets(base);
    const { createContainer } = await import('../container.ts');
    const container = await createContainer(config, { logger: commandLogger(config) });
    try {
      return await runCleanupCommand(container.cleanup, { json: options.json === true, write: (text) => process.stdout.write(text) });
    } finally {
      await container.close();
    }
  },
};
