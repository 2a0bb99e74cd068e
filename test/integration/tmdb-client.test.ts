import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTmdbClient, TMDB_CACHE_POLICIES, type TmdbRetryPolicy } from '../../src/clients/tmdb/tmdb-api.client.ts';
import {
  TmdbBadResponseError,
  TmdbNotFoundError,
  TmdbTimeoutError,
  TmdbUnavailableError,
  type TmdbClient,
} from '../../src/clients/tmdb/tmdb.client.ts';
import { createHttpTransport } from '../../src/clients/tmdb/tmdb-http.transport.ts';
import type { CacheOperation, TmdbRequestEvent } from '../../src/clients/tmdb/tmdb.metrics.ts';
import { fixedClock, type Clock } from '../../src/shared/clock.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { syntheticMovie } from '../helpers/tmdb-fixtures.ts';

const TOKEN = 'test-token';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FROZEN = 109445;

let fake: FakeTmdb;
const open: TmdbClient[] = [];

beforeAll(async () => {
  fake = await startFakeTmdb({ accessToken: TOKEN });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  fake.reset();
});
afterAll(async () => {
  await fake.close();
});

interface ClientOptions {
  timeoutMs?: number;
  rateLimitPerSecond?: number;
  cacheBytes?: number;
  clock?: Clock;
  retry?: Partial<TmdbRetryPolicy>;
  baseUrl?: string;
}

/** A client on the real HTTP transport against the fake TMDB, recording its metrics. */
function makeClient(options: ClientOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 2000;
  const requests: TmdbRequestEvent[] = [];
  const cacheOps: CacheOperation[] = [];
  const logger = { warn: vi.fn(), debug: vi.fn() };
  const client = createTmdbClient({
    transport: createHttpTransport({ baseUrl: options.baseUrl ?? fake.baseUrl, accessToken: TOKEN, timeoutMs }),
    config: { timeoutMs, rateLimitPerSecond: options.rateLimitPerSecond ?? 1000, cacheBytes: options.cacheBytes ?? 64 * 1024 * 1024 },
    ...(options.clock ? { clock: options.clock } : {}),
    logger,
    metrics: { tmdbRequest: (e) => requests.push(e), cacheEvent: (e) => cacheOps.push(e.operation) },
    // Short backoffs keep the file fast; Retry-After is still honoured as sent.
    retry: { baseDelayMs: 20, maxDelayMs: 100, ...options.retry },
  });
  open.push(client);
  return { client, requests, cacheOps, logger };
}

/** Any movie id the fixtures do not cover answers with a synthetic movie. */
function serveAnyMovie(): void {
  fake.otherwise('/movie/:id', (req) => ({ status: 200, body: syntheticMovie(Number(req.params.id)) }));
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
}

