import type { OidcClient } from '../../clients/oidc/oidc.client.ts';
import { OidcGrantError, OidcTokenRejectedError, OidcUnavailableError } from '../../clients/oidc/oidc.errors.ts';
import type { DbOrTx } from '../../data/db.ts';
import type { AuthFlowRepository, PendingIdentity } from '../../data/repositories/auth-flow.repository.ts';
import type { IdentitiesRepository, IdentityRecord } from '../../data/repositories/identities.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { IdentityRaceError, type IdentityClaims, type UsersService } from '../users/users.service.ts';
import { nonceMatches, pkceChallenge, randomToken, safeEqual, sha256Hex, type TokenCipher } from './auth-crypto.ts';
import { AuthErrors, providerFailure } from './auth.errors.ts';
import type { Provider, SessionGrant, Transact } from './auth.types.ts';
import type { AppleRevocationService } from './apple-revocation.service.ts';
import { appRedirect, isAllowedRedirect, sanitizeProviderError } from './redirect.rules.ts';
import type { SessionService } from './sessions.service.ts';

export const TRANSACTION_TTL_MS = 10 * 60_000;
export const AUTH_CODE_TTL_MS = 60_000;
export const NONCE_TTL_MS = 10 * 60_000;
export const LINK_TOKEN_TTL_MS = 10 * 60_000;

/** One configured provider. */
export interface ProviderRuntime {
  client: OidcClient;
  /** Client id of the redirect flow. */
  clientId: string;
  /** Accepted ID-token audiences of the native flow. */
  audiences: readonly string[];
}

export interface StartInput {
  redirectUri: string;
  appState: string;
  codeChallenge: string;
  linkToken?: string | undefined;
}

export interface NativeInput {
  idToken: string;
  nonce: string;
  authorizationCode?: string | undefined;
  displayName?: string | undefined;
}

export interface SignInService {
  /** Begin the redirect flow; resolves with the provider URL to send the browser to. */
  start(provider: Provider, input: StartInput): Promise<string>;
  /**
   * Finish the redirect flow. Resolves with the app URL to redirect to (with
   * `code` or `error`, and the app's `state`). Throws a 4xx when the state is
   * unknown, replayed or expired: then the app's redirect URI is unknown too.
   */
  callback(provider: Provider, params: Record<string, string>): Promise<string>;
  /** Redeem a one-time auth code with the app's PKCE verifier. */
  redeem(code: string, codeVerifier: string): Promise<SessionGrant>;
  issueNonce(): Promise<{ nonce: string; expiresAt: Date }>;
  /** The native flow: verify a provider ID token bound to an issued nonce and sign in. */
  signInNative(provider: Provider, input: NativeInput): Promise<SessionGrant>;
  /** Link an identity proven by a native ID token to a signed-in user. */
  linkNative(userId: string, provider: Provider, input: NativeInput): Promise<IdentityRecord>;
  createLinkToken(userId: string): Promise<{ linkToken: string; expiresAt: Date }>;
}

export interface SignInDeps {
  providers: Partial<Record<Provider, ProviderRuntime>>;
  flow: AuthFlowRepository;
  identities: IdentitiesRepository;
  users: UsersService;
  sessions: SessionService;
  appleRevocations: AppleRevocationService;
  /** Encrypts Apple refresh tokens; undefined without SECRET_KEY. */
  cipher: TokenCipher | undefined;
  /** Derives the provider-facing nonce and PKCE verifier from our state; undefined without SECRET_KEY. */
  transactionSecrets: { nonce(state: string): string; codeVerifier(state: string): string } | undefined;
  redirectAllowlist: readonly string[];
  transact: Transact;
  clock: Clock;
  logger: Logger;
}

interface VerifiedIdentity {
  claims: IdentityClaims;
  refreshToken: string | undefined;
  /** The client id the refresh token was issued to. */
  refreshClientId: string | undefined;
}

/** Apple's first-sign-in `user` form field: `{"name":{"firstName":"…","lastName":"…"},"email":"…"}`. */
function appleUserName(raw: string | undefined): string | undefined {
  if (!raw || raw.length > 2000) return undefined;
  try {
    const parsed = JSON.parse(raw) as { name?: { firstName?: unknown; lastName?: unknown } };
    const parts = [parsed.name?.firstName, parsed.name?.lastName].filter((p): p is string => typeof p === 'string' && p.trim().length > 0);
    return parts.length > 0 ? cleanName(parts.join(' ')) : undefined;
  } catch {
    return undefined;
  }
}

function cleanName(name: string | undefined): string | undefined {
  // Control characters (NUL above all, which PostgreSQL text refuses) have no place in a name.
  // eslint-disable-next-line no-control-regex
  const trimmed = name?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return trimmed ? trimmed.slice(0, 200) : undefined;
}

