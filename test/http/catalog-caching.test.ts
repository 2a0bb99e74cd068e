import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TMDB_CACHE_POLICIES } from '../../src/clients/tmdb/tmdb-api.client.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { buildTestApp, buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { loadFixture, syntheticMovie } from '../helpers/tmdb-fixtures.ts';

/*
 * HTTP caching of the catalog: strong ETags and 304, Cache-Control from CACHE_MAX_AGE,
 * X-Cache, request coalescing, stale-while-revalidate and stale-if-error, and CORS.
 * The main app runs on a test clock so that cache lifetimes can be crossed without waiting.
 */

const START = '2026-03-01T12:00:00Z';
const MINUTE = 60_000;
const clock = fixedClock(START);
let t: TestApp;
let fake: FakeTmdb;

beforeAll(async () => {
  fake = await startFakeTmdb();
  // Any movie id from 7_400_000 up: a copy of Frozen in its own collection (id + 10_000).
  fake.otherwise('/movie/:id', (req) => {
    const id = Number(req.params.id);
    if (id < 7_400_000) return undefined;
    const movie = syntheticMovie(id, req.append);
    movie.belongs_to_collection = { id: id + 10_000, name: 'Copy Collection', poster_path: null, backdrop_path: null };
    return { body: movie, latencyMs: 100 };
  });
  fake.otherwise('/collection/:id', (req) => {
    const id = Number(req.params.id);
    return id >= 7_410_000 ? { body: { ...loadFixture<Record<string, unknown>>('collection'), id }, latencyMs: 100 } : undefined;
  });
  t = await buildTestApp({
    env: {
      TMDB_ACCESS_TOKEN: 'test-token',
      TMDB_BASE_URL: fake.baseUrl,
      CACHE_MAX_AGE: '120',
      CORS_ORIGINS: 'https://App.Example.test,http://localhost:4321',
    },
    overrides: { clock },
  });
});
afterAll(() => closeAll(t, fake));
beforeEach(() => {
  fake.clearCalls();
  clock.set(START);
});

function get(url: string, headers: Record<string, string> = {}, app: TestApp = t) {
  return app.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${app.clientToken}`, ...headers } });
}

const CACHE_CONTROL = 'public, max-age=120, s-maxage=120';

describe('ETag and 304', () => {
  it('sends a strong ETag, the same for the same bytes', async () => {
    const first = await get('/people/17838');
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toMatch(/^"[^"]+"$/);
    const again = await get('/people/17838');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.body).toBe(first.body);
    // A different page has a different tag.
    const other = await get('/people/8800002');
    expect(other.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers 304 with no body for a matching If-None-Match, keeping ETag and Cache-Control', async () => {
    const { headers } = await get('/people/8800001');
    const etag = String(headers.etag);
    for (const ifNoneMatch of [etag, `"nope", ${etag}`, '*']) {
      const res = await get('/people/8800001', { 'if-none-match': ifNoneMatch });
      expect(res.statusCode, ifNoneMatch).toBe(304);
      expect(res.body).toBe('');
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['cache-control']).toBe(CACHE_CONTROL);
    }
  });

  it('matches a weakened copy of the tag, as If-None-Match requires (a gzip proxy sends W/)', async () => {
    const { headers } = await get('/people/8800004');
    const res = await get('/people/8800004', { 'if-none-match': `W/${String(headers.etag)}` });
    expect(res.statusCode).toBe(304);
  });

  it('answers 200 with the body when the tag does not match', async () => {
    const res = await get('/people/8800004', { 'if-none-match': '"something-else"' });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Josh Gad');
  });

  it('answers 304 also when the page is rebuilt from the TMDB cache (another URL, same data)', async () => {
    const first = await get('/search?q=etag&type=movie');
    const res = await get('/search?q=etag&type=movie&region=US', { 'if-none-match': String(first.headers.etag) });
    expect(res.statusCode).toBe(304);
    expect(fake.callsTo('/search/movie')).toHaveLength(1);
  });
});

describe('Cache-Control and X-Cache', () => {
  it('sends Cache-Control from CACHE_MAX_AGE and X-Cache MISS, then HIT', async () => {
    const first = await get('/series/62560/seasons/2');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe(CACHE_CONTROL);
    expect(first.headers['x-cache']).toBe('MISS');
    const second = await get('/series/62560/seasons/2');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.headers['cache-control']).toBe(CACHE_CONTROL);
    // Another page over the same TMDB answer (region only picks providers): no new TMDB call.
    const third = await get('/series/62560/seasons/2?region=GB');
    expect(third.headers['x-cache']).toBe('HIT');
    expect(fake.callsTo('/tv/62560/season/2')).toHaveLength(1);
  });

  it('never sends Cache-Control or an ETag on an error', async () => {
    for (const url of ['/movies/424242', '/movies/007', '/search']) {
      const res = await get(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.headers['cache-control'], url).toBeUndefined();
      expect(res.headers.etag, url).toBeUndefined();
    }
    const unauthorized = await t.app.inject({ method: 'GET', url: '/movies/109445' });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers['cache-control']).toBeUndefined();
  });

  it('never sends a public Cache-Control on /me or /auth responses', async () => {
    for (const url of ['/me', '/auth/session']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.clientToken}` } });
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  describe('with CACHE_MAX_AGE=0', () => {
    let plain: TestApp;
    beforeAll(async () => {
      plain = await buildTestAppOn(fake, { env: { CACHE_MAX_AGE: '0' } });
    });
    afterAll(async () => {
      await plain?.close();
    });

    it('sends no Cache-Control, but still the ETag and X-Cache', async () => {
      const res = await get('/people/17838', {}, plain);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBeUndefined();
      expect(res.headers.etag).toMatch(/^"[^"]+"$/);
      expect(res.headers['x-cache']).toBe('MISS');
      const notModified = await get('/people/17838', { 'if-none-match': String(res.headers.etag) }, plain);
      expect(notModified.statusCode).toBe(304);
      expect(notModified.headers['cache-control']).toBeUndefined();
    });
  });
});

