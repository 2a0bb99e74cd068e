import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { createRateLimiter, RateLimitWaitError } from './rate-limiter.ts';
import { createResponseCache, type CachePolicy } from './response-cache.ts';
import {
  TmdbBadResponseError,
  TmdbNotFoundError,
  TmdbTimeoutError,
  TmdbUnavailableError,
  type TmdbCallOptions,
  type TmdbClient,
  type TmdbError,
  type TmdbResult,
  type TmdbSearchKind,
} from './tmdb.client.ts';
import type { TmdbConfig } from './tmdb.config.ts';
import { noopTmdbMetrics, type TmdbMetrics, type TmdbRequestStatus } from './tmdb.metrics.ts';
import { TmdbTransportError, type TmdbResponse, type TmdbTransport } from './tmdb.transport.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Cache lifetimes per resource kind (documented in the README). */
export const TMDB_CACHE_POLICIES = {
  /** Movies, series, seasons, episodes, collections: edits are rare and not urgent. */
  title: { freshMs: 6 * HOUR, staleWhileRevalidateMs: 24 * HOUR, staleIfErrorMs: 7 * DAY },
  /** People change less often than titles; the sync job refreshes changed people with `bypassCache`. */
  person: { freshMs: 24 * HOUR, staleWhileRevalidateMs: 24 * HOUR, staleIfErrorMs: 7 * DAY },
  /** Search results move with popularity, so they stay fresh only briefly. */
  search: { freshMs: 10 * MINUTE, staleWhileRevalidateMs: HOUR, staleIfErrorMs: DAY },
} as const satisfies Record<string, CachePolicy>;

/** How long a TMDB 404 is remembered, so a bad id does not reach TMDB on every request. */
export const TMDB_NOT_FOUND_TTL_MS = 5 * MINUTE;

/** How failed TMDB calls are retried (documented in the README). */
export interface TmdbRetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Backoff before retry n is `base * 2^(n-1)` capped at `maxDelayMs`, then jittered into [d/2, d]. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wait after a 429 without `Retry-After`: TMDB counts requests per second. */
  rateLimitedDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_TMDB_RETRY_POLICY: TmdbRetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 2000,
  rateLimitedDelayMs: 1000,
  maxRetryAfterMs: 30_000,
};

/** A retry or wait that would leave less than this before the deadline is not started. */
const MIN_ATTEMPT_MS = 100;
/** TMDB accepts at most 20 `append_to_response` items. */
const MAX_APPENDS = 20;
/** `retryAfterSeconds` of a 5xx or network failure that did not come with `Retry-After`. */
const UNAVAILABLE_RETRY_AFTER_S = 5;

export interface TmdbClientDeps {
  transport: TmdbTransport;
  config: Pick<TmdbConfig, 'timeoutMs' | 'rateLimitPerSecond' | 'cacheBytes'>;
  /** Decides cache freshness (tests move it); waits and deadlines use real time. */
  clock?: Clock;
  logger?: Pick<Logger, 'warn' | 'debug'>;
  metrics?: TmdbMetrics;
  retry?: Partial<TmdbRetryPolicy>;
  /** Source of backoff jitter in [0, 1). */
  random?: () => number;
}

interface CallSpec {
  /** Metric label: `movie`, `tv`, `person`, `collection`, `search_<kind>`. */
  endpoint: string;
  path: string;
  query: Record<string, string>;
  /** `undefined`: never cached (coalesced only). */
  policy: CachePolicy | undefined;
}

/** One upstream call shared by every caller that asked for the same request meanwhile. */
interface Flight {
  readonly key: string;
  readonly controller: AbortController;
  promise: Promise<unknown>;
  waiters: number;
  /** A background refresh: runs to the end even when every waiter has left. */
  pinned: boolean;
  /** Latest deadline among the waiters (epoch ms); +Infinity when one has none. */
  deadline: number;
  settled: boolean;
}

type Attempt = { ok: true; data: unknown; bytes: number } | { ok: false; error: TmdbError; delayMs: number; timedOut: boolean };

/**
 * The TMDB client: response cache → request coalescing → rate limit → transport with a
 * per-attempt timeout → bounded retries, all inside the caller's deadline.
 */
