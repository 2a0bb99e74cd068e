import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';

/*
 * Every error path of the catalog routes: invalid parameters (400 with a stable code),
 * authentication before validation, and each way TMDB can fail. TIMEOUT=3 s and
 * TMDB_TIMEOUT=1 s keep the timeout tests short (and leave the retries room on a busy machine). No response may be a 500, and no error
 * may carry Cache-Control or an ETag.
 */

let t: TestApp;
let fake: FakeTmdb;

beforeAll(async () => {
  fake = await startFakeTmdb();
  t = await buildTestAppOn(fake, { env: { TIMEOUT: '3', TMDB_TIMEOUT: '1' } });
});
afterAll(() => closeAll(t, fake));
beforeEach(() => fake.clearCalls());

async function get(url: string, headers: Record<string, string> = { authorization: `Bearer ${t?.clientToken}` }) {
  const res = await t.app.inject({ method: 'GET', url, headers });
  expect(res.statusCode, res.body).not.toBe(500);
  return res;
}

function expectError(res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.error).toBe(
    { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }[status],
  );
  expect(res.headers['cache-control']).toBeUndefined();
  expect(res.headers.etag).toBeUndefined();
  return body;
}

describe('invalid parameters → 400 with the parameter code, before any TMDB call', () => {
  const cases: [string, string][] = [
    ['/movies/-5', 'INVALID_ID'],
    ['/movies/007', 'INVALID_ID'],
    ['/movies/NaN', 'INVALID_ID'],
    ['/movies/abc', 'INVALID_ID'],
    ['/movies/0', 'INVALID_ID'],
    ['/movies/+5', 'INVALID_ID'],
    ['/movies/1.5', 'INVALID_ID'],
    ['/movies/1e3', 'INVALID_ID'],
    ['/movies/99999999999', 'INVALID_ID'],
    ['/movies/%201', 'INVALID_ID'],
    ['/series/007', 'INVALID_ID'],
    ['/series/NaN', 'INVALID_ID'],
    ['/series/-1/seasons/1', 'INVALID_ID'],
    ['/series/1/seasons/-1', 'INVALID_SEASON_NUMBER'],
    ['/series/1/seasons/01', 'INVALID_SEASON_NUMBER'],
    ['/series/1/seasons/NaN', 'INVALID_SEASON_NUMBER'],
    ['/series/1/seasons/1/episodes/-1', 'INVALID_EPISODE_NUMBER'],
    ['/series/1/seasons/1/episodes/NaN', 'INVALID_EPISODE_NUMBER'],
    // Checked in Go's order: series, then season, then episode.
    ['/series/x/seasons/y/episodes/z', 'INVALID_ID'],
    ['/series/1/seasons/y/episodes/z', 'INVALID_SEASON_NUMBER'],
    ['/series/NaN/person/1/credits', 'INVALID_ID'],
    ['/series/1/person/-1/credits', 'INVALID_PERSON_ID'],
    ['/series/1/person/NaN/credits', 'INVALID_PERSON_ID'],
    ['/people/007', 'INVALID_ID'],
    ['/people/NaN', 'INVALID_ID'],
    ['/search', 'INVALID_QUERY'],
    ['/search?q=', 'INVALID_QUERY'],
    [`/search?q=${'x'.repeat(501)}`, 'INVALID_QUERY'],
    ['/search?q=x&type=tv', 'INVALID_TYPE'],
    ['/search?q=x&type=Movie', 'INVALID_TYPE'],
    ['/search?q=x&type=', 'INVALID_TYPE'],
    ['/search?q=x&page=501', 'INVALID_PAGE'],
    ['/search?q=x&page=99999999', 'INVALID_PAGE'],
    ['/movies/1?language=english', 'INVALID_LANGUAGE'],
    ['/movies/1?region=USA', 'INVALID_REGION'],
    ['/search?q=x&region=1', 'INVALID_REGION'],
  ];

  it.each(cases)('%s → %s', async (url, code) => {
    expectError(await get(url), 400, code);
    expect(fake.calls).toHaveLength(0);
  });

  it('keeps the Go messages where clients may show them', async () => {
    expect(expectError(await get('/movies/NaN'), 400, 'INVALID_ID').message).toBe('Invalid movie ID');
    expect(expectError(await get('/series/NaN'), 400, 'INVALID_ID').message).toBe('Invalid series ID');
    expect(expectError(await get('/series/1/seasons/x'), 400, 'INVALID_SEASON_NUMBER').message).toBe('Invalid season number');
    expect(expectError(await get('/series/1/seasons/1/episodes/x'), 400, 'INVALID_EPISODE_NUMBER').message).toBe('Invalid episode number');
    expect(expectError(await get('/series/1/person/x/credits'), 400, 'INVALID_PERSON_ID').message).toBe('Invalid person ID');
    expect(expectError(await get('/search?q=x&type=tv'), 400, 'INVALID_TYPE').message).toBe(
      'Invalid type parameter. Must be one of: all, movie, series, person',
    );
    expect(expectError(await get('/search'), 400, 'INVALID_QUERY').message).toMatch(/^Query parameter 'q' is required/);
  });
});

