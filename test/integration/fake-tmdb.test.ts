import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TmdbSeasonSummary, TmdbVideo } from '../../src/clients/tmdb/tmdb.types.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { syntheticMovie } from '../helpers/tmdb-fixtures.ts';

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
});
afterEach(() => {
  fake.reset();
});
afterAll(async () => {
  await fake.close();
});

async function get(pathAndQuery: string, init: RequestInit = {}) {
  const res = await fetch(`${fake.baseUrl}${pathAndQuery}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

describe('fixtures', () => {
  it('serves a resource with exactly the requested appends', async () => {
    const bare = (await get('/movie/109445')).json();
    expect(bare.title).toBe('Frozen');
    expect(bare.credits).toBeUndefined();

    const full = await get('/movie/109445?append_to_response=credits,watch/providers,videos');
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toContain('application/json');
    const movie = full.json();
    expect(movie.credits.cast.length).toBeGreaterThan(10);
    expect(movie['watch/providers'].results.US.flatrate[0].provider_name).toBe('Disney Plus');
    expect(movie.videos.results.some((v: TmdbVideo) => v.type === 'Trailer' && v.official && v.site === 'YouTube')).toBe(true);
  });

  it('answers unknown ids with TMDB 404 body', async () => {
    const res = await get('/movie/1?append_to_response=credits');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ success: false, status_code: 34, status_message: 'The resource you requested could not be found.' });
  });

  it('appends the seasons that exist and skips the rest, like TMDB', async () => {
    const appends = ['aggregate_credits', ...Array.from({ length: 19 }, (_, i) => `season/${i + 1}`)].join(',');
    const series = (await get(`/tv/62560?append_to_response=${appends}`)).json();
    expect(series.aggregate_credits.cast[0].name).toBe('Rami Malek');
    expect(Object.keys(series).filter((k) => k.startsWith('season/'))).toEqual(['season/1', 'season/2', 'season/3', 'season/4']);
    for (const n of [1, 2, 3, 4]) {
      const summary = series.seasons.find((s: TmdbSeasonSummary) => s.season_number === n);
      expect(series[`season/${n}`].episodes).toHaveLength(summary.episode_count);
    }
    expect(series['watch/providers']).toBeUndefined();
  });

  it('serves standalone sub-resources with their id', async () => {
    const credits = (await get('/tv/62560/season/2/aggregate_credits')).json();
    expect(credits.id).toBe(75658);
    expect(credits.cast.length).toBeGreaterThan(0);
    const providers = (await get('/movie/109445/watch/providers')).json();
    expect(providers.id).toBe(109445);
    expect(providers.results.US).toBeDefined();
  });

  it('serves searches for any query and pages past the end as empty', async () => {
    const p1 = (await get('/search/movie?query=anything&page=1')).json();
    expect(p1.results.length).toBe(20);
    const p3 = (await get('/search/movie?query=anything&page=3')).json();
    expect(p3).toMatchObject({ page: 3, results: [], total_pages: 2 });
    const tooFar = await get('/search/multi?query=x&page=501');
    expect(tooFar.status).toBe(400);
    expect(tooFar.json().status_code).toBe(22);
  });

  it('pages /person/changes', async () => {
    const pages = [];
    for (const page of [1, 2, 3, 4]) pages.push((await get(`/person/changes?start_date=2026-01-01&end_date=2026-01-02&page=${page}`)).json());
    expect(pages.map((p) => p.results.length)).toEqual([100, 100, 37, 0]);
    expect(pages.every((p) => p.total_pages === 3)).toBe(true);
  });

  it('can run without fixtures', async () => {
    const bare = await startFakeTmdb({ fixtures: false });
    try {
      const res = await fetch(`${bare.baseUrl}/movie/109445`);
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('recording', () => {
  it('records method, path, decoded and raw query, headers and times', async () => {
    await get('/search/multi?query=star+wars%21&page=2', { headers: { authorization: 'Bearer abc', accept: 'application/json' } });
    const [call] = fake.calls;
    expect(call).toMatchObject({
      method: 'GET',
      path: '/search/multi',
      query: { query: 'star wars!', page: '2' },
      rawQuery: 'query=star+wars%21&page=2',
      status: 200,
      aborted: false,
    });
    expect(call!.headers.authorization).toBe('Bearer abc');
    expect(call!.finishedAt).toBeGreaterThanOrEqual(call!.startedAt);
    expect(fake.callsTo('/search/:kind')).toHaveLength(1);
    expect(fake.callsTo('/movie/*')).toHaveLength(0);
  });

  it('counts concurrent calls', async () => {
    fake.latencyMs = 150;
    await Promise.all(Array.from({ length: 8 }, () => get('/movie/109445')));
    expect(fake.maxInFlight).toBe(8);
    expect(fake.inFlight).toBe(0);
  });

  it('counts calls per second and the peak in a window', async () => {
    for (let i = 0; i < 5; i++) await get('/movie/109445');
    expect(fake.callsPerSecond()).toEqual([5]);
    expect(fake.peakCallsPerWindow(1000)).toBe(5);
    expect(fake.peakCallsPerWindow(0.000001)).toBe(1);
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After a given number of times, then the fixture', async () => {
    const rule = fake.on('/movie/109445', { status: 429, headers: { 'retry-after': '1' }, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await get('/movie/109445');
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('1');
        expect(res.json().status_code).toBe(25);
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
    expect(rule.hits).toBe(2);
  });

  it('fails every path with a global rule until removed', async () => {
    const rule = fake.on('*', { status: 503 });
    expect((await get('/person/17838')).status).toBe(503);
    expect((await get('/tv/62560')).json().status_code).toBe(9);
    rule.remove();
    expect((await get('/person/17838')).status).toBe(200);
  });

  it('lets the newest matching rule win', async () => {
    fake.on('/movie/:id', { status: 500 });
    fake.on('/movie/109445', { status: 404 });
    expect((await get('/movie/109445')).status).toBe(404);
    expect((await get('/movie/2')).status).toBe(500);
  });

  it('slows every answer or one path down', async () => {
    fake.latencyMs = 50;
    let t = performance.now();
    await get('/collection/386382');
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);

    fake.latencyMs = 0;
    fake.on('/person/17838', { latencyMs: 80 });
    t = performance.now();
    const res = await get('/person/17838');
    expect(performance.now() - t).toBeGreaterThanOrEqual(75);
    expect(res.json().name).toBe('Rami Malek');
  });

  it('hangs until the client gives up', async () => {
    fake.on('/movie/109445', { hang: true });
    await expect(fetch(`${fake.baseUrl}/movie/109445`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await expect.poll(() => fake.inFlight).toBe(0);
    expect(fake.calls[0]!.aborted).toBe(true);
    expect(fake.calls[0]!.status).toBeUndefined();
  });

  it('sends a malformed body', async () => {
    fake.on('/movie/109445', { malformed: true });
    const res = await get('/movie/109445');
    expect(res.status).toBe(200);
    expect(() => res.json()).toThrow(SyntaxError);
  });

  it('sends a custom body, raw or JSON', async () => {
    fake.on('/movie/42', { body: { id: 42, title: 'Custom' } });
    fake.on('/movie/43', { status: 502, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } });
    expect((await get('/movie/42')).json()).toEqual({ id: 42, title: 'Custom' });
    const html = await get('/movie/43');
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(html.text).toContain('Bad gateway');
  });

  it('lets a handler function fall through', async () => {
    fake.on('/person/:id', (req) => (req.params.id === '17838' ? undefined : { status: 500 }));
    expect((await get('/person/17838')).status).toBe(200);
    expect((await get('/person/99')).status).toBe(500);
  });
});

describe('generated answers', () => {
  it('answers any unseen movie id, leaving fixtures alone', async () => {
    fake.otherwise('/movie/:id', (req) => ({ body: syntheticMovie(Number(req.params.id), req.append) }));
    const fresh = (await get('/movie/7000001?append_to_response=credits,watch/providers')).json();
    expect(fresh.id).toBe(7000001);
    expect(fresh.credits.cast.length).toBeGreaterThan(0);
    expect(fresh['watch/providers']).toBeDefined();
    expect(fresh.videos).toBeUndefined();
    expect((await get('/movie/109445')).json().title).toBe('Frozen');
    expect((await get('/tv/1')).status).toBe(404);
  });
});

describe('authentication', () => {
  it('rejects calls without the expected bearer token', async () => {
    const strict = await startFakeTmdb({ accessToken: 'secret' });
    try {
      const denied = await fetch(`${strict.baseUrl}/movie/109445`);
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as { status_code: number }).status_code).toBe(7);
      const ok = await fetch(`${strict.baseUrl}/movie/109445`, { headers: { authorization: 'Bearer secret' } });
      expect(ok.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
