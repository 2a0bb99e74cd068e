import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/db.ts';
import { createTokenCipher } from '../../src/modules/auth/auth-crypto.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { buildTestApp, TEST_SECRET_KEY, type TestApp } from '../helpers/build-test-app.ts';
import {
  allSessions,
  APP_REDIRECT,
  bearer,
  count,
  deliverCallback,
  issueNonce,
  liveSessions,
  offsetClock,
  pkce,
  PUBLIC_URL,
  redeem,
  redirectFlow,
  sha256Hex,
  signInNative,
  signInRedirect,
  startUrl,
} from '../helpers/auth-flows.ts';
import { startFakeGoogleAndApple } from '../helpers/oidc-provider.ts';

let t: TestApp;
let p: Awaited<ReturnType<typeof startFakeGoogleAndApple>>;
const clock = offsetClock();
let n = 0;
/** A fresh provider account per test, so tests do not share users. */
const acct = (extra: Record<string, unknown> = {}) => ({ sub: `sub-${++n}-${randomBytes(3).toString('hex')}`, email: `user${n}@example.com`, email_verified: true, ...extra });

beforeAll(async () => {
  p = await startFakeGoogleAndApple(PUBLIC_URL);
  // The rate limit has its own test (auth-hostile.test.ts); here it would only get in the way.
  t = await buildTestApp({ env: p.env, overrides: { clock }, disableRateLimit: true });
});
afterAll(async () => {
  await t?.close();
  await p?.close();
});
beforeEach(() => {
  clock.offsetMs = 0;
});

