import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { buildTestApp, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';

/*
 * Warm catalog pages are answered in front of Fastify (src/http/plugins/page-edge.ts).
 * These tests go over a real socket, because app.inject() never passes through the
 * server's request listener, and compare each answer with what Fastify's own path
 * (reached with inject) sends for the same request.
 */

const START = '2026-03-01T12:00:00Z';
const clock = fixedClock(START);
const logLines: string[] = [];
let t: TestApp;
let fake: FakeTmdb;
let base: string;
/** Answers Fastify sent (the edge's answers never pass its onSend hooks). */
let reachedFastify = 0;

beforeAll(async () => {
  fake = await startFakeTmdb();
  t = await buildTestApp({
    env: { TMDB_ACCESS_TOKEN: 'test-token', TMDB_BASE_URL: fake.baseUrl, CACHE_MAX_AGE: '120', CORS_ORIGINS: 'https://app.example.test', LOG_LEVEL: 'info' },
    overrides: {
      clock,
      logger: createLogger({ level: 'info', format: 'json', destination: { write: (chunk: string) => void logLines.push(...chunk.split('\n').filter(Boolean)) } }),
    },
    configure: (app) => {
      app.addHook('onSend', (_request, _reply, payload, done) => {
        reachedFastify++;
        done(null, payload);
      });
    },
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => closeAll(t, fake));

const PAGE = '/people/17838';

async function overSocket(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const before = reachedFastify;
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${t.clientToken}`, ...headers } });
  const body = await res.text();
  return { status: res.status, body, headers: Object.fromEntries(res.headers), viaFastify: reachedFastify > before };
}

async function viaInject(path: string, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${t.clientToken}`, ...headers } });
  return { status: res.statusCode, body: res.body, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])) };
}

/** Render the page until it sits in the rendered-page cache (ages may take a few requests to complete). */
async function warm(path: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await viaInject(path);
    if (!(await overSocket(path)).viaFastify) return;
  }
  throw new Error(`${path} never reached the rendered-page cache`);
}

/** The headers a client can compare: connection handling and the date are the socket's, not the answer's. */
function comparable(headers: Record<string, string>): Record<string, string> {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, 'x-request-id': _id, ...rest } = headers;
  return rest;
}

