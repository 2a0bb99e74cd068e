import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Keys redacted wherever they appear at the top level of a log object. */
const SECRET_TOP_KEYS = new Set(['accessToken', 'refreshToken', 'idToken', 'token']);

/** Keys redacted inside any nested plain object (`{ body: { code } }`, `{ tokens: { id_token } }`). */
const SECRET_NESTED_KEYS = new Set([
  'accessToken',
  'refreshToken',
  'idToken',
  'code',
  'code_verifier',
  'token',
  'password',
  'secret',
  'nonce',
  'state',
  'code_challenge',
  'link_token',
  'linkToken',
  'authorizationCode',
  'payload',
  'client_secret',
  'refresh_token',
  'id_token',
  'access_token',
  'refreshTokenEnc',
]);

/** Header names redacted in any `headers` object. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'idempotency-key']);

export const REDACTED = '[redacted]';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function redactNested(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in value) {
    const v = value[key];
    let next = v;
    if (SECRET_NESTED_KEYS.has(key) || (key === 'headers' && isPlainObject(v))) {
      next = key === 'headers' ? redactHeaders(v as Record<string, unknown>) : REDACTED;
    } else if (depth < 3 && isPlainObject(v)) {
      next = redactNested(v, depth + 1);
    }
    if (next !== v) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in headers) if (SECRET_HEADERS.has(key.toLowerCase())) (out ??= { ...headers })[key] = REDACTED;
  return out ?? headers;
}

/**
 * Replace secrets in a log object before it is written: tokens, codes, ID
 * tokens, nonces and credential headers, at the top level and in nested plain
 * objects. A key scan is far cheaper than pino's path-based redaction, whose
 * wildcard paths cost tens of microseconds per line and per child logger;
 * objects without secrets are returned as they are.
 */
export function redactSecrets(obj: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in obj) {
    const v = obj[key];
    let next = v;
    if (SECRET_TOP_KEYS.has(key)) next = REDACTED;
    else if (key === 'headers' && isPlainObject(v)) next = redactHeaders(v);
    else if (isPlainObject(v)) next = redactNested(v, 1);
    if (next !== v) (out ??= { ...obj })[key] = next;
  }
  return out ?? obj;
}

/** Query parameters whose values are credentials or one-time codes in some URL (OAuth callbacks and starts). */
const SECRET_QUERY_PARAMS = new Set(['code', 'state', 'nonce', 'code_challenge', 'code_verifier', 'link_token', 'id_token', 'access_token', 'refresh_token', 'token', 'client_secret', 'user']);

