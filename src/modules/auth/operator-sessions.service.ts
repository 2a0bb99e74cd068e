import type { UsersService } from '../users/users.service.ts';
import type { SessionService } from './sessions.service.ts';

export interface OperatorSessionsService {
  /** Find the user with this e-mail (or create a local user without identities) and create a session. Resolves with the token. */
  createSession(email: string, displayName?: string): Promise<{ token: string; userId: string; created: boolean }>;
  /** Revoke every session of every user with this e-mail. */
  revokeSessions(email: string): Promise<{ users: number; sessions: number }>;
}

/** Thrown when the e-mail names several accounts (they are never merged); the operator must decide. */
export class AmbiguousEmailError extends Error {
  constructor(
    readonly email: string,
    readonly userIds: string[],
  ) {
    super(`${userIds.length} accounts use ${email}: ${userIds.join(', ')}`);
    this.name = 'AmbiguousEmailError';
  }
}

/** `minimovie sessions create|revoke`: sessions for local development, scripts and support, without Google or Apple. */
export function createOperatorSessionsService(deps: { users: UsersService; sessions: SessionService }): OperatorSessionsService {
  const { users, sessions } = deps;
  return {
    async createSession(email, displayName) {
      const matches = await users.findByEmail(email);
      if (matches.length > 1) throw new AmbiguousEmailError(email, matches.map((u) => u.id));
      const user = matches[0] ?? (await users.createLocalUser(email, displayName));
      const { token } = await sessions.create(user.id, 'cli');
      return { token, userId: user.id, created: matches.length === 0 };
    },

    async revokeSessions(email) {
      const matches = await users.findByEmail(email);
      let revoked = 0;
      for (const user of matches) revoked += await sessions.revokeAll(user.id);
      return { users: matches.length, sessions: revoked };
    },
  };
}
