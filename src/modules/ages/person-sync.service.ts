import type { TmdbClient } from '../../clients/tmdb/tmdb.client.ts';
import type { ExclusiveRunner } from '../../data/locks.ts';
import type { PeopleRepository } from '../../data/repositories/people.repository.ts';
import type { SyncJobRun, SyncJobStatusRepository } from '../../data/repositories/sync-job-status.repository.ts';
import { addDays, dateWindows } from '../../shared/dates.ts';
import { AppError } from '../../shared/errors.ts';
import { utcDate, type Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';

export const PERSON_SYNC_TYPE = 'person_sync';
/** TMDB's change endpoints accept at most 14 days per call. */
export const CHANGE_WINDOW_DAYS = 14;

export interface SyncProgress {
  window: { start: string; end: string };
  windowIndex: number;
  windowCount: number;
  page: number;
  totalPages: number;
  changes: number;
}

export interface PersonSyncOptions {
  start?: string | undefined;
  end?: string | undefined;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
}

export interface PersonSyncResult {
  run: SyncJobRun;
  start: string;
  end: string;
  changeCount: number;
  changedPeople: number;
  markedStale: number;
}

export interface PersonSyncService {
  /** Read TMDB's person changes for the date range and mark changed people stale. */
  run(opts?: PersonSyncOptions): Promise<PersonSyncResult | { skipped: 'locked' }>;
  /** The date range a run without overrides would use. */
  resolveRange(opts?: { start?: string | undefined; end?: string | undefined }): Promise<{ start: string; end: string }>;
}

export interface PersonSyncDeps {
  tmdb: TmdbClient;
  people: PeopleRepository;
  syncJobs: SyncJobStatusRepository;
  /** Keeps a second instance from running the sync at the same time (an advisory lock on PostgreSQL). */
  runExclusive: ExclusiveRunner;
  clock: Clock;
  logger: Logger;
  /** Defaults of `--start` / `--end` (`SYNC_START_DATE` / `SYNC_END_DATE`). */
  defaults: { start?: string | undefined; end?: string | undefined };
  /** Called with the changed ids of each window (drop cached dates, expire LLM facts). */
  onPeopleChanged?: (ids: number[]) => Promise<void>;
}

/**
 * The daily person-change sync (§10), fixed:
 * - it resumes from the last completed run's end date (the Go scan bug made it always start yesterday);
 * - a single `--start` or `--end` override is honoured (Go ignored one alone);
 * - ranges longer than 14 days are split into TMDB-sized windows, every page read;
 * - only one instance runs at a time (advisory lock); the others skip.
 * Changed people are marked stale (`fetched = false`) rather than re-fetched:
 * the next page that needs them refetches them within the per-request limit,
 * so a sync never spends TMDB quota on people nobody looks at. Marking stale is
 * idempotent, so an interrupted run simply runs again from the same start.
 */
export function createPersonSyncService(deps: PersonSyncDeps): PersonSyncService {
  const { clock, logger } = deps;

  async function resolveRange(opts: { start?: string | undefined; end?: string | undefined } = {}) {
    const today = utcDate(clock.now());
    const end = opts.end ?? deps.defaults.end ?? today;
    let start = opts.start ?? deps.defaults.start;
    if (!start) {
      // The latest end date of any completed run, so a one-off backfill of old dates never drags the resume point back.
      const completed = (await deps.syncJobs.listByType(PERSON_SYNC_TYPE, 100)).filter((r) => r.status === 'completed');
      const lastEnd = completed.map((r) => r.endDate).sort().at(-1);
      start = lastEnd ?? addDays(today, -1);
    }
    if (start > end) {
      throw new AppError(400, 'INVALID_DATE_RANGE', `The end date ${end} is before the start date ${start}`);
    }
    return { start, end };
  }

  async function runLocked(opts: PersonSyncOptions): Promise<PersonSyncResult> {
    const { start, end } = await resolveRange(opts);
    const startedAt = clock.now();
    const run = await deps.syncJobs.start({ type: PERSON_SYNC_TYPE, startDate: start, endDate: end, startedAt });
    const windows = dateWindows(start, end, CHANGE_WINDOW_DAYS);
    let changeCount = 0;
    let markedStale = 0;
    const changed = new Set<number>();
    try {
      for (const [windowIndex, window] of windows.entries()) {
        const ids: number[] = [];
        let totalPages = 1;
        for (let page = 1; page <= totalPages; page++) {
          if (opts.signal?.aborted) throw new Error('sync interrupted');
          const res = await deps.tmdb.personChanges(window.start, window.end, page, opts.signal ? { signal: opts.signal } : {});
          totalPages = Math.max(1, Math.min(res.data.total_pages ?? 1, 500));
          for (const item of res.data.results ?? []) ids.push(item.id);
          changeCount += res.data.results?.length ?? 0;
          opts.onProgress?.({ window, windowIndex, windowCount: windows.length, page, totalPages, changes: changeCount });
        }
        const unique = [...new Set(ids)];
        markedStale += await deps.people.markStale(unique);
        for (const id of unique) changed.add(id);
        if (unique.length > 0) await deps.onPeopleChanged?.(unique);
      }
      const finishedAt = clock.now();
      const done = await deps.syncJobs.finish(run.id, {
        status: 'completed',
        tmdbChangeCount: changeCount,
        updatedIds: changed.size > 0 ? [...changed] : null,
        updatedCount: markedStale,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        finishedAt,
      });
      return { run: done ?? run, start, end, changeCount, changedPeople: changed.size, markedStale };
    } catch (err) {
      const finishedAt = clock.now();
      await deps.syncJobs
        .finish(run.id, {
          status: 'failed',
          message: err instanceof Error ? err.message : String(err),
          tmdbChangeCount: changeCount,
          updatedCount: markedStale,
          durationMs: finishedAt.getTime() - startedAt.getTime(),
          finishedAt,
        })
        .catch((finishErr: unknown) => logger.error({ err: finishErr }, 'could not record the failed sync run'));
      throw err;
    }
  }

  return {
    resolveRange,
    async run(opts = {}) {
      const outcome = await deps.runExclusive(PERSON_SYNC_TYPE, () => runLocked(opts));
      if (!outcome.acquired) {
        logger.info('person sync already running in another process; skipped');
        return { skipped: 'locked' as const };
      }
      return outcome.value;
    },
  };
}