describe('requests', () => {
  it('asks TMDB for each resource with the documented appends', async () => {
    const { client } = makeClient();
    const movie = await client.movie(FROZEN);
    expect(movie.cache).toBe('MISS');
    expect(movie.data.title).toBe('Frozen');
    expect(movie.data.credits.cast.length).toBeGreaterThan(0);
    await client.tv(62560);
    await client.season(62560, 1);
    await client.episode(62560, 1, 1);
    await client.person(17838);
    await client.collection(386382);
    await client.seasonAggregateCredits(62560, 2);
    expect(fake.calls.map((c) => `${c.path}?${c.rawQuery}`)).toEqual([
      '/movie/109445?append_to_response=credits,watch/providers,videos',
      '/tv/62560?append_to_response=aggregate_credits,watch/providers,videos',
      '/tv/62560/season/1?append_to_response=watch/providers,aggregate_credits',
      '/tv/62560/season/1/episode/1?append_to_response=credits',
      '/person/17838?append_to_response=combined_credits',
      '/collection/386382?',
      '/tv/62560/season/2/aggregate_credits?',
    ]);
    expect(fake.calls.every((c) => c.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('tvWithSeasons appends aggregate credits and the seasons literally, at most 20', async () => {
    const { client } = makeClient();
    const res = await client.tvWithSeasons(62560, [2, 1, 2], true);
    expect(fake.calls[0]!.rawQuery).toBe('append_to_response=aggregate_credits,season/1,season/2');
    expect(res.data['season/2']?.season_number).toBe(2);
    await client.tvWithSeasons(62560, [3], false);
    expect(fake.calls[1]!.rawQuery).toBe('append_to_response=season/3');
    await expect(client.tvWithSeasons(62560, Array.from({ length: 20 }, (_, i) => i + 1), true)).rejects.toThrow(RangeError);
  });

  it('search sends query, page, language and (movie only) region, escaped like Go', async () => {
    const { client } = makeClient();
    const res = await client.search('movie', "Amélie & co's", 2, { language: 'de-DE', region: 'DE' });
    expect(res.data.page).toBe(2);
    await client.search('tv', 'Mr Robot', 1, { region: 'DE' });
    expect(fake.calls.map((c) => `${c.path}?${c.rawQuery}`)).toEqual([
      '/search/movie?query=Am%C3%A9lie+%26+co%27s&page=2&language=de-DE&region=DE',
      '/search/tv?query=Mr+Robot&page=1',
    ]);
  });

  it('personChanges is never cached', async () => {
    const { client } = makeClient();
    const first = await client.personChanges('2026-01-01', '2026-01-14', 1);
    const second = await client.personChanges('2026-01-01', '2026-01-14', 1);
    expect([first.cache, second.cache]).toEqual(['MISS', 'MISS']);
    expect(fake.calls.map((c) => c.rawQuery)).toEqual([
      'start_date=2026-01-01&end_date=2026-01-14&page=1',
      'start_date=2026-01-01&end_date=2026-01-14&page=1',
    ]);
  });

  it('reuses keep-alive connections for sequential calls', async () => {
    const { client } = makeClient();
    for (let i = 0; i < 6; i++) await client.movie(FROZEN, { bypassCache: true });
    expect(fake.calls).toHaveLength(6);
    // undici hands a socket back to the pool a tick after the body ends, so back-to-back calls alternate between two.
    expect(new Set(fake.calls.map((c) => c.remotePort)).size).toBeLessThanOrEqual(2);
  });
});

describe('cache and coalescing', () => {
  it('200 concurrent identical cold calls make exactly one upstream call', async () => {
    const { client, cacheOps } = makeClient();
    fake.latencyMs = 50;
    const results = await Promise.all(Array.from({ length: 200 }, () => client.movie(FROZEN)));
    expect(fake.callsTo(`/movie/${FROZEN}`)).toHaveLength(1);
    expect(results.every((r) => r.cache === 'MISS' && r.data === results[0]!.data)).toBe(true);
    expect(cacheOps.filter((op) => op === 'write')).toHaveLength(1);
  });

  it('serves the second call from the cache, as the same object', async () => {
    const { client, cacheOps } = makeClient();
    const first = await client.movie(FROZEN);
    const started = performance.now();
    const second = await client.movie(FROZEN);
    const warmMs = performance.now() - started;
    expect(second.cache).toBe('HIT');
    expect(second.data).toBe(first.data);
    expect(fake.calls).toHaveLength(1);
    expect(cacheOps).toEqual(['miss', 'write', 'hit']);
    expect(warmMs).toBeLessThan(20);
  });

  it('keys on path and the whole query, language included', async () => {
    const { client } = makeClient();
    await client.movie(FROZEN);
    await client.movie(FROZEN, { language: 'de-DE' });
    await client.movie(FROZEN, { language: 'de-DE' });
    await client.search('multi', 'star wars', 1);
    await client.search('multi', 'star wars', 2);
    await client.search('multi', 'star wars', 1, { language: 'fr-FR' });
    await client.search('multi', 'star wars', 1);
    expect(fake.calls.map((c) => c.rawQuery)).toEqual([
      'append_to_response=credits,watch/providers,videos',
      'append_to_response=credits,watch/providers,videos&language=de-DE',
      'query=star+wars&page=1',
      'query=star+wars&page=2',
      'query=star+wars&page=1&language=fr-FR',
    ]);
  });

  it('bypassCache skips the read but still stores the answer', async () => {
    const { client } = makeClient();
    await client.movie(FROZEN);
    expect((await client.movie(FROZEN, { bypassCache: true })).cache).toBe('MISS');
    expect((await client.movie(FROZEN)).cache).toBe('HIT');
    expect(fake.calls).toHaveLength(2);
  });

  it('stays within its byte budget by evicting the least recently used entry', async () => {
    serveAnyMovie();
    const size = JSON.stringify(syntheticMovie(1)).length;
    const { client } = makeClient({ cacheBytes: Math.floor(size * 1.5) });
    await client.movie(1);
    await client.movie(2);
    expect((await client.movie(2)).cache).toBe('HIT');
    expect((await client.movie(1)).cache).toBe('MISS');
    expect(fake.callsTo('/movie/1')).toHaveLength(2);
  });

  it('stale-while-revalidate: serves STALE at once and refreshes once in the background', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const { client } = makeClient({ clock });
    let version = 0;
    fake.on(`/movie/${FROZEN}`, () => ({ status: 200, body: { ...syntheticMovie(FROZEN), title: `v${++version}` } }));
    expect((await client.movie(FROZEN)).data.title).toBe('v1');

    clock.advance(TMDB_CACHE_POLICIES.title.freshMs + HOUR);
    fake.latencyMs = 100;
    const started = performance.now();
    const stale = await Promise.all([client.movie(FROZEN), client.movie(FROZEN), client.movie(FROZEN)]);
    expect(performance.now() - started).toBeLessThan(50);
    expect(stale.map((r) => [r.cache, r.data.title])).toEqual([
      ['STALE', 'v1'],
      ['STALE', 'v1'],
      ['STALE', 'v1'],
    ]);
    await until(() => fake.calls.length === 2 && fake.calls[1]!.status === 200);
    await sleep(10);
    const fresh = await client.movie(FROZEN);
    expect([fresh.cache, fresh.data.title]).toEqual(['HIT', 'v2']);
    expect(fake.calls).toHaveLength(2);
  });

  it('stale-if-error: TMDB down after a successful fetch serves the cached page as STALE', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const { client, logger } = makeClient({ clock });
    const first = await client.movie(FROZEN);
    // Past the revalidation window, but within the stale-if-error age.
    clock.advance(TMDB_CACHE_POLICIES.title.freshMs + TMDB_CACHE_POLICIES.title.staleWhileRevalidateMs + DAY);
    fake.on('*', { status: 503 });
    const res = await client.movie(FROZEN, { deadline: Date.now() + 3000 });
    expect(res.cache).toBe('STALE');
    expect(res.data).toBe(first.data);
    expect(fake.calls).toHaveLength(4);
    expect(logger.warn).toHaveBeenCalledWith(expect.anything(), 'TMDB failed; serving a stale cached response');

    clock.advance(TMDB_CACHE_POLICIES.title.staleIfErrorMs);
    expect(await failure(client.movie(FROZEN))).toBeInstanceOf(TmdbUnavailableError);
  });

  it('stale-if-error also covers a timeout and a bypassed cache', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const { client } = makeClient({ clock, timeoutMs: 200 });
    await client.movie(FROZEN);
    fake.on('*', { hang: true });
    const res = await client.movie(FROZEN, { bypassCache: true });
    expect(res.cache).toBe('STALE');
  });

  it('a failed background refresh keeps the stale entry', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const { client, logger } = makeClient({ clock });
    await client.movie(FROZEN);
    clock.advance(TMDB_CACHE_POLICIES.title.freshMs + 1);
    fake.on('*', { status: 500 });
    expect((await client.movie(FROZEN)).cache).toBe('STALE');
    await until(() => logger.warn.mock.calls.some((args) => args[1] === 'TMDB background refresh failed'));
    expect((await client.movie(FROZEN)).cache).toBe('STALE');
  });
});