describe('redirect flow: happy path', () => {
  it('Google: redirects with our state, nonce and PKCE; the callback hands the app a one-time code; the second sign-in finds the same user', async () => {
    const { challenge } = pkce();
    const start = await t.app.inject({ method: 'GET', url: startUrl('google', { redirect_uri: APP_REDIRECT, state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256' }) });
    expect(start.statusCode).toBe(302);
    expect(start.headers['cache-control']).toBe('no-store');
    const to = new URL(start.headers.location as string);
    expect(to.origin).toBe(p.google.issuer);
    expect(to.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/google/callback`);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    // Our own state and PKCE, never the app's.
    expect(to.searchParams.get('state')).not.toBe('xyz');
    expect(to.searchParams.get('code_challenge')).not.toBe(challenge);
    expect(to.searchParams.get('nonce')).toBeTruthy();

    const account = acct({ name: 'Grace Hopper' });
    const first = await signInRedirect(t, p.google, account);
    expect(first.tokenType).toBe('Bearer');
    expect(first.accessToken).toMatch(/^mms_[A-Za-z0-9_-]{43}$/);
    expect(first.user).toMatchObject({ email: account.email, displayName: 'Grace Hopper', timezone: 'UTC' });
    expect(first.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(first.expiresAt).getTime() - Date.now()).toBeGreaterThan(29.9 * 24 * 3600_000);

    const second = await signInRedirect(t, p.google, account);
    expect(second.user.id).toBe(first.user.id);
    expect(second.accessToken).not.toBe(first.accessToken);

    const session = await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(second.accessToken) });
    expect(session.statusCode).toBe(200);
    expect(session.json().user.id).toBe(first.user.id);
    expect(session.headers['cache-control']).toBe('no-store');
  });

  it('Apple (form_post, ES256 ID token): keeps the name sent only with the first sign-in; the client secret is an ES256 JWT Apple verifies', async () => {
    const account = acct({ email: 'abc@privaterelay.appleid.com', is_private_email: true, firstName: 'Ada', lastName: 'Lovelace' });
    const authBefore = p.apple.clientAuth.length;
    const r = await redirectFlow(t, p.apple, account, { appState: 'apple-state' });
    expect(r.callback.method).toBe('POST');
    expect(r.callback.form?.user).toContain('Ada');
    expect(r.params.get('state')).toBe('apple-state');
    const first = await redeem(t, r.params.get('code')!, r.verifier);
    expect(first.statusCode).toBe(200);
    expect(first.json().user).toMatchObject({ displayName: 'Ada Lovelace', email: 'abc@privaterelay.appleid.com' });
    expect(p.apple.clientAuth.slice(authBefore)).toEqual([{ endpoint: 'token', clientId: 'info.minimovie.web', ok: true }]);

    // Apple does not send the name again; the stored one stays.
    const again = await redirectFlow(t, p.apple, account);
    expect(again.callback.form?.user).toBeUndefined();
    const second = await redeem(t, again.params.get('code')!, again.verifier);
    expect(second.json().user).toMatchObject({ id: first.json().user.id, displayName: 'Ada Lovelace' });

    const ids = await t.app.inject({ method: 'GET', url: '/me/identities', headers: bearer(second.json().accessToken) });
    expect(ids.json().identities).toEqual([expect.objectContaining({ provider: 'apple', isPrivateEmail: true })]);
  });

  it('a user who cancels goes back to the app with error and state, and gets no session', async () => {
    const before = await allSessions(t);
    const r = await redirectFlow(t, p.google, 'cancel', { appState: 'cancel-state' });
    expect(r.params.get('error')).toBe('access_denied');
    expect(r.params.get('state')).toBe('cancel-state');
    expect(r.params.get('code')).toBeNull();
    expect(await allSessions(t)).toBe(before);
  });
});

describe('native flow: happy path', () => {
  it('Google: an ID token for the iOS client id signs in; a second sign-in finds the same user', async () => {
    const account = acct();
    const first = await signInNative(t, p.google, account);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const second = await signInNative(t, p.google, account);
    expect(second.json().user.id).toBe(first.json().user.id);
  });

  it('Apple: the nonce may be hashed (SHA-256 hex, as the SDK sends it); the authorization code becomes an encrypted refresh token', async () => {
    const account = acct();
    const before = p.apple.clientAuth.length;
    const res = await signInNative(t, p.apple, account, { hashNonce: true, withCode: true });
    expect(res.statusCode, res.body).toBe(200);
    // The app's code is redeemed as the app's own client id, with a client secret Apple accepts.
    expect(p.apple.clientAuth.slice(before)).toEqual([{ endpoint: 'token', clientId: 'info.minimovie.ios', ok: true }]);
    const rows = rowsOf<{ refresh_token_enc: string | null; refresh_token_client_id: string | null }>(
      await t.container.db.execute(sql`select refresh_token_enc, refresh_token_client_id from user_identities where subject = ${account.sub}`),
    );
    expect(rows[0]?.refresh_token_client_id).toBe('info.minimovie.ios');
    expect(rows[0]?.refresh_token_enc).toMatch(/^v1\./);
  });
});

describe('rejections: a clear 4xx and no session', () => {
  let before: number;
  beforeEach(async () => {
    before = await allSessions(t);
  });
  const noNewSession = async () => expect(await allSessions(t)).toBe(before);

  it('a wrong state', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/auth/google/callback?code=abc&state=${randomBytes(32).toString('base64url')}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('STATE_INVALID');
    expect(res.headers.location).toBeUndefined();
    await noNewSession();
  });

  it('a replayed state (the same callback twice)', async () => {
    const r = await redirectFlow(t, p.google, acct());
    const replay = await deliverCallback(t, r.callback);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('STATE_INVALID');
    await noNewSession();
  });

  it('a state from the other provider', async () => {
    const { challenge } = pkce();
    const start = await t.app.inject({ method: 'GET', url: startUrl('google', { redirect_uri: APP_REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256' }) });
    const state = new URL(start.headers.location as string).searchParams.get('state')!;
    const res = await t.app.inject({ method: 'POST', url: '/auth/apple/callback', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `code=x&state=${state}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('STATE_INVALID');
    await noNewSession();
  });

  it('a wrong nonce (the ID token was made for another issued nonce)', async () => {
    const issued = await issueNonce(t);
    const other = await issueNonce(t);
    const { idToken } = await p.google.nativeSignIn({ clientId: 'minimovie-ios.apps.googleusercontent.com', nonce: other, account: acct() });
    const res = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken, nonce: issued } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('NONCE_MISMATCH');
    await noNewSession();
  });

  it('a nonce that was never issued', async () => {
    const nonce = randomBytes(32).toString('base64url');
    const { idToken } = await p.google.nativeSignIn({ clientId: 'minimovie-ios.apps.googleusercontent.com', nonce, account: acct() });
    const res = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken, nonce } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('NONCE_INVALID');
    await noNewSession();
  });

  it('a native nonce used twice', async () => {
    const nonce = await issueNonce(t);
    const { idToken } = await p.google.nativeSignIn({ clientId: 'minimovie-ios.apps.googleusercontent.com', nonce, account: acct() });
    const first = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken, nonce } });
    expect(first.statusCode).toBe(200);
    before = await allSessions(t);
    const second = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken, nonce } });
    expect(second.statusCode).toBe(400);
    expect(second.json().code).toBe('NONCE_INVALID');
    await noNewSession();
  });

  it('a wrong code_verifier at /auth/token (and the code is then used up)', async () => {
    const r = await redirectFlow(t, p.google, acct());
    const wrong = await redeem(t, r.params.get('code')!, pkce().verifier);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('CODE_VERIFIER_MISMATCH');
    const right = await redeem(t, r.params.get('code')!, r.verifier);
    expect(right.statusCode).toBe(400);
    await noNewSession();
  });

  it('a missing code_challenge (or a method other than S256) at /start', async () => {
    const missing = await t.app.inject({ method: 'GET', url: startUrl('google', { redirect_uri: APP_REDIRECT, state: 's', code_challenge_method: 'S256' }) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('INVALID_CODE_CHALLENGE');
    const plain = await t.app.inject({ method: 'GET', url: startUrl('google', { redirect_uri: APP_REDIRECT, state: 's', code_challenge: pkce().challenge, code_challenge_method: 'plain' }) });
    expect(plain.statusCode).toBe(400);
    expect(plain.json().code).toBe('INVALID_CODE_CHALLENGE_METHOD');
    const noState = await t.app.inject({ method: 'GET', url: startUrl('google', { redirect_uri: APP_REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' }) });
    expect(noState.json().code).toBe('INVALID_STATE');
    await noNewSession();
  });

  it('an expired ID token', async () => {
    const nonce = await issueNonce(t);
    const idToken = await p.google.sign(
      { iss: p.google.issuer, aud: 'minimovie-ios.apps.googleusercontent.com', sub: acct().sub, nonce },
      { iat: Math.floor(Date.now() / 1000) - 7200, expiresIn: 3600 },
    );
    const res = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken, nonce } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ID_TOKEN_EXPIRED');
    await noNewSession();
  });

  it('a wrong audience (a real token the provider issued to another app)', async () => {
    const nonce = await issueNonce(t);
    const { idToken } = await p.google.nativeSignIn({ clientId: 'someone-else.apps.googleusercontent.com', nonce, account: acct() });
    const res = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken, nonce } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ID_TOKEN_AUDIENCE_MISMATCH');
    await noNewSession();
  });

  it('an ID token signed by an unknown key', async () => {
    const nonce = await issueNonce(t);
    const idToken = await p.apple.sign({ iss: p.apple.issuer, aud: 'info.minimovie.ios', sub: acct().sub, nonce }, { rogueKey: true });
    const res = await t.app.inject({ method: 'POST', url: '/auth/apple/native', payload: { idToken, nonce } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ID_TOKEN_INVALID');
    await noNewSession();
  });

  it('an ID token from another issuer, and garbage', async () => {
    const nonce = await issueNonce(t);
    const fromApple = await p.apple.sign({ iss: p.apple.issuer, aud: 'minimovie-ios.apps.googleusercontent.com', sub: 'x', nonce });
    const res = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken: fromApple, nonce } });
    expect(res.statusCode).toBe(401);
    const nonce2 = await issueNonce(t);
    const junk = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken: 'not.a.jwt', nonce: nonce2 } });
    expect(junk.statusCode).toBe(401);
    expect(junk.json().code).toBe('ID_TOKEN_INVALID');
    await noNewSession();
  });

  it('a redirect_uri not on the allow-list (never an open redirect)', async () => {
    for (const uri of ['https://evil.example/cb', 'minimovie://auth/', 'MINIMOVIE://auth', 'https://minimovie.info/auth/done?x=1', 'javascript:alert(1)']) {
      const res = await t.app.inject({ method: 'GET', url: startUrl('google', { redirect_uri: uri, state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' }) });
      expect(res.statusCode, uri).toBe(400);
      expect(res.json().code).toBe('REDIRECT_URI_NOT_ALLOWED');
      expect(res.headers.location).toBeUndefined();
    }
    await noNewSession();
  });

  it('a reused auth code fails and revokes the session it first produced', async () => {
    const r = await redirectFlow(t, p.google, acct());
    const first = await redeem(t, r.params.get('code')!, r.verifier);
    expect(first.statusCode).toBe(200);
    const token = first.json().accessToken as string;
    const live = await liveSessions(t);
    const reuse = await redeem(t, r.params.get('code')!, r.verifier);
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().code).toBe('AUTH_CODE_REUSED');
    expect(await liveSessions(t)).toBe(live - 1);
    const after = await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('SESSION_INVALID');
  });

  it('an expired auth code (older than 60 s)', async () => {
    const r = await redirectFlow(t, p.google, acct());
    before = await allSessions(t);
    clock.offsetMs = 61_000;
    const res = await redeem(t, r.params.get('code')!, r.verifier);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('AUTH_CODE_EXPIRED');
    await noNewSession();
  });

  it('an expired session', async () => {
    const s = (await signInNative(t, p.google, acct())).json();
    clock.offsetMs = 30 * 24 * 3600_000 + 1000;
    const res = await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(s.accessToken) });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
    const me = await t.app.inject({ method: 'GET', url: '/me/identities', headers: bearer(s.accessToken) });
    expect(me.json().code).toBe('SESSION_EXPIRED');
  });

  it('a session used after logout', async () => {
    const s = (await signInNative(t, p.google, acct())).json();
    const out = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(s.accessToken) });
    expect(out.statusCode).toBe(204);
    expect(out.headers['cache-control']).toBe('no-store');
    const res = await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(s.accessToken) });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_INVALID');
  });
});

