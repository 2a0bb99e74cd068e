import type { DbOrTx } from '../../data/db.ts';
import type { SessionRecord, SessionsRepository } from '../../data/repositories/sessions.repository.ts';
import type { UsersRepository } from '../../data/repositories/users.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import { randomToken, sha256Hex, SESSION_TOKEN_PREFIX } from './auth-crypto.ts';
import { AuthErrors } from './auth.errors.ts';
import type { SessionGrant, UserView } from './auth.types.ts';

/** Sessions slide at most once a minute, so a busy client does not write on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
const MAX_TOKEN_LENGTH = 200;

export interface AuthenticatedSession {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

export interface SessionService {
  /** Create a session and return the token once; only its SHA-256 is stored. */
  create(userId: string, method: string, tx?: DbOrTx): Promise<{ token: string; session: SessionRecord }>;
  /** A session grant for a user (token + expiry + user). */
  grant(user: UserView, method: string, tx?: DbOrTx): Promise<SessionGrant & { sessionId: string }>;
  /**
   * Resolve a bearer token. Null when the token is not shaped like a session
   * token (it may be a client token); throws SESSION_INVALID or SESSION_EXPIRED otherwise.
   */
  authenticate(token: string): Promise<AuthenticatedSession | null>;
  /** The signed-in user and the session's expiry. */
  describe(sessionId: string, userId: string): Promise<{ user: UserView; expiresAt: Date }>;
  revoke(sessionId: string): Promise<void>;
  revokeAll(userId: string, tx?: DbOrTx): Promise<number>;
}

/** Whether a bearer token is shaped like one of our session tokens. */
export function isSessionToken(token: string): boolean {
  return token.startsWith(SESSION_TOKEN_PREFIX);
}

/** Opaque bearer sessions with a sliding expiry (`SESSION_TTL_DAYS`). */
export function createSessionService(deps: { sessions: SessionsRepository; users: UsersRepository; clock: Clock; ttlDays: number }): SessionService {
  const { sessions, users, clock } = deps;
  const ttlMs = deps.ttlDays * 24 * 3600 * 1000;

  async function create(userId: string, method: string, tx?: DbOrTx) {
    const now = clock.now();
    const token = randomToken(SESSION_TOKEN_PREFIX);
    const session = await sessions.insert({ userId, tokenHash: sha256Hex(token), method, expiresAt: new Date(now.getTime() + ttlMs), now }, tx);
    return { token, session };
  }

  return {
    create,

    async grant(user, method, tx) {
      const { token, session } = await create(user.id, method, tx);
      return { accessToken: token, tokenType: 'Bearer', expiresAt: session.expiresAt, user, sessionId: session.id };
    },

    async authenticate(token) {
      if (!isSessionToken(token)) return null;
      if (token.length > MAX_TOKEN_LENGTH) throw AuthErrors.sessionInvalid();
      const session = await sessions.findByTokenHash(sha256Hex(token));
      if (!session || session.revokedAt) throw AuthErrors.sessionInvalid();
      const now = clock.now();
      if (session.expiresAt.getTime() <= now.getTime()) throw AuthErrors.sessionExpired();
      let expiresAt = session.expiresAt;
      if (now.getTime() - session.lastUsedAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
        expiresAt = new Date(now.getTime() + ttlMs);
        await sessions.touch(session.id, now, expiresAt, new Date(now.getTime() - SESSION_TOUCH_INTERVAL_MS + 1));
      }
      return { userId: session.userId, sessionId: session.id, expiresAt };
    },

    async describe(sessionId, userId) {
      const [user, session] = await Promise.all([users.findById(userId), sessions.findById(sessionId)]);
      if (!user || !session || session.revokedAt) throw AuthErrors.sessionInvalid();
      return { user, expiresAt: session.expiresAt };
    },

    async revoke(sessionId) {
      await sessions.revoke(sessionId, clock.now());
    },

    async revokeAll(userId, tx) {
      return sessions.revokeAllForUser(userId, clock.now(), tx);
    },
  };
}
