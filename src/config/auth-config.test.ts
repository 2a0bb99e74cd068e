import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { isLoopbackHost } from './env-parsers.ts';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const apple = { APPLE_CLIENT_ID: 'info.minimovie.web', APPLE_TEAM_ID: 'TEAM', APPLE_KEY_ID: 'KEY', APPLE_PRIVATE_KEY: pem };

function issues(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => i.key);
    throw err;
  }
  return [];
}

describe('sign-in configuration', () => {
  it('disables both providers when nothing is set', () => {
    const c = loadConfig({});
    expect(c.auth.google).toBeUndefined();
    expect(c.auth.apple).toBeUndefined();
    expect(c.auth.sessionTtlDays).toBe(30);
    expect(c.auth.redirectAllowlist).toEqual([]);
  });

  it('Google: audiences default to the client id; the issuer to accounts.google.com', () => {
    const c = loadConfig({ GOOGLE_CLIENT_ID: 'web', GOOGLE_CLIENT_SECRET: 's' });
    expect(c.auth.google).toMatchObject({ clientId: 'web', audiences: ['web'], issuer: 'https://accounts.google.com' });
    expect(loadConfig({ GOOGLE_CLIENT_ID: 'web', GOOGLE_CLIENT_SECRET: 's', GOOGLE_AUDIENCES: 'web, ios' }).auth.google?.audiences).toEqual(['web', 'ios']);
  });

  it('Apple: reads the key as PEM text, with \\n escapes, or from a file', () => {
    expect(loadConfig(apple).auth.apple).toMatchObject({ clientId: 'info.minimovie.web', teamId: 'TEAM', audiences: ['info.minimovie.web'], issuer: 'https://appleid.apple.com' });
    expect(loadConfig({ ...apple, APPLE_PRIVATE_KEY: pem.trim().replaceAll('\n', '\\n') }).auth.apple?.privateKey).toBe(pem);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mm-key-')), 'AuthKey.p8');
    writeFileSync(file, pem);
    expect(loadConfig({ ...apple, APPLE_PRIVATE_KEY: file }).auth.apple?.privateKey).toBe(pem);
  });

  it('a half-configured provider is an error naming what is missing, not a silently disabled sign-in', () => {
    expect(issues({ GOOGLE_CLIENT_ID: 'web' })).toEqual(['GOOGLE_CLIENT_SECRET']);
    expect(issues({ GOOGLE_AUDIENCES: 'ios' })).toEqual(['GOOGLE_CLIENT_ID']);
    expect(issues({ APPLE_CLIENT_ID: 'x' })).toEqual(['APPLE_TEAM_ID', 'APPLE_KEY_ID', 'APPLE_PRIVATE_KEY']);
    expect(issues({ ...apple, APPLE_PRIVATE_KEY: '/nonexistent/AuthKey.p8' })).toEqual(['APPLE_PRIVATE_KEY']);
    expect(issues({ ...apple, APPLE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' })).toEqual(['APPLE_PRIVATE_KEY']);
  });

  it('accepts plain http issuers only on loopback addresses', () => {
    for (const ok of ['https://accounts.google.com', 'http://127.0.0.1:9999', 'http://127.3.4.5', 'http://localhost:8080/x', 'http://[::1]:1234']) {
      expect(issues({ GOOGLE_ISSUER: ok }), ok).toEqual([]);
    }
    for (const bad of ['http://accounts.google.com', 'http://10.0.0.1', 'http://127.0.0.1.evil.com', 'http://localhost.evil.com', 'ftp://x', 'https://x/?a=1', 'not a url']) {
      expect(issues({ APPLE_ISSUER: bad }), bad).toEqual(['APPLE_ISSUER']);
    }
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });

  it('checks the redirect allow-list entries', () => {
    expect(loadConfig({ AUTH_REDIRECT_ALLOWLIST: 'minimovie://auth, https://minimovie.info/auth/done' }).auth.redirectAllowlist).toEqual(['minimovie://auth', 'https://minimovie.info/auth/done']);
    expect(issues({ AUTH_REDIRECT_ALLOWLIST: 'not a uri' })).toEqual(['AUTH_REDIRECT_ALLOWLIST']);
    expect(issues({ AUTH_REDIRECT_ALLOWLIST: 'https://x.test/cb#frag' })).toEqual(['AUTH_REDIRECT_ALLOWLIST']);
  });

  it('hides the Apple key and the Google secret in error messages', () => {
    try {
      loadConfig({ ...apple, APPLE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nsecret-material\n-----END PRIVATE KEY-----' });
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-material');
    }
  });
});
