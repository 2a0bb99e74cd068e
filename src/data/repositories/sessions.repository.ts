import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { sessions } from '../schema.ts';

export interface SessionRecord {
  id: string;
  userId: string;
  method: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface SessionsRepository {
  insert(session: { userId: string; tokenHash: string; method: string; expiresAt: Date; now: Date }, tx?: DbOrTx): Promise<SessionRecord>;
  findByTokenHash(tokenHash: string, tx?: DbOrTx): Promise<SessionRecord | undefined>;
  findById(id: string, tx?: DbOrTx): Promise<SessionRecord | undefined>;
  /** Slide the expiry; only when `last_used_at` is older than `notAfter`, so concurrent requests write once. */
  touch(id: string, now: Date, expiresAt: Date, notAfter: Date, tx?: DbOrTx): Promise<void>;
  revoke(id: string, now: Date, tx?: DbOrTx): Promise<boolean>;
  /** Revoke every live session of a user; resolves with how many. */
  revokeAllForUser(userId: string, now: Date, tx?: DbOrTx): Promise<number>;
  /** Delete sessions that expired, or were revoked, before `now`. */
  purgeExpired(now: Date, tx?: DbOrTx): Promise<number>;
}

const columns = {
  id: sessions.id,
  userId: sessions.userId,
  method: sessions.method,
  createdAt: sessions.createdAt,
  lastUsedAt: sessions.lastUsedAt,
  expiresAt: sessions.expiresAt,
  revokedAt: sessions.revokedAt,
};

/** The `sessions` table. Only SHA-256 hashes of tokens are stored or looked up. */
export function createSessionsRepository(db: DbOrTx): SessionsRepository {
  return {
    async insert(s, tx = db) {
      const [row] = await tx
        .insert(sessions)
        .values({ userId: s.userId, tokenHash: s.tokenHash, method: s.method, expiresAt: s.expiresAt, createdAt: s.now, lastUsedAt: s.now })
        .returning(columns);
      if (!row) throw new Error('sessions insert returned no row');
      return row;
    },

    async findByTokenHash(tokenHash, tx = db) {
      const [row] = await tx.select(columns).from(sessions).where(eq(sessions.tokenHash, tokenHash));
      return row;
    },

    async findById(id, tx = db) {
      const [row] = await tx.select(columns).from(sessions).where(eq(sessions.id, id));
      return row;
    },

    async touch(id, now, expiresAt, notAfter, tx = db) {
      await tx
        .update(sessions)
        .set({ lastUsedAt: now, expiresAt })
        .where(and(eq(sessions.id, id), lt(sessions.lastUsedAt, notAfter), isNull(sessions.revokedAt)));
    },

    async revoke(id, now, tx = db) {
      const rows = await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt))).returning({ id: sessions.id });
      return rows.length > 0;
    },

    async revokeAllForUser(userId, now, tx = db) {
      const rows = await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      return rows.length;
    },

    async purgeExpired(now, tx = db) {
      const rows = await tx
        .delete(sessions)
        .where(or(lt(sessions.expiresAt, now), lt(sessions.revokedAt, now)))
        .returning({ id: sessions.id });
      return rows.length;
    },
  };
}
