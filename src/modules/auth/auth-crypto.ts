import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Small cryptographic rules of sign-in, kept pure so they have unit tests.
 * Tokens are 256 random bits in base64url; only their SHA-256 is stored.
 */

/** Prefix of session tokens: tells them apart from client JWTs and lets secret scanners find leaked ones. */
export const SESSION_TOKEN_PREFIX = 'mms_';

/** 256 random bits, base64url, with an optional prefix. */
export function randomToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a UTF-8 string, lowercase hex (how every token, code and nonce is stored). */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** RFC 7636 S256 code challenge of a verifier. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Compare two strings in constant time (for the same length). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~]. */
export const CODE_VERIFIER_PATTERN = '^[A-Za-z0-9._~-]{43,128}$';
/** base64url of a SHA-256: exactly 43 characters. */
export const CODE_CHALLENGE_PATTERN = '^[A-Za-z0-9_-]{43}$';

/** Whether an ID token's `nonce` claim matches an issued nonce: equal, or its SHA-256 hex (Apple's SDK hashes it). */
export function nonceMatches(claim: unknown, issued: string): boolean {
  if (typeof claim !== 'string') return false;
  return safeEqual(claim, issued) || safeEqual(claim.toLowerCase(), sha256Hex(issued));
}

function subKey(secretKey: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.from('minimovie-auth-v1', 'utf8'), Buffer.from(info, 'utf8'), 32));
}

/**
 * Values derived from a transaction's `state` with a server key: the nonce and
 * PKCE verifier we send to the provider. Storing only the state's hash then
 * leaves nothing in the database that would let someone finish the flow.
 */
export function createTransactionSecrets(secretKey: string) {
  const key = subKey(secretKey, 'transaction');
  const derive = (purpose: string, state: string) => createHmac('sha256', key).update(`${purpose}\u0000${state}`).digest('base64url');
  return {
    nonce: (state: string) => derive('nonce', state),
    codeVerifier: (state: string) => derive('pkce', state),
  };
}

export interface TokenCipher {
  encrypt(plaintext: string): string;
  /** Throws when the ciphertext was tampered with or made with another key. */
  decrypt(ciphertext: string): string;
}

const CIPHER_VERSION = 'v1';

/** AES-256-GCM with a key derived by HKDF-SHA256 from `SECRET_KEY`. Output: `v1.<iv>.<ciphertext>.<tag>` in base64url. */
export function createTokenCipher(secretKey: string, purpose = 'apple-refresh-token'): TokenCipher {
  const key = subKey(secretKey, purpose);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(purpose, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [CIPHER_VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(ciphertext) {
      const [version, iv, body, tag] = ciphertext.split('.');
      if (version !== CIPHER_VERSION || iv === undefined || body === undefined || tag === undefined) throw new Error('unknown ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
