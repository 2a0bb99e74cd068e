import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import type { TmdbMetrics } from '../tmdb/tmdb.metrics.ts';

export interface MetricsConfig {
  serviceName: string;
  otlp?: { endpoint: string; headers?: string | undefined } | undefined;
  /** OTLP export interval (the Go service used 30 s). */
  exportIntervalMs?: number;
}

export interface HttpRequestEvent {
  method: string;
  /** Route pattern such as `/movies/:id`, or `unknown`. */
  endpoint: string;
  statusCode: number;
  durationSeconds: number;
}

/**
 * The metrics of §12 on OpenTelemetry: always readable as Prometheus text
 * (`GET /metrics`), and pushed over OTLP/HTTP when configured.
 */
export interface Metrics {
  httpRequest(event: HttpRequestEvent): void;
  readonly tmdb: TmdbMetrics;
  cacheEvent(store: string, operation: 'hit' | 'miss' | 'stale' | 'write'): void;
  rowsPurged(table: string, count: number): void;
  /** Current values in the Prometheus text format. */
  prometheus(): Promise<string>;
  shutdown(): Promise<void>;
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TMDB_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Parse `key=value,key2=value2` (the OTLP headers variable). */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return out;
}

/** Build the meter provider, its instruments and readers. */
export function createMetrics(config: MetricsConfig): Metrics {
  const prometheusReader = new PrometheusExporter({ preventServerStart: true });
  const readers: MetricReader[] = [prometheusReader];
  if (config.otlp) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: config.otlp.endpoint, headers: parseOtlpHeaders(config.otlp.headers) }),
        exportIntervalMillis: config.exportIntervalMs ?? 30_000,
      }),
    );
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    readers,
  });
  const meter = provider.getMeter('minimovie-api');
  const httpTotal = meter.createCounter('http_requests_total', { unit: '{request}', description: 'HTTP requests by route and status' });
  const httpDuration = meter.createHistogram('http_request_duration_seconds', {
    unit: 's',
    description: 'HTTP request duration',
    advice: { explicitBucketBoundaries: HTTP_BUCKETS },
  });
  const tmdbTotal = meter.createCounter('tmdb_requests_total', { unit: '{request}', description: 'TMDB calls by endpoint and outcome' });
  const tmdbDuration = meter.createHistogram('tmdb_request_duration_seconds', {
    unit: 's',
    description: 'TMDB call duration',
    advice: { explicitBucketBoundaries: TMDB_BUCKETS },
  });
  const cacheOps = meter.createCounter('cache_operations_total', { unit: '{operation}', description: 'Cache hits, misses, stale serves and writes' });
  const purged = meter.createCounter('db_rows_purged_total', { unit: '{row}', description: 'Expired rows removed by cleanup' });
  const serializer = new PrometheusSerializer();

  return {
    httpRequest(e) {
      httpTotal.add(1, { method: e.method, endpoint: e.endpoint, status_code: e.statusCode });
      httpDuration.record(e.durationSeconds, { method: e.method, endpoint: e.endpoint });
    },
    tmdb: {
      tmdbRequest(e) {
        tmdbTotal.add(1, { endpoint: e.endpoint, status: e.status, status_code: e.statusCode });
        tmdbDuration.record(e.durationSeconds, { endpoint: e.endpoint });
      },
      cacheEvent(e) {
        cacheOps.add(1, { operation: e.operation, store: e.store });
      },
    },
    cacheEvent(store, operation) {
      cacheOps.add(1, { operation, store });
    },
    rowsPurged(table, count) {
      if (count > 0) purged.add(count, { table });
    },
    async prometheus() {
      const { resourceMetrics } = await prometheusReader.collect();
      return serializer.serialize(resourceMetrics);
    },
    async shutdown() {
      await provider.shutdown().catch(() => undefined);
    },
  };
}
