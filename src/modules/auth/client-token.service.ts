import { compactVerify, SignJWT } from 'jose';
import { AppError } from '../../shared/errors.ts';
import { nowMs, type Clock } from '../../shared/clock.ts';

export const TOKEN_MISSING = 'TOKEN_MISSING';
export const TOKEN_INVALID = 'TOKEN_INVALID';
export const TOKEN_EXPIRED = 'TOKEN_EXPIRED';

export interface ClientTokenClaims {
  [claim: string]: unknown;
  exp?: number;
  nbf?: number;
  iat?: number;
}

export interface ClientTokenService {
  /** Whether a secret is configured. Without one every token is rejected (fail closed). */
  readonly enabled: boolean;
  /** Verify an HS256 client token; throws a 401 AppError with a stable code. */
  verify(token: string | undefined): Promise<ClientTokenClaims>;
  /**
   * The synchronous fast path of `verify`: true when this exact token was
   * verified before and its time claims still hold now. False means "not
   * known to be valid": call `verify` for the answer (and the error).
   */
  isKnownValid(token: string | undefined): boolean;
  /** Sign a client token, optionally expiring after `expiresInSeconds`. */
  sign(opts?: { expiresInSeconds?: number; subject?: string }): Promise<string>;
}

const CACHE_LIMIT = 1024;

/**
 * Client tokens as the Go service issued them (§3.3): HS256 JWTs signed with
 * `MINI_MOVIE_UI_SECRET`; `exp`, `nbf` and `iat` are checked only when
 * present, with no leeway, and no claim is required.
 *
 * Verified tokens are remembered so that a client
 * sending the same static token on every request pays for HMAC once; the time
 * claims are still checked on every use.
 */
export function createClientTokenService(deps: { secret: string | undefined; clock: Clock }): ClientTokenService {
  const key = deps.secret ? new TextEncoder().encode(deps.secret) : undefined;
  const verified = new Map<string, ClientTokenClaims>();
  let lastToken: string | undefined;
  let lastClaims: ClientTokenClaims | undefined;

  /** Why the time claims reject the token now, or undefined when they hold (the one place these rules live). */
  function timeProblem(claims: ClientTokenClaims): AppError | undefined {
    if (claims.exp === undefined && claims.nbf === undefined && claims.iat === undefined) return undefined;
    const now = Math.floor(nowMs(deps.clock) / 1000);
    if (typeof claims.exp === 'number' && now >= claims.exp) return new AppError(401, TOKEN_EXPIRED, 'Token is expired');
    if (typeof claims.nbf === 'number' && now < claims.nbf) return new AppError(401, TOKEN_INVALID, 'Token is not valid yet (nbf)');
    if (typeof claims.iat === 'number' && now < claims.iat) return new AppError(401, TOKEN_INVALID, 'Token is issued in the future (iat)');
    return undefined;
  }

  function checkTimes(claims: ClientTokenClaims): void {
    const problem = timeProblem(claims);
    if (problem) throw problem;
  }

  return {
    enabled: key !== undefined,
    isKnownValid(token) {
      if (!token || !key) return false;
      // Clients send one static token on every request: comparing with the last one is cheaper than hashing it for the map,
      // and a token without `exp` that was valid once stays valid (`nbf` and `iat` only ever move into the past).
      if (token === lastToken && lastClaims !== undefined) return lastClaims.exp === undefined || timeProblem(lastClaims) === undefined;
      const claims = verified.get(token);
      if (claims === undefined || timeProblem(claims) !== undefined) return false;
      lastToken = token;
      lastClaims = claims;
      return true;
    },
    async verify(token) {
      if (!token) throw new AppError(401, TOKEN_MISSING, 'No token found: send Authorization: Bearer <token>');
      if (!key) throw new AppError(401, TOKEN_INVALID, 'Token is unauthorized: the server has no client-token secret configured');
      if (token.length > 4096) throw new AppError(401, TOKEN_INVALID, 'Token is unauthorized');
      // Keyed by the token itself: a Map lookup is cheaper than hashing, and the map lives only in this process's memory.
      const cacheKey = token;
      const cached = verified.get(cacheKey);
      if (cached) {
        checkTimes(cached);
        return cached;
      }
      let claims: ClientTokenClaims;
      try {
        // compactVerify checks only the signature and algorithm; the time claims are checked below, Go-style.
        const { payload } = await compactVerify(token, key, { algorithms: ['HS256'] });
        const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('payload is not an object');
        claims = parsed as ClientTokenClaims;
      } catch {
        throw new AppError(401, TOKEN_INVALID, 'Token is unauthorized');
      }
      for (const name of ['exp', 'nbf', 'iat'] as const) {
        if (claims[name] !== undefined && typeof claims[name] !== 'number') throw new AppError(401, TOKEN_INVALID, `Token claim ${name} is not a number`);
      }
      checkTimes(claims);
      if (verified.size >= CACHE_LIMIT) verified.delete(verified.keys().next().value as string);
      verified.set(cacheKey, claims);
      return claims;
    },
    async sign(opts = {}) {
      if (!key) throw new Error('No client-token secret is configured: set MINI_MOVIE_UI_SECRET');
      const now = Math.floor(deps.clock.now().getTime() / 1000);
      let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now);
      if (opts.subject) jwt = jwt.setSubject(opts.subject);
      if (opts.expiresInSeconds !== undefined) jwt = jwt.setExpirationTime(now + opts.expiresInSeconds);
      return jwt.sign(key);
    },
  };
}
