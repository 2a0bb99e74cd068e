import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rowsOf } from '../../src/data/db.ts';
import type { TestApp } from './build-test-app.ts';
import type { Account, FakeProvider } from './oidc-provider.ts';

export const PUBLIC_URL = 'http://minimovie.test';
export const APP_REDIRECT = 'minimovie://auth';

/** A PKCE pair as the app makes it. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** A clock that follows real time plus an adjustable offset (ID tokens are minted in real time). */
export function offsetClock(): { now(): Date; offsetMs: number } {
  const c = { offsetMs: 0, now: () => new Date(Date.now() + c.offsetMs) };
  return c;
}

export function startUrl(provider: string, q: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, v);
  return `/auth/${provider}/start?${params.toString()}`;
}

/** Send the provider's callback request (GET query or form_post) into the app. */
export async function deliverCallback(t: TestApp, cb: { method: 'GET' | 'POST'; url: string; form?: Record<string, string> }) {
  const u = new URL(cb.url);
  if (cb.method === 'GET') return t.app.inject({ method: 'GET', url: `${u.pathname}${u.search}` });
  return t.app.inject({
    method: 'POST',
    url: u.pathname,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(cb.form ?? {}).toString(),
  });
}

export interface RedirectResult {
  /** The app redirect's query parameters. */
  params: URLSearchParams;
  location: string;
  callback: { method: 'GET' | 'POST'; url: string; form?: Record<string, string> };
  verifier: string;
}

/** The whole browser leg: /start, the provider's login and consent, and the callback; stops at the app redirect. */
export async function redirectFlow(
  t: TestApp,
  provider: FakeProvider,
  login: Account | 'cancel',
  opts: { appState?: string; linkToken?: string } = {},
): Promise<RedirectResult> {
  const { verifier, challenge } = pkce();
  const start = await t.app.inject({
    method: 'GET',
    url: startUrl(provider.kind, { redirect_uri: APP_REDIRECT, state: opts.appState ?? 'app-state-1', code_challenge: challenge, code_challenge_method: 'S256', link_token: opts.linkToken }),
  });
  expect(start.statusCode, start.body).toBe(302);
  provider.nextLogin = login;
  const callback = await provider.browse(start.headers.location as string, `${PUBLIC_URL}/auth/${provider.kind}/callback`);
  const res = await deliverCallback(t, callback);
  expect([302, 303], res.body).toContain(res.statusCode);
  const location = res.headers.location as string;
  expect(location.startsWith(`${APP_REDIRECT}?`)).toBe(true);
  return { params: new URL(location).searchParams, location, callback, verifier };
}

export async function redeem(t: TestApp, code: string, verifier: string) {
  return t.app.inject({ method: 'POST', url: '/auth/token', payload: { code, code_verifier: verifier } });
}

/** Redirect flow through to a session. */
export async function signInRedirect(t: TestApp, provider: FakeProvider, login: Account) {
  const r = await redirectFlow(t, provider, login);
  const code = r.params.get('code');
  expect(code, r.location).toBeTruthy();
  const res = await redeem(t, code!, r.verifier);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ accessToken: string; tokenType: 'Bearer'; expiresAt: string; user: { id: string; email: string | null; displayName: string | null } }>();
}

export async function issueNonce(t: TestApp): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/auth/nonce' });
  expect(res.statusCode).toBe(200);
  return res.json().nonce as string;
}

/** Native flow as the iOS app runs it: nonce from us, ID token (and code) from the provider SDK, then our native route. */
export async function signInNative(
  t: TestApp,
  provider: FakeProvider,
  account: Account,
  opts: { clientId?: string; hashNonce?: boolean; withCode?: boolean; url?: string; token?: string } = {},
) {
  const nonce = await issueNonce(t);
  const clientId = opts.clientId ?? (provider.kind === 'apple' ? 'info.minimovie.ios' : 'minimovie-ios.apps.googleusercontent.com');
  const { idToken, code } = await provider.nativeSignIn({ clientId, nonce: opts.hashNonce ? sha256Hex(nonce) : nonce, account });
  return t.app.inject({
    method: 'POST',
    url: opts.url ?? `/auth/${provider.kind}/native`,
    ...(opts.token ? { headers: { authorization: `Bearer ${opts.token}` } } : {}),
    payload: { idToken, nonce, ...(opts.withCode ? { authorizationCode: code } : {}) },
  });
}

export async function count(t: TestApp, query: ReturnType<typeof sql>): Promise<number> {
  return rowsOf<{ n: number }>(await t.container.db.execute(query))[0]?.n ?? 0;
}

export const liveSessions = (t: TestApp) => count(t, sql`select count(*)::int as n from sessions where revoked_at is null`);
export const allSessions = (t: TestApp) => count(t, sql`select count(*)::int as n from sessions`);

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
