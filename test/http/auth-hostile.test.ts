import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts';
import { PUBLIC_URL } from '../helpers/auth-flows.ts';
import { startFakeGoogleAndApple } from '../helpers/oidc-provider.ts';

let p: Awaited<ReturnType<typeof startFakeGoogleAndApple>>;
beforeAll(async () => {
  p = await startFakeGoogleAndApple(PUBLIC_URL);
});
afterAll(async () => {
  await p?.close();
});

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, int: (n: number) => Math.floor(next() * n) };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

type Inject = InjectOptions;

/** Malformed and hostile requests to every /auth/* route. */
function hostileRequests(count: number, seed: number): Inject[] {
  const r = rng(seed);
  const strings = [
    '',
    ' ',
    'null',
    'undefined',
    '0',
    '-1',
    'true',
    '[]',
    '{}',
    '%',
    '%00',
    '%E0%A4%A',
    '\u0000',
    '\u202e',
    '😀'.repeat(50),
    'a'.repeat(5000),
    '<script>alert(1)</script>',
    "' or 1=1 --",
    '../../etc/passwd',
    'https://evil.example/cb',
    'javascript:alert(1)',
    'minimovie://auth',
    'mms_' + 'A'.repeat(43),
    'mmc_' + 'B'.repeat(43),
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    `${b64({ alg: 'none' })}.${b64({ iss: p.google.issuer, sub: 'x', aud: 'minimovie-ios.apps.googleusercontent.com', exp: 9999999999, iat: 1 })}.`,
    `${b64({ alg: 'HS256', kid: 'google-key-1' })}.${b64({ sub: 'x' })}.c2ln`,
    `${b64({ alg: 'RS256', kid: 'unknown-kid' })}.${b64({ sub: 'x' })}.c2ln`,
    `${b64({ alg: 'ES256', kid: '../../x', crit: ['zip'] })}.${b64({})}.AA`,
    'a.b.c',
    'a.b.c.d.e',
    '__proto__',
    'constructor',
  ];
  const values: unknown[] = [...strings, 0, -1, 1e308, true, false, null, [], {}, ['a', 'b'], { $gt: '' }, { __proto__: { admin: true } }];
  const providers = ['google', 'apple', 'facebook', 'GOOGLE', '%00', '..', 'apple%2F..', 'x'.repeat(300)];
  const bodyFor = (keys: string[]) => {
    const o: Record<string, unknown> = {};
    for (const k of keys) if (r.next() < 0.7) o[k] = r.pick(values);
    if (r.next() < 0.1) o[r.pick(['__proto__', 'constructor', 'prototype', 'extra'])] = r.pick(values);
    return o;
  };
  const enc = (v: unknown) => encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v) ?? '');
  const query = (keys: string[]) => {
    const parts: string[] = [];
    for (const k of keys) {
      if (r.next() < 0.75) parts.push(`${k}=${r.next() < 0.1 ? r.pick(['%', '%zz', '%E0%A4%A']) : enc(r.pick(values))}`);
      if (r.next() < 0.1) parts.push(`${k}=${enc(r.pick(strings))}`);
    }
    return parts.join('&');
  };
  const authHeaders = () =>
    r.pick([
      {},
      { authorization: r.pick(['Bearer', 'Bearer ', 'bearer mms_x', 'Basic Zm9vOmJhcg==', `Bearer ${r.pick(strings)}`, `Bearer mms_${'x'.repeat(5000)}`]) },
      { cookie: `jwt=${r.pick(strings)}` },
    ]) as Record<string, string>;
  const contentTypes = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded; charset=latin1', ''];

  const makers: Array<() => Inject> = [
    () => ({ method: 'GET', url: `/auth/${r.pick(providers)}/start?${query(['redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'link_token'])}`, headers: authHeaders() }),
    () => ({ method: 'GET', url: `/auth/${r.pick(providers)}/callback?${query(['code', 'state', 'error', 'iss', 'user'])}` }),
    () => {
      const ct = r.pick(contentTypes);
      const payload = r.next() < 0.5 ? query(['code', 'state', 'error', 'user', 'iss']) : JSON.stringify(bodyFor(['code', 'state', 'user']));
      return { method: 'POST', url: `/auth/${r.pick(providers)}/callback`, headers: ct ? { 'content-type': ct } : {}, payload };
    },
    () => ({ method: 'POST', url: '/auth/token', payload: JSON.stringify(bodyFor(['code', 'code_verifier'])), headers: { 'content-type': r.pick(contentTypes) || 'application/json' } }),
    () => ({ method: 'POST', url: '/auth/token', payload: r.pick(['{', '{"code":', '[]', 'null', '"x"', '{"code":"a","code_verifier":"b"}'.repeat(3)]), headers: { 'content-type': 'application/json' } }),
    () => ({ method: 'POST', url: '/auth/nonce', headers: authHeaders(), ...(r.next() < 0.5 ? { payload: JSON.stringify(r.pick(values)), headers: { 'content-type': 'application/json' } } : {}) }),
    () => ({ method: 'POST', url: `/auth/${r.pick(providers)}/native`, payload: JSON.stringify(bodyFor(['idToken', 'nonce', 'authorizationCode', 'displayName'])), headers: { 'content-type': 'application/json' } }),
    () => ({ method: r.pick(['GET', 'POST'] as const), url: r.pick(['/auth/session', '/auth/logout', '/auth/logout-all']), headers: authHeaders() }),
    () => ({ method: 'POST', url: '/auth/apple/notifications', payload: JSON.stringify(bodyFor(['payload'])), headers: { 'content-type': 'application/json' } }),
    () => ({ method: 'POST', url: '/auth/token', payload: 'x'.repeat(70 * 1024), headers: { 'content-type': 'application/json' } }),
    () => ({ method: r.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const), url: r.pick(['/auth/token', '/auth/google/start', '/auth/nonce', '/auth/apple/callback', '/auth/', '/auth']) }),
    () => ({ method: 'GET', url: r.pick(['/auth/google/start?redirect_uri=minimovie://auth&redirect_uri=minimovie://auth&state=a&code_challenge=' + 'A'.repeat(43) + '&code_challenge_method=S256', '/auth/%', '/auth/google/start?%=%', '/auth//start', '/auth/google/start?' + 'a=b&'.repeat(2000)]) }),
  ];
  return Array.from({ length: count }, () => r.pick(makers)());
}

