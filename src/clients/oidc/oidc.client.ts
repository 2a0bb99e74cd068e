import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import * as oidc from 'openid-client';
import type { Clock } from '../../shared/clock.ts';
import { OidcGrantError, OidcTokenRejectedError, OidcUnavailableError } from './oidc.errors.ts';

/** The ID-token claims MiniMovie uses, normalised across Google and Apple. */
export interface IdTokenClaims {
  sub: string;
  aud: string[];
  nonce: string | undefined;
  email: string | undefined;
  emailVerified: boolean | undefined;
  /** Apple: the address is a private relay address. */
  isPrivateEmail: boolean | undefined;
  name: string | undefined;
}

export interface OidcClientOptions {
  /** `google` or `apple`, for messages. */
  name: string;
  issuer: string;
  /** Client id of the redirect flow. */
  clientId: string;
  /** The client secret to send now, for a given client id. Apple's is a short-lived JWT, so it is asked for on every use. */
  clientSecret: (clientId: string) => Promise<string>;
  /** `${PUBLIC_URL}/auth/{provider}/callback`. */
  redirectUri: string;
  scope: string;
  responseMode?: 'form_post' | undefined;
  timeoutMs: number;
  clock: Clock;
}

export interface OidcClient {
  readonly issuer: string;
  /** The provider's authorization URL for one transaction (PKCE S256, state, nonce). */
  authorizationUrl(p: { state: string; nonce: string; codeChallenge: string }): Promise<string>;
  /** Redeem the code of an authorization response (query or form_post) and verify its ID token. */
  exchangeAuthorizationResponse(p: {
    params: Record<string, string>;
    state: string;
    nonce: string;
    codeVerifier: string;
  }): Promise<{ claims: IdTokenClaims; refreshToken: string | undefined }>;
  /** Redeem an authorization code a native app received (Apple: no redirect_uri, no PKCE), issued to `clientId`. */
  redeemNativeCode(code: string, clientId: string): Promise<{ sub: string | undefined; refreshToken: string | undefined }>;
  /** RFC 7009 revocation of a refresh token issued to `clientId`. */
  revokeRefreshToken(token: string, clientId: string): Promise<void>;
  /** Verify an ID token against the provider's JWKS: signature, `iss`, `aud` in `audiences`, `exp`. */
  verifyIdToken(idToken: string, audiences: readonly string[]): Promise<IdTokenClaims>;
  /** Verify any JWS the provider signs with its ID-token keys (Apple's server notifications). */
  verifyProviderJwt(jwt: string, opts: { audience: readonly string[]; maxTokenAgeSeconds: number }): Promise<JWTPayload>;
}

const CLOCK_TOLERANCE_SECONDS = 30;
const ID_TOKEN_ALGS = ['RS256', 'ES256'];

interface Discovered {
  metadata: oidc.ServerMetadata;
  jwks: JWTVerifyGetKey;
}

/**
 * One OpenID provider: discovery (cached, retried after a failure), the
 * authorization-code grant with PKCE through openid-client, and JWT
 * verification through jose against the provider's JWKS (cached, refetched
 * when an unknown key id appears, at most every 30 s).
 */
