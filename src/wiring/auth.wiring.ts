/*
 * Part of the composition root (src/container.ts): wires sign-in from the
 * configuration, the database and the OpenID clients. Only container.ts
 * imports it; the rest of the app sees the AuthComponents interface.
 */
import type { Config } from '../config/config.ts';
import { createAppleClientSecret } from '../clients/apple/apple-client-secret.ts';
import { createOidcClient, type OidcClient } from '../clients/oidc/oidc.client.ts';
import type { Db } from '../data/db.ts';
import { createAppleRepository } from '../data/repositories/auth-apple.repository.ts';
import { createAuthFlowRepository } from '../data/repositories/auth-flow.repository.ts';
import { createIdentitiesRepository } from '../data/repositories/identities.repository.ts';
import { createSessionsRepository } from '../data/repositories/sessions.repository.ts';
import { createUsersRepository } from '../data/repositories/users.repository.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { createUsersService } from '../modules/users/users.service.ts';
import { createAppleNotificationsService } from '../modules/auth/apple-notifications.service.ts';
import { createAppleRevocationService } from '../modules/auth/apple-revocation.service.ts';
import { createTokenCipher, createTransactionSecrets } from '../modules/auth/auth-crypto.ts';
import type { Provider, Transact } from '../modules/auth/auth.types.ts';
import { createIdentitiesService } from '../modules/auth/identities.service.ts';
import { createOperatorSessionsService } from '../modules/auth/operator-sessions.service.ts';
import { createSessionService } from '../modules/auth/sessions.service.ts';
import type { AuthComponents } from '../modules/auth/auth.components.ts';
import { createSignInService, type ProviderRuntime } from '../modules/auth/sign-in.service.ts';

export interface AuthComponentsDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Queue the `apple-revoke` job for one pending revocation. */
  enqueueAppleRevocation: (revocationId: string) => Promise<unknown>;
  /** Replace a provider's OpenID client (tests). */
  oidcClients?: Partial<Record<Provider, OidcClient>>;
}

const PROVIDER_TIMEOUT_MS = 10_000;

/** Wire sign-in: OpenID clients, repositories and services. */
export function createAuthComponents(deps: AuthComponentsDeps): AuthComponents {
  const { config, db, clock, logger } = deps;
  const auth = config.auth;
  const secretKey = auth.secretKey;
  if ((auth.google || auth.apple) && !secretKey) {
    throw new Error('SECRET_KEY is required when Google or Apple sign-in is configured: it protects sign-in transactions and Apple refresh tokens');
  }
  const transact: Transact = (fn) => db.transaction((tx) => fn(tx));

  const providers: Partial<Record<Provider, ProviderRuntime>> = {};
  if (auth.google) {
    const google = auth.google;
    providers.google = {
      clientId: google.clientId,
      audiences: google.audiences,
      client:
        deps.oidcClients?.google ??
        createOidcClient({
          name: 'google',
          issuer: google.issuer,
          clientId: google.clientId,
          clientSecret: async () => google.clientSecret,
          redirectUri: `${config.publicUrl}/auth/google/callback`,
          scope: 'openid email profile',
          timeoutMs: PROVIDER_TIMEOUT_MS,
          clock,
        }),
    };
  }
  if (auth.apple) {
    const apple = auth.apple;
    const clientSecret = createAppleClientSecret({ teamId: apple.teamId, keyId: apple.keyId, privateKey: apple.privateKey, audience: apple.issuer, clock });
    providers.apple = {
      clientId: apple.clientId,
      audiences: apple.audiences,
      client:
        deps.oidcClients?.apple ??
        createOidcClient({
          name: 'apple',
          issuer: apple.issuer,
          clientId: apple.clientId,
          clientSecret,
          redirectUri: `${config.publicUrl}/auth/apple/callback`,
          scope: 'openid email name',
          // Apple requires form_post whenever name or email is requested.
          responseMode: 'form_post',
          timeoutMs: PROVIDER_TIMEOUT_MS,
          clock,
        }),
    };
  }

  const usersRepo = createUsersRepository(db);
  const identitiesRepo = createIdentitiesRepository(db);
  const sessionsRepo = createSessionsRepository(db);
  const flowRepo = createAuthFlowRepository(db);
  const appleRepo = createAppleRepository(db);
  const cipher = secretKey ? createTokenCipher(secretKey) : undefined;

  const appleRevocations = createAppleRevocationService({
    apple: appleRepo,
    identities: identitiesRepo,
    transact,
    client: providers.apple?.client,
    cipher,
    enqueue: deps.enqueueAppleRevocation,
    clock,
    logger,
  });
  const users = createUsersService({ users: usersRepo, identities: identitiesRepo, transact, appleTokens: appleRevocations, clock, logger });
  const sessions = createSessionService({ sessions: sessionsRepo, users: usersRepo, clock, ttlDays: auth.sessionTtlDays });
  const signIn = createSignInService({
    providers,
    flow: flowRepo,
    identities: identitiesRepo,
    users,
    sessions,
    appleRevocations,
    cipher,
    transactionSecrets: secretKey ? createTransactionSecrets(secretKey) : undefined,
    redirectAllowlist: auth.redirectAllowlist,
    transact,
    clock,
    logger,
  });
  const identities = createIdentitiesService({ identities: identitiesRepo, appleRevocations, transact });
  const appleNotifications = createAppleNotificationsService({
    client: providers.apple?.client,
    audiences: auth.apple?.audiences ?? [],
    apple: appleRepo,
    identities: identitiesRepo,
    sessions,
    users,
    appleRevocations,
    transact,
    clock,
    logger,
  });

  return {
    sessions,
    signIn,
    identities,
    appleNotifications,
    appleRevocations,
    users,
    operatorSessions: createOperatorSessionsService({ users, sessions }),
    enabledProviders: (Object.keys(providers) as Provider[]).sort(),
    purgers: [
      { table: 'auth_transactions', purgeExpired: (now) => flowRepo.purgeExpiredTransactions(now) },
      { table: 'auth_codes', purgeExpired: (now) => flowRepo.purgeExpiredCodes(now) },
      { table: 'auth_nonces', purgeExpired: (now) => flowRepo.purgeExpiredNonces(now) },
      { table: 'link_tokens', purgeExpired: (now) => flowRepo.purgeExpiredLinkTokens(now) },
      { table: 'sessions', purgeExpired: (now) => sessionsRepo.purgeExpired(now) },
      { table: 'apple_notification_events', purgeExpired: (now) => appleRepo.purgeExpiredEvents(now) },
    ],
  };
}
