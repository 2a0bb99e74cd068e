import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A person using MiniMovie. E-mail is informational only: it is not unique and
 * accounts are never merged by it (two providers may report the same address
 * for different people, and Apple relay addresses change).
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email'),
    displayName: text('display_name'),
    timezone: text('timezone').notNull().default('UTC'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('idx_users_email_lower').on(sql`lower(${t.email})`)],
);

/**
 * One linked sign-in identity: (provider, subject) belongs to one user, and a
 * user has at most one identity per provider. Apple's refresh token is kept
 * AES-256-GCM encrypted, with the client id it was issued to (revocation needs both).
 */
export const userIdentities = pgTable(
  'user_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    email: text('email'),
    emailVerified: boolean('email_verified'),
    /** Apple private relay address (`is_private_email`). */
    isPrivateEmail: boolean('is_private_email'),
    /** Apple `email-enabled`/`email-disabled` notifications: whether mail to the relay address is forwarded. */
    emailForwardingEnabled: boolean('email_forwarding_enabled'),
    refreshTokenEnc: text('refresh_token_enc'),
    refreshTokenClientId: text('refresh_token_client_id'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastSignInAt: tstz('last_sign_in_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('uq_user_identities_provider_subject').on(t.provider, t.subject),
    uniqueIndex('uq_user_identities_user_provider').on(t.userId, t.provider),
    check('user_identities_provider_check', sql`${t.provider} in ('google', 'apple')`),
  ],
);

/** Opaque bearer sessions. Only the SHA-256 of the token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    /** How the session was created: `google`, `apple` or `cli`. */
    method: text('method').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastUsedAt: tstz('last_used_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [
    uniqueIndex('uq_sessions_token_hash').on(t.tokenHash),
    index('idx_sessions_user').on(t.userId),
    index('idx_sessions_expires').on(t.expiresAt),
  ],
);

/**
 * A redirect-flow transaction between `/start` and `/callback`. Keyed by the
 * SHA-256 of our `state`; the nonce and PKCE verifier sent to the provider are
 * derived from the state with a server key, so neither is stored.
 */
export const authTransactions = pgTable(
  'auth_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    stateHash: text('state_hash').notNull(),
    provider: text('provider').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    appState: text('app_state').notNull(),
    codeChallenge: text('code_challenge').notNull(),
    /** Set when the flow links an identity to this signed-in user instead of signing in. */
    linkUserId: uuid('link_user_id').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: tstz('created_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    consumedAt: tstz('consumed_at'),
  },
  (t) => [uniqueIndex('uq_auth_transactions_state_hash').on(t.stateHash), index('idx_auth_transactions_expires').on(t.expiresAt)],
);

/** An identity waiting in an auth code of the link flow. */
export interface PendingIdentity {
  provider: 'google' | 'apple';
  subject: string;
  email: string | null;
  emailVerified: boolean | null;
  isPrivateEmail: boolean | null;
  displayName: string | null;
  refreshTokenEnc: string | null;
  refreshClientId: string | null;
}

/** One-time codes the callback hands to the app, redeemed at `POST /auth/token` with the app's PKCE verifier. */
export const authCodes = pgTable(
  'auth_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    codeHash: text('code_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    codeChallenge: text('code_challenge').notNull(),
    /** The session the code produced; revoked if the code is presented again. */
    sessionId: uuid('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    /**
     * Link flow: the identity proven at the callback, applied to `user_id` only
     * when the code is redeemed with the PKCE verifier. Linking at the callback
     * would let an attacker send their own link URL to a victim and collect the
     * victim's identity. Holds no plain secret (an Apple refresh token stays encrypted).
     */
    pendingIdentity: jsonb('pending_identity').$type<PendingIdentity>(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    consumedAt: tstz('consumed_at'),
  },
  (t) => [uniqueIndex('uq_auth_codes_code_hash').on(t.codeHash), index('idx_auth_codes_expires').on(t.expiresAt)],
);

/** Server-issued nonces of the native flow (single use, 10 minutes). */
export const authNonces = pgTable(
  'auth_nonces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nonceHash: text('nonce_hash').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    consumedAt: tstz('consumed_at'),
  },
  (t) => [uniqueIndex('uq_auth_nonces_nonce_hash').on(t.nonceHash), index('idx_auth_nonces_expires').on(t.expiresAt)],
);

/** One-time tokens that start a redirect flow which links an identity to the signed-in user. */
export const linkTokens = pgTable(
  'link_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: tstz('created_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    consumedAt: tstz('consumed_at'),
  },
  (t) => [uniqueIndex('uq_link_tokens_token_hash').on(t.tokenHash), index('idx_link_tokens_expires').on(t.expiresAt)],
);

/** Apple server-to-server notifications already handled, so a replay changes nothing. */
export const appleNotificationEvents = pgTable(
  'apple_notification_events',
  {
    eventId: text('event_id').primaryKey(),
    type: text('type').notNull(),
    subject: text('subject').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [index('idx_apple_notification_events_expires').on(t.expiresAt)],
);

/**
 * Apple refresh tokens waiting to be revoked. Deliberately no foreign key to
 * users: the row outlives the deleted account until Apple confirms the
 * revocation, then it is deleted. The token stays encrypted.
 */
export const appleTokenRevocations = pgTable(
  'apple_token_revocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: text('client_id').notNull(),
    refreshTokenEnc: text('refresh_token_enc').notNull(),
    reason: text('reason').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
  },
  (t) => [index('idx_apple_token_revocations_next').on(t.nextAttemptAt)],
);
