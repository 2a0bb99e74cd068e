import { AppError } from '../../shared/errors.ts';
import { OidcGrantError, OidcTokenRejectedError, OidcUnavailableError } from '../../clients/oidc/oidc.errors.ts';

/**
 * Every error code of sign-in, sessions and identities. Stable: the apps and
 * the OpenAPI document rely on them.
 */
export const AuthErrors = {
  providerDisabled: (provider: string) => new AppError(404, 'PROVIDER_DISABLED', `Sign-in with ${provider} is not configured on this server`),
  redirectUriNotAllowed: () => new AppError(400, 'REDIRECT_URI_NOT_ALLOWED', 'redirect_uri is not on the allow-list (AUTH_REDIRECT_ALLOWLIST)'),
  linkTokenInvalid: () => new AppError(400, 'LINK_TOKEN_INVALID', 'The link_token is unknown, used or expired'),
  stateInvalid: () => new AppError(400, 'STATE_INVALID', 'Unknown or already used state: start the sign-in again'),
  stateExpired: () => new AppError(400, 'STATE_EXPIRED', 'The sign-in took too long: start it again'),
  authCodeInvalid: () => new AppError(400, 'AUTH_CODE_INVALID', 'Unknown auth code'),
  authCodeExpired: () => new AppError(400, 'AUTH_CODE_EXPIRED', 'The auth code has expired: sign in again'),
  authCodeReused: () => new AppError(400, 'AUTH_CODE_REUSED', 'The auth code was already used; the session it produced has been revoked'),
  codeVerifierMismatch: () => new AppError(400, 'CODE_VERIFIER_MISMATCH', 'code_verifier does not match the code_challenge of this sign-in'),
  nonceInvalid: () => new AppError(400, 'NONCE_INVALID', 'Unknown or already used nonce: get a new one from POST /auth/nonce'),
  nonceExpired: () => new AppError(400, 'NONCE_EXPIRED', 'The nonce has expired: get a new one from POST /auth/nonce'),
  nonceMismatch: () => new AppError(401, 'NONCE_MISMATCH', 'The ID token was not issued for this nonce'),
  idTokenInvalid: (why: string) => new AppError(401, 'ID_TOKEN_INVALID', `The ID token is not valid: ${why}`),
  idTokenExpired: () => new AppError(401, 'ID_TOKEN_EXPIRED', 'The ID token has expired'),
  idTokenAudience: () => new AppError(401, 'ID_TOKEN_AUDIENCE_MISMATCH', 'The ID token was issued for another client (aud)'),
  authorizationCodeRejected: () => new AppError(400, 'AUTHORIZATION_CODE_INVALID', 'The provider refused the authorizationCode'),
  authorizationCodeMismatch: () => new AppError(400, 'AUTHORIZATION_CODE_MISMATCH', 'The authorizationCode belongs to another account than the ID token'),
  providerUnavailable: (provider: string) => new AppError(503, 'PROVIDER_UNAVAILABLE', `${provider} cannot be reached right now; try again shortly`, undefined, { headers: { 'retry-after': '30' } }),
  sessionInvalid: () => new AppError(401, 'SESSION_INVALID', 'Sign in first: the session is missing, unknown or revoked'),
  sessionExpired: () => new AppError(401, 'SESSION_EXPIRED', 'The session has expired: sign in again'),
  identityInUse: () => new AppError(409, 'IDENTITY_IN_USE', 'This identity is already linked to another account'),
  providerAlreadyLinked: (provider: string) => new AppError(409, 'PROVIDER_ALREADY_LINKED', `Another ${provider} identity is already linked to this account; unlink it first`),
  identityNotFound: (provider: string) => new AppError(404, 'IDENTITY_NOT_FOUND', `No ${provider} identity is linked to this account`),
  lastIdentity: () => new AppError(409, 'LAST_IDENTITY', 'This is the only way to sign in to this account; link another provider before unlinking it'),
  notificationInvalid: (why: string) => new AppError(400, 'NOTIFICATION_INVALID', `The notification is not valid: ${why}`),
} as const;

/** Map a client error about an ID token or a provider call to the caller's error. */
export function providerFailure(err: unknown, provider: string): AppError | Error {
  if (err instanceof OidcUnavailableError) return AuthErrors.providerUnavailable(provider);
  if (err instanceof OidcTokenRejectedError) {
    switch (err.reason) {
      case 'expired':
        return AuthErrors.idTokenExpired();
      case 'audience':
        return AuthErrors.idTokenAudience();
      case 'signature':
        return AuthErrors.idTokenInvalid('signature not made by a provider key');
      case 'issuer':
        return AuthErrors.idTokenInvalid('wrong issuer');
      case 'malformed':
        return AuthErrors.idTokenInvalid('malformed');
      case 'claims':
        return AuthErrors.idTokenInvalid('missing or invalid claims');
    }
  }
  if (err instanceof OidcGrantError) return AuthErrors.authorizationCodeRejected();
  return err instanceof Error ? err : new Error(String(err));
}