describe('warm pages answered in front of Fastify', () => {
  beforeAll(() => warm(PAGE));

  const variants: [string, (token: string) => Record<string, string>][] = [
    ['a plain request', () => ({})],
    ['an allowed Origin', () => ({ origin: 'https://app.example.test' })],
    ['an allowed Origin in another case', () => ({ origin: 'HTTPS://APP.EXAMPLE.TEST' })],
    ['a foreign Origin', () => ({ origin: 'https://evil.example.test' })],
    ['the bearer scheme in lowercase', (token) => ({ authorization: `bearer ${token}` })],
  ];

  it.each(variants)('answers %s with the same status, headers and bytes as Fastify', async (_name, extra) => {
    const headers = extra(t.clientToken);
    const edge = await overSocket(PAGE, headers);
    const fastify = await viaInject(PAGE, headers);
    expect(edge.viaFastify).toBe(false);
    expect(edge.status).toBe(200);
    expect(edge.status).toBe(fastify.status);
    expect(edge.body).toBe(fastify.body);
    expect(comparable(edge.headers)).toEqual(comparable(fastify.headers));
    expect(edge.headers['x-cache']).toBe('HIT');
    expect(edge.headers['cache-control']).toBe('public, max-age=120, s-maxage=120');
    expect(edge.headers['content-length']).toBe(String(Buffer.byteLength(edge.body)));
  });

  it('answers a matching If-None-Match with 304 and no body, as Fastify does', async () => {
    const { headers } = await overSocket(PAGE);
    for (const ifNoneMatch of [headers.etag!, `W/${headers.etag!}`, `"other", ${headers.etag!}`, '*']) {
      const edge = await overSocket(PAGE, { 'if-none-match': ifNoneMatch });
      const fastify = await viaInject(PAGE, { 'if-none-match': ifNoneMatch });
      expect(edge.viaFastify, ifNoneMatch).toBe(false);
      expect(edge.status, ifNoneMatch).toBe(304);
      expect(edge.body).toBe('');
      expect(comparable(edge.headers)).toEqual(comparable(fastify.headers));
    }
    const changed = await overSocket(PAGE, { 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
  });

  it('echoes a well-formed X-Request-Id and makes its own otherwise', async () => {
    expect((await overSocket(PAGE, { 'x-request-id': 'abc-123.x:9' })).headers['x-request-id']).toBe('abc-123.x:9');
    const ids = new Set<string>();
    for (const incoming of ['', 'has spaces', 'x'.repeat(200), 'semi;colon']) {
      const { headers } = await overSocket(PAGE, { 'x-request-id': incoming });
      const id = headers['x-request-id']!;
      expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
      ids.add(id);
    }
    expect(ids.size).toBe(4);
  });

  it('writes the access line and counts the request under the route pattern', async () => {
    const metricsBefore = await t.app.inject({ method: 'GET', url: '/metrics' });
    const count = (text: string, status: number) =>
      Number(new RegExp(`http_requests_total\\{[^}]*endpoint="/people/\\{id\\}"[^}]*status_code="${status}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const edge = await overSocket(PAGE, { 'x-request-id': 'edge-log-check' });
    expect(edge.viaFastify).toBe(false);
    const notModified = await overSocket(PAGE, { 'x-request-id': 'edge-log-304', 'if-none-match': edge.headers.etag! });
    expect(notModified.status).toBe(304);
    expect(notModified.viaFastify).toBe(false);
    const metricsAfter = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(count(metricsAfter.body, 200)).toBe(count(metricsBefore.body, 200) + 1);
    expect(count(metricsAfter.body, 304)).toBe(count(metricsBefore.body, 304) + 1);
    const lineOf = (reqId: string) => logLines.find((l) => l.includes(`"reqId":"${reqId}"`));
    await vi.waitFor(() => expect(lineOf('edge-log-304')).toBeDefined(), { timeout: 2_000 });
    const line = JSON.parse(lineOf('edge-log-check')!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', method: 'GET', url: PAGE, route: '/people/:id', status: 200, msg: 'request completed' });
    expect(typeof line.ms).toBe('number');
    expect(JSON.parse(lineOf('edge-log-304')!)).toMatchObject({ route: '/people/:id', status: 304 });
  });
});

describe('what the edge leaves to Fastify', () => {
  beforeAll(() => warm(PAGE));

  it('never serves a cached page to a missing, wrong or expired token', async () => {
    const missing = await fetch(`${base}${PAGE}`);
    expect(missing.status).toBe(401);
    const wrong = await overSocket(PAGE, { authorization: `Bearer ${t.clientToken}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.viaFastify).toBe(true);
    expect(wrong.headers['cache-control']).toBeUndefined();

    // A session-shaped token (not a JWT) is looked up by Fastify's path: no such session, not a client token.
    const notSession = await overSocket(PAGE, { authorization: 'Bearer mms_not-a-real-session' });
    expect(notSession.viaFastify).toBe(true);
    expect(notSession.status).toBe(401);
    // A valid cookie does not rescue a wrong Authorization header (the header wins, as in Fastify's path).
    const mixed = await overSocket(PAGE, { authorization: 'Bearer wrong', cookie: `jwt=${t.clientToken}` });
    expect(mixed.status).toBe(401);

    const shortLived = await t.container.clientTokens.sign({ expiresInSeconds: 30 });
    // Never seen before: Fastify verifies it (and the edge knows it from then on).
    const fresh = await overSocket(PAGE, { authorization: `Bearer ${shortLived}` });
    expect(fresh.viaFastify).toBe(true);
    expect(fresh.status).toBe(200);
    // Known now: the next request with it is answered by the edge...
    expect((await overSocket(PAGE, { authorization: `Bearer ${shortLived}` })).viaFastify).toBe(false);
    // ...until it expires, while the page is still cached (pages live a minute).
    clock.advance(31_000);
    try {
      const expired = await overSocket(PAGE, { authorization: `Bearer ${shortLived}` });
      expect(expired.status).toBe(401);
      expect(JSON.parse(expired.body)).toMatchObject({ code: 'TOKEN_EXPIRED' });
    } finally {
      clock.set(START);
    }
  });

  it('answers the jwt cookie as Fastify reads it, and leaves HEAD, other methods and other URLs to Fastify', async () => {
    const before = reachedFastify;
    const cookie = await fetch(`${base}${PAGE}`, { headers: { cookie: `theme=dark; jwt=${t.clientToken}` } });
    expect(cookie.status).toBe(200);
    expect(await cookie.text()).toBe((await viaInject(PAGE)).body);
    expect(reachedFastify).toBe(before + 1); // only the inject
    const head = await overSocket(PAGE, {}, 'HEAD');
    expect(head.viaFastify).toBe(true);
    expect(head.status).toBe(200);
    const post = await overSocket(PAGE, {}, 'POST');
    expect(post.viaFastify).toBe(true);
    expect(post.status).toBe(405);
    const preflight = await overSocket(PAGE, { origin: 'https://app.example.test', 'access-control-request-method': 'GET' }, 'OPTIONS');
    expect(preflight.viaFastify).toBe(true);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.test');
    for (const other of [`${PAGE}?language=de-DE`, `${PAGE}/`, '/people/0017838', '/PEOPLE/17838']) {
      expect((await overSocket(other)).viaFastify, other).toBe(true);
    }
  });

  it('stops using a page after its minute and renders it again', async () => {
    clock.advance(61_000);
    try {
      const again = await overSocket(PAGE);
      expect(again.viaFastify).toBe(true);
      expect(again.status).toBe(200);
    } finally {
      clock.set(START);
    }
  });
});
