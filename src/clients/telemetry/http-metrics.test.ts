import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

/** The Prometheus lines of one metric, without the scope label, for readable assertions. */
function lines(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .map((l) => l.replace(/,?otel_scope_name="[^"]*"/, ''));
}

describe('HTTP metrics aggregated in place', () => {
  it('counts by method, endpoint and status, and fills cumulative buckets with le semantics', async () => {
    const metrics = createMetrics({ serviceName: 'test' });
    const movies = metrics.httpRoute('GET', '/movies/{id}');
    expect(metrics.httpRoute('GET', '/movies/{id}')).toBe(movies);
    movies.record(200, 0.004);
    movies.record(200, 0.005); // on the bound: counted in le="0.005"
    movies.record(404, 0.2);
    movies.record(200, 30); // above the last bound: only +Inf
    metrics.httpRoute('POST', '/me/watchlist').record(201, 0.01);
    const text = await metrics.prometheus();

    expect(lines(text, 'http_requests_total{')).toEqual(
      expect.arrayContaining([
        'http_requests_total{method="GET",endpoint="/movies/{id}",status_code="200"} 3',
        'http_requests_total{method="GET",endpoint="/movies/{id}",status_code="404"} 1',
        'http_requests_total{method="POST",endpoint="/me/watchlist",status_code="201"} 1',
      ]),
    );
    const movieBuckets = lines(text, 'http_request_duration_seconds_bucket{method="GET"');
    expect(movieBuckets).toContain('http_request_duration_seconds_bucket{method="GET",endpoint="/movies/{id}",le="0.005"} 2');
    expect(movieBuckets).toContain('http_request_duration_seconds_bucket{method="GET",endpoint="/movies/{id}",le="0.25"} 3');
    expect(movieBuckets).toContain('http_request_duration_seconds_bucket{method="GET",endpoint="/movies/{id}",le="10"} 3');
    expect(movieBuckets).toContain('http_request_duration_seconds_bucket{method="GET",endpoint="/movies/{id}",le="+Inf"} 4');
    expect(lines(text, 'http_request_duration_seconds_count{method="GET"')).toEqual(['http_request_duration_seconds_count{method="GET",endpoint="/movies/{id}"} 4']);
    const sum = lines(text, 'http_request_duration_seconds_sum{method="GET"')[0]!;
    expect(Number(sum.split(' ').pop())).toBeCloseTo(30.209, 6);
    await metrics.shutdown();
  });

  it('shows no HTTP series before the first request', async () => {
    const metrics = createMetrics({ serviceName: 'test' });
    metrics.httpRoute('GET', '/ping');
    expect(await metrics.prometheus()).not.toMatch(/^http_requests_total/m);
    await metrics.shutdown();
  });
});
