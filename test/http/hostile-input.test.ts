import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SignJWT } from 'jose';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_UI_SECRET, type TestApp } from '../helpers/build-test-app.ts';
import { PROBE_PREFIX, registerProbeRoutes } from '../helpers/probe.routes.ts';

/**
 * Throw a bounded, seeded batch of malformed requests at every route and
 * check that nothing answers 5xx and that every error uses the house body.
 * Later issues add their routes to ROUTES.
 */

const SEED = 0x6d696e69;
const SCREAMING_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const BODY_LIMIT = 64 * 1024;

/** Every route that exists, with a valid example URL. `auth` routes get a valid token where a case needs one. */
const ROUTES: { method: 'GET' | 'POST'; url: string; auth?: boolean; json?: boolean }[] = [
  { method: 'GET', url: '/ping' },
  { method: 'GET', url: '/health/live' },
  { method: 'GET', url: '/health/ready' },
  { method: 'GET', url: '/openapi.json' },
  { method: 'GET', url: '/docs' },
  { method: 'GET', url: '/docs/' },
  { method: 'GET', url: `${PROBE_PREFIX}/550`, auth: true },
  { method: 'POST', url: `${PROBE_PREFIX}/550/notes`, auth: true, json: true },
  { method: 'GET', url: '/movies/109445', auth: true },
  { method: 'GET', url: '/series/1399', auth: true },
  { method: 'GET', url: '/series/1399/seasons/1', auth: true },
  { method: 'GET', url: '/series/1399/seasons/1/episodes/1', auth: true },
  { method: 'GET', url: '/series/1399/person/22970/credits', auth: true },
  { method: 'GET', url: '/people/287', auth: true },
  { method: 'GET', url: '/search?query=matrix', auth: true },
  { method: 'GET', url: '/interesting/person/287', auth: true },
  { method: 'GET', url: '/metrics' },
  { method: 'GET', url: '/auth/google/start?redirect_uri=minimovie://auth' },
  { method: 'GET', url: '/auth/google/callback?code=x&state=y' },
  { method: 'POST', url: '/auth/token', json: true },
  { method: 'POST', url: '/auth/nonce', json: true },
  { method: 'POST', url: '/auth/apple/native', json: true },
  { method: 'GET', url: '/auth/session', auth: true },
  { method: 'POST', url: '/auth/logout', auth: true, json: true },
  { method: 'POST', url: '/auth/apple/notifications', json: true },
  { method: 'GET', url: '/me/identities', auth: true },
  { method: 'POST', url: '/me/identities/link-token', auth: true, json: true },
  { method: 'GET', url: '/me', auth: true },
  { method: 'GET', url: '/me/watchlist?limit=5', auth: true },
  { method: 'GET', url: '/me/watch-events?type=movie', auth: true },
  { method: 'POST', url: '/me/watch-events', auth: true, json: true },
  { method: 'GET', url: '/me/watch-events/00000000-0000-4000-8000-000000000000', auth: true },
  { method: 'GET', url: '/me/titles/movie/109445', auth: true },
  { method: 'GET', url: '/me/series/1399/progress', auth: true },
  { method: 'GET', url: '/me/stats?tz=Europe/London', auth: true },
  { method: 'GET', url: '/me/achievements', auth: true },
  { method: 'POST', url: '/me/achievements/seen', auth: true, json: true },
  { method: 'GET', url: '/me/export?format=csv', auth: true },
  { method: 'GET', url: '/nope' },
];

/**
 * 5xx answers that are deliberate, by path prefix: interesting facts answer
 * 503 INTERESTING_INFO_DISABLED while ANTHROPIC_API_KEY is unset (as here).
 */
const DESIGNED_5XX: { prefix: string; status: number; code: string }[] = [{ prefix: '/interesting/', status: 503, code: 'INTERESTING_INFO_DISABLED' }];

