import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createFixtureResolver, parseAppends, TMDB_NOT_FOUND_BODY, type FixtureResolver } from './tmdb-fixtures.ts';

/** One request the fake received. Times are milliseconds since the fake started. */
export interface FakeTmdbCall {
  method: string;
  path: string;
  /** Decoded query parameters (`+` read as space). */
  query: Record<string, string>;
  /** The query string exactly as sent, without `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** Client port: equal ports on two calls mean the connection was reused. */
  remotePort: number;
  startedAt: number;
  finishedAt?: number;
  status?: number;
  /** The client went away before the answer was sent (timeout, abort). */
  aborted: boolean;
}

/** What a handler sees. `params` holds the `:name` segments of the matched pattern. */
export interface FakeTmdbRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** `append_to_response`, split. */
  append: string[];
  call: FakeTmdbCall;
}

/**
 * How to answer. With neither `status` nor `body` the normal answer (fixture or 404) is sent,
 * so `{ latencyMs: 300 }` only slows a path down. A `status` without `body` gets TMDB's
 * error body for that status.
 */
export interface FakeTmdbReply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string as it is. */
  body?: unknown;
  /** Delay before answering; replaces `fake.latencyMs` for this answer. */
  latencyMs?: number;
  /** Never answer (the client must time out or abort). */
  hang?: boolean;
  /** Answer 200 with a truncated JSON body. */
  malformed?: boolean;
  /** Apply this rule this many times, then fall through to the next one. */
  times?: number;
}

/** A fixed reply, or a function that may return `undefined` to fall through. */
export type FakeTmdbHandler = FakeTmdbReply | ((req: FakeTmdbRequest) => FakeTmdbReply | undefined);

/** A registered rule; `remove()` takes it out early. */
export interface FakeTmdbRule {
  readonly hits: number;
  remove(): void;
}

/** Options of `startFakeTmdb`. */
export interface FakeTmdbOptions {
  /** Serve test/fixtures/tmdb (default true). */
  fixtures?: boolean;
  /** When set, calls without `Authorization: Bearer <token>` get TMDB's 401. */
  accessToken?: string;
  /** Delay for every answer (default 0). */
  latencyMs?: number;
}

/** A local TMDB stand-in for tests and benchmarks. */
export interface FakeTmdb {
  /** `http://127.0.0.1:<port>`: use as `TMDB_BASE_URL`. */
  readonly baseUrl: string;
  /** Every call in arrival order, including ones still in flight. */
  readonly calls: readonly FakeTmdbCall[];
  /** Delay for every answer that does not set its own. */
  latencyMs: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  /**
   * Answer matching paths before the fixtures. `pattern` is an exact path (`/movie/550`),
   * a pattern with `:name` segments (`/movie/:id`), a trailing `*` prefix (`/tv/*`), `*` for
   * every path, or a RegExp. The newest matching rule wins.
   */
  on(pattern: string | RegExp, handler: FakeTmdbHandler): FakeTmdbRule;
  /** Like `on`, but consulted only for paths the fixtures do not cover (e.g. "any unseen movie id"). */
  otherwise(pattern: string | RegExp, handler: FakeTmdbHandler): FakeTmdbRule;
  /** Calls whose path matches `pattern` (same syntax as `on`). */
  callsTo(pattern: string | RegExp): FakeTmdbCall[];
  /** Calls started in each second since the first call: `[12, 40, 40, 7]`. */
  callsPerSecond(): number[];
  /** Most calls started within any window of `windowMs` (default 1000). */
  peakCallsPerWindow(windowMs?: number): number;
  /** Forget recorded calls and the in-flight peak. */
  clearCalls(): void;
  /** Drop every rule, recorded call and latency. */
  reset(): void;
  /** Stop listening and drop open connections (hanging answers included). */
  close(): Promise<void>;
}

const ERROR_BODIES: Record<number, { status_code: number; status_message: string }> = {
  400: { status_code: 5, status_message: 'Invalid parameters: Your request parameters are incorrect.' },
  401: { status_code: 7, status_message: 'Invalid API key: You must be granted a valid key.' },
  404: { status_code: 34, status_message: TMDB_NOT_FOUND_BODY.status_message },
  429: { status_code: 25, status_message: 'Your request count (#) is over the allowed limit of (40).' },
  500: { status_code: 11, status_message: 'Internal error: Something went wrong, contact TMDB.' },
  503: { status_code: 9, status_message: 'Service offline: This service is temporarily offline, try again later.' },
};

/** The body TMDB sends with an error status. */
export function tmdbErrorBody(status: number): { success: false; status_code: number; status_message: string } {
  const known = ERROR_BODIES[status] ?? (status >= 500 ? ERROR_BODIES[500]! : ERROR_BODIES[400]!);
  return { success: false, ...known };
}

const MALFORMED_BODY = '{"adult":false,"id":1,"title":"Trunc';

interface Matcher {
  test(path: string): Record<string, string> | undefined;
}

function compile(pattern: string | RegExp): Matcher {
  if (pattern instanceof RegExp) return { test: (path) => (pattern.test(path) ? {} : undefined) };
  if (pattern === '*') return { test: () => ({}) };
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return { test: (path) => (path.startsWith(prefix) ? {} : undefined) };
  }
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  const re = new RegExp(`^${source}$`);
  return {
    test(path) {
      const m = re.exec(path);
      if (!m) return undefined;
      return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(m[i + 1] ?? '')]));
    },
  };
}

