import { describe, expect, it } from 'vitest';
import { createTokenCipher, createTransactionSecrets, nonceMatches, pkceChallenge, randomToken, sha256Hex } from './auth-crypto.ts';

const KEY = 'unit-test-secret-key-0123456789abcdef';

describe('randomToken', () => {
  it('is 256 bits of base64url with the prefix', () => {
    const t = randomToken('mms_');
    expect(t).toMatch(/^mms_[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(randomToken());
  });
});

describe('pkceChallenge', () => {
  it('matches the RFC 7636 appendix B example', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});

describe('nonceMatches', () => {
  it('accepts the nonce or its SHA-256 hex, nothing else', () => {
    expect(nonceMatches('abc', 'abc')).toBe(true);
    expect(nonceMatches(sha256Hex('abc'), 'abc')).toBe(true);
    expect(nonceMatches(sha256Hex('abc').toUpperCase(), 'abc')).toBe(true);
    expect(nonceMatches('abd', 'abc')).toBe(false);
    expect(nonceMatches(undefined, 'abc')).toBe(false);
    expect(nonceMatches(42, 'abc')).toBe(false);
  });
});

describe('createTransactionSecrets', () => {
  it('derives stable, distinct values per state and key', () => {
    const a = createTransactionSecrets(KEY);
    const b = createTransactionSecrets(`${KEY}x`);
    expect(a.nonce('s1')).toBe(a.nonce('s1'));
    expect(a.nonce('s1')).not.toBe(a.nonce('s2'));
    expect(a.nonce('s1')).not.toBe(a.codeVerifier('s1'));
    expect(a.nonce('s1')).not.toBe(b.nonce('s1'));
    expect(a.codeVerifier('s1')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('createTokenCipher', () => {
  it('round-trips and hides the plaintext', () => {
    const c = createTokenCipher(KEY);
    const enc = c.encrypt('refresh-token-value');
    expect(enc).not.toContain('refresh-token-value');
    expect(enc.startsWith('v1.')).toBe(true);
    expect(c.decrypt(enc)).toBe('refresh-token-value');
    expect(c.encrypt('x')).not.toBe(c.encrypt('x'));
  });

  it('rejects tampering and other keys', () => {
    const c = createTokenCipher(KEY);
    const enc = c.encrypt('secret');
    const parts = enc.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[2] = body.toString('base64url');
    expect(() => c.decrypt(parts.join('.'))).toThrow();
    expect(() => createTokenCipher(`${KEY}x`).decrypt(enc)).toThrow();
    expect(() => c.decrypt('garbage')).toThrow();
  });
});