/** mulberry32: small, fast and reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}

interface Case {
  name: string;
  opts: InjectOptions;
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const hs256 = (secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

function pathCases(rand: ReturnType<typeof prng>): Case[] {
  const bases = [...new Set(ROUTES.map((r) => r.url)), PROBE_PREFIX, '/health', '/'];
  const mutations: ((p: string) => string)[] = [
    (p) => `${p}/..`,
    (p) => `${p}/../../../../etc/passwd`,
    (p) => `${p}/..%2f..%2f..%2fetc%2fpasswd`,
    (p) => `${p}/%2e%2e/%2e%2e/`,
    (p) => `${p}/..;/`,
    (p) => `${p}%00`,
    (p) => `${p}%00.json`,
    (p) => `${p}%`,
    (p) => `${p}%zz`,
    (p) => `${p}%c0%af`,
    (p) => `${p}%ff%fe%fd`,
    (p) => `${p}%u0041`,
    (p) => `${p}%%32%65`,
    (p) => `${p}//`,
    (p) => `/${p}`,
    (p) => `${p}/`,
    (p) => `${p};jsessionid=1`,
    (p) => `${p}\\..\\..\\windows`,
    (p) => `${p}/ünïcødé`,
    (p) => `${p}/%F0%9F%8E%AC`,
    (p) => `${p}/🎬`,
    (p) => `${p}/%E2%80%AE`,
    (p) => `${p}/${'a'.repeat(10_000)}`,
    (p) => `${p}${'/a'.repeat(5_000)}`,
    (p) => `${p}?q=${'x'.repeat(10_000)}`,
    (p) => `${p}?%`,
    (p) => `${p}?a=%zz&b=%00`,
    (p) => `${p}?page=1&page=2&page=x`,
    (p) => `${p}?__proto__[polluted]=1&constructor[prototype][polluted]=1`,
    (p) => `${p}?${Array.from({ length: 2000 }, (_, i) => `k${i}=v`).join('&')}`,
    (p) => `${p}?page=-1&language=../../etc`,
    (p) => `${p}#fragment`,
    (p) => p.toUpperCase(),
  ];
  const cases: Case[] = [];
  for (const base of bases) {
    for (const [i, mutate] of mutations.entries()) {
      cases.push({ name: `path ${i} on ${base}`, opts: { method: 'GET', url: mutate(base) } });
    }
  }
  const ids = ['abc', '-1', '0', '01', '1e3', '550.0', '0x10', 'NaN', 'Infinity', '99999999999', '9'.repeat(300), '%20550', '550%20', '550%00', '+550', '５５０', '550;drop table people', "550' or '1'='1", '[]', '{}', 'null', 'undefined', '%2e%2e'];
  for (const id of ids) {
    cases.push({ name: `probe id ${id.slice(0, 20)}`, opts: { method: 'GET', url: `${PROBE_PREFIX}/${id}` } });
  }
  const alphabet = ['a', 'Z', '0', '/', '.', '..', '%', '%2F', '%00', '%ff', '~', '-', '_', '?', '&', '=', '#', ';', ',', 'é', '日本', '🎬', '\u202e', '+', '*', '@', '!', '$', "'", '(', ')', '[', ']', ':'];
  for (let i = 0; i < 200; i++) {
    const len = 1 + rand.int(40);
    let p = '/';
    for (let j = 0; j < len; j++) p += rand.pick(alphabet);
    cases.push({ name: `random path ${i}`, opts: { method: rand.pick(['GET', 'POST', 'DELETE'] as const), url: p } });
  }
  return cases;
}

function bodyCases(rand: ReturnType<typeof prng>, token: string): Case[] {
  const valid = JSON.stringify({ text: 'A fine film', rating: 8, tags: ['drama', 'classic'] });
  const bodies: [string, string | Buffer][] = [
    ['empty', ''],
    ['whitespace', '   \n\t '],
    ['null', 'null'],
    ['true', 'true'],
    ['number', '42'],
    ['string', '"text"'],
    ['array', '[]'],
    ['array of objects', '[{"text":"x"}]'],
    ['empty object', '{}'],
    ['text is a number', '{"text":1}'],
    ['text is null', '{"text":null}'],
    ['text is an array', '{"text":["a"]}'],
    ['text is an object', '{"text":{"a":1}}'],
    ['text is empty', '{"text":""}'],
    ['text too long', JSON.stringify({ text: 'x'.repeat(501) })],
    ['rating is a string', '{"text":"a","rating":"5"}'],
    ['rating is a float', '{"text":"a","rating":5.5}'],
    ['rating out of range', '{"text":"a","rating":11}'],
    ['rating is 1e999', '{"text":"a","rating":1e999}'],
    ['rating is -1e999', '{"text":"a","rating":-1e999}'],
    ['rating is huge', '{"text":"a","rating":123456789012345678901234567890}'],
    ['rating is -0', '{"text":"a","rating":-0}'],
    ['rating is NaN literal', '{"text":"a","rating":NaN}'],
    ['rating is Infinity literal', '{"text":"a","rating":Infinity}'],
    ['tags is a string', '{"text":"a","tags":"drama"}'],
    ['tags holds numbers', '{"text":"a","tags":[1,2]}'],
    ['too many tags', JSON.stringify({ text: 'a', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) })],
    ['unknown property', '{"text":"a","admin":true}'],
    ['duplicate keys', '{"text":"a","text":"b","rating":1,"rating":"x"}'],
    ['__proto__ key', '{"text":"a","__proto__":{"polluted":true}}'],
    ['nested __proto__', '{"text":"a","tags":[{"__proto__":{"polluted":true}}]}'],
    ['constructor.prototype', '{"text":"a","constructor":{"prototype":{"polluted":true}}}'],
    ['single quotes', "{'text':'a'}"],
    ['trailing comma', '{"text":"a",}'],
    ['comment', '{"text":"a" /* hi */}'],
    ['unquoted key', '{text:"a"}'],
    ['BOM prefix', `\uFEFF${valid}`],
    ['lone surrogate', '{"text":"\\ud800"}'],
    ['control characters', `{"text":"a${String.fromCharCode(1)}b"}`],
    ['NUL in string', '{"text":"a\\u0000b"}'],
    ['raw NUL', `{"text":"a"}\u0000`],
    ['two documents', `${valid}${valid}`],
    ['trailing garbage', `${valid}xyz`],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')])],
    ['UTF-16LE', Buffer.from(valid, 'utf16le')],
    ['deep arrays 100', '['.repeat(100) + ']'.repeat(100)],
    ['deep arrays 10000', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['deep arrays 30000 unclosed', '['.repeat(30_000)],
    ['deep objects 5000', '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)],
    ['deep text value', `{"text":${'['.repeat(20_000)}${']'.repeat(20_000)}}`],
    ['many keys', JSON.stringify(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])))],
    ['long number', `{"text":"a","rating":${'9'.repeat(20_000)}}`],
    ['just under the limit', JSON.stringify({ text: 'a', pad: 'x'.repeat(BODY_LIMIT - 40) })],
    ['just over the limit', JSON.stringify({ text: 'x'.repeat(BODY_LIMIT + 1) })],
    ['1 MiB', 'x'.repeat(1024 * 1024)],
  ];
  for (let i = 0; i < 60; i++) {
    const cut = 1 + rand.int(valid.length - 2);
    bodies.push([`truncated at ${cut}`, valid.slice(0, cut)]);
  }
  for (let i = 0; i < 40; i++) {
    const chars = valid.split('');
    chars[rand.int(chars.length)] = rand.pick(['{', '}', '"', ',', ':', '\\', '[', ']', 'x', '\u0000', 'é']);
    bodies.push([`flipped ${i}`, chars.join('')]);
  }

  const cases: Case[] = [];
  const auth = { authorization: `Bearer ${token}` };
  for (const [name, payload] of bodies) {
    cases.push({ name: `body ${name}`, opts: { method: 'POST', url: `${PROBE_PREFIX}/550/notes`, headers: { ...auth, 'content-type': 'application/json' }, payload } });
    cases.push({ name: `body ${name} without a token`, opts: { method: 'POST', url: `${PROBE_PREFIX}/550/notes`, headers: { 'content-type': 'application/json' }, payload } });
    cases.push({ name: `body ${name} on /ping`, opts: { method: 'POST', url: '/ping', headers: { 'content-type': 'application/json' }, payload } });
    cases.push({ name: `body ${name} on an unknown route`, opts: { method: 'PUT', url: '/movies/550', headers: { 'content-type': 'application/json' }, payload } });
  }
  const contentLengths = ['abc', '-1', '1', '99999999999', '', '1, 2', '0x10'];
  for (const cl of contentLengths) {
    cases.push({ name: `content-length ${cl}`, opts: { method: 'POST', url: `${PROBE_PREFIX}/550/notes`, headers: { ...auth, 'content-type': 'application/json', 'content-length': cl }, payload: valid } });
  }
  return cases;
}

