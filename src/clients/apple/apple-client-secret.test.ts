import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { createAppleClientSecret } from './apple-client-secret.ts';

describe('createAppleClientSecret', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const secret = createAppleClientSecret({ teamId: 'TEAM', keyId: 'KID', privateKey: pem, audience: 'https://appleid.apple.com', clock });

  it('is an ES256 JWT with Apple claims, valid under six months', async () => {
    const jwt = await secret('info.minimovie.web');
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: 'KID' });
    const { payload } = await jwtVerify(jwt, publicKey, { currentDate: clock.now() });
    expect(payload).toMatchObject({ iss: 'TEAM', sub: 'info.minimovie.web', aud: 'https://appleid.apple.com' });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(15_777_000);
  });

  it('is cached, per client id, and renewed before it expires', async () => {
    const a = await secret('web');
    expect(await secret('web')).toBe(a);
    expect(decodeJwt(await secret('ios')).sub).toBe('ios');
    clock.advance(29.5 * 24 * 3600 * 1000);
    const b = await secret('web');
    expect(b).not.toBe(a);
    expect(decodeJwt(b).exp).toBeGreaterThan(decodeJwt(a).exp!);
  });
});