describe('errors', () => {
  it('404 → TmdbNotFoundError, remembered briefly so a bad id does not hammer TMDB', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const { client, requests } = makeClient({ clock });
    const err = await failure(client.movie(1));
    expect(err).toBeInstanceOf(TmdbNotFoundError);
    expect(err).toMatchObject({ endpoint: 'movie' });
    expect(await failure(client.movie(1))).toBeInstanceOf(TmdbNotFoundError);
    expect(fake.calls).toHaveLength(1);
    expect(requests).toMatchObject([{ endpoint: 'movie', status: 'not_found', statusCode: 404 }]);
    clock.advance(5 * 60_000);
    expect(await failure(client.movie(1))).toBeInstanceOf(TmdbNotFoundError);
    expect(fake.calls).toHaveLength(2);
  });

  it('a malformed body → TmdbBadResponseError, not retried', async () => {
    const { client } = makeClient();
    fake.on(`/movie/${FROZEN}`, { malformed: true });
    const err = await failure(client.movie(FROZEN));
    expect(err).toBeInstanceOf(TmdbBadResponseError);
    expect(err).toMatchObject({ status: 200, endpoint: 'movie' });
    expect(fake.calls).toHaveLength(1);
  });

  it('401 and 400 → TmdbBadResponseError with the status, not retried', async () => {
    const { client } = makeClient();
    fake.on(`/movie/${FROZEN}`, { status: 401 });
    expect(await failure(client.movie(FROZEN))).toMatchObject({ name: 'TmdbBadResponseError', status: 401 });
    expect(await failure(client.search('multi', 'x', 501))).toMatchObject({ name: 'TmdbBadResponseError', status: 400, endpoint: 'search_multi' });
    expect(fake.calls).toHaveLength(2);
  });

  it('5xx then success: retried', async () => {
    const { client, requests } = makeClient();
    fake.on(`/movie/${FROZEN}`, { status: 502, times: 1 });
    const res = await client.movie(FROZEN);
    expect(res.data.title).toBe('Frozen');
    expect(requests.map((r) => [r.status, r.statusCode])).toEqual([
      ['error', 502],
      ['success', 200],
    ]);
  });

  it('5xx always → TmdbUnavailableError after 3 attempts', async () => {
    const { client } = makeClient();
    fake.on('*', { status: 500 });
    const err = await failure(client.movie(FROZEN));
    expect(err).toBeInstanceOf(TmdbUnavailableError);
    expect(err).toMatchObject({ reason: 'server_error', retryAfterSeconds: 5 });
    expect(fake.calls).toHaveLength(3);
  });

  it('unreachable TMDB → TmdbUnavailableError(network) after 3 attempts', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { client, requests } = makeClient({ baseUrl: `http://127.0.0.1:${port}` });
    const err = await failure(client.movie(FROZEN));
    expect(err).toMatchObject({ name: 'TmdbUnavailableError', reason: 'network', retryAfterSeconds: 5 });
    expect(requests.map((r) => [r.status, r.statusCode])).toEqual([
      ['error', 0],
      ['error', 0],
      ['error', 0],
    ]);
  });

  it('a hanging TMDB → TmdbTimeoutError within the timeout', async () => {
    const { client } = makeClient({ timeoutMs: 300 });
    fake.on('*', { hang: true });
    const started = performance.now();
    const err = await failure(client.movie(FROZEN));
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(TmdbTimeoutError);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(600);
    expect(fake.calls).toHaveLength(1);
  });

  it('a timeout is retried only when a whole new attempt fits the deadline', async () => {
    const { client } = makeClient({ timeoutMs: 200 });
    fake.on('*', { hang: true, times: 1 });
    const res = await client.movie(FROZEN, { deadline: Date.now() + 1000 });
    expect(res.data.title).toBe('Frozen');
    expect(fake.calls).toHaveLength(2);

    fake.on('*', { hang: true, times: 1 });
    const err = await failure(client.movie(FROZEN, { deadline: Date.now() + 350, language: 'fr-FR' }));
    expect(err).toBeInstanceOf(TmdbTimeoutError);
    expect(fake.calls).toHaveLength(3);
  });

  it('the caller deadline cuts an attempt shorter than the timeout', async () => {
    const { client } = makeClient({ timeoutMs: 2000 });
    fake.on('*', { hang: true });
    const started = performance.now();
    const err = await failure(client.movie(FROZEN, { deadline: Date.now() + 250 }));
    expect(err).toBeInstanceOf(TmdbTimeoutError);
    expect(performance.now() - started).toBeLessThan(500);
    await until(() => fake.calls[0]!.aborted);
  });

  it('a caller abort leaves the shared call running for the others', async () => {
    const { client } = makeClient();
    fake.latencyMs = 150;
    const controller = new AbortController();
    const leaving = failure(client.movie(FROZEN, { signal: controller.signal }));
    const staying = client.movie(FROZEN);
    setTimeout(() => controller.abort(), 30);
    expect(await leaving).toBeInstanceOf(TmdbTimeoutError);
    expect((await staying).data.title).toBe('Frozen');
    expect(fake.calls).toHaveLength(1);
  });

  it('the last caller leaving aborts the upstream call', async () => {
    const { client } = makeClient();
    fake.on('*', { hang: true });
    const controller = new AbortController();
    const call = failure(client.movie(FROZEN, { signal: controller.signal }));
    await until(() => fake.calls.length === 1);
    controller.abort();
    expect(await call).toBeInstanceOf(TmdbTimeoutError);
    await until(() => fake.calls[0]!.aborted);
  });
});

