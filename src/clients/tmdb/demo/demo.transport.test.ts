import { describe, expect, it } from 'vitest';
import { createTmdbTransport } from '../tmdb-transport.factory.ts';
import { TmdbTransportError } from '../tmdb.transport.ts';
import { createDemoTransport } from './demo.transport.ts';

const demo = createDemoTransport();

async function get(path: string, query: Record<string, string> = {}) {
  const res = await demo.request({ path, query });
  expect(res.headers['content-type']).toContain('application/json');
  return { status: res.status, body: JSON.parse(res.body) };
}

const NOT_FOUND = { success: false, status_code: 34, status_message: 'The resource you requested could not be found.' };

describe('demo transport: resources', () => {
  it('serves a movie with exactly the requested appends', async () => {
    const bare = await get('/movie/109445');
    expect(bare.status).toBe(200);
    expect(bare.body.title).toBe('The Lantern Keeper');
    expect(bare.body.credits).toBeUndefined();
    const full = await get('/movie/109445', { append_to_response: 'credits,watch/providers,videos,nonsense' });
    expect(Object.keys(full.body)).toEqual(expect.arrayContaining(['credits', 'watch/providers', 'videos']));
    expect(full.body.nonsense).toBeUndefined();
  });

  it('appends seasons that exist, including Specials', async () => {
    const appends = ['aggregate_credits', ...Array.from({ length: 20 }, (_, i) => `season/${i}`)].join(',');
    const { body } = await get('/tv/9200001', { append_to_response: appends });
    expect(Object.keys(body).filter((k) => k.startsWith('season/'))).toEqual(['season/0', 'season/1', 'season/2']);
    expect(body['season/1'].episodes[0].guest_stars.length).toBeGreaterThan(0);
  });

  it('serves seasons, episodes and sub-resources', async () => {
    const s = await get('/tv/9200002/season/2', { append_to_response: 'watch/providers,aggregate_credits' });
    expect(s.body.episodes).toHaveLength(3);
    expect(s.body.aggregate_credits.cast[0].total_episode_count).toBe(3);
    const agg = await get('/tv/9200002/season/2/aggregate_credits');
    expect(agg.body.id).toBe(s.body.id);
    const ep = await get('/tv/9200001/season/0/episode/2', { append_to_response: 'credits' });
    expect(ep.body.credits.guest_stars).toHaveLength(3);
    const providers = await get('/movie/109445/watch/providers');
    expect(providers.body).toMatchObject({ id: 109445, results: { US: { flatrate: [{ provider_name: 'Lumen+' }] } } });
    const person = await get('/person/9300004', { append_to_response: 'combined_credits' });
    expect(person.body).toMatchObject({ name: 'Rufus Hale', deathday: '2016-02-11' });
    expect(person.body.combined_credits.cast.length).toBeGreaterThan(0);
  });

  it('answers unknown ids and paths with TMDB’s 404 body', async () => {
    for (const path of ['/movie/550', '/tv/62560', '/tv/9200001/season/7', '/tv/9200001/season/1/episode/99', '/person/17838', '/nope']) {
      expect(await get(path), path).toEqual({ status: 404, body: NOT_FOUND });
    }
  });
});

describe('demo transport: search', () => {
  it('matches case-insensitive substrings across kinds (multi)', async () => {
    const { body } = await get('/search/multi', { query: 'LANTERN', page: '1' });
    expect(body.results.map((r: { media_type: string }) => r.media_type)).toEqual(['movie', 'movie']);
    const orbit = await get('/search/multi', { query: 'orbit' });
    expect(orbit.body.results).toMatchObject([{ media_type: 'tv', name: 'The Quiet Orbit' }]);
  });

  it('searches one kind without media_type', async () => {
    const { body } = await get('/search/person', { query: 'mara', page: '1' });
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ id: 9300001, known_for_department: 'Acting' });
    expect(body.results[0].media_type).toBeUndefined();
    expect(body.results[0].known_for.length).toBeGreaterThan(0);
    expect((await get('/search/tv', { query: 'harbor' })).body.results[0].id).toBe(9200001);
    expect((await get('/search/movie', { query: 'satellites' })).body.results[0].id).toBe(9100003);
  });

  it('pages results twenty at a time', async () => {
    const p1 = await get('/search/person', { query: 'a', page: '1' });
    expect(p1.body.total_results).toBeGreaterThan(20);
    expect(p1.body.results).toHaveLength(20);
    expect(p1.body.total_pages).toBe(2);
    const p2 = await get('/search/person', { query: 'a', page: '2' });
    expect(p2.body.page).toBe(2);
    expect(p2.body.results).toHaveLength(p1.body.total_results - 20);
    const ids = [...p1.body.results, ...p2.body.results].map((r: { id: number }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers empty pages for no match and 400 for bad pages', async () => {
    expect((await get('/search/multi', { query: 'zzzz-nothing', page: '1' })).body).toEqual({ page: 1, results: [], total_pages: 1, total_results: 0 });
    expect((await get('/search/multi', { query: '', page: '1' })).body.results).toEqual([]);
    for (const page of ['0', '501', 'x']) {
      const res = await get('/search/movie', { query: 'a', page });
      expect(res.status).toBe(400);
      expect(res.body.status_code).toBe(22);
    }
  });
});

describe('demo transport: changes and plumbing', () => {
  it('reports no person changes', async () => {
    const { status, body } = await get('/person/changes', { start_date: '2026-01-01', end_date: '2026-01-14', page: '1' });
    expect(status).toBe(200);
    expect(body).toEqual({ page: 1, results: [], total_pages: 1, total_results: 0 });
  });

  it('rejects an already aborted call', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(demo.request({ path: '/movie/109445', query: {}, signal: controller.signal })).rejects.toBeInstanceOf(TmdbTransportError);
  });

  it('is what the factory picks without a token', async () => {
    const base = { baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000, rateLimitPerSecond: 40, cacheBytes: 0, maxFetchPerRequest: 10 };
    const offline = createTmdbTransport({ ...base, accessToken: undefined });
    expect(offline.mode).toBe('demo');
    expect((await offline.request({ path: '/movie/109445', query: {} })).status).toBe(200);
    const live = createTmdbTransport({ ...base, accessToken: 'token' });
    expect(live.mode).toBe('live');
    await live.close();
    await offline.close();
  });
});