function contentTypeCases(token: string): Case[] {
  const types = [
    'text/plain',
    'text/html',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'multipart/form-data; boundary=----x',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset=',
    'application/jsonx',
    'application/json;;;',
    'application/json; boundary=x',
    'APPLICATION/JSON',
    ' application/json ',
    'application/vnd.api+json',
    'application/problem+json',
    'application/octet-stream',
    '*/*',
    'application/*',
    '',
    ';',
    'garbage',
    '/',
    'application/',
    `application/${'x'.repeat(2000)}`,
    'application/json, text/plain',
    'ünïcødé/type',
  ];
  const bodies = ['{"text":"a"}', 'text=a&rating=1', '<xml/>', ''];
  const cases: Case[] = [];
  for (const ct of types) {
    for (const payload of bodies) {
      cases.push({ name: `content-type ${ct.slice(0, 40)} / ${payload}`, opts: { method: 'POST', url: `${PROBE_PREFIX}/550/notes`, headers: { authorization: `Bearer ${token}`, 'content-type': ct }, payload } });
    }
    cases.push({ name: `content-type ${ct.slice(0, 40)} on GET /ping`, opts: { method: 'GET', url: '/ping', headers: { 'content-type': ct }, payload: '{"a":1}' } });
  }
  return cases;
}