describe('authentication comes before validation', () => {
  it('answers 401 for an invalid id without a token, 400 with one', async () => {
    expectError(await get('/movies/abc', {}), 401, 'TOKEN_MISSING');
    expectError(await get('/search', {}), 401, 'TOKEN_MISSING');
    expectError(await get('/movies/abc', { authorization: 'Bearer not-a-jwt.at.all' }), 401, 'TOKEN_INVALID');
    expectError(await get('/movies/abc'), 400, 'INVALID_ID');
    expect(fake.calls).toHaveLength(0);
  });

  it('answers 401 on a valid URL without a token, and never asks TMDB', async () => {
    expectError(await get('/movies/109445', {}), 401, 'TOKEN_MISSING');
    expect(fake.calls).toHaveLength(0);
  });
});

describe('TMDB 404 → 404 with the resource code', () => {
  it.each([
    ['/movies/424242', 'MOVIE_NOT_FOUND', 'Movie not found'],
    ['/series/424242', 'SERIES_NOT_FOUND', 'Series not found'],
    ['/series/62560/seasons/99', 'SEASON_NOT_FOUND', 'Season not found'],
    ['/series/62560/seasons/1/episodes/99', 'EPISODE_NOT_FOUND', 'Episode not found'],
    ['/series/424242/person/17838/credits', 'SERIES_NOT_FOUND', 'Series not found'],
    ['/series/62560/person/424242/credits', 'PERSON_NOT_IN_SERIES', 'Person not found in series credits'],
    ['/people/424242', 'PERSON_NOT_FOUND', 'Person not found'],
  ])('%s → %s', async (url, code, message) => {
    expect(expectError(await get(url), 404, code).message).toBe(message);
  });

  it('a TMDB 404 on a search is a 502 TMDB_ERROR (a search always exists)', async () => {
    fake.on('/search/multi', (req) => (req.query.query === 'gone' ? { status: 404 } : undefined));
    expectError(await get('/search?q=gone'), 502, 'TMDB_ERROR');
  });
});

