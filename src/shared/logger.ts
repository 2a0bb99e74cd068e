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
];

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