describe('rate limits', () => {
  it('429 + Retry-After: 1 on the first calls, then success within the deadline', async () => {
    serveAnyMovie();
    const { client, requests, logger } = makeClient();
    fake.on('/movie/:id', { status: 429, headers: { 'retry-after': '1' }, times: 3 });
    const started = performance.now();
    const results = await Promise.all([1, 2, 3].map((id) => client.movie(id, { deadline: Date.now() + 4000 })));
    const elapsed = performance.now() - started;
    expect(results.map((r) => r.data.id)).toEqual([1, 2, 3]);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(2500);
    expect(requests.filter((r) => r.status === 'rate_limited')).toHaveLength(3);
    expect(requests.filter((r) => r.status === 'success')).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ retryAfter: '1' }), 'TMDB rate limit hit');
  });

  it('a Retry-After past the deadline fails fast with the typed error', async () => {
    const { client } = makeClient();
    fake.on('*', { status: 429, headers: { 'retry-after': '5' } });
    const started = performance.now();
    const err = await failure(client.movie(FROZEN, { deadline: Date.now() + 2000 }));
    expect(performance.now() - started).toBeLessThan(300);
    expect(err).toMatchObject({ name: 'TmdbUnavailableError', reason: 'rate_limited', retryAfterSeconds: 5 });
    expect(fake.calls).toHaveLength(1);
  });

  it('429 exhausted → rate_limited with Retry-After from the header (HTTP date)', async () => {
    const { client } = makeClient();
    fake.on('*', () => ({ status: 429, headers: { 'retry-after': new Date(Date.now() + 1000).toUTCString() } }));
    const err = await failure(client.movie(FROZEN, { deadline: Date.now() + 1000 }));
    expect(err).toMatchObject({ name: 'TmdbUnavailableError', reason: 'rate_limited' });
    expect((err as TmdbUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('TMDB never sees more than the configured rate in any 1 s window', async () => {
    serveAnyMovie();
    const { client } = makeClient({ rateLimitPerSecond: 20 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 60 }, (_, i) => client.movie(1000 + i)));
    const elapsed = performance.now() - started;
    expect(fake.calls).toHaveLength(60);
    expect(fake.peakCallsPerWindow(1000)).toBeLessThanOrEqual(20);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(3000);
  });

  it('a limiter wait past the deadline fails fast as rate_limited', async () => {
    serveAnyMovie();
    const { client } = makeClient({ rateLimitPerSecond: 2 });
    await Promise.all([client.movie(1), client.movie(2)]);
    const started = performance.now();
    const err = await failure(client.movie(3, { deadline: Date.now() + 300 }));
    expect(performance.now() - started).toBeLessThan(100);
    expect(err).toMatchObject({ name: 'TmdbUnavailableError', reason: 'rate_limited', retryAfterSeconds: 1 });
  });
});

describe('close', () => {
  it('rejects calls in flight and afterwards, and releases its timers', async () => {
    const { client } = makeClient();
    fake.on('*', { hang: true });
    const pending = failure(client.movie(FROZEN));
    await until(() => fake.calls.length === 1);
    await client.close();
    expect(await pending).toMatchObject({ name: 'TmdbUnavailableError', reason: 'network' });
    expect(await failure(client.movie(FROZEN))).toBeInstanceOf(TmdbUnavailableError);
  });
});