describe('TMDB failures', () => {
  it('429 on every attempt → 503 TMDB_UNAVAILABLE with Retry-After, after retrying', async () => {
    fake.on('/movie/7300001', { status: 429, headers: { 'retry-after': '0' } });
    const res = await get('/movies/7300001');
    expectError(res, 503, 'TMDB_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fake.callsTo('/movie/7300001').length).toBeGreaterThan(1);
  });

  it('429 with Retry-After: 1 on the first call, then success → 200 within the deadline', async () => {
    fake.on('/movie/109445', { status: 429, headers: { 'retry-after': '1' }, times: 1 });
    const started = performance.now();
    const res = await get('/movies/109445?language=en-GB');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().title).toBe('Frozen');
    expect(performance.now() - started).toBeLessThan(3000);
    const calls = fake.callsTo('/movie/109445');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.startedAt - calls[0]!.finishedAt!).toBeGreaterThanOrEqual(900);
  });

  // 500 retries with backoff; 502 and 503 carry Retry-After: 0 (retried at once), which keeps the file fast.
  it.each([
    [500, {}],
    [502, { 'retry-after': '0' }],
    [503, { 'retry-after': '0' }],
  ])('%i on every attempt → 503 TMDB_UNAVAILABLE with Retry-After', async (status, headers) => {
    const id = 7300010 + status;
    fake.on(`/movie/${id}`, { status, headers });
    const res = await get(`/movies/${id}`);
    expectError(res, 503, 'TMDB_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fake.callsTo(`/movie/${id}`).length).toBeGreaterThan(1);
  });

  it('a 5xx that clears up on retry → 200', async () => {
    fake.on('/person/7300009', { body: { id: 7300009, name: 'Back Again', combined_credits: { cast: [], crew: [] } } });
    fake.on('/person/7300009', { status: 502, times: 1 });
    const res = await get('/people/7300009');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('Back Again');
    expect(fake.callsTo('/person/7300009').map((c) => c.status)).toEqual([502, 200]);
  });

  it('a hanging TMDB → 504 TMDB_TIMEOUT within the deadline', async () => {
    fake.on('/movie/7300002', { hang: true });
    const started = performance.now();
    expectError(await get('/movies/7300002'), 504, 'TMDB_TIMEOUT');
    // TMDB_TIMEOUT is 1 s per attempt; no attempt may outlive TIMEOUT (3 s).
    expect(performance.now() - started).toBeLessThan(3500);
    // The abandoned call is cut off, not left hanging on TMDB.
    await expect.poll(() => fake.callsTo('/movie/7300002').every((c) => c.aborted), { timeout: 1000 }).toBe(true);
  });

  it.each([
    ['/movies/7300003', '/movie/7300003'],
    ['/series/7300003', '/tv/7300003'],
    ['/series/7300003/seasons/1', '/tv/7300003/season/1'],
    ['/series/7300003/seasons/1/episodes/1', '/tv/7300003/season/1/episode/1'],
    ['/series/7300004/person/1/credits', '/tv/7300004'],
    ['/people/7300003', '/person/7300003'],
    ['/search?q=malformed', '/search/multi'],
  ])('a malformed TMDB body on %s → 502 TMDB_ERROR', async (url, path) => {
    fake.on(path, { malformed: true });
    expectError(await get(url), 502, 'TMDB_ERROR');
    expect(fake.callsTo(path)).toHaveLength(1);
  });

  it('TMDB rejecting our token (401) → 502 TMDB_ERROR, not retried', async () => {
    fake.on('/tv/7300005', { status: 401 });
    expectError(await get('/series/7300005'), 502, 'TMDB_ERROR');
    expect(fake.callsTo('/tv/7300005')).toHaveLength(1);
  });

  it('5xx on the season pages → 503, on the person-in-series series call → 503', async () => {
    fake.on('/tv/7300006/season/1', { status: 503, headers: { 'retry-after': '0' } });
    expectError(await get('/series/7300006/seasons/1'), 503, 'TMDB_UNAVAILABLE');
    fake.on('/tv/7300007', { status: 503, headers: { 'retry-after': '0' } });
    expectError(await get('/series/7300007/person/1/credits'), 503, 'TMDB_UNAVAILABLE');
  });

  // Last: TMDB's long Retry-After holds back every call of this client for a while.
  it('429 with a Retry-After too long to wait → 503 at once, passing TMDB’s Retry-After on', async () => {
    fake.on('/movie/7300008', { status: 429, headers: { 'retry-after': '40' } });
    const started = performance.now();
    const res = await get('/movies/7300008');
    expectError(res, 503, 'TMDB_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('40');
    expect(fake.callsTo('/movie/7300008')).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
