import { resolveEmbeddedSecrets } from '../config/embedded-secrets.ts';
import { date } from '../config/env-parsers.ts';
import { AppError } from '../shared/errors.ts';
import { CliError } from './cli-error.ts';
import type { CliCommand } from './commands.ts';
import { createProgressBar } from './progress.ts';

function parseDateOption(name: string, value: string | boolean | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = date().parse(value);
  if (!parsed.ok) throw new CliError(`--${name} "${value}" is not a date; use YYYY-MM-DD (a real calendar date)`, 2);
  return parsed.value;
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Mark people changed on TMDB as stale, so their ages are refreshed',
  usage: 'sync [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--json]',
  options: { start: { type: 'string' }, end: { type: 'string' }, json: { type: 'boolean' } },
  optionDocs: {
    start: 'first day (default: SYNC_START_DATE, else the last completed run’s end date, else yesterday, UTC)',
    end: 'last day (default: SYNC_END_DATE, else today, UTC)',
    json: 'print the result as JSON',
  },
  description:
    'Reads TMDB /person/changes in windows of at most 14 days, every page, and marks the changed\npeople stale. Runs are recorded in sync_job_status. Only one instance syncs at a time.',
  async run({ config: base, options }) {
    const { config } = resolveEmbeddedSecrets(base);
    const start = parseDateOption('start', options.start);
    const end = parseDateOption('end', options.end);
    const { createContainer } = await import('../container.ts');
    const container = await createContainer(config);
    try {
      const bar = options.json ? undefined : createProgressBar();
      let outcome;
      try {
        outcome = await container.personSync.run({
          start,
          end,
          onProgress: (p) => {
            const label = `${p.window.start}..${p.window.end} page ${p.page}/${p.totalPages}, ${p.changes} changes`;
            const done = p.windowIndex + p.page / p.totalPages;
            if (bar) bar.update(done, p.windowCount, label);
            else container.logger.info({ window: p.window, page: p.page, totalPages: p.totalPages, changes: p.changes }, 'sync progress');
          },
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'INVALID_DATE_RANGE') throw new CliError(err.message, 2);
        throw err;
      }
      if ('skipped' in outcome) {
        console.error('Another process is running the sync right now; nothing to do.');
        return 0;
      }
      const summary = {
        start: outcome.start,
        end: outcome.end,
        changes: outcome.changeCount,
        changedPeople: outcome.changedPeople,
        markedStale: outcome.markedStale,
        durationMs: outcome.run.durationMs,
        runId: outcome.run.id,
      };
      if (options.json) console.log(JSON.stringify(summary));
      else {
        const line = `Synced ${summary.start}..${summary.end}: ${summary.changes} changes, ${summary.changedPeople} people, ${summary.markedStale} marked stale (${summary.durationMs} ms)`;
        if (bar) bar.done(line);
        else console.log(line);
      }
      return 0;
    } finally {
      await container.close();
    }
  },
};
