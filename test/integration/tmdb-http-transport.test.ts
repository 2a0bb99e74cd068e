import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../src/clients/tmdb/tmdb-http.transport.ts';
import { TmdbTransportError, type TmdbTransport } from '../../src/clients/tmdb/tmdb.transport.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';

let fake: FakeTmdb;
let transport: TmdbTransport;
beforeAll(async () => {
  fake = await startFakeTmdb({ accessToken: 'test-token' });
  transport = createHttpTransport({ baseUrl: `${fake.baseUrl}/`, accessToken: 'test-token', timeoutMs: 300 });
});
afterEach(() => {
  fake.reset();
});
afterAll(async () => {
  await transport.close();
  await fake.close();
});

describe('requests', () => {
  it('sends the bearer token and Accept header', async () => {
    const res = await transport.request({ path: '/movie/109445', query: {} });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).title).toBe('Frozen');
    expect(res.headers['content-type']).toContain('application/json');
    const [call] = fake.calls;
    expect(call!.headers.authorization).toBe('Bearer test-token');
    expect(call!.headers.accept).toBe('application/json');
    expect(call!.rawQuery).toBe('');
  });

  it('sends append_to_response literally', async () => {
    await transport.request({ path: '/movie/109445', query: { append_to_response: 'credits,watch/providers,videos' } });
    await transport.request({ path: '/tv/62560', query: { append_to_response: 'aggregate_credits,season/1,season/2' } });
    expect(fake.calls.map((c) => c.rawQuery)).toEqual([
      'append_to_response=credits,watch/providers,videos',
      'append_to_response=aggregate_credits,season/1,season/2',
    ]);
  });

  it("escapes search text like Go's url.QueryEscape", async () => {
    const q = "Amélie & the (100%) *star* wars! it's";
    await transport.request({ path: '/search/multi', query: { query: q, page: '2' } });
    const [call] = fake.calls;
    expect(call!.rawQuery).toBe('query=Am%C3%A9lie+%26+the+%28100%25%29+%2Astar%2A+wars%21+it%27s&page=2');
    expect(call!.query).toEqual({ query: q, page: '2' });
  });

  it('sends change-list dates as given', async () => {
    await transport.request({ path: '/person/changes', query: { start_date: '2026-01-01', end_date: '2026-01-14', page: '1' } });
    expect(fake.calls[0]!.rawQuery).toBe('start_date=2026-01-01&end_date=2026-01-14&page=1');
  });

  it('reuses the connection (keep-alive)', async () => {
    for (let i = 0; i < 6; i++) await transport.request({ path: '/movie/109445', query: {} });
    const sockets = new Set(fake.calls.map((c) => c.remotePort));
    expect(sockets.size).toBeLessThan(fake.calls.length);
  });
});

describe('answers are passed through, not thrown', () => {
  it('404 with the TMDB body', async () => {
    const res = await transport.request({ path: '/movie/1', query: {} });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).status_code).toBe(34);
  });

  it('429 with Retry-After', async () => {
    fake.on('/movie/109445', { status: 429, headers: { 'retry-after': '3' } });
    const res = await transport.request({ path: '/movie/109445', query: {} });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
  });

  it('5xx and malformed bodies', async () => {
    fake.on('/movie/500', { status: 500 });
    fake.on('/movie/109445', { malformed: true });
    expect((await transport.request({ path: '/movie/500', query: {} })).status).toBe(500);
    const bad = await transport.request({ path: '/movie/109445', query: {} });
    expect(bad.status).toBe(200);
    expect(() => JSON.parse(bad.body) as unknown).toThrow(SyntaxError);
  });

  it('401 for a wrong token', async () => {
    const wrong = createHttpTransport({ baseUrl: fake.baseUrl, accessToken: 'nope', timeoutMs: 1000 });
    try {
      expect((await wrong.request({ path: '/movie/109445', query: {} })).status).toBe(401);
    } finally {
      await wrong.close();
    }
  });
});

describe('failures', () => {
  it('times out a hanging answer', async () => {
    fake.on('/movie/109445', { hang: true });
    const started = performance.now();
    const err = await transport.request({ path: '/movie/109445', query: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TmdbTransportError);
    expect((err as TmdbTransportError).reason).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('times out a slow body too (whole-call deadline)', async () => {
    fake.on('/movie/109445', { latencyMs: 600 });
    await expect(transport.request({ path: '/movie/109445', query: {} })).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('reports a caller abort as aborted', async () => {
    fake.on('/movie/109445', { hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(transport.request({ path: '/movie/109445', query: {}, signal: controller.signal })).rejects.toMatchObject({
      name: 'TmdbTransportError',
      reason: 'aborted',
    });
  });

  it('reports a refused connection as a network failure', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const dead = createHttpTransport({ baseUrl: `http://127.0.0.1:${port}`, accessToken: 't', timeoutMs: 1000 });
    try {
      await expect(dead.request({ path: '/movie/1', query: {} })).rejects.toMatchObject({ reason: 'network' });
    } finally {
      await dead.close();
    }
  });
});