async function tokenCases(): Promise<Case[]> {
  const now = Math.floor(Date.now() / 1000);
  const key = new TextEncoder().encode(TEST_UI_SECRET);
  const tokens: [string, string][] = [
    ['garbage', 'garbage'],
    ['dots', '...'],
    ['three empty parts', '..'],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({})}.`],
    ['alg None', `${b64({ alg: 'None' })}.${b64({})}.`],
    ['wrong secret', hs256('not-the-secret-not-the-secret-xx', {})],
    ['RS256 header', hs256(TEST_UI_SECRET, {}, { alg: 'RS256', typ: 'JWT' })],
    ['ES256 header', hs256(TEST_UI_SECRET, {}, { alg: 'ES256' })],
    ['no alg', hs256(TEST_UI_SECRET, {}, { typ: 'JWT' })],
    ['jku header', hs256(TEST_UI_SECRET, {}, { alg: 'HS256', jku: 'http://evil.example/jwks' })],
    ['crit header', hs256(TEST_UI_SECRET, {}, { alg: 'HS256', crit: ['exp'] })],
    ['b64 false header', hs256(TEST_UI_SECRET, {}, { alg: 'HS256', b64: false, crit: ['b64'] })],
    ['expired', await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(now - 10).sign(key)],
    ['nbf in future', await new SignJWT({ nbf: now + 3600 }).setProtectedHeader({ alg: 'HS256' }).sign(key)],
    ['iat in future', await new SignJWT({ iat: now + 3600 }).setProtectedHeader({ alg: 'HS256' }).sign(key)],
    ['exp string', hs256(TEST_UI_SECRET, { exp: 'tomorrow' })],
    ['exp object', hs256(TEST_UI_SECRET, { exp: { $gt: 0 } })],
    ['exp null', hs256(TEST_UI_SECRET, { exp: null })],
    ['non-JSON payload', `${b64({ alg: 'HS256' })}.${b64('not json')}.${createHmac('sha256', TEST_UI_SECRET).update(`${b64({ alg: 'HS256' })}.${b64('not json')}`).digest('base64url')}`],
    ['array payload', `${b64({ alg: 'HS256' })}.${b64([1])}.${createHmac('sha256', TEST_UI_SECRET).update(`${b64({ alg: 'HS256' })}.${b64([1])}`).digest('base64url')}`],
    ['non-JSON header', `${b64('nope')}.${b64({})}.sig`],
    ['5 kB token', hs256(TEST_UI_SECRET, { pad: 'x'.repeat(5000) })],
    ['100 kB token', 'a'.repeat(100_000)],
    ['invalid base64', '%%%.^^^.***'],
    ['unicode', 'ü.ñ.🎬'],
    ['spaces', 'a b.c d.e f'],
  ];
  const targets = ROUTES.filter((r) => r.auth || r.url === '/ping' || r.url === '/nope');
  const cases: Case[] = [];
  for (const [name, token] of tokens) {
    for (const route of targets) {
      const payload = route.json ? '{"text":"a"}' : undefined;
      const base = { method: route.method, url: route.url, payload, ...(payload ? {} : {}) };
      const ct = route.json ? { 'content-type': 'application/json' } : {};
      cases.push({ name: `token ${name} bearer on ${route.url}`, opts: { ...base, headers: { ...ct, authorization: `Bearer ${token}` } } });
      cases.push({ name: `token ${name} cookie on ${route.url}`, opts: { ...base, headers: { ...ct, cookie: `jwt=${token}` } } });
    }
  }
  const headerForms = ['Bearer', 'Bearer ', 'Bearer  x', 'bearer\tx', 'Basic x', 'Token x', 'Bearer x, Bearer y', 'x'.repeat(20_000)];
  for (const authorization of headerForms) {
    cases.push({ name: `authorization ${authorization.slice(0, 20)}`, opts: { method: 'GET', url: `${PROBE_PREFIX}/550`, headers: { authorization } } });
  }
  const cookies = ['jwt=', 'jwt', '=jwt', 'jwt=;jwt=x', ';;;;', `jwt=${'x'.repeat(10_000)}`, 'jwt="quoted"', 'a=b; jwt = spaced ; c=d'];
  for (const cookie of cookies) {
    cases.push({ name: `cookie ${cookie.slice(0, 20)}`, opts: { method: 'GET', url: `${PROBE_PREFIX}/550`, headers: { cookie } } });
  }
  return cases;
}

function methodCases(): Case[] {
  const methods: InjectOptions['method'][] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'SEARCH', 'LOCK'];
  const cases: Case[] = [];
  for (const route of ROUTES) {
    for (const method of methods) {
      cases.push({ name: `${method} ${route.url}`, opts: { method, url: route.url } });
    }
  }
  return cases;
}

function headerCases(rand: ReturnType<typeof prng>, token: string): Case[] {
  const headerSets: Record<string, string>[] = [
    { 'x-request-id': 'x'.repeat(10_000) },
    { 'x-request-id': '<script>alert(1)</script>' },
    { 'x-request-id': '../../etc/passwd' },
    { 'x-request-id': 'ünïcødé' },
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { origin: 'x'.repeat(5000) },
    { origin: 'https://minimovie.info', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'x-evil' },
    { accept: 'application/xml' },
    { accept: '*/*;q=garbage' },
    { accept: 'x'.repeat(10_000) },
    { 'accept-encoding': 'gzip;q=2, br;q=-1, *;q=x' },
    { 'accept-language': 'x'.repeat(5000) },
    { 'if-none-match': '"'.repeat(1000) },
    { 'if-modified-since': 'not a date' },
    { range: 'bytes=999999999-' },
    { expect: '100-continue' },
    { 'x-forwarded-for': '1.2.3.4, <script>, ::1' },
    { 'x-forwarded-proto': 'gopher' },
    { 'x-forwarded-host': 'evil.example' },
    { host: 'evil.example' },
    { host: '' },
    { host: 'x'.repeat(1000) },
    { 'mm-cache-bypass': 'yes please' },
    { 'idempotency-key': 'x'.repeat(10_000) },
    { 'transfer-encoding': 'chunked, identity' },
    { 'content-encoding': 'gzip' },
    Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x-h${i}`, 'v'])),
    { 'x-huge': 'y'.repeat(100_000) },
  ];
  const cases: Case[] = [];
  for (const [i, headers] of headerSets.entries()) {
    for (const route of ROUTES) {
      if (rand.next() < 0.5) continue;
      const auth = route.auth && rand.next() < 0.7 ? { authorization: `Bearer ${token}` } : {};
      const json = route.json ? { 'content-type': 'application/json' } : {};
      const payload = route.json ? '{"text":"a"}' : undefined;
      cases.push({ name: `headers ${i} on ${route.url}`, opts: { method: route.method, url: route.url, headers: { ...json, ...auth, ...headers }, payload } });
    }
    cases.push({ name: `headers ${i} OPTIONS preflight`, opts: { method: 'OPTIONS', url: `${PROBE_PREFIX}/550`, headers: { origin: 'https://minimovie.info', 'access-control-request-method': 'GET', ...headers } } });
  }
  return cases;
}

