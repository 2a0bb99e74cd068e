import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '../../shared/clock.ts';

/** Apple accepts client secrets that live at most six months (15,777,000 s). */
export const APPLE_CLIENT_SECRET_MAX_SECONDS = 15_777_000;
const LIFETIME_SECONDS = 30 * 24 * 3600;
const RENEW_BEFORE_SECONDS = 24 * 3600;

export interface AppleClientSecretOptions {
  teamId: string;
  keyId: string;
  /** PKCS#8 PEM of the Sign in with Apple key. */
  privateKey: string;
  /** Apple's issuer URL; the client secret's `aud`. */
  audience: string;
  clock: Clock;
  /** Default 30 days; never more than six months. */
  lifetimeSeconds?: number;
}

/**
 * Apple's client secret: an ES256 JWT (`iss` team id, `sub` client id, `aud`
 * Apple) signed with the team's key. Generated on demand per client id (the
 * Services ID and the app's bundle id each need their own), cached, and
 * renewed a day before it expires.
 * @see https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret
 */
export function createAppleClientSecret(opts: AppleClientSecretOptions): (clientId: string) => Promise<string> {
  const key = createPrivateKey(opts.privateKey);
  const lifetime = Math.min(opts.lifetimeSeconds ?? LIFETIME_SECONDS, APPLE_CLIENT_SECRET_MAX_SECONDS);
  const cache = new Map<string, { jwt: string; exp: number }>();
  return async (clientId) => {
    const now = Math.floor(opts.clock.now().getTime() / 1000);
    const hit = cache.get(clientId);
    if (hit && hit.exp - now > Math.min(RENEW_BEFORE_SECONDS, lifetime / 2)) return hit.jwt;
    const exp = now + lifetime;
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: opts.keyId })
      .setIssuer(opts.teamId)
      .setSubject(clientId)
      .setAudience(opts.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(key);
    cache.set(clientId, { jwt, exp });
    return jwt;
  };
}
