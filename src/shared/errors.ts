import { STATUS_CODES } from 'node:http';

/**
 * The one application error. `code` is a stable SCREAMING_SNAKE string that
 * clients and documentation may rely on; `status` is the HTTP status it maps to.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.headers = options?.headers;
  }
  readonly headers: Record<string, string> | undefined;
}

/** The error body every error response uses (house style, compatible with the Go service's `error`/`message`). */
export interface ErrorBody {
  error: string;
  message: string;
  code: string;
  details?: Record<string, unknown>;
}

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export function errorBody(status: number, code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return details ? { error: statusText(status), message, code, details } : { error: statusText(status), message, code };
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const unauthorized = (code: string, message: string) => new AppError(401, code, message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const unprocessable = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(422, code, message, details);
export const unavailable = (code: string, message: string, retryAfterSeconds?: number) =>
  new AppError(503, code, message, undefined, {
    headers: retryAfterSeconds === undefined ? undefined : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
