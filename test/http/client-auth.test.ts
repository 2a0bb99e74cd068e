import { CompactSign, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { buildTestApp, TEST_UI_SECRET, type TestApp } from '../helpers/build-test-app.ts';
import { PROBE_PREFIX, registerProbeRoutes } from '../helpers/probe.routes.ts';

const URL_OK = `${PROBE_PREFIX}/550`;
const key = (secret: string) => new TextEncoder().encode(secret);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An HS256 token with the given claims, signed with `secret` (the test secret by default). */
function sign(claims: Record<string, unknown> = {}, secret = TEST_UI_SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key(secret));
}

/** A token whose payload bytes are arbitrary, correctly signed with the test secret. */
function signRaw(payload: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'HS256' }).sign(key(TEST_UI_SECRET));
}

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ configure: registerProbeRoutes });
});
afterAll(async () => {
  await t.close();
});

const get = (headers: Record<string, string> = {}, url = URL_OK) => t.app.inject({ method: 'GET', url, headers });

function expect401(res: { statusCode: number; json(): unknown }, code: 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED') {
  expect(res.statusCode).toBe(401);
  expect(res.json()).toMatchObject({ error: 'Unauthorized', code, message: expect.any(String) });
}

describe('client token: happy path', () => {
  it('accepts the token in an Authorization: Bearer header', async () => {
    const res = await get({ authorization: `Bearer ${t.clientToken}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 550, principal: 'client' });
  });

  it.each(['Bearer', 'bearer', 'BEARER', 'BeArEr', 'bEARER'])('accepts the scheme spelt %s', async (scheme) => {
    expect((await get({ authorization: `${scheme} ${t.clientToken}` })).statusCode).toBe(200);
  });

  it('accepts the token in the jwt cookie', async () => {
    expect((await get({ cookie: `jwt=${t.clientToken}` })).statusCode).toBe(200);
    expect((await get({ cookie: `theme=dark; jwt=${t.clientToken}; lang=en` })).statusCode).toBe(200);
  });

  it('accepts a token with no claims at all and one with a future exp (the Go service required none)', async () => {
    expect((await get({ authorization: `Bearer ${await sign()}` })).statusCode).toBe(200);
    expect((await get({ authorization: `Bearer ${await sign({ exp: nowSeconds() + 3600, nbf: nowSeconds() - 10 })}` })).statusCode).toBe(200);
  });

  it('prefers the Authorization header over the cookie', async () => {
    expect((await get({ authorization: `Bearer ${t.clientToken}`, cookie: 'jwt=garbage' })).statusCode).toBe(200);
    expect401(await get({ authorization: 'Bearer garbage', cookie: `jwt=${t.clientToken}` }), 'TOKEN_INVALID');
  });

  it('falls back to the cookie when the Authorization header is not a bearer header', async () => {
    expect((await get({ authorization: 'Basic dXNlcjpwYXNz', cookie: `jwt=${t.clientToken}` })).statusCode).toBe(200);
  });
});

describe('client token: TOKEN_MISSING', () => {
  it.each([
    ['no header at all', {}],
    ['an empty Authorization header', { authorization: '' }],
    ['"Bearer" alone', { authorization: 'Bearer' }],
    ['"Bearer " with nothing after it', { authorization: 'Bearer ' }],
    ['a Basic header', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a token without a scheme', { authorization: 'eyJhbGciOiJIUzI1NiJ9.e30.x' }],
    ['an empty jwt cookie', { cookie: 'jwt=' }],
    ['a cookie that is not jwt', { cookie: 'jwtx=abc; xjwt=abc' }],
  ])('%s', async (_name, headers: Record<string, string>) => {
    expect401(await get(headers), 'TOKEN_MISSING');
  });
});

describe('client token: TOKEN_INVALID', () => {
  it.each<[string, () => Promise<string> | string]>([
    ['garbage', () => 'garbage'],
    ['three dots of garbage', () => 'a.b.c'],
    ['two parts', () => 'eyJhbGciOiJIUzI1NiJ9.e30'],
    ['four parts', async () => `${await sign()}.x`],
    ['a token signed with another secret', () => sign({}, 'another-secret-that-is-long-enough-xx')],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({})}.`],
    ['alg none with the signature of a valid token', async () => `${b64({ alg: 'none' })}.${b64({})}.${(await sign()).split('.')[2]}`],
    ['an RS256 header over an HMAC signature (algorithm confusion)', async () => {
      const header = b64({ alg: 'RS256', typ: 'JWT' });
      const payload = b64({});
      const { createHmac } = await import('node:crypto');
      const sig = createHmac('sha256', TEST_UI_SECRET).update(`${header}.${payload}`).digest('base64url');
      return `${header}.${payload}.${sig}`;
    }],
    ['HS512 signed with the right secret', () => new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).sign(key(TEST_UI_SECRET))],
    ['a tampered payload', async () => {
      const [h, , s] = (await sign({ sub: 'a' })).split('.');
      return `${h}.${b64({ sub: 'admin' })}.${s}`;
    }],
    ['a non-JSON payload', () => signRaw('this is not json')],
    ['a JSON array payload', () => signRaw('[1,2,3]')],
    ['a JSON null payload', () => signRaw('null')],
    ['a JSON string payload', () => signRaw('"claims"')],
    ['exp as a string', () => sign({ exp: String(nowSeconds() + 3600) })],
    ['nbf in the future', () => sign({ nbf: nowSeconds() + 3600 })],
    ['iat in the future', () => sign({ iat: nowSeconds() + 3600 })],
    ['a 5 kB token', () => sign({ pad: 'x'.repeat(5000) })],
    ['non-ASCII characters', () => 'ünïcødé.tøkén.✓'],
    ['base64 padding', async () => `${await sign()}==`],
  ])('%s', async (_name, make) => {
    const token = await make();
    expect401(await get({ authorization: `Bearer ${token}` }), 'TOKEN_INVALID');
    expect401(await get({ cookie: `jwt=${token}` }), 'TOKEN_INVALID');
  });

  it('never echoes the token back', async () => {
    const token = await sign({ secretish: 'do-not-echo-me' }, 'another-secret-that-is-long-enough-xx');
    const res = await get({ authorization: `Bearer ${token}` });
    expect(res.body).not.toContain(token);
    expect(res.body).not.toContain('do-not-echo-me');
  });
});

