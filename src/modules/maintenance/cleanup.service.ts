import { performance } from 'node:perf_hooks';
import type { SyncJobStatusRepository } from '../../data/repositories/sync-job-status.repository.ts';
import { utcDate, type Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ExpiredRowsRegistry } from './expired-rows.registry.ts';

/** The `sync_job_status.type` of a cleanup run, as the Go service wrote it. */
export const CLEANUP_RUN_TYPE = 'cache_cleanup';

export interface CleanupTableResult {
  table: string;
  removed: number;
  /** Set when purging this table failed; the other tables still ran. */
  error?: string;
}

export interface CleanupReport {
  /** The `sync_job_status` row of this run. */
  runId: number;
  status: 'completed' | 'failed';
  tables: CleanupTableResult[];
  totalRemoved: number;
  durationMs: number;
}

export interface CleanupService {
  /** Purge every registered table once and record the run in `sync_job_status`. Safe to run again at any time. */
  run(): Promise<CleanupReport>;
}

export interface CleanupServiceDeps {
  /** Counts purged rows per table (`db_rows_purged_total`). */
  onPurged?: (table: string, count: number) => void;
  expiredRows: ExpiredRowsRegistry;
  syncJobs: SyncJobStatusRepository;
  clock: Clock;
  logger: Logger;
}

/**
 * The cleanup job (Go §11): delete expired rows table by table and record the
 * run. Unlike the Go service, `tmdb_change_count` stays 0 (no TMDB changes are
 * read) instead of holding the number of tables, and `duration_ms` and
 * `finished_at` are filled in.
 */
export function createCleanupService(deps: CleanupServiceDeps): CleanupService {
  const { expiredRows, syncJobs, clock, logger } = deps;
  return {
    async run() {
      const now = clock.now();
      const startedMs = performance.now();
      const today = utcDate(now);
      const row = await syncJobs.start({ type: CLEANUP_RUN_TYPE, startDate: today, endDate: today, startedAt: now });

      const tables: CleanupTableResult[] = [];
      for (const purger of expiredRows.list()) {
        try {
          const removed = await purger.purgeExpired(now);
          tables.push({ table: purger.table, removed });
          deps.onPurged?.(purger.table, removed);
          logger.info({ table: purger.table, removed }, 'expired rows purged');
        } catch (err) {
          tables.push({ table: purger.table, removed: 0, error: rootMessage(err) });
          logger.error({ err, table: purger.table }, 'purging expired rows failed');
        }
      }

      const failed = tables.filter((t) => t.error !== undefined);
      const totalRemoved = tables.reduce((sum, t) => sum + t.removed, 0);
      const durationMs = Math.round(performance.now() - startedMs);
      const status = failed.length > 0 ? 'failed' : 'completed';
      await syncJobs.finish(row.id, {
        status,
        message: failed.length > 0 ? failed.map((t) => `${t.table}: ${t.error}`).join('; ') : tables.map((t) => `${t.table}: ${t.removed}`).join(', ') || null,
        updatedCount: totalRemoved,
        tmdbChangeCount: 0,
        durationMs,
        finishedAt: clock.now(),
      });
      logger.info({ runId: row.id, status, totalRemoved, durationMs }, 'cleanup finished');
      return { runId: row.id, status, tables, totalRemoved, durationMs };
    },
  };
}

function rootMessage(err: unknown): string {
  // Drizzle wraps driver errors as "Failed query: <sql> params: <values>"; the innermost cause says what went wrong.
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