describe('sessions', () => {
  it('slide their expiry on use, writing at most once a minute', async () => {
    const s = (await signInNative(t, p.google, acct())).json();
    const expiry = async () =>
      rowsOf<{ expires_at: Date | string }>(await t.container.db.execute(sql`select expires_at from sessions where token_hash = ${sha256Hex(s.accessToken)}`))[0]!.expires_at;
    const e0 = new Date(await expiry()).getTime();
    clock.offsetMs = 30_000;
    await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(s.accessToken) });
    expect(new Date(await expiry()).getTime()).toBe(e0);
    clock.offsetMs = 2 * 24 * 3600_000;
    const res = await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(s.accessToken) });
    expect(res.statusCode).toBe(200);
    const e1 = new Date(await expiry()).getTime();
    expect(e1 - e0).toBeGreaterThan(2 * 24 * 3600_000 - 5000);
    expect(new Date(res.json().expiresAt).getTime()).toBe(e1);
  });

  it('logout-all revokes every session of the user', async () => {
    const account = acct();
    const a = (await signInNative(t, p.google, account)).json();
    const b = (await signInNative(t, p.google, account)).json();
    const out = await t.app.inject({ method: 'POST', url: '/auth/logout-all', headers: bearer(a.accessToken) });
    expect(out.statusCode).toBe(204);
    for (const s of [a, b]) expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(s.accessToken) })).statusCode).toBe(401);
  });

  it('/me and /auth/session accept only a session: not the client token, not a cookie, not nothing', async () => {
    const s = (await signInNative(t, p.google, acct())).json();
    for (const headers of [{}, bearer(t.clientToken), { cookie: `jwt=${s.accessToken}` }, bearer('mms_unknown'), bearer(`mms_${'x'.repeat(300)}`)]) {
      for (const url of ['/me/identities', '/auth/session']) {
        const res = await t.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode, url).toBe(401);
        expect(res.json().code).toBe('SESSION_INVALID');
        expect(res.headers['cache-control']).toBe('no-store');
      }
    }
  });

  it('catalog routes accept a session as well as the client token', async () => {
    const probe = await buildTestApp({
      env: p.env,
      disableRateLimit: true,
      overrides: { database: t.container.database },
      configure: (app) => {
        app.get('/probe', { onRequest: app.requireCatalogAuth }, async (request) => ({ kind: request.principal?.kind ?? null }));
      },
    });
    try {
      const s = (await signInNative(t, p.google, acct())).json();
      expect((await probe.app.inject({ method: 'GET', url: '/probe', headers: bearer(s.accessToken) })).json()).toEqual({ kind: 'user' });
      expect((await probe.app.inject({ method: 'GET', url: '/probe', headers: bearer(probe.clientToken) })).json()).toEqual({ kind: 'client' });
      const revoked = await probe.app.inject({ method: 'GET', url: '/probe', headers: bearer('mms_revoked-or-unknown') });
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json().code).toBe('SESSION_INVALID');
    } finally {
      await probe.app.close();
    }
  });
});