interface Rule {
  matcher: Matcher;
  handler: FakeTmdbHandler;
  hits: number;
  remaining: number | undefined;
}

/** Start a fake TMDB on 127.0.0.1 with a random port. Close it in `afterAll`. */
export async function startFakeTmdb(options: FakeTmdbOptions = {}): Promise<FakeTmdb> {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const resolveFixture: FixtureResolver | undefined = options.fixtures === false ? undefined : createFixtureResolver();
  let calls: FakeTmdbCall[] = [];
  let rules: Rule[] = [];
  let fallbacks: Rule[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const timers = new Set<NodeJS.Timeout>();

  function addRule(list: () => Rule[], pattern: string | RegExp, handler: FakeTmdbHandler): FakeTmdbRule {
    const times = typeof handler === 'function' ? undefined : handler.times;
    const rule: Rule = { matcher: compile(pattern), handler, hits: 0, remaining: times };
    list().push(rule);
    return {
      get hits() {
        return rule.hits;
      },
      remove() {
        rules = rules.filter((r) => r !== rule);
        fallbacks = fallbacks.filter((r) => r !== rule);
      },
    };
  }

  function pick(list: Rule[], req: Omit<FakeTmdbRequest, 'params'>): FakeTmdbReply | undefined {
    for (let i = list.length - 1; i >= 0; i--) {
      const rule = list[i]!;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      const params = rule.matcher.test(req.path);
      if (!params) continue;
      const reply = typeof rule.handler === 'function' ? rule.handler({ ...req, params }) : rule.handler;
      if (!reply) continue;
      rule.hits++;
      if (rule.remaining !== undefined) rule.remaining--;
      return reply;
    }
    return undefined;
  }

  function defaultAnswer(req: Omit<FakeTmdbRequest, 'params'>): { status: number; body: unknown; headers?: Record<string, string> } {
    const fixture = resolveFixture?.(req.path, req.query);
    if (fixture) return fixture;
    const reply = pick(fallbacks, req);
    if (reply && (reply.status !== undefined || reply.body !== undefined)) {
      const status = reply.status ?? 200;
      return { status, body: reply.body ?? tmdbErrorBody(status), ...(reply.headers ? { headers: reply.headers } : {}) };
    }
    return { status: 404, body: TMDB_NOT_FOUND_BODY };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake.tmdb');
    const call: FakeTmdbCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      rawQuery: url.search.slice(1),
      headers: req.headers,
      remotePort: req.socket.remotePort ?? 0,
      startedAt: now(),
      aborted: false,
    };
    calls.push(call);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight--;
      call.finishedAt = now();
      if (!res.writableFinished) call.aborted = true;
    });

    const request = { method: call.method, path: call.path, query: call.query, append: parseAppends(call.query.append_to_response), call };
    let status: number;
    let headers: Record<string, string> = {};
    let body: unknown;
    let delay = fake.latencyMs;

    if (options.accessToken !== undefined && req.headers.authorization !== `Bearer ${options.accessToken}`) {
      status = 401;
      body = tmdbErrorBody(401);
    } else {
      const reply = pick(rules, request);
      if (reply?.hang) return;
      if (reply?.latencyMs !== undefined) delay = reply.latencyMs;
      if (reply?.malformed) {
        status = reply.status ?? 200;
        body = MALFORMED_BODY;
      } else if (reply && (reply.status !== undefined || reply.body !== undefined)) {
        status = reply.status ?? 200;
        body = reply.body ?? (status === 200 ? defaultAnswer(request).body : tmdbErrorBody(status));
      } else {
        const answer = defaultAnswer(request);
        status = answer.status;
        body = answer.body;
        headers = answer.headers ?? {};
      }
      headers = { ...headers, ...reply?.headers };
    }

    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const send = () => {
      if (res.destroyed) return;
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
      res.end(text);
    };
    if (delay > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, delay);
      timers.add(timer);
    } else {
      send();
    }
  }

  const server = createServer(handle);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  const fake: FakeTmdb = {
    baseUrl: `http://127.0.0.1:${port}`,
    get calls() {
      return calls;
    },
    latencyMs: options.latencyMs ?? 0,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    on: (pattern, handler) => addRule(() => rules, pattern, handler),
    otherwise: (pattern, handler) => addRule(() => fallbacks, pattern, handler),
    callsTo(pattern) {
      const matcher = compile(pattern);
      return calls.filter((c) => matcher.test(c.path) !== undefined);
    },
    callsPerSecond() {
      const first = calls[0];
      if (!first) return [];
      const buckets: number[] = [];
      for (const c of calls) {
        const i = Math.floor((c.startedAt - first.startedAt) / 1000);
        while (buckets.length <= i) buckets.push(0);
        buckets[i]!++;
      }
      return buckets;
    },
    peakCallsPerWindow(windowMs = 1000) {
      const starts = calls.map((c) => c.startedAt).sort((a, b) => a - b);
      let peak = 0;
      for (let lo = 0, hi = 0; hi < starts.length; hi++) {
        while (starts[hi]! - starts[lo]! >= windowMs) lo++;
        peak = Math.max(peak, hi - lo + 1);
      }
      return peak;
    },
    clearCalls() {
      calls = [];
      maxInFlight = inFlight;
    },
    reset() {
      rules = [];
      fallbacks = [];
      fake.latencyMs = options.latencyMs ?? 0;
      fake.clearCalls();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
  return fake;
}
