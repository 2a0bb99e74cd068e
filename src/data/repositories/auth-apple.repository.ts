import { and, asc, eq, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { appleNotificationEvents, appleTokenRevocations } from '../schema.ts';

export interface PendingRevocation {
  id: string;
  clientId: string;
  refreshTokenEnc: string;
  reason: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
}

export interface AppleRepository {
  /** Record a notification event; resolves false when it was already recorded (a replay). */
  recordEvent(e: { eventId: string; type: string; subject: string; expiresAt: Date }, tx?: DbOrTx): Promise<boolean>;
  purgeExpiredEvents(now: Date, tx?: DbOrTx): Promise<number>;
  insertRevocation(r: { clientId: string; refreshTokenEnc: string; reason: string }, tx?: DbOrTx): Promise<string>;
  findRevocation(id: string, tx?: DbOrTx): Promise<PendingRevocation | undefined>;
  /** Pending revocations whose next attempt is due. */
  listDueRevocations(now: Date, limit: number, tx?: DbOrTx): Promise<PendingRevocation[]>;
  recordRevocationFailure(id: string, error: string, nextAttemptAt: Date, tx?: DbOrTx): Promise<void>;
  /** Purge a revocation once Apple confirmed it (the encrypted token goes with the row). */
  deleteRevocation(id: string, tx?: DbOrTx): Promise<void>;
}

const revColumns = {
  id: appleTokenRevocations.id,
  clientId: appleTokenRevocations.clientId,
  refreshTokenEnc: appleTokenRevocations.refreshTokenEnc,
  reason: appleTokenRevocations.reason,
  attempts: appleTokenRevocations.attempts,
  lastError: appleTokenRevocations.lastError,
  createdAt: appleTokenRevocations.createdAt,
  nextAttemptAt: appleTokenRevocations.nextAttemptAt,
};

/** Apple notification de-duplication and the pending token revocations. */
export function createAppleRepository(db: DbOrTx): AppleRepository {
  return {
    async recordEvent(e, tx = db) {
      const rows = await tx.insert(appleNotificationEvents).values(e).onConflictDoNothing().returning({ id: appleNotificationEvents.eventId });
      return rows.length > 0;
    },

    async purgeExpiredEvents(now, tx = db) {
      return (await tx.delete(appleNotificationEvents).where(lt(appleNotificationEvents.expiresAt, now)).returning({ id: appleNotificationEvents.eventId })).length;
    },

    async insertRevocation(r, tx = db) {
      const [row] = await tx.insert(appleTokenRevocations).values(r).returning({ id: appleTokenRevocations.id });
      if (!row) throw new Error('apple_token_revocations insert returned no row');
      return row.id;
    },

    async findRevocation(id, tx = db) {
      const [row] = await tx.select(revColumns).from(appleTokenRevocations).where(eq(appleTokenRevocations.id, id));
      return row;
    },

    async listDueRevocations(now, limit, tx = db) {
      return tx.select(revColumns).from(appleTokenRevocations).where(lte(appleTokenRevocations.nextAttemptAt, now)).orderBy(asc(appleTokenRevocations.nextAttemptAt)).limit(limit);
    },

    async recordRevocationFailure(id, error, nextAttemptAt, tx = db) {
      await tx
        .update(appleTokenRevocations)
        .set({ attempts: sql`${appleTokenRevocations.attempts} + 1`, lastError: error.slice(0, 500), nextAttemptAt })
        .where(and(eq(appleTokenRevocations.id, id)));
    },

    async deleteRevocation(id, tx = db) {
      await tx.delete(appleTokenRevocations).where(eq(appleTokenRevocations.id, id));
    },
  };
}