describe('storage', () => {
  it('keeps no token, code or nonce in plain text, and the Apple refresh token encrypted', async () => {
    const seen: string[] = [];
    const r = await redirectFlow(t, p.google, acct());
    seen.push(r.params.get('code')!, new URL(r.callback.url).searchParams.get('state')!);
    const g = (await redeem(t, r.params.get('code')!, r.verifier)).json();
    seen.push(g.accessToken);
    const nonce = await issueNonce(t);
    seen.push(nonce);
    const linkToken = (await t.app.inject({ method: 'POST', url: '/me/identities/link-token', headers: bearer(g.accessToken) })).json().linkToken as string;
    seen.push(linkToken);
    const appleAccount = acct();
    const a = await signInNative(t, p.apple, appleAccount, { withCode: true });
    seen.push(a.json().accessToken);

    const dump = JSON.stringify(
      await Promise.all(
        ['sessions', 'auth_codes', 'auth_transactions', 'auth_nonces', 'link_tokens', 'user_identities', 'apple_token_revocations', 'users'].map(async (table) =>
          rowsOf(await t.container.db.execute(sql.raw(`select * from ${table}`))),
        ),
      ),
    );
    for (const secret of seen) expect(dump).not.toContain(secret);
    expect(dump).toContain(sha256Hex(g.accessToken));

    const [row] = rowsOf<{ refresh_token_enc: string }>(await t.container.db.execute(sql`select refresh_token_enc from user_identities where subject = ${appleAccount.sub}`));
    const refreshToken = createTokenCipher(TEST_SECRET_KEY).decrypt(row!.refresh_token_enc);
    expect(refreshToken.length).toBeGreaterThan(20);
    expect(dump).not.toContain(refreshToken);
    expect(() => createTokenCipher('another-secret-key-that-is-long-enough!!').decrypt(row!.refresh_token_enc)).toThrow();
  });
});