export function createTmdbClient(deps: TmdbClientDeps): TmdbClient {
  const { transport, config } = deps;
  const clock = deps.clock ?? systemClock;
  const metrics = deps.metrics ?? noopTmdbMetrics;
  const logger = deps.logger;
  const random = deps.random ?? Math.random;
  const retry: TmdbRetryPolicy = { ...DEFAULT_TMDB_RETRY_POLICY, ...deps.retry };
  const cache = createResponseCache(config.cacheBytes);
  // The built-in demo catalog is in-process: TMDB's limit does not apply to it.
  const limiter = createRateLimiter({ limit: transport.mode === 'demo' ? 0 : config.rateLimitPerSecond });
  const flights = new Map<string, Flight>();
  let closed: Promise<void> | undefined;

  const nowMs = () => clock.now().getTime();

  function closedError(endpoint: string): TmdbUnavailableError {
    return new TmdbUnavailableError('TMDB client is closed', endpoint, 'network', UNAVAILABLE_RETRY_AFTER_S);
  }

  async function call<T>(spec: CallSpec, opts: TmdbCallOptions = {}): Promise<TmdbResult<T>> {
    if (closed) throw closedError(spec.endpoint);
    const key = cacheKey(spec.path, spec.query);
    if (spec.policy) {
      if (!opts.bypassCache) {
        const entry = cache.lookup(key, nowMs());
        if (entry?.notFound) {
          metrics.cacheEvent({ store: 'tmdb', operation: 'hit' });
          throw new TmdbNotFoundError(`TMDB resource not found (cached): ${spec.path}`, spec.endpoint);
        }
        if (entry?.state === 'fresh') {
          metrics.cacheEvent({ store: 'tmdb', operation: 'hit' });
          return { data: entry.value as T, cache: 'HIT' };
        }
        if (entry?.state === 'stale') {
          metrics.cacheEvent({ store: 'tmdb', operation: 'stale' });
          revalidate(key, spec);
          return { data: entry.value as T, cache: 'STALE' };
        }
        metrics.cacheEvent({ store: 'tmdb', operation: 'miss' });
      }
    }
    try {
      return { data: (await join(key, spec, opts)) as T, cache: 'MISS' };
    } catch (err) {
      // stale-if-error also applies to bypassCache: an old page beats an error, and STALE says so.
      if (spec.policy && (err instanceof TmdbUnavailableError || err instanceof TmdbTimeoutError) && !closed) {
        const entry = cache.lookup(key, nowMs());
        if (entry && !entry.notFound) {
          metrics.cacheEvent({ store: 'tmdb', operation: 'stale' });
          logger?.warn({ endpoint: spec.endpoint, path: spec.path, err }, 'TMDB failed; serving a stale cached response');
          return { data: entry.value as T, cache: 'STALE' };
        }
      }
      throw err;
    }
  }

  function startFlight(key: string, spec: CallSpec, deadline: number, pinned: boolean): Flight {
    const flight: Flight = { key, controller: new AbortController(), promise: Promise.resolve(), waiters: 0, pinned, deadline, settled: false };
    flights.set(key, flight);
    flight.promise = fetchAndStore(key, spec, flight).finally(() => {
      flight.settled = true;
      if (flights.get(key) === flight) flights.delete(key);
    });
    // Waiters attach their own handlers; this one only keeps an abandoned flight from being an unhandled rejection.
    flight.promise.catch(() => undefined);
    return flight;
  }

  function leave(flight: Flight): void {
    flight.waiters--;
    if (flight.waiters > 0 || flight.pinned || flight.settled) return;
    if (flights.get(flight.key) === flight) flights.delete(flight.key);
    flight.controller.abort(new Error('every caller left'));
  }

  function join(key: string, spec: CallSpec, opts: TmdbCallOptions): Promise<unknown> {
    const deadline = opts.deadline ?? Number.POSITIVE_INFINITY;
    let flight = flights.get(key);
    if (flight) flight.deadline = Math.max(flight.deadline, deadline);
    else flight = startFlight(key, spec, deadline, false);
    const joined = flight;
    joined.waiters++;

    return new Promise<unknown>((resolve, reject) => {
      const { signal } = opts;
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        leave(joined);
        return true;
      };
      const onAbort = () => {
        if (finish()) reject(new TmdbTimeoutError(`TMDB call aborted by the caller: ${spec.path}`, spec.endpoint, { cause: signal?.reason }));
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.deadline !== undefined) {
        timer = setTimeout(
          () => {
            if (finish()) reject(new TmdbTimeoutError(`TMDB call passed its deadline: ${spec.path}`, spec.endpoint));
          },
          Math.max(0, opts.deadline - Date.now()),
        );
      }
      joined.promise.then(
        (value) => {
          if (finish()) resolve(value);
        },
        (err: Error) => {
          if (finish()) reject(err);
        },
      );
    });
  }

  /** Refresh a stale entry in the background, sharing a call already under way. */
  function revalidate(key: string, spec: CallSpec): void {
    const existing = flights.get(key);
    if (existing) {
      existing.pinned = true;
      existing.deadline = Number.POSITIVE_INFINITY;
      return;
    }
    startFlight(key, spec, Number.POSITIVE_INFINITY, true).promise.catch((err: unknown) => {
      logger?.warn({ endpoint: spec.endpoint, path: spec.path, err }, 'TMDB background refresh failed');
    });
  }

  async function fetchAndStore(key: string, spec: CallSpec, flight: Flight): Promise<unknown> {
    try {
      const { data, bytes } = await fetchWithRetries(spec, flight);
      if (spec.policy && !flight.controller.signal.aborted) {
        cache.store(key, data, bytes, spec.policy, nowMs());
        metrics.cacheEvent({ store: 'tmdb', operation: 'write' });
      }
      return data;
    } catch (err) {
      if (err instanceof TmdbNotFoundError && spec.policy) cache.storeNotFound(key, TMDB_NOT_FOUND_TTL_MS, nowMs());
      throw err;
    }
  }

  async function fetchWithRetries(spec: CallSpec, flight: Flight): Promise<{ data: unknown; bytes: number }> {
    const { signal } = flight.controller;
    for (let attempt = 1; ; attempt++) {
      const result = await attemptOnce(spec, flight, attempt);
      if (result.ok) return result;
      if (attempt >= retry.maxAttempts || result.delayMs > retry.maxRetryAfterMs) throw result.error;
      const remaining = flight.deadline - Date.now();
      if (result.delayMs + MIN_ATTEMPT_MS > remaining) throw result.error;
      // A hung TMDB tends to stay hung: retry a timeout only when a whole new attempt fits the caller's deadline.
      if (result.timedOut && !(Number.isFinite(flight.deadline) && result.delayMs + config.timeoutMs <= remaining)) throw result.error;
      logger?.debug({ endpoint: spec.endpoint, path: spec.path, attempt, delayMs: Math.round(result.delayMs), err: result.error }, 'retrying TMDB call');
      try {
        await sleep(result.delayMs, undefined, { signal });
      } catch {
        throw closedError(spec.endpoint);
      }
    }
  }

  function record(endpoint: string, status: TmdbRequestStatus, statusCode: number, started: number): void {
    metrics.tmdbRequest({ endpoint, status, statusCode, durationSeconds: (performance.now() - started) / 1000 });
  }

  function backoff(attempt: number): number {
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + (random() * ceiling) / 2;
  }

  async function attemptOnce(spec: CallSpec, flight: Flight, attempt: number): Promise<Attempt> {
    const { endpoint, path } = spec;
    const { signal } = flight.controller;
    const hasDeadline = Number.isFinite(flight.deadline);
    if (hasDeadline && flight.deadline - Date.now() <= 0) throw new TmdbTimeoutError(`TMDB call passed its deadline: ${path}`, endpoint);

    let release: () => void;
    try {
      release = await limiter.acquire({ signal, ...(hasDeadline ? { maxWaitMs: flight.deadline - Date.now() - MIN_ATTEMPT_MS } : {}) });
    } catch (err) {
      if (err instanceof RateLimitWaitError) {
        throw new TmdbUnavailableError(`TMDB rate limit (client side) would delay the call past its deadline: ${path}`, endpoint, 'rate_limited', Math.max(1, Math.ceil(err.waitMs / 1000)), {
          cause: err,
        });
      }
      throw closedError(endpoint);
    }

    const attemptMs = Math.min(config.timeoutMs, flight.deadline - Date.now());
    if (attemptMs <= 0) {
      release();
      throw new TmdbTimeoutError(`TMDB call passed its deadline: ${path}`, endpoint);
    }
    // One controller per attempt, fed by the flight's signal and our own timer: unlike
    // AbortSignal.timeout, the timer is cleared as soon as the answer is in.
    const attemptController = new AbortController();
    const onFlightAbort = () => attemptController.abort(signal.reason);
    signal.addEventListener('abort', onFlightAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attemptController.abort(new Error('TMDB attempt timed out'));
    }, attemptMs);
    const started = performance.now();
    let res: TmdbResponse;
    try {
      res = await transport.request({ path, query: spec.query, signal: attemptController.signal });
    } catch (err) {
      record(endpoint, 'error', 0, started);
      if (signal.aborted) throw closedError(endpoint);
      if (timedOut || (err instanceof TmdbTransportError && err.reason !== 'network')) {
        const error = new TmdbTimeoutError(`TMDB call timed out after ${Math.round(attemptMs)} ms: ${path}`, endpoint, { cause: err });
        return { ok: false, error, delayMs: backoff(attempt), timedOut: true };
      }
      const error = new TmdbUnavailableError(`TMDB unreachable: ${path}`, endpoint, 'network', UNAVAILABLE_RETRY_AFTER_S, { cause: err });
      return { ok: false, error, delayMs: backoff(attempt), timedOut: false };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onFlightAbort);
      release();
    }

    const { status } = res;
    if (status >= 200 && status < 300) {
      let data: unknown;
      try {
        data = JSON.parse(res.body);
      } catch (err) {
        record(endpoint, 'error', status, started);
        throw new TmdbBadResponseError(`TMDB sent a malformed body (${res.body.length} bytes): ${path}`, endpoint, status, { cause: err });
      }
      record(endpoint, 'success', status, started);
      return { ok: true, data, bytes: res.body.length };
    }
    if (status === 404) {
      record(endpoint, 'not_found', status, started);
      throw new TmdbNotFoundError(`TMDB resource not found: ${path}`, endpoint);
    }
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], Date.now());
    const retryAfterS = retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000));
    if (status === 429) {
      record(endpoint, 'rate_limited', status, started);
      logger?.warn({ endpoint, path, retryAfter: res.headers['retry-after'], attempt }, 'TMDB rate limit hit');
      const waitMs = retryAfterMs ?? retry.rateLimitedDelayMs;
      // TMDB's limit is per client, not per request: hold back every call, not just this one.
      limiter.pause(Math.min(waitMs, retry.maxRetryAfterMs));
      const error = new TmdbUnavailableError(`TMDB rate limit hit: ${path}`, endpoint, 'rate_limited', retryAfterS ?? 1);
      return { ok: false, error, delayMs: waitMs + random() * Math.min(250, waitMs / 10), timedOut: false };
    }
    record(endpoint, 'error', status, started);
    if (status >= 500) {
      const error = new TmdbUnavailableError(`TMDB answered ${status}: ${path}`, endpoint, 'server_error', retryAfterS ?? UNAVAILABLE_RETRY_AFTER_S);
      return { ok: false, error, delayMs: retryAfterMs ?? backoff(attempt), timedOut: false };
    }
    throw new TmdbBadResponseError(`TMDB answered ${status}${statusMessage(res.body)}: ${path}`, endpoint, status);
  }

  function withLanguage(query: Record<string, string>, opts: TmdbCallOptions | undefined): Record<string, string> {
    if (opts?.language) query.language = opts.language;
    return query;
  }

  const titles = TMDB_CACHE_POLICIES.title;

  return {
    get mode() {
      return transport.mode;
    },
    movie(id, opts) {
      return call({ endpoint: 'movie', path: `/movie/${id}`, query: withLanguage({ append_to_response: 'credits,watch/providers,videos' }, opts), policy: titles }, opts);
    },
    collection(id, opts) {
      return call({ endpoint: 'collection', path: `/collection/${id}`, query: withLanguage({}, opts), policy: titles }, opts);
    },
    tv(id, opts) {
      return call({ endpoint: 'tv', path: `/tv/${id}`, query: withLanguage({ append_to_response: 'aggregate_credits,watch/providers,videos' }, opts), policy: titles }, opts);
    },
    tvWithSeasons(id, seasons, withAggregateCredits, opts) {
      // Sorted and deduplicated so that the same set of seasons is one cache entry.
      const appends = [...new Set(seasons)].sort((a, b) => a - b).map((n) => `season/${n}`);
      if (withAggregateCredits) appends.unshift('aggregate_credits');
      if (appends.length > MAX_APPENDS) {
        return Promise.reject(new RangeError(`TMDB accepts at most ${MAX_APPENDS} append_to_response items, got ${appends.length}`));
      }
      const query: Record<string, string> = appends.length > 0 ? { append_to_response: appends.join(',') } : {};
      return call({ endpoint: 'tv', path: `/tv/${id}`, query: withLanguage(query, opts), policy: titles }, opts);
    },
    season(seriesId, seasonNumber, opts) {
      const path = `/tv/${seriesId}/season/${seasonNumber}`;
      return call({ endpoint: 'tv', path, query: withLanguage({ append_to_response: 'watch/providers,aggregate_credits' }, opts), policy: titles }, opts);
    },
    seasonAggregateCredits(seriesId, seasonNumber, opts) {
      return call({ endpoint: 'tv', path: `/tv/${seriesId}/season/${seasonNumber}/aggregate_credits`, query: withLanguage({}, opts), policy: titles }, opts);
    },
    episode(seriesId, seasonNumber, episodeNumber, opts) {
      const path = `/tv/${seriesId}/season/${seasonNumber}/episode/${episodeNumber}`;
      return call({ endpoint: 'tv', path, query: withLanguage({ append_to_response: 'credits' }, opts), policy: titles }, opts);
    },
    person(id, opts) {
      return call({ endpoint: 'person', path: `/person/${id}`, query: withLanguage({ append_to_response: 'combined_credits' }, opts), policy: TMDB_CACHE_POLICIES.person }, opts);
    },
    search<K extends TmdbSearchKind>(kind: K, query: string, page: number, opts?: TmdbCallOptions & { region?: string }) {
      const q: Record<string, string> = { query, page: String(page) };
      withLanguage(q, opts);
      if (kind === 'movie' && opts?.region) q.region = opts.region;
      return call({ endpoint: `search_${kind}`, path: `/search/${kind}`, query: q, policy: TMDB_CACHE_POLICIES.search }, opts);
    },
    personChanges(startDate, endDate, page, opts) {
      const query = withLanguage({ start_date: startDate, end_date: endDate, page: String(page) }, opts);
      return call({ endpoint: 'person', path: '/person/changes', query, policy: undefined }, opts);
    },
    close() {
      closed ??= (async () => {
        limiter.close();
        for (const flight of flights.values()) flight.controller.abort(new Error('TMDB client closed'));
        flights.clear();
        cache.clear();
        await transport.close();
      })();
      return closed;
    },
  };
}

/** Cache and coalescing key: path plus the query sorted by name (values escaped so no two queries collide). */
export function cacheKey(path: string, query: Readonly<Record<string, string>>): string {
  const names = Object.keys(query);
  if (names.length === 0) return path;
  names.sort();
  let key = `${path}?`;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    key += `${i === 0 ? '' : '&'}${name}=${encodeURIComponent(query[name]!)}`;
  }
  return key;
}

/**
 * `Retry-After` in milliseconds from `now`: delta-seconds or an HTTP date; `undefined` when absent or unreadable.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse accepts almost anything ("-1" is a year); an HTTP date always has a day or month name.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `" (TMDB 7: Invalid API key ...)"` from a TMDB error body, or `""`. */
function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { status_code?: unknown; status_message?: unknown };
    return typeof parsed.status_message === 'string' ? ` (TMDB ${String(parsed.status_code)}: ${parsed.status_message})` : '';
  } catch {
    return '';
  }
}