describe('client token: TOKEN_EXPIRED', () => {
  it('rejects a token whose exp has passed', async () => {
    expect401(await get({ authorization: `Bearer ${await sign({ exp: nowSeconds() - 1 })}` }), 'TOKEN_EXPIRED');
    expect401(await get({ cookie: `jwt=${await sign({ exp: 1 })}` }), 'TOKEN_EXPIRED');
  });
});

describe('client token: time claims on a fixed clock', () => {
  const at = new Date('2026-03-01T12:00:00Z');
  const now = at.getTime() / 1000;
  const clock = fixedClock(at);
  let ft: TestApp;
  beforeAll(async () => {
    ft = await buildTestApp({ configure: registerProbeRoutes, overrides: { clock } });
  });
  afterAll(async () => {
    await ft.close();
  });
  const call = (token: string) => ft.app.inject({ method: 'GET', url: URL_OK, headers: { authorization: `Bearer ${token}` } });

  it('exp is exclusive and has no leeway', async () => {
    expect((await call(await sign({ exp: now + 1 }))).statusCode).toBe(200);
    expect401(await call(await sign({ exp: now })), 'TOKEN_EXPIRED');
  });

  it('nbf and iat equal to now are accepted, one second later is not', async () => {
    expect((await call(await sign({ nbf: now, iat: now }))).statusCode).toBe(200);
    expect401(await call(await sign({ nbf: now + 1 })), 'TOKEN_INVALID');
    expect401(await call(await sign({ iat: now + 1 })), 'TOKEN_INVALID');
  });

  it('a token accepted once is rejected after it expires (the verification cache re-checks exp)', async () => {
    const token = await sign({ exp: now + 60 });
    expect((await call(token)).statusCode).toBe(200);
    clock.advance(61_000);
    try {
      expect401(await call(token), 'TOKEN_EXPIRED');
    } finally {
      clock.set(at);
    }
  });
});

describe('authentication runs before validation (onRequest)', () => {
  it('an invalid id without a token is 401, with a token 400', async () => {
    expect401(await get({}, `${PROBE_PREFIX}/abc`), 'TOKEN_MISSING');
    expect401(await get({ authorization: 'Bearer nope' }, `${PROBE_PREFIX}/abc`), 'TOKEN_INVALID');
    const res = await get({ authorization: `Bearer ${t.clientToken}` }, `${PROBE_PREFIX}/abc`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_ID');
  });

  it('a bad query without a token is 401, with a token 400', async () => {
    expect401(await get({}, `${URL_OK}?page=0`), 'TOKEN_MISSING');
    const res = await get({ authorization: `Bearer ${t.clientToken}` }, `${URL_OK}?page=0`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_PAGE');
  });

  it('a malformed or oversized body without a token is 401, with a token 400/413', async () => {
    const post = (payload: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: `${URL_OK}/notes`, headers: { 'content-type': 'application/json', ...headers }, payload });
    expect401(await post('{"text":'), 'TOKEN_MISSING');
    expect401(await post(JSON.stringify({ text: 'x'.repeat(70 * 1024) })), 'TOKEN_MISSING');
    const auth = { authorization: `Bearer ${t.clientToken}` };
    expect((await post('{"text":', auth)).json().code).toBe('INVALID_JSON');
    const big = await post(JSON.stringify({ text: 'x'.repeat(70 * 1024) }), auth);
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('BODY_TOO_LARGE');
    const ok = await post(JSON.stringify({ text: 'hello' }), auth);
    expect(ok.statusCode).toBe(201);
  });
});

describe('fail closed without MINI_MOVIE_UI_SECRET', () => {
  let closed: TestApp;
  beforeAll(async () => {
    closed = await buildTestApp({ configure: registerProbeRoutes, env: { MINI_MOVIE_UI_SECRET: '' } });
  });
  afterAll(async () => {
    await closed.close();
  });

  it('has no secret and cannot sign', () => {
    expect(closed.container.clientTokens.enabled).toBe(false);
    expect(closed.clientToken).toBe('');
  });

  it.each<[string, () => Promise<string> | string]>([
    ['a token signed with the usual test secret', () => sign()],
    ['a token signed with an empty secret', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(1))],
    ['alg none', () => `${b64({ alg: 'none' })}.${b64({})}.`],
  ])('rejects %s', async (_name, make) => {
    const token = await make();
    const res = await closed.app.inject({ method: 'GET', url: URL_OK, headers: { authorization: `Bearer ${token}` } });
    expect401(res, 'TOKEN_INVALID');
    expect(res.json().message).toContain('no client-token secret');
  });

  it('still says TOKEN_MISSING when no token is sent', async () => {
    expect401(await closed.app.inject({ method: 'GET', url: URL_OK }), 'TOKEN_MISSING');
  });

  it('leaves the public routes working', async () => {
    expect((await closed.app.inject({ method: 'GET', url: '/ping' })).statusCode).toBe(200);
  });
});