export function createOidcClient(opts: OidcClientOptions): OidcClient {
  const insecure = new URL(opts.issuer).protocol === 'http:';
  let discovered: Promise<Discovered> | undefined;

  function discover(): Promise<Discovered> {
    discovered ??= (async () => {
      try {
        const config = await oidc.discovery(new URL(opts.issuer), opts.clientId, undefined, undefined, {
          timeout: Math.ceil(opts.timeoutMs / 1000),
          ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
        });
        const metadata = { ...config.serverMetadata() };
        if (!metadata.jwks_uri) throw new Error('the discovery document has no jwks_uri');
        const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), {
          timeoutDuration: opts.timeoutMs,
          cooldownDuration: 30_000,
          cacheMaxAge: 10 * 60_000,
        });
        return { metadata, jwks };
      } catch (cause) {
        discovered = undefined;
        throw new OidcUnavailableError(`${opts.name} discovery failed`, { cause });
      }
    })();
    return discovered;
  }

  async function configuration(clientId: string): Promise<oidc.Configuration> {
    const { metadata } = await discover();
    const secret = await opts.clientSecret(clientId);
    const config = new oidc.Configuration(metadata, clientId, { client_secret: secret }, oidc.ClientSecretPost(secret));
    config.timeout = Math.ceil(opts.timeoutMs / 1000);
    if (insecure) oidc.allowInsecureRequests(config);
    return config;
  }

  async function verify(jwt: string, audience: readonly string[], extra: { maxTokenAge?: number; requiredClaims?: string[] } = {}): Promise<JWTPayload> {
    const { jwks } = await discover();
    try {
      const { payload } = await jwtVerify(jwt, jwks, {
        issuer: opts.issuer,
        audience: [...audience],
        algorithms: ID_TOKEN_ALGS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: opts.clock.now(),
        requiredClaims: extra.requiredClaims ?? ['sub', 'exp', 'iat'],
        ...(extra.maxTokenAge === undefined ? {} : { maxTokenAge: extra.maxTokenAge }),
      });
      return payload;
    } catch (err) {
      throw mapJoseError(err, opts.name);
    }
  }

  async function postForm(endpoint: string | undefined, what: string, body: Record<string, string>): Promise<Response> {
    if (!endpoint) throw new OidcUnavailableError(`${opts.name} has no ${what} endpoint`);
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(body),
        signal: AbortSignal.timeout(opts.timeoutMs),
        redirect: 'error',
      });
    } catch (cause) {
      throw new OidcUnavailableError(`${opts.name} ${what} endpoint unreachable`, { cause });
    }
    if (res.status >= 500) throw new OidcUnavailableError(`${opts.name} ${what} endpoint answered ${res.status}`);
    if (res.status >= 400) {
      const detail = (await res.json().catch(() => ({}))) as { error?: unknown };
      throw new OidcGrantError(typeof detail.error === 'string' ? detail.error : `http_${res.status}`, `${opts.name} refused the ${what} request (${res.status})`);
    }
    return res;
  }

  return {
    issuer: opts.issuer,

    async authorizationUrl({ state, nonce, codeChallenge }) {
      const config = await configuration(opts.clientId);
      const params: Record<string, string> = {
        redirect_uri: opts.redirectUri,
        response_type: 'code',
        scope: opts.scope,
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      };
      if (opts.responseMode) params.response_mode = opts.responseMode;
      return oidc.buildAuthorizationUrl(config, params).toString();
    },

    async exchangeAuthorizationResponse({ params, state, nonce, codeVerifier }) {
      const config = await configuration(opts.clientId);
      // openid-client reads the response from a URL; form_post parameters are carried the same way.
      const current = new URL(opts.redirectUri);
      for (const [k, v] of Object.entries(params)) current.searchParams.set(k, v);
      let tokens: oidc.TokenEndpointResponse;
      try {
        tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
      } catch (err) {
        throw mapOpenidClientError(err, opts.name);
      }
      if (typeof tokens.id_token !== 'string') throw new OidcTokenRejectedError('claims', `${opts.name} returned no ID token`);
      // openid-client checked iss/aud/exp/nonce; verifying the signature against the JWKS as well costs little and does not rely on TLS alone.
      const claims = toClaims(await verify(tokens.id_token, [opts.clientId]));
      if (claims.nonce !== nonce) throw new OidcTokenRejectedError('claims', 'ID token nonce mismatch');
      return { claims, refreshToken: typeof tokens.refresh_token === 'string' ? tokens.refresh_token : undefined };
    },

    async redeemNativeCode(code, clientId) {
      const { metadata } = await discover();
      const res = await postForm(metadata.token_endpoint, 'token', {
        grant_type: 'authorization_code',
        code,
        client_id: clientId,
        client_secret: await opts.clientSecret(clientId),
      });
      const body = (await res.json().catch(() => ({}))) as { refresh_token?: unknown; id_token?: unknown };
      let sub: string | undefined;
      if (typeof body.id_token === 'string') sub = (await verify(body.id_token, [clientId])).sub;
      return { sub, refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined };
    },

    async revokeRefreshToken(token, clientId) {
      const { metadata } = await discover();
      await postForm(metadata.revocation_endpoint, 'revocation', {
        token,
        token_type_hint: 'refresh_token',
        client_id: clientId,
        client_secret: await opts.clientSecret(clientId),
      });
    },

    async verifyIdToken(idToken, audiences) {
      return toClaims(await verify(idToken, audiences));
    },

    async verifyProviderJwt(jwt, { audience, maxTokenAgeSeconds }) {
      // Notifications carry no top-level `sub`; their age is bounded by `iat`.
      return verify(jwt, audience, { maxTokenAge: maxTokenAgeSeconds, requiredClaims: ['iat'] });
    },
  };
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  // Apple sends booleans as the strings "true"/"false".
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function toClaims(p: JWTPayload): IdTokenClaims {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  if (typeof p.sub !== 'string' || p.sub.length === 0 || p.sub.length > 255) throw new OidcTokenRejectedError('claims', 'ID token has no usable sub');
  return {
    sub: p.sub,
    aud: typeof p.aud === 'string' ? [p.aud] : Array.isArray(p.aud) ? p.aud : [],
    nonce: str(p.nonce),
    email: str(p.email)?.slice(0, 320),
    emailVerified: bool(p.email_verified),
    isPrivateEmail: bool(p.is_private_email),
    name: str(p.name)?.slice(0, 200),
  };
}