const urlOf = (c: Case) => (typeof c.opts.url === 'string' ? c.opts.url : JSON.stringify(c.opts.url));

interface Failure {
  name: string;
  method: string;
  url: string;
  status: number;
  problem: string;
  body: string;
}

function checkResponse(c: Case, res: { statusCode: number; headers: Record<string, unknown>; body: string }): string | undefined {
  if (res.statusCode >= 500) {
    const designed = DESIGNED_5XX.find((d) => urlOf(c).startsWith(d.prefix) && d.status === res.statusCode && res.body.includes(`"code":"${d.code}"`));
    if (!designed) return `server error ${res.statusCode}`;
  }
  if (res.statusCode < 400) return undefined;
  if (c.opts.method === 'HEAD') return undefined;
  const type = res.headers['content-type'];
  if (typeof type !== 'string' || !type.startsWith('application/json')) return `content-type ${typeof type === 'string' ? type : 'none'}`;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return 'body is not JSON';
  }
  const b = body as Record<string, unknown>;
  if (typeof b.error !== 'string' || typeof b.message !== 'string' || typeof b.code !== 'string') return 'body lacks error/message/code';
  if (!SCREAMING_SNAKE.test(b.code)) return `code ${b.code} is not SCREAMING_SNAKE`;
  if (b.code.startsWith('FST_')) return `code ${b.code} is Fastify's internal code, not ours`;
  if (!res.headers['x-request-id']) return 'no X-Request-Id header';
  if (/\n\s+at /.test(res.body) || res.body.includes('node_modules')) return 'body leaks a stack trace';
  return undefined;
}

