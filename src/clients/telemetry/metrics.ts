import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import type { TmdbMetrics } from '../tmdb/tmdb.metrics.ts';
import { createHttpMetricsAggregator, type HttpRouteSeries } from './http-metrics.ts';

export type { HttpRouteSeries };

export interface MetricsConfig {
  serviceName: string;
  otlp?: { endpoint: string; headers?: string | undefined } | undefined;
  /** OTLP export interval (the Go service used 30 s). */
  exportIntervalMs?: number;
}

/** The augur (LLM facts) metrics of §12. `query_type` is always `person` today. */
export interface AugurMetrics {
  /** One LLM query (retries included) and how it ended. */
  request(e: { queryType: string; status: 'success' | 'error' | 'empty'; durationSeconds: number }): void;
  /** One metadata entry of a successful query: `returned` when it reached the confidence threshold, else `rejected`. */
  field(e: { field: string; confidence: number; returned: boolean }): void;
  /** Tokens reported by the provider after a successful query; kinds with 0 are not recorded. */
  tokens(e: { queryType: string; model: string; input: number; output: number }): void;
}

/**
 * The metrics of §12 on OpenTelemetry: always readable as Prometheus text
 * (`GET /metrics`), and pushed over OTLP/HTTP when configured.
 */
export interface Metrics {
  /**
   * The request counter and duration histogram of one route (`endpoint` is the
   * route pattern such as `/movies/{id}`, or `unknown`). Keep the series and
   * call `record(status, seconds)` per request.
   */
  httpRoute(method: string, endpoint: string): HttpRouteSeries;
  readonly tmdb: TmdbMetrics;
  cacheEvent(store: string, operation: 'hit' | 'miss' | 'stale' | 'write'): void;
  rowsPurged(table: string, count: number): void;
  readonly augur: AugurMetrics;
  /** Current values in the Prometheus text format. */
  prometheus(): Promise<string>;
  shutdown(): Promise<void>;
}

const SCOPE = 'minimovie-api';
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TMDB_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const AUGUR_BUCKETS = [1, 2.5, 5, 7.5, 10, 12.5, 15, 20, 25, 30, 45, 60];
const CONFIDENCE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

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
  const http = createHttpMetricsAggregator({ buckets: HTTP_BUCKETS, scopeName: SCOPE });
  const prometheusReader = new PrometheusExporter({ preventServerStart: true, metricProducers: [http] });
  const readers: MetricReader[] = [prometheusReader];
  if (config.otlp) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: config.otlp.endpoint, headers: parseOtlpHeaders(config.otlp.headers) }),
        exportIntervalMillis: config.exportIntervalMs ?? 30_000,
        metricProducers: [http],
      }),
    );
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    readers,
  });
  const meter = provider.getMeter(SCOPE);
  const tmdbTotal = meter.createCounter('tmdb_requests_total', { unit: '{request}', description: 'TMDB calls by endpoint and outcome' });
  const tmdbDuration = meter.createHistogram('tmdb_request_duration_seconds', {
    unit: 's',
    description: 'TMDB call duration',
    advice: { explicitBucketBoundaries: TMDB_BUCKETS },
  });
  const cacheOps = meter.createCounter('cache_operations_total', { unit: '{operation}', description: 'Cache hits, misses, stale serves and writes' });
  const purged = meter.createCounter('db_rows_purged_total', { unit: '{row}', description: 'Expired rows removed by cleanup' });
  const augurTotal = meter.createCounter('augur_requests_total', { unit: '{request}', description: 'LLM queries by outcome' });
  const augurDuration = meter.createHistogram('augur_request_duration_seconds', {
    unit: 's',
    description: 'LLM query duration, retries included',
    advice: { explicitBucketBoundaries: AUGUR_BUCKETS },
  });
  const augurFields = meter.createCounter('augur_fields_total', { unit: '{field}', description: 'LLM fact fields returned or rejected by the confidence threshold' });
  const augurConfidence = meter.createHistogram('augur_field_confidence', {
    unit: '{score}',
    description: 'Confidence the LLM gave each fact field',
    advice: { explicitBucketBoundaries: CONFIDENCE_BUCKETS },
  });
  const augurTokens = meter.createCounter('augur_tokens_total', { unit: '{token}', description: 'LLM tokens by kind' });
  const serializer = new PrometheusSerializer();

  return {
    httpRoute: (method, endpoint) => http.series(method, endpoint),
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
    augur: {
      request(e) {
        augurTotal.add(1, { query_type: e.queryType, status: e.status });
        augurDuration.record(e.durationSeconds, { query_type: e.queryType });
      },
      field(e) {
        augurFields.add(1, { field: e.field, outcome: e.returned ? 'returned' : 'rejected' });
        augurConfidence.record(e.confidence, { field: e.field });
      },
      tokens(e) {
        if (e.input > 0) augurTokens.add(e.input, { query_type: e.queryType, model: e.model, kind: 'input' });
        if (e.output > 0) augurTokens.add(e.output, { query_type: e.queryType, model: e.model, kind: 'output' });
      },
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