function mapJoseError(err: unknown, name: string): Error {
  if (err instanceof OidcUnavailableError || err instanceof OidcTokenRejectedError) return err;
  if (err instanceof joseErrors.JWTExpired) return new OidcTokenRejectedError('expired', 'token is expired', { cause: err });
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return new OidcTokenRejectedError('audience', 'token audience is not accepted', { cause: err });
    if (err.claim === 'iss') return new OidcTokenRejectedError('issuer', 'token issuer is wrong', { cause: err });
    if (err.claim === 'iat' && err.reason === 'check_failed') return new OidcTokenRejectedError('expired', 'token is too old', { cause: err });
    return new OidcTokenRejectedError('claims', `token claim ${err.claim} is invalid`, { cause: err });
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys || err instanceof joseErrors.JOSEAlgNotAllowed) {
    return new OidcTokenRejectedError('signature', 'token signature is not valid for any provider key', { cause: err });
  }
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JOSENotSupported) {
    return new OidcTokenRejectedError('malformed', 'token is malformed', { cause: err });
  }
  return new OidcUnavailableError(`${name} keys could not be fetched`, { cause: err });
}

function mapOpenidClientError(err: unknown, name: string): Error {
  if (err instanceof oidc.AuthorizationResponseError) return new OidcGrantError(err.error, `${name} returned an error`, { cause: err });
  if (err instanceof oidc.ResponseBodyError) {
    if (err.status >= 500) return new OidcUnavailableError(`${name} token endpoint answered ${err.status}`, { cause: err });
    return new OidcGrantError(err.error, `${name} refused the code`, { cause: err });
  }
  if (err instanceof oidc.ClientError) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_HTTP_REQUEST_FORBIDDEN') return new OidcUnavailableError(`${name} answered unexpectedly`, { cause: err });
    if (code.includes('TIMESTAMP') || /expired|exp\b/i.test(err.message)) return new OidcTokenRejectedError('expired', 'ID token is expired', { cause: err });
    if (/aud/i.test(err.message)) return new OidcTokenRejectedError('audience', 'ID token audience mismatch', { cause: err });
    return new OidcTokenRejectedError('claims', `${name} response failed validation: ${err.message}`, { cause: err });
  }
  if (err instanceof TypeError || (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError'))) {
    return new OidcUnavailableError(`${name} token endpoint unreachable`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}