describe('request coalescing', () => {
  it('200 concurrent identical cold requests cost one TMDB call for the movie and one for its collection', async () => {
    const id = 7_400_001;
    const responses = await Promise.all(Array.from({ length: 200 }, () => get(`/movies/${id}`)));
    for (const res of responses) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id, collectionInfo: { id: id + 10_000 } });
    }
    expect(fake.callsTo(`/movie/${id}`)).toHaveLength(1);
    expect(fake.callsTo(`/collection/${id + 10_000}`)).toHaveLength(1);
    // The people looked up for ages are shared too: nobody is fetched twice.
    const people = fake.callsTo('/person/:id').map((c) => c.path);
    expect(new Set(people).size).toBe(people.length);
  });
});

describe('stale-while-revalidate and stale-if-error', () => {
  const title = TMDB_CACHE_POLICIES.title;

  it('serves a stale page at once as STALE, refreshes it in the background, then serves HIT', async () => {
    const id = 7_400_002;
    expect((await get(`/movies/${id}`)).headers['x-cache']).toBe('MISS');
    clock.advance(title.freshMs + MINUTE);
    fake.clearCalls();
    const stale = await get(`/movies/${id}`);
    expect(stale.statusCode).toBe(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.json().title).toBe(`Frozen #${id}`);
    // Once the background refresh has landed the page is fresh again; asking meanwhile shares that one refresh.
    await expect.poll(async () => (await get(`/movies/${id}`)).headers['x-cache'], { timeout: 3000, interval: 25 }).toBe('HIT');
    expect(fake.callsTo(`/movie/${id}`)).toHaveLength(1);
    expect(fake.callsTo(`/collection/${id + 10_000}`)).toHaveLength(1);
  });

  it('serves the cached page as STALE while TMDB is down, long after it went stale', async () => {
    const ok = await get('/movies/109445');
    expect(ok.statusCode).toBe(200);
    const before = ok.json();

    const down = [
      fake.on('/movie/109445', { status: 503, headers: { 'retry-after': '0' } }),
      fake.on('/collection/386382', { status: 503, headers: { 'retry-after': '0' } }),
    ];
    try {
      // Past fresh + stale-while-revalidate: TMDB is asked first, and fails.
      clock.advance(title.freshMs + title.staleWhileRevalidateMs + MINUTE);
      fake.clearCalls();
      const res = await get('/movies/109445');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['x-cache']).toBe('STALE');
      const body = res.json();
      expect(body.title).toBe(before.title);
      expect(body.collectionInfo.id).toBe(386382);
      expect(fake.callsTo('/movie/109445').length).toBeGreaterThan(0);
      expect(fake.callsTo('/movie/109445').every((c) => c.status === 503)).toBe(true);

      // A STALE page is not kept: the next request asks TMDB again.
      fake.clearCalls();
      const again = await get('/movies/109445');
      expect(again.headers['x-cache']).toBe('STALE');
      expect(fake.callsTo('/movie/109445').length).toBeGreaterThan(0);
    } finally {
      for (const rule of down) rule.remove();
    }
  });

  it('answers 503 once the cached copy is older than stale-if-error allows', async () => {
    await get('/movies/7400003');
    const rule = fake.on('/movie/7400003', { status: 503, headers: { 'retry-after': '0' } });
    try {
      clock.advance(title.freshMs + title.staleIfErrorMs + MINUTE);
      const res = await get('/movies/7400003');
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('TMDB_UNAVAILABLE');
      expect(res.headers['cache-control']).toBeUndefined();
    } finally {
      rule.remove();
    }
  });
});

describe('CORS (§3.4, CORS_ORIGINS)', () => {
  const origin = 'https://app.example.test';
  const requested = 'authorization, content-type, idempotency-key, if-none-match, mm-cache-bypass';

  it('answers a preflight from an allowed origin (case-insensitive match) on any path, before auth', async () => {
    for (const url of ['/movies/109445', '/search?q=x', '/nowhere']) {
      const res = await t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': requested },
      });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(String(res.headers['access-control-allow-methods'])).toMatch(/\bGET\b/);
      const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/);
      for (const header of ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'mm-cache-bypass']) expect(allowed).toContain(header);
      expect(res.headers['access-control-max-age']).toBe('300');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(String(res.headers.vary)).toMatch(/Origin/);
    }
  });

  it('does not allow an origin that is not configured (the Go defaults are replaced)', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/movies/109445',
      headers: { origin: 'https://minimovie.info', 'access-control-request-method': 'GET' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const actual = await get('/movies/109445', { origin: 'https://evil.example' });
    expect(actual.statusCode).toBe(200);
    expect(actual.headers['access-control-allow-origin']).toBeUndefined();
    expect(String(actual.headers.vary)).toMatch(/Origin/);
  });

  it('allows actual requests from an allowed origin, 401s included, and exposes the cache headers', async () => {
    const res = await get('/movies/109445', { origin: 'http://localhost:4321' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:4321');
    expect(String(res.headers.vary)).toMatch(/Origin/);
    const exposed = String(res.headers['access-control-expose-headers']).toLowerCase();
    for (const header of ['etag', 'x-cache', 'retry-after']) expect(exposed).toContain(header);
    const unauthorized = await t.app.inject({ method: 'GET', url: '/movies/109445', headers: { origin } });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe(origin);
  });
});
