import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Paths that may hold secrets. Pino replaces them with "[redacted]" before a
 * line is written, so tokens, codes and ID tokens never reach the logs.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.code',
  '*.code_verifier',
  '*.token',
  '*.password',
  '*.secret',
  'accessToken',
  'refreshToken',
  'idToken',
  'token',
  '*.nonce',
  '*.state',
  '*.code_challenge',
  '*.link_token',
  '*.linkToken',
  '*.authorizationCode',
  '*.payload',
  '*.client_secret',
  '*.refresh_token',
  '*.id_token',
  '*.access_token',
  '*.refreshTokenEnc',
];

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
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (usePretty) {
    return pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true }));
  }
  return pino(base, opts.destination ?? pino.destination({ dest: 1, sync: true }));
}
