import { and, eq, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { authCodes, authNonces, authTransactions, linkTokens, type PendingIdentity } from '../schema.ts';

export type { PendingIdentity };

export interface AuthTransactionRecord {
  id: string;
  provider: string;
  redirectUri: string;
  appState: string;
  codeChallenge: string;
  linkUserId: string | null;
  expiresAt: Date;
  consumedAt: Date | null;
}

export interface AuthCodeRecord {
  id: string;
  userId: string;
  provider: string;
  codeChallenge: string;
  sessionId: string | null;
  /** Link flow: the identity to link to `userId` when the code is redeemed. */
  pendingIdentity: PendingIdentity | null;
  expiresAt: Date;
  consumedAt: Date | null;
}

/** A single-use row looked up by hash: consumed now, or why not. */
export type Consumed<T> = { ok: true; row: T } | { ok: false; reason: 'unknown' | 'used' | 'expired'; row?: T };

export interface AuthFlowRepository {
  insertTransaction(t: Omit<AuthTransactionRecord, 'id' | 'consumedAt'> & { stateHash: string }, tx?: DbOrTx): Promise<void>;
  /** Mark the transaction used, atomically: only one of two concurrent callbacks wins. */
  consumeTransaction(stateHash: string, now: Date, tx?: DbOrTx): Promise<Consumed<AuthTransactionRecord>>;
  insertCode(c: Omit<AuthCodeRecord, 'id' | 'consumedAt' | 'sessionId' | 'pendingIdentity'> & { codeHash: string; pendingIdentity?: PendingIdentity | null }, tx?: DbOrTx): Promise<void>;
  consumeCode(codeHash: string, now: Date, tx?: DbOrTx): Promise<Consumed<AuthCodeRecord>>;
  attachSession(codeId: string, sessionId: string, tx?: DbOrTx): Promise<void>;
  insertNonce(n: { nonceHash: string; expiresAt: Date }, tx?: DbOrTx): Promise<void>;
  consumeNonce(nonceHash: string, now: Date, tx?: DbOrTx): Promise<Consumed<{ id: string }>>;
  insertLinkToken(t: { tokenHash: string; userId: string; expiresAt: Date }, tx?: DbOrTx): Promise<void>;
  consumeLinkToken(tokenHash: string, now: Date, tx?: DbOrTx): Promise<Consumed<{ userId: string }>>;
  purgeExpiredTransactions(now: Date, tx?: DbOrTx): Promise<number>;
  purgeExpiredCodes(now: Date, tx?: DbOrTx): Promise<number>;
  purgeExpiredNonces(now: Date, tx?: DbOrTx): Promise<number>;
  purgeExpiredLinkTokens(now: Date, tx?: DbOrTx): Promise<number>;
}

const txColumns = {
  id: authTransactions.id,
  provider: authTransactions.provider,
  redirectUri: authTransactions.redirectUri,
  appState: authTransactions.appState,
  codeChallenge: authTransactions.codeChallenge,
  linkUserId: authTransactions.linkUserId,
  expiresAt: authTransactions.expiresAt,
  consumedAt: authTransactions.consumedAt,
};

const codeColumns = {
  id: authCodes.id,
  userId: authCodes.userId,
  provider: authCodes.provider,
  codeChallenge: authCodes.codeChallenge,
  sessionId: authCodes.sessionId,
  pendingIdentity: authCodes.pendingIdentity,
  expiresAt: authCodes.expiresAt,
  consumedAt: authCodes.consumedAt,
};

/**
 * Consume a single-use row: one UPDATE ... WHERE consumed_at IS NULL decides
 * the winner; a loser reads the row to say why it lost.
 */
async function consume<T extends { expiresAt: Date; consumedAt: Date | null }>(
  update: () => Promise<T[]>,
  read: () => Promise<T[]>,
  now: Date,
): Promise<Consumed<T>> {
  const [won] = await update();
  if (won) return won.expiresAt.getTime() > now.getTime() ? { ok: true, row: won } : { ok: false, reason: 'expired', row: won };
  const [row] = await read();
  if (!row) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: row.consumedAt ? 'used' : 'expired', row };
}

/** Transactions, one-time auth codes, native nonces and link tokens: short-lived, single-use rows keyed by SHA-256. */
export function createAuthFlowRepository(db: DbOrTx): AuthFlowRepository {
  return {
    async insertTransaction(t, tx = db) {
      await tx.insert(authTransactions).values(t);
    },

    async consumeTransaction(stateHash, now, tx = db) {
      return consume(
        () => tx.update(authTransactions).set({ consumedAt: now }).where(and(eq(authTransactions.stateHash, stateHash), isNull(authTransactions.consumedAt))).returning(txColumns),
        () => tx.select(txColumns).from(authTransactions).where(eq(authTransactions.stateHash, stateHash)),
        now,
      );
    },

    async insertCode(c, tx = db) {
      await tx.insert(authCodes).values(c);
    },

    async consumeCode(codeHash, now, tx = db) {
      return consume(
        () => tx.update(authCodes).set({ consumedAt: now }).where(and(eq(authCodes.codeHash, codeHash), isNull(authCodes.consumedAt))).returning(codeColumns),
        () => tx.select(codeColumns).from(authCodes).where(eq(authCodes.codeHash, codeHash)),
        now,
      );
    },

    async attachSession(codeId, sessionId, tx = db) {
      await tx.update(authCodes).set({ sessionId }).where(eq(authCodes.id, codeId));
    },

    async insertNonce(n, tx = db) {
      await tx.insert(authNonces).values(n);
    },

    async consumeNonce(nonceHash, now, tx = db) {
      const cols = { id: authNonces.id, expiresAt: authNonces.expiresAt, consumedAt: authNonces.consumedAt };
      return consume(
        () => tx.update(authNonces).set({ consumedAt: now }).where(and(eq(authNonces.nonceHash, nonceHash), isNull(authNonces.consumedAt))).returning(cols),
        () => tx.select(cols).from(authNonces).where(eq(authNonces.nonceHash, nonceHash)),
        now,
      );
    },

    async insertLinkToken(t, tx = db) {
      await tx.insert(linkTokens).values(t);
    },

    async consumeLinkToken(tokenHash, now, tx = db) {
      const cols = { userId: linkTokens.userId, expiresAt: linkTokens.expiresAt, consumedAt: linkTokens.consumedAt };
      return consume(
        () => tx.update(linkTokens).set({ consumedAt: now }).where(and(eq(linkTokens.tokenHash, tokenHash), isNull(linkTokens.consumedAt))).returning(cols),
        () => tx.select(cols).from(linkTokens).where(eq(linkTokens.tokenHash, tokenHash)),
        now,
      );
    },

    async purgeExpiredTransactions(now, tx = db) {
      return (await tx.delete(authTransactions).where(lt(authTransactions.expiresAt, now)).returning({ id: authTransactions.id })).length;
    },
    async purgeExpiredCodes(now, tx = db) {
      return (await tx.delete(authCodes).where(lt(authCodes.expiresAt, now)).returning({ id: authCodes.id })).length;
    },
    async purgeExpiredNonces(now, tx = db) {
      return (await tx.delete(authNonces).where(lt(authNonces.expiresAt, now)).returning({ id: authNonces.id })).length;
    },
    async purgeExpiredLinkTokens(now, tx = db) {
      return (await tx.delete(linkTokens).where(lt(linkTokens.expiresAt, now)).returning({ id: linkTokens.id })).length;
    },
  };
}
