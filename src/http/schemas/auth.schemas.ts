import { Type, type Static } from '@sinclair/typebox';
import { CODE_CHALLENGE_PATTERN, CODE_VERIFIER_PATTERN } from '../../modules/auth/auth-crypto.ts';
import { errorRef } from './common.schemas.ts';

/** A date-time string on the wire; handlers return Date objects, which the serializer writes as ISO 8601 in UTC. */
const timestamp = (description: string) =>
  Type.Unsafe<Date>({ type: 'string', format: 'date-time', description: `${description} ISO 8601, UTC.`, examples: ['2026-01-31T12:00:00.000Z'] });

export const ProviderParamsSchema = Type.Object({
  provider: Type.Union([Type.Literal('google'), Type.Literal('apple')], { description: 'The identity provider.', 'x-error-code': 'INVALID_PROVIDER' }),
});

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.Union([Type.String(), Type.Null()], { description: 'The e-mail the provider reported at first sign-in (may be an Apple relay address), or null.' }),
    displayName: Type.Union([Type.String(), Type.Null()]),
    timezone: Type.String({ description: 'IANA time zone used for stats and streaks.', examples: ['UTC'] }),
    createdAt: timestamp('When the account was created.'),
  },
  { $id: 'User', title: 'User' },
);

export const SessionGrantSchema = Type.Object(
  {
    accessToken: Type.String({ description: 'Opaque session token (256 random bits). Send it as `Authorization: Bearer <token>`. Shown once.' }),
    tokenType: Type.Literal('Bearer'),
    expiresAt: timestamp('When the session expires unless it is used: each use slides it by SESSION_TTL_DAYS.'),
    user: Type.Ref(UserSchema),
  },
  { $id: 'SessionGrant', title: 'SessionGrant' },
);

export const SessionInfoSchema = Type.Object({ user: Type.Ref(UserSchema), expiresAt: timestamp('Current expiry of this session.') });

const shortString = (max: number, extra: Record<string, unknown> = {}) => Type.String({ minLength: 1, maxLength: max, ...extra });

export const StartQuerySchema = Type.Object(
  {
    redirect_uri: shortString(2048, { description: 'Where to send the browser back: must be on AUTH_REDIRECT_ALLOWLIST (exact match).', 'x-error-code': 'INVALID_REDIRECT_URI', examples: ['minimovie://auth'] }),
    // RFC 6749 §A.5: state is printable ASCII (VSCHAR).
    state: Type.String({ pattern: '^[\\x20-\\x7E]{1,512}$', description: "The app's own opaque state (printable ASCII), echoed back unchanged.", 'x-error-code': 'INVALID_STATE' }),
    code_challenge: Type.String({ pattern: CODE_CHALLENGE_PATTERN, description: "The app's PKCE S256 challenge (base64url SHA-256 of its code_verifier).", 'x-error-code': 'INVALID_CODE_CHALLENGE' }),
    code_challenge_method: Type.Literal('S256', { description: 'Only S256 is accepted.', 'x-error-code': 'INVALID_CODE_CHALLENGE_METHOD' }),
    link_token: Type.Optional(shortString(200, { description: 'From `POST /me/identities/link-token`: link the identity to that account instead of signing in.', 'x-error-code': 'LINK_TOKEN_INVALID' })),
  },
  { additionalProperties: true },
);

/** Callback parameters: Google sends them in the query, Apple in a form_post body. Unknown ones are ignored. */
export const CallbackParamsSchema = Type.Object(
  {
    state: Type.Optional(Type.String({ maxLength: 512 })),
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 1024 })),
    iss: Type.Optional(Type.String({ maxLength: 512 })),
    user: Type.Optional(Type.String({ maxLength: 2000, description: "Apple only, first sign-in: the user's name as JSON." })),
  },
  { additionalProperties: true },
);
export type CallbackParams = Static<typeof CallbackParamsSchema>;

export const TokenBodySchema = Type.Object({
  code: shortString(200, { description: 'The one-time code from the redirect (valid 60 s, single use).', 'x-error-code': 'AUTH_CODE_INVALID' }),
  code_verifier: Type.String({ pattern: CODE_VERIFIER_PATTERN, description: 'The PKCE verifier whose S256 hash was the code_challenge at /start.', 'x-error-code': 'CODE_VERIFIER_MISMATCH' }),
});

export const NonceSchema = Type.Object({
  nonce: Type.String({ description: 'Pass this (or its SHA-256 hex, as Apple’s SDK expects) to the provider SDK. Single use.' }),
  expiresAt: timestamp('The nonce expires after 10 minutes.'),
});

export const NativeBodySchema = Type.Object({
  idToken: shortString(8192, { description: 'The ID token the provider SDK returned.', 'x-error-code': 'ID_TOKEN_INVALID' }),
  nonce: shortString(200, { description: 'The nonce from `POST /auth/nonce` (not its hash).', 'x-error-code': 'NONCE_INVALID' }),
  authorizationCode: Type.Optional(shortString(4096, { description: 'Apple only: the authorization code, exchanged for a refresh token kept (encrypted) for revocation.' })),
  displayName: Type.Optional(Type.String({ maxLength: 200, description: 'Apple only gives the name to the app, once: pass it on first sign-in.' })),
});

export const LinkNativeBodySchema = Type.Object({
  idToken: NativeBodySchema.properties.idToken,
  nonce: NativeBodySchema.properties.nonce,
  authorizationCode: NativeBodySchema.properties.authorizationCode,
});

export const IdentitySchema = Type.Object(
  {
    provider: Type.Union([Type.Literal('google'), Type.Literal('apple')]),
    email: Type.Union([Type.String(), Type.Null()]),
    emailVerified: Type.Union([Type.Boolean(), Type.Null()]),
    isPrivateEmail: Type.Union([Type.Boolean(), Type.Null()], { description: 'Apple private relay address.' }),
    emailForwardingEnabled: Type.Union([Type.Boolean(), Type.Null()], { description: 'Apple: whether mail to the relay address is forwarded (null when unknown).' }),
    linkedAt: timestamp('When the identity was linked.'),
    lastSignInAt: timestamp('Last sign-in with this identity.'),
  },
  { $id: 'Identity', title: 'Identity' },
);

export const IdentityListSchema = Type.Object({ identities: Type.Array(Type.Ref(IdentitySchema)) });

export const LinkTokenSchema = Type.Object({
  linkToken: Type.String({ description: 'Pass as `link_token` to `GET /auth/{provider}/start`. Single use.' }),
  expiresAt: timestamp('The link token expires after 10 minutes.'),
});

export const NotificationBodySchema = Type.Object({
  payload: shortString(16384, { description: 'The JWS Apple signed.', 'x-error-code': 'NOTIFICATION_INVALID' }),
});

export const NotificationResultSchema = Type.Object({
  result: Type.Union([Type.Literal('processed'), Type.Literal('duplicate'), Type.Literal('ignored')], {
    description: '`duplicate`: this event was handled before and nothing changed; `ignored`: unknown account or event type.',
  }),
});

export const rateLimited = { 429: errorRef('Too many requests from this IP (`RATE_LIMITED`); see `Retry-After`.') };
export const sessionErrors = { 401: errorRef('No valid session (`SESSION_INVALID`, `SESSION_EXPIRED`).') };
export const providerDisabled = { 404: errorRef('The provider is not configured (`PROVIDER_DISABLED`).') };
export const providerUnavailable = { 503: errorRef('The provider cannot be reached (`PROVIDER_UNAVAILABLE`); see `Retry-After`.') };
