/** Typed errors of the OpenID clients. Services decide what each means for the caller. */

/** The provider could not be reached or answered with a server error (discovery, JWKS, token endpoint). */
export class OidcUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OidcUnavailableError';
  }
}

export type TokenRejection = 'malformed' | 'signature' | 'issuer' | 'audience' | 'expired' | 'claims';

/** A JWT from (or claiming to be from) the provider failed verification. */
export class OidcTokenRejectedError extends Error {
  constructor(
    readonly reason: TokenRejection,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcTokenRejectedError';
  }
}

/** The provider refused a grant or a revocation (for example `invalid_grant`), or its authorization response was invalid. */
export class OidcGrantError extends Error {
  constructor(
    readonly error: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcGrantError';
  }
}
