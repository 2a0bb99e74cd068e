import type { PeopleRepository, PersonWrite } from '../../data/repositories/people.repository.ts';
import type { Logger } from '../../shared/logger.ts';

export interface PeopleWriter {
  /** Queue rows for the `people` table; written in the background, in batches. */
  enqueue(rows: readonly PersonWrite[]): void;
  /** Write everything queued now (retrying on failure until `deadline`, epoch ms). */
  flush(deadline?: number): Promise<void>;
  /** Rows waiting to be written. */
  readonly pending: number;
  /** Flush, then stop the retry timer. */
  close(deadline?: number): Promise<void>;
}

const RETRY_DELAYS_MS = [250, 1000, 5000, 15_000, 60_000];
const MAX_PENDING = 200_000;

/**
 * Write-behind for fetched people. A request never waits for the database
 * write, but the write is never lost: failed batches stay queued and are
 * retried with backoff, and shutdown flushes what is left (the container
 * awaits it before closing the database).
 */
export function createPeopleWriter(deps: { repository: PeopleRepository; logger: Logger }): PeopleWriter {
  const pending = new Map<number, PersonWrite>();
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;

  function schedule(delayMs: number): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void writeOnce();
    }, delayMs);
    timer.unref();
  }

  async function writeOnce(): Promise<boolean> {
    if (running) {
      await running;
      return pending.size === 0;
    }
    if (pending.size === 0) return true;
    const batch = [...pending.values()];
    pending.clear();
    let ok = false;
    running = (async () => {
      try {
        await deps.repository.upsertFetched(batch);
        failures = 0;
        ok = true;
      } catch (err) {
        failures++;
        // Newer data for the same person (queued meanwhile) wins over the failed batch.
        for (const row of batch) if (!pending.has(row.id)) pending.set(row.id, row);
        deps.logger.warn({ err, rows: batch.length, attempt: failures }, 'people write failed; will retry');
      }
    })();
    await running;
    running = undefined;
    if (pending.size > 0) schedule(ok ? 0 : RETRY_DELAYS_MS[Math.min(failures - 1, RETRY_DELAYS_MS.length - 1)]!);
    return ok && pending.size === 0;
  }

  return {
    enqueue(rows) {
      for (const row of rows) pending.set(row.id, row);
      if (pending.size > MAX_PENDING) {
        const drop = pending.size - MAX_PENDING;
        const ids = [...pending.keys()].slice(0, drop);
        for (const id of ids) pending.delete(id);
        deps.logger.error({ dropped: drop }, 'people write queue overflowed; oldest rows dropped (they will be fetched again)');
      }
      schedule(0);
    },
    async flush(deadline = Date.now() + 10_000) {
      for (;;) {
        if (timer) {
          clearTimeout(timer);
          timer = undefined;
        }
        if (await writeOnce()) return;
        if (Date.now() >= deadline) {
          deps.logger.error({ rows: pending.size }, 'people rows could not be written before the deadline');
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
      }
    },
    get pending() {
      return pending.size;
    },
    async close(deadline) {
      await this.flush(deadline);
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