describe('hostile input to /auth/* (rate limit lifted)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: p.env, disableRateLimit: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('1,000 malformed or hostile requests: zero 5xx, always no-store, always the error shape', async () => {
    const requests = hostileRequests(1000, 20261126);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let i = 0; i < requests.length; i += 25) {
      const batch = requests.slice(i, i + 25);
      const responses = await Promise.all(batch.map((req) => t.app.inject(req)));
      responses.forEach((res, j) => {
        const req = batch[j]!;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const where = `${req.method} ${(req.url as string).slice(0, 120)} -> ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (res.statusCode >= 500) failures.push(where);
        // `/auth/../start` is normalised to `/start` before routing: not an /auth request any more.
        const path = new URL((req.url as string), 'http://x').pathname;
        if ((path === '/auth' || path.startsWith('/auth/')) && res.headers['cache-control'] !== 'no-store') failures.push(`no no-store: ${where}`);
        if (res.statusCode >= 400 && req.method !== 'HEAD') {
          const body = res.json();
          if (typeof body.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(body.code) || typeof body.message !== 'string') failures.push(`shape: ${where}`);
        }
      });
    }
    expect(failures).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    // The requests reached the handlers: more than validation errors came back.
    expect(statuses.size).toBeGreaterThan(4);
  }, 120_000);
});

describe('input that reaches the database', () => {
  it('control characters in the app state and in a name are refused or removed, never a 500', async () => {
    const t = await buildTestApp({ env: p.env, disableRateLimit: true });
    try {
      const challenge = 'A'.repeat(43);
      for (const state of ['%00', 'a%00b', '%0A', '%7F', '%C3%A9']) {
        const res = await t.app.inject({ method: 'GET', url: `/auth/google/start?redirect_uri=minimovie%3A%2F%2Fauth&state=${state}&code_challenge=${challenge}&code_challenge_method=S256` });
        expect(res.statusCode, state).toBe(400);
        expect(res.json().code).toBe('INVALID_STATE');
      }
      const nonce = (await t.app.inject({ method: 'POST', url: '/auth/nonce' })).json().nonce as string;
      const { idToken } = await p.apple.nativeSignIn({ clientId: 'info.minimovie.ios', nonce, account: { sub: 'nul-name' } });
      const res = await t.app.inject({ method: 'POST', url: '/auth/apple/native', payload: { idToken, nonce, displayName: 'Ann\u0000 Lee\n' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.displayName).toBe('Ann Lee');
    } finally {
      await t.close();
    }
  });
});

describe('providers without configuration', () => {
  it('answer 404 PROVIDER_DISABLED', async () => {
    const t = await buildTestApp({ env: { PUBLIC_URL, AUTH_REDIRECT_ALLOWLIST: 'minimovie://auth' }, disableRateLimit: true });
    try {
      const challenge = 'A'.repeat(43);
      for (const req of [
        { method: 'GET' as const, url: `/auth/google/start?redirect_uri=minimovie%3A%2F%2Fauth&state=s&code_challenge=${challenge}&code_challenge_method=S256` },
        { method: 'GET' as const, url: '/auth/apple/callback?code=x&state=y' },
        { method: 'POST' as const, url: '/auth/apple/native', payload: { idToken: 'a.b.c', nonce: 'n' } },
        { method: 'POST' as const, url: '/auth/apple/notifications', payload: { payload: 'a.b.c' } },
      ]) {
        const res = await t.app.inject(req);
        expect(res.statusCode, req.url).toBe(404);
        expect(res.json().code).toBe('PROVIDER_DISABLED');
      }
      // What does not need a provider still works.
      expect((await t.app.inject({ method: 'POST', url: '/auth/nonce' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('a provider that cannot be reached', () => {
  it('answers 503 PROVIDER_UNAVAILABLE with Retry-After, and discovery is retried on the next request', async () => {
    const t = await buildTestApp({ env: { ...p.env, GOOGLE_ISSUER: 'http://127.0.0.1:9' }, disableRateLimit: true });
    try {
      const start = await t.app.inject({ method: 'GET', url: `/auth/google/start?redirect_uri=minimovie%3A%2F%2Fauth&state=s&code_challenge=${'A'.repeat(43)}&code_challenge_method=S256` });
      expect(start.statusCode).toBe(503);
      expect(start.json().code).toBe('PROVIDER_UNAVAILABLE');
      expect(start.headers['retry-after']).toBe('30');
      const nonce = (await t.app.inject({ method: 'POST', url: '/auth/nonce' })).json().nonce as string;
      const native = await t.app.inject({ method: 'POST', url: '/auth/google/native', payload: { idToken: 'a.b.c', nonce } });
      expect(native.statusCode).toBe(503);
      // Apple is still fine.
      expect((await t.app.inject({ method: 'GET', url: `/auth/apple/start?redirect_uri=minimovie%3A%2F%2Fauth&state=s&code_challenge=${'A'.repeat(43)}&code_challenge_method=S256` })).statusCode).toBe(302);
    } finally {
      await t.close();
    }
  });
});

describe('rate limit on /auth/*', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { ...p.env, AUTH_RATE_LIMIT: '5', TRUST_PROXY: 'true' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After once one client IP spends its budget across the /auth routes', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 4; i++) expect((await t.app.inject({ method: 'POST', url: '/auth/nonce', headers: from('203.0.113.7') })).statusCode).toBe(200);
    // The budget is shared by every /auth route.
    expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers: from('203.0.113.7') })).statusCode).toBe(401);
    const limited = await t.app.inject({ method: 'POST', url: '/auth/nonce', headers: from('203.0.113.7') });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'Too Many Requests', code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['cache-control']).toBe('no-store');
    expect((await t.app.inject({ method: 'GET', url: '/auth/google/start', headers: from('203.0.113.7') })).statusCode).toBe(429);

    // A client that writes its own X-Forwarded-For entries is still one client: only the hop our proxy added counts.
    const spoofed = await t.app.inject({ method: 'POST', url: '/auth/nonce', headers: from('10.9.8.7, 203.0.113.7') });
    expect(spoofed.statusCode).toBe(429);

    // Another client is not affected, and neither are routes outside /auth.
    expect((await t.app.inject({ method: 'POST', url: '/auth/nonce', headers: from('198.51.100.1') })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/health/live', headers: from('203.0.113.7') })).statusCode).toBe(200);
  });
});
