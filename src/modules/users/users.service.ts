import type { DbOrTx } from '../../data/db.ts';
import type { IdentitiesRepository, IdentityProvider, IdentityRecord } from '../../data/repositories/identities.repository.ts';
import type { UserRecord, UsersRepository } from '../../data/repositories/users.repository.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Clock } from '../../shared/clock.ts';

/** The identity claims sign-in hands to the users module. */
export interface IdentityClaims {
  provider: IdentityProvider;
  subject: string;
  email: string | undefined;
  emailVerified: boolean | undefined;
  isPrivateEmail: boolean | undefined;
  displayName: string | undefined;
}

/**
 * Moves a user's stored Apple refresh tokens into the revocation queue inside
 * a transaction, and dispatches them once it committed. Implemented by the
 * Apple revocation service; the users module only needs this much of it.
 */
export interface AppleTokenRevoker {
  stash(filter: { userId: string } | { identityId: string }, reason: string, tx: DbOrTx): Promise<string[]>;
  dispatch(revocationIds: string[]): Promise<void>;
}

export interface UsersService {
  /** Find the user of (provider, subject), or create the user and the identity. Never matches by e-mail. */
  findOrCreateByIdentity(claims: IdentityClaims, tx: DbOrTx): Promise<{ user: UserRecord; identity: IdentityRecord; created: boolean }>;
  /** Users with this e-mail address (case-insensitive); for the operator CLI. */
  findByEmail(email: string): Promise<UserRecord[]>;
  createLocalUser(email: string, displayName: string | undefined): Promise<UserRecord>;
  getUser(userId: string, tx?: DbOrTx): Promise<UserRecord | undefined>;
  /**
   * Delete a user and, through ON DELETE CASCADE, every row they own, in one
   * transaction. Apple refresh tokens are first moved to the revocation queue,
   * which outlives the user until Apple confirms. Resolves false when no such user.
   */
  deleteUser(userId: string): Promise<boolean>;
  /** `deleteUser` inside the caller's transaction; the caller dispatches the returned revocations after commit. */
  deleteUserWithin(userId: string, tx: DbOrTx): Promise<{ deleted: boolean; revocations: string[] }>;
  /** Queue the Apple revocations that `deleteUserWithin` stashed. */
  dispatchRevocations(revocationIds: string[]): Promise<void>;
}

export interface UsersServiceDeps {
  users: UsersRepository;
  identities: IdentitiesRepository;
  transact: <T>(fn: (tx: DbOrTx) => Promise<T>) => Promise<T>;
  appleTokens: AppleTokenRevoker;
  clock: Clock;
  logger: Logger;
}

/** Users and their lifecycle. */
export function createUsersService(deps: UsersServiceDeps): UsersService {
  const { users, identities, transact, appleTokens, clock } = deps;

  async function deleteWithin(userId: string, tx: DbOrTx) {
    const revocations = await appleTokens.stash({ userId }, 'account-deleted', tx);
    const deleted = await users.delete(userId, tx);
    if (deleted) deps.logger.info({ userId, appleRevocations: revocations.length }, 'user deleted');
    return { deleted, revocations };
  }

  return {
    async findOrCreateByIdentity(claims, tx) {
      const identityClaims = { email: claims.email ?? null, emailVerified: claims.emailVerified ?? null, isPrivateEmail: claims.isPrivateEmail ?? null };
      const existing = await identities.findBySubject(claims.provider, claims.subject, tx);
      if (existing) {
        await identities.touchSignIn(existing.id, identityClaims, clock.now(), tx);
        await users.fillProfile(existing.userId, { email: claims.email, displayName: claims.displayName }, tx);
        const user = await users.findById(existing.userId, tx);
        if (!user) throw new Error('identity without user');
        return { user, identity: existing, created: false };
      }
      const user = await users.create({ email: claims.email ?? null, displayName: claims.displayName ?? null }, tx);
      const identity = await identities.insert({ userId: user.id, provider: claims.provider, subject: claims.subject, ...identityClaims }, tx);
      // A concurrent first sign-in of the same subject won the race; the caller's transaction rolls back and it may retry.
      if (!identity) throw new IdentityRaceError();
      return { user, identity, created: true };
    },

    findByEmail: (email) => users.findByEmail(email),

    createLocalUser: (email, displayName) => users.create({ email, displayName: displayName ?? null }),

    getUser: (userId, tx) => users.findById(userId, tx),

    async deleteUser(userId) {
      const { deleted, revocations } = await transact((tx) => deleteWithin(userId, tx));
      await appleTokens.dispatch(revocations);
      return deleted;
    },

    deleteUserWithin: deleteWithin,

    dispatchRevocations: (ids) => appleTokens.dispatch(ids),
  };
}

/** Two first sign-ins of one identity raced; retrying finds the winner's user. */
export class IdentityRaceError extends Error {
  constructor() {
    super('identity was created concurrently');
    this.name = 'IdentityRaceError';
  }
}