let t: TestApp;
beforeAll(async () => {
  // Silence the per-request access log; a 5xx would also show up as a failed assertion here.
  t = await buildTestApp({ configure: registerProbeRoutes, disableRateLimit: true });
});
afterAll(async () => {
  await t.close();
});

describe('hostile input through app.inject()', () => {
  it('answers every malformed request with a 4xx (or 2xx/3xx) and the house error body', async () => {
    const rand = prng(SEED);
    const cases = [
      ...pathCases(rand),
      ...bodyCases(rand, t.clientToken),
      ...contentTypeCases(t.clientToken),
      ...(await tokenCases()),
      ...methodCases(),
      ...headerCases(rand, t.clientToken),
    ];
    expect(cases.length).toBeGreaterThanOrEqual(1000);

    const started = performance.now();
    const failures: Failure[] = [];
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const BATCH = 25;
    for (let i = 0; i < cases.length; i += BATCH) {
      await Promise.all(
        cases.slice(i, i + BATCH).map(async (c) => {
          let res;
          try {
            res = await t.app.inject(c.opts);
          } catch (err) {
            failures.push({ name: c.name, method: String(c.opts.method), url: urlOf(c).slice(0, 120), status: 0, problem: `inject threw: ${(err as Error).message}`, body: '' });
            return;
          }
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 400 && c.opts.method !== 'HEAD') {
            const code = (JSON.parse(res.body || '{}') as { code?: string }).code ?? '?';
            codes.set(code, (codes.get(code) ?? 0) + 1);
          }
          const problem = checkResponse(c, res);
          if (problem) failures.push({ name: c.name, method: String(c.opts.method), url: urlOf(c).slice(0, 120), status: res.statusCode, problem, body: res.body.slice(0, 300) });
        }),
      );
    }
    const ms = Math.round(performance.now() - started);
    console.log(
      `[hostile] ${cases.length} requests in ${ms} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; codes ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])))}`,
    );
    expect(failures.slice(0, 25), `${failures.length} of ${cases.length} hostile requests misbehaved`).toEqual([]);
    // Nothing leaked into the prototype chain from __proto__ bodies or queries.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it('answers the specific codes a client would rely on', async () => {
    const auth = { authorization: `Bearer ${t.clientToken}` };
    const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: `${PROBE_PREFIX}/550/notes`, headers: { ...auth, 'content-type': 'application/json', ...headers }, payload });
    const expectCode = async (res: Promise<{ statusCode: number; json(): { code: string } }>, status: number, code: string) => {
      const r = await res;
      expect({ status: r.statusCode, code: r.json().code }).toEqual({ status, code });
    };
    await expectCode(post('{"text":'), 400, 'INVALID_JSON');
    await expectCode(post(''), 400, 'INVALID_JSON');
    await expectCode(post('{"text":"a","__proto__":{"x":1}}'), 400, 'INVALID_JSON');
    await expectCode(post('{"text":{"a":1}}'), 400, 'INVALID_BODY');
    await expectCode(post('{"text":"a","rating":11}'), 400, 'INVALID_BODY');
    await expectCode(post('{"text":"a","admin":true}'), 400, 'INVALID_BODY');
    await expectCode(post(JSON.stringify({ text: 'x'.repeat(BODY_LIMIT + 1) })), 413, 'BODY_TOO_LARGE');
    await expectCode(post('<note/>', { 'content-type': 'application/xml' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectCode(post('plain words', { 'content-type': 'text/plain' }), 400, 'INVALID_BODY');
    await expectCode(t.app.inject({ method: 'GET', url: `${PROBE_PREFIX}/abc`, headers: auth }), 400, 'INVALID_ID');
    await expectCode(t.app.inject({ method: 'GET', url: `${PROBE_PREFIX}/550?page=x`, headers: auth }), 400, 'INVALID_PAGE');
    await expectCode(t.app.inject({ method: 'DELETE', url: '/ping' }), 405, 'METHOD_NOT_ALLOWED');
    await expectCode(t.app.inject({ method: 'GET', url: `/ping/${'a'.repeat(10_000)}` }), 404, 'ROUTE_NOT_FOUND');
    await expectCode(t.app.inject({ method: 'GET', url: `${PROBE_PREFIX}/%zz`, headers: auth }), 400, 'INVALID_URL');
    await expectCode(t.app.inject({ method: 'GET', url: `${PROBE_PREFIX}/${'9'.repeat(300)}`, headers: auth }), 414, 'URL_TOO_LONG');
  });

  it('does not reuse an incoming X-Request-Id that does not look like an id', async () => {
    for (const bad of ['<script>', 'x'.repeat(200), 'a b', 'ünï']) {
      const res = await t.app.inject({ method: 'GET', url: '/ping', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).not.toBe(bad);
    }
    const res = await t.app.inject({ method: 'GET', url: '/ping', headers: { 'x-request-id': 'req-123.abc:1' } });
    expect(res.headers['x-request-id']).toBe('req-123.abc:1');
  });
});

/** Send raw bytes to a listening server and read the whole answer (the server closes the connection). */
function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (err) => {
      clearTimeout(timer);
      if (chunks.length > 0) resolve(Buffer.concat(chunks).toString('latin1'));
      else reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes);
  });
}

