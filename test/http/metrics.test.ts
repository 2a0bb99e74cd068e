import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';

let fake: FakeTmdb;
let t: TestApp;
beforeAll(async () => {
  fake = await startFakeTmdb();
  t = await buildTestAppOn(fake, { env: { METRICS_TOKEN: 'metrics-secret' } });
});
afterAll(() => closeAll(t, fake));

describe('GET /metrics', () => {
  it('requires the metrics token when one is configured', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const wrong = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('TOKEN_INVALID');
  });

  it('reports HTTP requests by route pattern and status, TMDB calls by endpoint and outcome, and cache events', async () => {
    await t.app.inject({ url: '/ping' });
    const auth = { authorization: `Bearer ${t.clientToken}` };
    expect((await t.app.inject({ url: '/movies/109445', headers: auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/movies/999999999', headers: auth })).statusCode).toBe(404);
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer metrics-secret' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toMatch(/http_requests_total\{[^}]*endpoint="\/ping"[^}]*status_code="200"[^}]*\} 1/);
    expect(text).toMatch(/http_requests_total\{[^}]*endpoint="\/movies\/\{id\}"[^}]*status_code="404"[^}]*\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*endpoint="\/movies\/\{id\}"/);
    expect(text).toMatch(/tmdb_requests_total\{[^}]*endpoint="movie"[^}]*status="success"/);
    expect(text).toMatch(/tmdb_requests_total\{[^}]*endpoint="movie"[^}]*status="not_found"/);
    expect(text).toMatch(/cache_operations_total\{[^}]*operation="miss"[^}]*store="tmdb"/);
  });
});
