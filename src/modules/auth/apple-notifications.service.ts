import type { OidcClient } from '../../clients/oidc/oidc.client.ts';
import { OidcUnavailableError } from '../../clients/oidc/oidc.errors.ts';
import type { AppleRepository } from '../../data/repositories/auth-apple.repository.ts';
import type { IdentitiesRepository } from '../../data/repositories/identities.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { UsersService } from '../users/users.service.ts';
import type { AppleRevocationService } from './apple-revocation.service.ts';
import { sha256Hex } from './auth-crypto.ts';
import { AuthErrors } from './auth.errors.ts';
import type { Transact } from './auth.types.ts';
import type { SessionService } from './sessions.service.ts';

/** Apple signs notifications when it sends them; older ones are refused, and de-duplication rows outlive this window. */
export const NOTIFICATION_MAX_AGE_SECONDS = 7 * 24 * 3600;
const EVENT_RETENTION_MS = 30 * 24 * 3600_000;

export const APPLE_EVENT_TYPES = ['email-disabled', 'email-enabled', 'consent-revoked', 'account-delete'] as const;
export type AppleEventType = (typeof APPLE_EVENT_TYPES)[number];

export type NotificationResult = 'processed' | 'duplicate' | 'ignored';

export interface AppleNotificationsService {
  /** Verify and apply one server-to-server notification (`{ payload: <JWS> }`). */
  handle(payload: string): Promise<{ result: NotificationResult; type: string }>;
}

interface AppleEvent {
  type: string;
  sub: string;
  eventTime: number | undefined;
}

function parseEvents(raw: unknown): AppleEvent {
  let value: unknown = raw;
  // Apple sends `events` as a JSON string inside the JWT.
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw AuthErrors.notificationInvalid('events is not JSON');
    }
  }
  if (typeof value !== 'object' || value === null) throw AuthErrors.notificationInvalid('no events claim');
  const e = value as { type?: unknown; sub?: unknown; event_time?: unknown };
  if (typeof e.type !== 'string' || typeof e.sub !== 'string' || e.sub.length === 0 || e.sub.length > 255) throw AuthErrors.notificationInvalid('events needs type and sub');
  return { type: e.type.slice(0, 64), sub: e.sub, eventTime: typeof e.event_time === 'number' ? e.event_time : undefined };
}

/**
 * Sign in with Apple server-to-server notifications: e-mail relay changes,
 * consent revocation and account deletion. Each event is recorded with its
 * effects in one transaction, so a replay finds it and changes nothing.
 * @see https://developer.apple.com/documentation/sign_in_with_apple/processing_changes_for_sign_in_with_apple_accounts
 */
export function createAppleNotificationsService(deps: {
  client: OidcClient | undefined;
  audiences: readonly string[];
  apple: AppleRepository;
  identities: IdentitiesRepository;
  sessions: SessionService;
  users: UsersService;
  appleRevocations: AppleRevocationService;
  transact: Transact;
  clock: Clock;
  logger: Logger;
}): AppleNotificationsService {
  const { apple, identities, clock, logger } = deps;
  return {
    async handle(payload) {
      if (!deps.client) throw AuthErrors.providerDisabled('apple');
      let claims;
      try {
        claims = await deps.client.verifyProviderJwt(payload, { audience: deps.audiences, maxTokenAgeSeconds: NOTIFICATION_MAX_AGE_SECONDS });
      } catch (err) {
        if (err instanceof OidcUnavailableError) throw AuthErrors.providerUnavailable('apple');
        throw AuthErrors.notificationInvalid('signature or claims rejected');
      }
      const event = parseEvents(claims.events);
      const eventId = typeof claims.jti === 'string' && claims.jti.length > 0 ? `jti:${claims.jti.slice(0, 200)}` : `sha:${sha256Hex(`${event.type}|${event.sub}|${event.eventTime ?? claims.iat}`)}`;
      const now = clock.now();

      let revocations: string[] = [];
      const result = await deps.transact(async (tx): Promise<NotificationResult> => {
        const fresh = await apple.recordEvent({ eventId, type: event.type, subject: event.sub, expiresAt: new Date(now.getTime() + EVENT_RETENTION_MS) }, tx);
        if (!fresh) return 'duplicate';
        const identity = await identities.findBySubject('apple', event.sub, tx);
        if (!identity) return 'ignored';
        switch (event.type) {
          case 'email-disabled':
          case 'email-enabled':
            await identities.setEmailForwarding('apple', event.sub, event.type === 'email-enabled', tx);
            return 'processed';
          case 'consent-revoked':
            // The user withdrew the app's access in their Apple ID settings; the token is void already, so it is dropped, not revoked.
            await deps.sessions.revokeAll(identity.userId, tx);
            await identities.takeRefreshTokens({ identityId: identity.id }, tx);
            return 'processed';
          case 'account-delete':
            revocations = (await deps.users.deleteUserWithin(identity.userId, tx)).revocations;
            return 'processed';
          default:
            return 'ignored';
        }
      });
      await deps.users.dispatchRevocations(revocations);
      logger.info({ type: event.type, result }, 'Apple notification handled');
      return { result, type: event.type };
    },
  };
}