describe('malformed HTTP on a real socket', () => {
  let port: number;
  beforeAll(async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });

  // [name, bytes, allowed statuses]. Each request asks for `Connection: close` so the answer ends with the socket.
  const requests: [string, string | Buffer, number[]][] = [
    ['oversized header', `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, [431]],
    ['oversized URL', `GET /ping?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, [431, 414]],
    ['many headers', `GET /ping HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`, [431]],
    ['garbage request line', 'GARBAGE\r\n\r\n', [400]],
    ['unknown method', 'FOO /ping HTTP/1.1\r\nHost: x\r\n\r\n', [400]],
    ['NUL in the path', 'GET /pi\u0000ng HTTP/1.1\r\nHost: x\r\n\r\n', [400]],
    ['space in the path', 'GET /pi ng HTTP/1.1\r\nHost: x\r\n\r\n', [400]],
    ['bad header name', 'GET /ping HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n', [400]],
    ['header without colon', 'GET /ping HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n', [400]],
    ['bad content-length', 'POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', [400]],
    ['two content-lengths', 'POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', [400]],
    ['content-length and chunked', 'POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', [400]],
    ['bad chunk size', 'POST /ping HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n', [400]],
    ['HTTP/9.9', 'GET /ping HTTP/9.9\r\nHost: x\r\n\r\n', [400, 505]],
    ['binary noise', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256)), [400]],
    ['TLS hello on a plain port', Buffer.from('16030100a5010000a10303', 'hex'), [400]],
    ['chunked body over the limit', `POST ${PROBE_PREFIX}/550/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${(BODY_LIMIT + 10).toString(16)}\r\n${'a'.repeat(BODY_LIMIT + 10)}\r\n0\r\n\r\n`, [401, 413]],
    ['absolute-form URL', 'GET http://evil.example/ping HTTP/1.1\r\nHost: x\r\n\r\n', [200, 400, 404]],
  ];

  it.each(requests)('%s', async (_name, bytes, allowed) => {
    const answer = await rawRequest(port, typeof bytes === 'string' ? bytes.replace('Host: x\r\n', 'Host: x\r\nConnection: close\r\n') : bytes);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
    expect(allowed, answer.slice(0, 400)).toContain(status);
    if (status >= 400) {
      const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      expect(/content-type: application\/json/i.test(answer), answer.slice(0, 400)).toBe(true);
      const parsed = JSON.parse(body.startsWith('{') ? body : body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1));
      expect(parsed).toMatchObject({ error: expect.any(String), message: expect.any(String), code: expect.stringMatching(SCREAMING_SNAKE) });
    }
  });

  it('missing Host on HTTP/1.1: Node answers 400 itself, before any hook, with an empty body', async () => {
    // Node's http server (requireHostHeader) replies before Fastify or clientErrorHandler see the request;
    // the only way to shape this body would be to turn that check off and redo it in a hook.
    const answer = await rawRequest(port, 'GET /ping HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });
});
