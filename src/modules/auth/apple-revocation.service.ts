import type { DbOrTx } from '../../data/db.ts';
import type { AppleRepository } from '../../data/repositories/auth-apple.repository.ts';
import type { IdentitiesRepository } from '../../data/repositories/identities.repository.ts';
import type { OidcClient } from '../../clients/oidc/oidc.client.ts';
import { OidcGrantError } from '../../clients/oidc/oidc.errors.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { AppleTokenRevoker } from '../users/users.service.ts';
import type { TokenCipher } from './auth-crypto.ts';

export type RevocationOutcome = 'revoked' | 'already-invalid' | 'gone' | 'no-provider';

export interface AppleRevocationService extends AppleTokenRevoker {
  /** Revoke a user's stored Apple refresh tokens now; a failure leaves them queued for the retry job. */
  revokeAppleTokens(userId: string): Promise<{ queued: number }>;
  /** Attempt one queued revocation (the `apple-revoke` job). Throws on a retryable failure. */
  processRevocation(revocationId: string): Promise<RevocationOutcome>;
  /** Attempt every queued revocation that is due (the hourly sweep). */
  retryDue(limit?: number): Promise<{ attempted: number; revoked: number }>;
}

export interface AppleRevocationDeps {
  apple: AppleRepository;
  identities: IdentitiesRepository;
  transact: <T>(fn: (tx: DbOrTx) => Promise<T>) => Promise<T>;
  /** Undefined when Apple sign-in is not configured: queued rows then wait. */
  client: OidcClient | undefined;
  cipher: TokenCipher | undefined;
  /** Queue the `apple-revoke` job for one row. */
  enqueue: (revocationId: string) => Promise<unknown>;
  clock: Clock;
  logger: Logger;
}

const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 24 * 3600_000;

/**
 * Apple token revocation, required by Apple when an account is deleted.
 * Tokens move from the identity into `apple_token_revocations` (still
 * encrypted) in the caller's transaction, so account deletion never waits for
 * Apple; the job then revokes them and deletes the row.
 * @see https://developer.apple.com/documentation/sign_in_with_apple/revoke_tokens
 */
export function createAppleRevocationService(deps: AppleRevocationDeps): AppleRevocationService {
  const { apple, identities, clock, logger } = deps;

  async function stash(filter: { userId: string } | { identityId: string }, reason: string, tx: DbOrTx): Promise<string[]> {
    const tokens = await identities.takeRefreshTokens(filter, tx);
    const ids: string[] = [];
    for (const t of tokens) ids.push(await apple.insertRevocation({ clientId: t.clientId, refreshTokenEnc: t.refreshTokenEnc, reason }, tx));
    return ids;
  }

  async function dispatch(ids: string[]): Promise<void> {
    for (const id of ids) {
      try {
        await deps.enqueue(id);
      } catch (err) {
        // The row stays queued; the hourly sweep picks it up.
        logger.warn({ err, revocationId: id }, 'could not queue the Apple revocation job');
      }
    }
  }

  async function processRevocation(id: string): Promise<RevocationOutcome> {
    const row = await apple.findRevocation(id);
    if (!row) return 'gone';
    if (!deps.client || !deps.cipher) return 'no-provider';
    try {
      const token = deps.cipher.decrypt(row.refreshTokenEnc);
      await deps.client.revokeRefreshToken(token, row.clientId);
      await apple.deleteRevocation(id);
      logger.info({ revocationId: id, reason: row.reason }, 'Apple refresh token revoked');
      return 'revoked';
    } catch (err) {
      if (err instanceof OidcGrantError && (err.error === 'invalid_grant' || err.error === 'invalid_token')) {
        // Apple no longer knows the token (the user revoked it, or the account is gone): nothing left to revoke.
        await apple.deleteRevocation(id);
        return 'already-invalid';
      }
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(row.attempts, 20));
      await apple.recordRevocationFailure(id, (err as Error).message, new Date(clock.now().getTime() + delay));
      throw err;
    }
  }

  return {
    stash,
    dispatch,
    processRevocation,

    async revokeAppleTokens(userId) {
      const ids = await deps.transact((tx) => stash({ userId }, 'requested', tx));
      let queued = 0;
      for (const id of ids) {
        try {
          await processRevocation(id);
        } catch {
          queued++;
          await dispatch([id]);
        }
      }
      return { queued };
    },

    async retryDue(limit = 100) {
      const due = await apple.listDueRevocations(clock.now(), limit);
      let revoked = 0;
      for (const row of due) {
        try {
          const outcome = await processRevocation(row.id);
          if (outcome === 'revoked' || outcome === 'already-invalid') revoked++;
        } catch (err) {
          logger.warn({ err, revocationId: row.id }, 'Apple revocation failed; will retry');
        }
      }
      return { attempted: due.length, revoked };
    },
  };
}
