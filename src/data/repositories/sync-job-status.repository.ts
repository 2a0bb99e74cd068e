import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { syncJobStatus } from '../schema.ts';

export type SyncJobState = 'running' | 'completed' | 'failed';

/** One recorded run of a sync or maintenance job. */
export interface SyncJobRun {
  id: number;
  type: string;
  startDate: string;
  endDate: string;
  status: SyncJobState;
  message: string | null;
  updatedIds: number[] | null;
  tmdbChangeCount: number;
  updatedCount: number;
  durationMs: number | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface StartSyncJobRun {
  type: string;
  /** `YYYY-MM-DD` (UTC). */
  startDate: string;
  endDate: string;
  startedAt: Date;
}

export interface FinishSyncJobRun {
  status: Exclude<SyncJobState, 'running'>;
  message?: string | null;
  updatedIds?: number[] | null;
  tmdbChangeCount?: number;
  updatedCount?: number;
  durationMs: number;
  finishedAt: Date;
}

export interface SyncJobStatusRepository {
  /** Insert a `running` row for a job that starts now. */
  start(run: StartSyncJobRun, tx?: DbOrTx): Promise<SyncJobRun>;
  /** Mark a run completed or failed, with its counts and duration. */
  finish(id: number, outcome: FinishSyncJobRun, tx?: DbOrTx): Promise<SyncJobRun | undefined>;
  /** The runs of one type, newest first. */
  listByType(type: string, limit?: number, tx?: DbOrTx): Promise<SyncJobRun[]>;
}

const columns = {
  id: syncJobStatus.id,
  type: syncJobStatus.type,
  startDate: syncJobStatus.startDate,
  endDate: syncJobStatus.endDate,
  status: syncJobStatus.status,
  message: syncJobStatus.message,
  updatedIds: syncJobStatus.updatedIds,
  tmdbChangeCount: syncJobStatus.tmdbChangeCount,
  updatedCount: syncJobStatus.updatedCount,
  durationMs: syncJobStatus.durationMs,
  startedAt: syncJobStatus.startedAt,
  finishedAt: syncJobStatus.finishedAt,
};

function toRun(row: Omit<SyncJobRun, 'status'> & { status: string }): SyncJobRun {
  return { ...row, status: row.status as SyncJobState };
}

/** The `sync_job_status` table: one row per sync or cleanup run. */
export function createSyncJobStatusRepository(db: DbOrTx): SyncJobStatusRepository {
  return {
    async start(run, tx = db) {
      const [row] = await tx
        .insert(syncJobStatus)
        .values({ type: run.type, startDate: run.startDate, endDate: run.endDate, status: 'running', startedAt: run.startedAt })
        .returning(columns);
      if (!row) throw new Error('sync_job_status insert returned no row');
      return toRun(row);
    },

    async finish(id, outcome, tx = db) {
      const [row] = await tx
        .update(syncJobStatus)
        .set({
          status: outcome.status,
          message: outcome.message ?? null,
          updatedIds: outcome.updatedIds ?? null,
          tmdbChangeCount: outcome.tmdbChangeCount ?? 0,
          updatedCount: outcome.updatedCount ?? 0,
          durationMs: outcome.durationMs,
          finishedAt: outcome.finishedAt,
          updatedAt: outcome.finishedAt,
        })
        .where(eq(syncJobStatus.id, id))
        .returning(columns);
      return row ? toRun(row) : undefined;
    },

    async listByType(type, limit = 100, tx = db) {
      const rows = await tx.select(columns).from(syncJobStatus).where(eq(syncJobStatus.type, type)).orderBy(desc(syncJobStatus.id)).limit(limit);
      return rows.map(toRun);
    },
  };
}