/** Google and Apple sign-in: the redirect flow, one-time auth codes, the native flow and identity linking. */
export function createSignInService(deps: SignInDeps): SignInService {
  const { flow, identities, users, sessions, clock, logger, transact } = deps;

  function runtime(provider: Provider): ProviderRuntime {
    const p = deps.providers[provider];
    if (!p) throw AuthErrors.providerDisabled(provider);
    return p;
  }

  function secrets() {
    if (!deps.transactionSecrets) throw new AppError(503, 'SIGN_IN_UNAVAILABLE', 'Sign-in needs SECRET_KEY on the server');
    return deps.transactionSecrets;
  }

  /** Find or create the user; two concurrent first sign-ins of one identity both end on the same user. */
  async function signInUser(claims: IdentityClaims, tx?: DbOrTx) {
    const attempt = () => (tx ? users.findOrCreateByIdentity(claims, tx) : transact((t) => users.findOrCreateByIdentity(claims, t)));
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof IdentityRaceError && !tx) return attempt();
      throw err;
    }
  }

  /** Keep an Apple refresh token (encrypted). Resolves with older tokens moved to the revocation queue, to dispatch after commit. */
  async function storeRefreshToken(identity: IdentityRecord, token: { enc: string; clientId: string } | undefined, tx: DbOrTx): Promise<string[]> {
    if (!token) return [];
    // A newer token replaces the stored one; the old one is revoked rather than forgotten.
    const old = await deps.appleRevocations.stash({ identityId: identity.id }, 'replaced', tx);
    await identities.setRefreshToken(identity.id, { clientId: token.clientId, refreshTokenEnc: token.enc }, tx);
    return old;
  }

  function encryptedRefresh(v: VerifiedIdentity): { enc: string; clientId: string } | undefined {
    if (!v.refreshToken || !v.refreshClientId || !deps.cipher) return undefined;
    return { enc: deps.cipher.encrypt(v.refreshToken), clientId: v.refreshClientId };
  }

  /** Refuse a link that cannot succeed (read-only; `link` decides for real). */
  async function checkLinkable(userId: string, provider: Provider, subject: string): Promise<void> {
    const existing = await identities.findBySubject(provider, subject);
    if (existing && existing.userId !== userId) throw AuthErrors.identityInUse();
    if (!existing && (await identities.findByUserAndProvider(userId, provider))) throw AuthErrors.providerAlreadyLinked(provider);
  }

  async function link(userId: string, claims: IdentityClaims, refresh: { enc: string; clientId: string } | undefined, tx: DbOrTx): Promise<{ identity: IdentityRecord; revocations: string[] }> {
    const provider = claims.provider;
    const existing = await identities.findBySubject(provider, claims.subject, tx);
    if (existing && existing.userId !== userId) throw AuthErrors.identityInUse();
    let identity = existing;
    if (!identity) {
      const mine = await identities.findByUserAndProvider(userId, provider, tx);
      if (mine) throw AuthErrors.providerAlreadyLinked(provider);
      identity = await identities.insert(
        {
          userId,
          provider,
          subject: claims.subject,
          email: claims.email ?? null,
          emailVerified: claims.emailVerified ?? null,
          isPrivateEmail: claims.isPrivateEmail ?? null,
        },
        tx,
      );
      if (!identity) throw AuthErrors.identityInUse();
    }
    const revocations = await storeRefreshToken(identity, refresh, tx);
    return { identity: (await identities.findBySubject(provider, claims.subject, tx)) ?? identity, revocations };
  }

  async function linkNow(userId: string, v: VerifiedIdentity): Promise<IdentityRecord> {
    const { identity, revocations } = await transact((tx) => link(userId, v.claims, encryptedRefresh(v), tx));
    await deps.appleRevocations.dispatch(revocations);
    return identity;
  }

  async function verifyNative(provider: Provider, input: NativeInput): Promise<VerifiedIdentity> {
    const p = runtime(provider);
    const consumed = await flow.consumeNonce(sha256Hex(input.nonce), clock.now());
    if (!consumed.ok) throw consumed.reason === 'expired' ? AuthErrors.nonceExpired() : AuthErrors.nonceInvalid();
    let claims;
    try {
      claims = await p.client.verifyIdToken(input.idToken, p.audiences);
    } catch (err) {
      throw providerFailure(err, provider);
    }
    if (!nonceMatches(claims.nonce, input.nonce)) throw AuthErrors.nonceMismatch();

    let refreshToken: string | undefined;
    let refreshClientId: string | undefined;
    if (provider === 'apple' && input.authorizationCode) {
      // The app's code was issued to the app's own client id (its bundle id), which is the ID token's audience.
      refreshClientId = claims.aud.find((a) => p.audiences.includes(a)) ?? p.clientId;
      try {
        const redeemed = await p.client.redeemNativeCode(input.authorizationCode, refreshClientId);
        if (redeemed.sub !== undefined && redeemed.sub !== claims.sub) throw AuthErrors.authorizationCodeMismatch();
        refreshToken = redeemed.refreshToken;
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw providerFailure(err, provider);
      }
    }
    return {
      claims: {
        provider,
        subject: claims.sub,
        email: claims.email,
        emailVerified: claims.emailVerified,
        isPrivateEmail: claims.isPrivateEmail,
        displayName: cleanName(input.displayName) ?? claims.name,
      },
      refreshToken,
      refreshClientId,
    };
  }

  async function issueAuthCode(userId: string, provider: Provider, codeChallenge: string, pendingIdentity?: PendingIdentity): Promise<string> {
    const code = randomToken('mmc_');
    await flow.insertCode({
      codeHash: sha256Hex(code),
      userId,
      provider,
      codeChallenge,
      pendingIdentity: pendingIdentity ?? null,
      expiresAt: new Date(clock.now().getTime() + AUTH_CODE_TTL_MS),
    });
    return code;
  }

  return {
    async start(provider, input) {
      const p = runtime(provider);
      if (!isAllowedRedirect(input.redirectUri, deps.redirectAllowlist)) throw AuthErrors.redirectUriNotAllowed();
      const s = secrets();
      const state = randomToken();
      const url = await p.client.authorizationUrl({ state, nonce: s.nonce(state), codeChallenge: pkceChallenge(s.codeVerifier(state)) }).catch((err: unknown) => {
        throw providerFailure(err, provider);
      });
      // The link token is spent only once the provider is known to be reachable.
      const now = clock.now();
      let linkUserId: string | null = null;
      if (input.linkToken !== undefined) {
        const consumed = await flow.consumeLinkToken(sha256Hex(input.linkToken), now);
        if (!consumed.ok) throw AuthErrors.linkTokenInvalid();
        linkUserId = consumed.row.userId;
      }
      await flow.insertTransaction({
        stateHash: sha256Hex(state),
        provider,
        redirectUri: input.redirectUri,
        appState: input.appState,
        codeChallenge: input.codeChallenge,
        linkUserId,
        expiresAt: new Date(now.getTime() + TRANSACTION_TTL_MS),
      });
      return url;
    },

    async callback(provider, params) {
      const p = runtime(provider);
      const state = params.state;
      if (!state || state.length > 200) throw AuthErrors.stateInvalid();
      const consumed = await flow.consumeTransaction(sha256Hex(state), clock.now());
      if (!consumed.ok) throw consumed.reason === 'expired' ? AuthErrors.stateExpired() : AuthErrors.stateInvalid();
      const t = consumed.row;
      if (t.provider !== provider) throw AuthErrors.stateInvalid();
      const back = (extra: Record<string, string>) => appRedirect(t.redirectUri, { ...extra, state: t.appState });

      if (params.error !== undefined || params.code === undefined) {
        // The user cancelled or the provider refused: the app hears about it at its own redirect URI.
        return back({ error: params.error === undefined ? 'invalid_request' : sanitizeProviderError(params.error) });
      }

      const s = secrets();
      let verified: VerifiedIdentity;
      try {
        const providerParams: Record<string, string> = {};
        for (const key of ['code', 'state', 'iss'] as const) if (params[key] !== undefined) providerParams[key] = params[key];
        const result = await p.client.exchangeAuthorizationResponse({ params: providerParams, state, nonce: s.nonce(state), codeVerifier: s.codeVerifier(state) });
        verified = {
          claims: {
            provider,
            subject: result.claims.sub,
            email: result.claims.email,
            emailVerified: result.claims.emailVerified,
            isPrivateEmail: result.claims.isPrivateEmail,
            displayName: (provider === 'apple' ? appleUserName(params.user) : undefined) ?? result.claims.name,
          },
          refreshToken: provider === 'apple' ? result.refreshToken : undefined,
          refreshClientId: p.clientId,
        };
      } catch (err) {
        logger.warn({ err: err instanceof Error ? { name: err.name, message: err.message } : undefined, provider }, 'sign-in callback failed');
        if (err instanceof OidcUnavailableError) return back({ error: 'temporarily_unavailable', error_code: 'PROVIDER_UNAVAILABLE' });
        if (err instanceof OidcTokenRejectedError) return back({ error: 'access_denied', error_code: 'ID_TOKEN_INVALID' });
        if (err instanceof OidcGrantError) return back({ error: 'access_denied', error_code: 'PROVIDER_REJECTED' });
        throw err;
      }

      if (t.linkUserId) {
        try {
          await checkLinkable(t.linkUserId, provider, verified.claims.subject);
        } catch (err) {
          if (err instanceof AppError) return back({ error: 'access_denied', error_code: err.code });
          throw err;
        }
        // The link itself waits for the code to be redeemed with the verifier (see auth_codes.pending_identity).
        const refresh = encryptedRefresh(verified);
        const c = verified.claims;
        const pending: PendingIdentity = {
          provider,
          subject: c.subject,
          email: c.email ?? null,
          emailVerified: c.emailVerified ?? null,
          isPrivateEmail: c.isPrivateEmail ?? null,
          displayName: c.displayName ?? null,
          refreshTokenEnc: refresh?.enc ?? null,
          refreshClientId: refresh?.clientId ?? null,
        };
        return back({ code: await issueAuthCode(t.linkUserId, provider, t.codeChallenge, pending) });
      }
      const { user, identity } = await signInUser(verified.claims);
      const old = await transact((tx) => storeRefreshToken(identity, encryptedRefresh(verified), tx));
      await deps.appleRevocations.dispatch(old);
      return back({ code: await issueAuthCode(user.id, provider, t.codeChallenge) });
    },

    async redeem(code, codeVerifier) {
      const now = clock.now();
      type Outcome =
        | { ok: true; grant: SessionGrant & { sessionId: string }; revocations: string[] }
        | { ok: false; error: 'unknown' | 'used' | 'expired' | 'verifier'; sessionId: string | null }
        | { ok: false; error: 'link'; failure: AppError };
      const outcome = await transact(async (tx): Promise<Outcome> => {
        const consumed = await flow.consumeCode(sha256Hex(code), now, tx);
        if (!consumed.ok) return { ok: false, error: consumed.reason, sessionId: consumed.row?.sessionId ?? null };
        const row = consumed.row;
        if (!safeEqual(pkceChallenge(codeVerifier), row.codeChallenge)) return { ok: false, error: 'verifier', sessionId: null };
        const user = await users.getUser(row.userId, tx);
        if (!user) return { ok: false, error: 'unknown', sessionId: null };
        let revocations: string[] = [];
        if (row.pendingIdentity) {
          const pi = row.pendingIdentity;
          try {
            const claims: IdentityClaims = {
              provider: pi.provider,
              subject: pi.subject,
              email: pi.email ?? undefined,
              emailVerified: pi.emailVerified ?? undefined,
              isPrivateEmail: pi.isPrivateEmail ?? undefined,
              displayName: pi.displayName ?? undefined,
            };
            const refresh = pi.refreshTokenEnc && pi.refreshClientId ? { enc: pi.refreshTokenEnc, clientId: pi.refreshClientId } : undefined;
            revocations = (await link(user.id, claims, refresh, tx)).revocations;
          } catch (err) {
            if (err instanceof AppError) return { ok: false, error: 'link', failure: err };
            throw err;
          }
        }
        const grant = await sessions.grant(user, row.provider, tx);
        await flow.attachSession(row.id, grant.sessionId, tx);
        return { ok: true, grant, revocations };
      });
      if (outcome.ok) {
        await deps.appleRevocations.dispatch(outcome.revocations);
        const { sessionId: _sessionId, ...grant } = outcome.grant;
        return grant;
      }
      switch (outcome.error) {
        case 'link':
          throw outcome.failure;
        case 'used':
          // RFC 6749 §4.1.2: a code presented twice may have been stolen; whatever it produced is revoked.
          if (outcome.sessionId) await sessions.revoke(outcome.sessionId);
          logger.warn({ sessionId: outcome.sessionId }, 'auth code reused; its session was revoked');
          throw AuthErrors.authCodeReused();
        case 'expired':
          throw AuthErrors.authCodeExpired();
        case 'verifier':
          throw AuthErrors.codeVerifierMismatch();
        case 'unknown':
          throw AuthErrors.authCodeInvalid();
      }
    },

    async issueNonce() {
      const nonce = randomToken();
      const expiresAt = new Date(clock.now().getTime() + NONCE_TTL_MS);
      await flow.insertNonce({ nonceHash: sha256Hex(nonce), expiresAt });
      return { nonce, expiresAt };
    },

    async signInNative(provider, input) {
      const verified = await verifyNative(provider, input);
      const { user, identity } = await signInUser(verified.claims);
      const old = await transact((tx) => storeRefreshToken(identity, encryptedRefresh(verified), tx));
      await deps.appleRevocations.dispatch(old);
      const { sessionId: _sessionId, ...grant } = await sessions.grant(user, provider);
      return grant;
    },

    async linkNative(userId, provider, input) {
      const verified = await verifyNative(provider, input);
      return linkNow(userId, verified);
    },

    async createLinkToken(userId) {
      const linkToken = randomToken('mml_');
      const expiresAt = new Date(clock.now().getTime() + LINK_TOKEN_TTL_MS);
      await flow.insertLinkToken({ tokenHash: sha256Hex(linkToken), userId, expiresAt });
      return { linkToken, expiresAt };
    },
  };
}