/** A request URL fit for the log: the values of credential-like query parameters are replaced by "[redacted]". */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq < 0 ? pair : pair.slice(0, eq);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replaceAll('+', ' '));
      } catch {
        // A malformed key is logged as it came; its value is still dropped below.
        return `${rawKey}=[redacted]`;
      }
      return eq >= 0 && SECRET_QUERY_PARAMS.has(key.toLowerCase()) ? `${rawKey}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

export interface LoggerOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
  /** Destination for JSON lines; defaults to stdout. */
  destination?: pino.DestinationStream;
}

/** Create the process logger: pretty in a terminal, JSON lines otherwise. */
export function createLogger(opts: LoggerOptions): Logger {
  const usePretty = opts.format === 'pretty' || (opts.format === 'auto' && process.stdout.isTTY && !opts.destination);
  const base: pino.LoggerOptions = {
    level: opts.level,
    base: { service: 'minimovie' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: redactSecrets },
  };
  if (usePretty) {
    return pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true }));
  }
  const logger = pino(base, opts.destination ?? pino.destination({ dest: 1, sync: true }));
  jsonLoggers.add(logger);
  return logger;
}

/** Loggers that write JSON lines (not pretty), so an access line can be written to their stream directly. */
const jsonLoggers = new WeakSet<Logger>();

export interface AccessLine {
  reqId: string;
  method: string;
  url: string;
  route: string;
  status: number;
  /** Duration in milliseconds; logged to 0.1 ms. */
  ms: number;
}

export interface AccessLogWriter {
  /** Log one finished request. */
  write(line: AccessLine): void;
  /** Write out buffered lines now (the buffer also empties by itself). */
  flush(): void;
  /** Flush and stop (the server is closing); later lines are written at once. */
  close(): void;
}

/** Flushers of open access-log writers, run once at process exit so no line is lost on `process.exit()`. */
const openWriters = new Set<() => void>();
let exitHookInstalled = false;

/** Characters that JSON escapes (quotes, backslashes, controls) or that need care (surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found here
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal; plain strings (ids, methods, routes, most URLs) skip JSON.stringify, which costs several times more. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Buffered access lines are written once this many characters have gathered... */
const ACCESS_BUFFER_CHARS = 16 * 1024;
/** ...or this long after the first of them, whichever comes first. */
export const ACCESS_FLUSH_MS = 100;

/**
 * A writer for the one access line per request. With a JSON logger the line
 * is built by hand and written to the logger's stream: it has six known,
 * secret-free fields (the URL is passed through `redactUrl` by the caller),
 * and skipping pino's generic serialization is measurably faster on the hot
 * path. The line has the same shape as pino's (`level`, `time`, `service`,
 * fields, `msg`). Lines are gathered and written together, at most
 * ACCESS_FLUSH_MS after a request ends (and at once on `flush()` and at
 * process exit), so a busy server makes one write system call per ~16 KiB of
 * access log instead of one per request. Every other log line is written
 * immediately. With a pretty logger each line goes through pino as usual.
 */
export function createAccessLogWriter(logger: Logger): AccessLogWriter {
  const stream = (logger as unknown as Record<symbol, { write(chunk: string): unknown } | undefined>)[pino.symbols.streamSym];
  if (!jsonLoggers.has(logger) || !stream) {
    return { write: (line) => logger.info(line, 'request completed'), flush: () => undefined, close: () => undefined };
  }
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  let lastMs = 0;
  let lastIso = '';
  let lastRoute = '';
  let lastRouteJson = '""';
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const out = pending;
    pending = '';
    stream.write(out);
  };
  let closed = false;
  openWriters.add(flush);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const f of openWriters) f();
    });
  }
  return {
    write(line) {
      if (!logger.isLevelEnabled('info')) return;
      const ms = Date.now();
      if (ms !== lastMs) {
        lastMs = ms;
        lastIso = new Date(ms).toISOString();
      }
      if (line.route !== lastRoute) {
        lastRoute = line.route;
        lastRouteJson = jsonString(line.route);
      }
      // Tenths of a millisecond as integers: printing a double costs several times more.
      const tenths = Math.round(line.ms * 10);
      pending += `{"level":"info","time":"${lastIso}","service":"minimovie","reqId":${jsonString(line.reqId)},"method":${jsonString(line.method)},"url":${jsonString(line.url)},"route":${lastRouteJson},"status":${line.status},"ms":${Math.trunc(tenths / 10)}.${tenths % 10},"msg":"request completed"}\n`;
      if (closed || pending.length >= ACCESS_BUFFER_CHARS) flush();
      else timer ??= setTimeout(flush, ACCESS_FLUSH_MS).unref();
    },
    flush,
    close() {
      closed = true;
      flush();
      openWriters.delete(flush);
    },
  };
}

/**
 * A request's child logger that is only built when something logs through
 * it. Fastify makes one child logger per request (to bind `reqId`), and pino
 * serializes the bindings when the child is made; most requests never log
 * anything but the access line, so making it lazily saves that work.
 */
class LazyChildLogger {
  #parent: Logger;
  #bindings: pino.Bindings;
  #opts: pino.ChildLoggerOptions;
  #real: Logger | undefined;

  constructor(parent: Logger, bindings: pino.Bindings, opts: pino.ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#opts = opts;
  }

  #logger(): Logger {
    return (this.#real ??= this.#parent.child(this.#bindings, this.#opts));
  }

  #call(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: unknown[]): void {
    const logger = this.#logger();
    Reflect.apply(logger[level], logger, args);
  }

  get level(): string {
    return this.#real?.level ?? this.#opts.level ?? this.#parent.level;
  }

  /** pino's `levelVal`, which some callers read to compare levels. */
  get levelVal(): number {
    return this.#real?.levelVal ?? (this.#opts.level === undefined ? this.#parent.levelVal : this.#logger().levelVal);
  }

  set level(level: string) {
    this.#logger().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#call('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#call('error', args);
  }

  warn(...args: unknown[]): void {
    this.#call('warn', args);
  }

  info(...args: unknown[]): void {
    this.#call('info', args);
  }

  debug(...args: unknown[]): void {
    this.#call('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#call('trace', args);
  }

  silent(): void {}

  isLevelEnabled(level: string): boolean {
    return this.#logger().isLevelEnabled(level);
  }

  /** Children are lazy too. */
  child(bindings: pino.Bindings, opts?: pino.ChildLoggerOptions): Logger {
    return new LazyChildLogger(this.#logger(), bindings, opts ?? {}) as unknown as Logger;
  }

  /** A wrapper around a logger that exists already: it logs straight to it, and only its children are lazy. */
  static around(logger: Logger): LazyChildLogger {
    const wrapper = new LazyChildLogger(logger, {}, {});
    wrapper.#real = logger;
    return wrapper;
  }
}

/**
 * The logger to hand to Fastify (`loggerInstance`): it logs through `logger`,
 * and the child logger Fastify makes for every request (to bind `reqId`) is
 * lazy. Wrapping the root rather than passing a `childLoggerFactory` keeps
 * Fastify on its default factory, which skips re-validating every child.
 */
export function withLazyRequestLoggers(logger: Logger): Logger {
  return LazyChildLogger.around(logger) as unknown as Logger;
}
