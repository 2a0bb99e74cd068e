import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { userIdentities } from '../schema.ts';

export type IdentityProvider = 'google' | 'apple';

/** A linked identity. The encrypted refresh token never leaves the data and auth layers. */
export interface IdentityRecord {
  id: string;
  userId: string;
  provider: IdentityProvider;
  subject: string;
  email: string | null;
  emailVerified: boolean | null;
  isPrivateEmail: boolean | null;
  emailForwardingEnabled: boolean | null;
  hasRefreshToken: boolean;
  createdAt: Date;
  lastSignInAt: Date;
}

export interface NewIdentity {
  userId: string;
  provider: IdentityProvider;
  subject: string;
  email: string | null;
  emailVerified: boolean | null;
  isPrivateEmail: boolean | null;
}

export interface StoredRefreshToken {
  identityId: string;
  userId: string;
  clientId: string;
  refreshTokenEnc: string;
}

export interface IdentitiesRepository {
  findBySubject(provider: IdentityProvider, subject: string, tx?: DbOrTx): Promise<IdentityRecord | undefined>;
  findByUserAndProvider(userId: string, provider: IdentityProvider, tx?: DbOrTx): Promise<IdentityRecord | undefined>;
  listByUser(userId: string, tx?: DbOrTx): Promise<IdentityRecord[]>;
  countByUser(userId: string, tx?: DbOrTx): Promise<number>;
  /** Insert; resolves with undefined when (provider, subject) or (user, provider) is already taken. */
  insert(identity: NewIdentity, tx?: DbOrTx): Promise<IdentityRecord | undefined>;
  /** Record a sign-in and refresh the e-mail claims. */
  touchSignIn(id: string, claims: { email: string | null; emailVerified: boolean | null; isPrivateEmail: boolean | null }, now: Date, tx?: DbOrTx): Promise<void>;
  setRefreshToken(id: string, token: { clientId: string; refreshTokenEnc: string }, tx?: DbOrTx): Promise<void>;
  /** Remove and return the stored (encrypted) refresh tokens of a user, or of one identity. */
  takeRefreshTokens(filter: { userId: string } | { identityId: string }, tx?: DbOrTx): Promise<StoredRefreshToken[]>;
  setEmailForwarding(provider: IdentityProvider, subject: string, enabled: boolean, tx?: DbOrTx): Promise<IdentityRecord | undefined>;
  delete(id: string, tx?: DbOrTx): Promise<void>;
}

const columns = {
  id: userIdentities.id,
  userId: userIdentities.userId,
  provider: userIdentities.provider,
  subject: userIdentities.subject,
  email: userIdentities.email,
  emailVerified: userIdentities.emailVerified,
  isPrivateEmail: userIdentities.isPrivateEmail,
  emailForwardingEnabled: userIdentities.emailForwardingEnabled,
  refreshTokenEnc: userIdentities.refreshTokenEnc,
  createdAt: userIdentities.createdAt,
  lastSignInAt: userIdentities.lastSignInAt,
};

type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | ((typeof columns)[K]['_']['notNull'] extends true ? never : null) };

function toRecord(row: Row): IdentityRecord {
  const { refreshTokenEnc, ...rest } = row;
  return { ...rest, provider: row.provider as IdentityProvider, hasRefreshToken: refreshTokenEnc !== null };
}

/** The `user_identities` table. */
export function createIdentitiesRepository(db: DbOrTx): IdentitiesRepository {
  return {
    async findBySubject(provider, subject, tx = db) {
      const [row] = await tx.select(columns).from(userIdentities).where(and(eq(userIdentities.provider, provider), eq(userIdentities.subject, subject)));
      return row ? toRecord(row) : undefined;
    },

    async findByUserAndProvider(userId, provider, tx = db) {
      const [row] = await tx.select(columns).from(userIdentities).where(and(eq(userIdentities.userId, userId), eq(userIdentities.provider, provider)));
      return row ? toRecord(row) : undefined;
    },

    async listByUser(userId, tx = db) {
      const rows = await tx.select(columns).from(userIdentities).where(eq(userIdentities.userId, userId)).orderBy(asc(userIdentities.createdAt));
      return rows.map(toRecord);
    },

    async countByUser(userId, tx = db) {
      // FOR UPDATE: two concurrent unlinks of a user's two identities must not both see 2 and both delete.
      const rows = await tx.select({ id: userIdentities.id }).from(userIdentities).where(eq(userIdentities.userId, userId)).for('update');
      return rows.length;
    },

    async insert(identity, tx = db) {
      const [row] = await tx.insert(userIdentities).values(identity).onConflictDoNothing().returning(columns);
      return row ? toRecord(row) : undefined;
    },

    async touchSignIn(id, claims, now, tx = db) {
      await tx
        .update(userIdentities)
        .set({ email: claims.email, emailVerified: claims.emailVerified, isPrivateEmail: claims.isPrivateEmail, lastSignInAt: now })
        .where(eq(userIdentities.id, id));
    },

    async setRefreshToken(id, token, tx = db) {
      await tx.update(userIdentities).set({ refreshTokenEnc: token.refreshTokenEnc, refreshTokenClientId: token.clientId }).where(eq(userIdentities.id, id));
    },

    async takeRefreshTokens(filter, tx = db) {
      const where = and(
        'userId' in filter ? eq(userIdentities.userId, filter.userId) : eq(userIdentities.id, filter.identityId),
        isNotNull(userIdentities.refreshTokenEnc),
      );
      const rows = await tx
        .select({ identityId: userIdentities.id, userId: userIdentities.userId, clientId: userIdentities.refreshTokenClientId, refreshTokenEnc: userIdentities.refreshTokenEnc })
        .from(userIdentities)
        .where(where)
        .for('update');
      if (rows.length === 0) return [];
      await tx.update(userIdentities).set({ refreshTokenEnc: null, refreshTokenClientId: null }).where(where);
      return rows.map((r) => ({ identityId: r.identityId, userId: r.userId, clientId: r.clientId ?? '', refreshTokenEnc: r.refreshTokenEnc ?? '' }));
    },

    async setEmailForwarding(provider, subject, enabled, tx = db) {
      const [row] = await tx
        .update(userIdentities)
        .set({ emailForwardingEnabled: enabled })
        .where(and(eq(userIdentities.provider, provider), eq(userIdentities.subject, subject)))
        .returning(columns);
      return row ? toRecord(row) : undefined;
    },

    async delete(id, tx = db) {
      await tx.delete(userIdentities).where(eq(userIdentities.id, id));
    },
  };
}