describe('linked identities', () => {
  it('Apple on the phone and Google on the web end up on one user', async () => {
    const apple = (await signInNative(t, p.apple, acct(), { hashNonce: true })).json();
    const googleAccount = acct();
    const linked = await signInNative(t, p.google, googleAccount, { url: '/me/identities/google/native', token: apple.accessToken });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ provider: 'google', email: googleAccount.email });
    expect(linked.json()).not.toHaveProperty('subject');

    const ids = await t.app.inject({ method: 'GET', url: '/me/identities', headers: bearer(apple.accessToken) });
    expect(ids.json().identities.map((i: { provider: string }) => i.provider)).toEqual(['apple', 'google']);
    expect(JSON.stringify(ids.json())).not.toMatch(/refresh|token|sub-/i);

    const viaGoogle = await signInRedirect(t, p.google, googleAccount);
    expect(viaGoogle.user.id).toBe(apple.user.id);
  });

  it('links through the redirect flow with a one-time link_token', async () => {
    const google = (await signInNative(t, p.google, acct())).json();
    const { linkToken } = (await t.app.inject({ method: 'POST', url: '/me/identities/link-token', headers: bearer(google.accessToken) })).json();
    const appleAccount = acct();
    const r = await redirectFlow(t, p.apple, appleAccount, { linkToken });
    // Nothing is linked until the code is redeemed with the verifier of the app that started the flow:
    // a link URL sent to someone else cannot attach their identity to this account.
    const providersNow = async () => (await t.app.inject({ method: 'GET', url: '/me/identities', headers: bearer(google.accessToken) })).json().identities.map((i: { provider: string }) => i.provider);
    expect(await providersNow()).toEqual(['google']);
    expect((await redeem(t, r.params.get('code')!, pkce().verifier)).statusCode).toBe(400);
    expect(await providersNow()).toEqual(['google']);

    const r2 = await redirectFlow(t, p.apple, appleAccount, { linkToken: (await t.app.inject({ method: 'POST', url: '/me/identities/link-token', headers: bearer(google.accessToken) })).json().linkToken });
    const grant = await redeem(t, r2.params.get('code')!, r2.verifier);
    expect(grant.statusCode, grant.body).toBe(200);
    expect(grant.json().user.id).toBe(google.user.id);
    expect(await providersNow()).toEqual(['google', 'apple']);
    const again = await t.app.inject({ method: 'GET', url: startUrl('apple', { redirect_uri: APP_REDIRECT, state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256', link_token: linkToken }) });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('LINK_TOKEN_INVALID');
  });

  it('refuses to link an identity that belongs to another user (native and redirect)', async () => {
    const owner = acct();
    await signInNative(t, p.google, owner);
    const other = (await signInNative(t, p.apple, acct())).json();
    const res = await signInNative(t, p.google, owner, { url: '/me/identities/google/native', token: other.accessToken });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('IDENTITY_IN_USE');

    const { linkToken } = (await t.app.inject({ method: 'POST', url: '/me/identities/link-token', headers: bearer(other.accessToken) })).json();
    const r = await redirectFlow(t, p.google, owner, { linkToken });
    expect(r.params.get('error')).toBe('access_denied');
    expect(r.params.get('error_code')).toBe('IDENTITY_IN_USE');
    expect(r.params.get('code')).toBeNull();
  });

  it('refuses to unlink the last identity, and unlinks one of two', async () => {
    const google = (await signInNative(t, p.google, acct())).json();
    const last = await t.app.inject({ method: 'DELETE', url: '/me/identities/google', headers: bearer(google.accessToken) });
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('LAST_IDENTITY');
    const missing = await t.app.inject({ method: 'DELETE', url: '/me/identities/apple', headers: bearer(google.accessToken) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('IDENTITY_NOT_FOUND');

    await signInNative(t, p.apple, acct(), { url: '/me/identities/apple/native', token: google.accessToken });
    const ok = await t.app.inject({ method: 'DELETE', url: '/me/identities/apple', headers: bearer(google.accessToken) });
    expect(ok.statusCode).toBe(204);
    const ids = await t.app.inject({ method: 'GET', url: '/me/identities', headers: bearer(google.accessToken) });
    expect(ids.json().identities.map((i: { provider: string }) => i.provider)).toEqual(['google']);
  });

  it('never merges accounts by e-mail address', async () => {
    const email = `same-${n}@example.com`;
    const g = (await signInNative(t, p.google, acct({ email }))).json();
    const a = (await signInNative(t, p.apple, acct({ email }))).json();
    expect(a.user.id).not.toBe(g.user.id);
    expect(await count(t, sql`select count(*)::int as n from users where email = ${email}`)).toBe(2);
  });
});

describe('logs', () => {
  it('never contain tokens, codes, states, nonces or ID tokens, even at debug level and on failures', async () => {
    let logs = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    const logged = await buildTestApp({
      env: p.env,
      disableRateLimit: true,
      overrides: { database: t.container.database, clock, logger: createLogger({ level: 'debug', format: 'json', destination: sink }) },
    });
    const secrets: string[] = [];
    try {
      const r = await redirectFlow(logged, p.google, acct());
      secrets.push(r.params.get('code')!, r.verifier, new URL(r.callback.url).searchParams.get('code')!, new URL(r.callback.url).searchParams.get('state')!);
      const grant = (await redeem(logged, r.params.get('code')!, r.verifier)).json();
      secrets.push(grant.accessToken);
      await redeem(logged, r.params.get('code')!, r.verifier);
      const nonce = await issueNonce(logged);
      const { idToken, code } = await p.apple.nativeSignIn({ clientId: 'info.minimovie.ios', nonce, account: acct() });
      secrets.push(nonce, idToken, code);
      const a = (await logged.app.inject({ method: 'POST', url: '/auth/apple/native', payload: { idToken, nonce, authorizationCode: code } })).json();
      secrets.push(a.accessToken);
      await logged.app.inject({ method: 'POST', url: '/auth/apple/native', payload: { idToken, nonce, authorizationCode: code } });
      await logged.app.inject({ method: 'GET', url: `/auth/session?token=${a.accessToken}`, headers: bearer(a.accessToken) });
      await logged.app.inject({ method: 'GET', url: `/auth/google/callback?code=${secrets[0]}&state=${secrets[3]}` });
    } finally {
      await logged.app.close();
    }
    expect(logs).toContain('request completed');
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});

describe('OpenAPI', () => {
  it('documents every auth and /me/identities route with its responses', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const [path, method] of [
      ['/auth/{provider}/start', 'get'],
      ['/auth/{provider}/callback', 'get'],
      ['/auth/{provider}/callback', 'post'],
      ['/auth/token', 'post'],
      ['/auth/nonce', 'post'],
      ['/auth/{provider}/native', 'post'],
      ['/auth/session', 'get'],
      ['/auth/logout', 'post'],
      ['/auth/logout-all', 'post'],
      ['/auth/apple/notifications', 'post'],
      ['/me/identities', 'get'],
      ['/me/identities/{provider}/native', 'post'],
      ['/me/identities/link-token', 'post'],
      ['/me/identities/{provider}', 'delete'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op.responses).length).toBeGreaterThan(1);
    }
    expect(doc.components.securitySchemes.session).toBeDefined();
  });
});
