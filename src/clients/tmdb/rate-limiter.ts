import { performance } from 'node:perf_hooks';

/** Gives back the slot taken by `acquire`; call it once the call has settled. Idempotent. */
export type ReleaseSlot = () => void;

export interface AcquireOptions {
  /** Stop waiting (the slot is not taken) and reject with the signal's reason. */
  signal?: AbortSignal;
  /** Reject at once with `RateLimitWaitError` when the wait is known to be longer. */
  maxWaitMs?: number;
}

/** A client-side limit on how many calls may start per window, shared by every caller. */
export interface RateLimiter {
  /** Wait for a slot (first come, first served). */
  acquire(opts?: AcquireOptions): Promise<ReleaseSlot>;
  /** Start nothing for `ms` (the upstream asked us to back off with `Retry-After`). */
  pause(ms: number): void;
  /** Callers waiting for a slot. */
  readonly waiting: number;
  /** Reject every waiter and clear the timer. */
  close(): void;
}

/** The wait for a slot would exceed `maxWaitMs`; `waitMs` is the estimate. */
export class RateLimitWaitError extends Error {
  constructor(readonly waitMs: number) {
    super(`rate limit slot not available for ${Math.ceil(waitMs)} ms`);
    this.name = 'RateLimitWaitError';
  }
}

export interface RateLimiterOptions {
  /** Most calls started in any window; ≤ 0 or non-finite means no limit. */
  limit: number;
  /** Window length (default 1000 ms). */
  windowMs?: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

interface Waiter {
  resolve(release: ReleaseSlot): void;
  reject(err: unknown): void;
  cleanup(): void;
}

/**
 * A token bucket of `limit` tokens where a spent token comes back `windowMs` after the call
 * it paid for has *settled*, not at a steady drip. A classic bucket (capacity C, refill r/s)
 * lets C + r calls through in one second, so it cannot promise "never more than r in any
 * 1 s window". Returning the token only after the answer arrived makes the promise hold
 * where it counts, at TMDB: call i reached TMDB before it settled, and call i + limit starts
 * at least a full window later. Bursts of `limit` still go out at once, so parallel fetches
 * on a cold page are not serialised.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const limit = Number.isFinite(options.limit) && options.limit >= 1 ? Math.floor(options.limit) : Number.POSITIVE_INFINITY;
  const windowMs = options.windowMs ?? 1000;
  const now = options.now ?? (() => performance.now());
  let held = 0;
  /** When each spent token comes back, ascending. */
  const returns: number[] = [];
  const waiters: Waiter[] = [];
  let pausedUntil = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let closed = false;

  function free(t: number): number {
    while (returns.length > 0 && returns[0]! <= t) returns.shift();
    return limit - held - returns.length;
  }

  function take(): ReleaseSlot {
    held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held--;
      if (limit !== Number.POSITIVE_INFINITY) returns.push(now() + windowMs);
      pump();
    };
  }

  function wakeAt(at: number): void {
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = undefined;
        timerAt = Number.POSITIVE_INFINITY;
        pump();
      },
      Math.max(0, Math.ceil(at - now())),
    );
  }

  function pump(): void {
    if (waiters.length === 0 || closed) return;
    const t = now();
    if (t < pausedUntil) {
      wakeAt(pausedUntil);
      return;
    }
    while (waiters.length > 0 && free(t) > 0) {
      const waiter = waiters.shift()!;
      waiter.cleanup();
      waiter.resolve(take());
    }
    // With no pending return, the next slot comes from a release, which pumps.
    if (waiters.length > 0 && returns.length > 0) wakeAt(returns[0]!);
  }

  /** Lower bound of the wait for a waiter queued behind `ahead` others; 0 when it depends on running calls. */
  function estimateWait(t: number, ahead: number): number {
    const pause = Math.max(0, pausedUntil - t);
    const freeNow = Math.max(0, free(t));
    if (ahead < freeNow) return pause;
    const at = returns[ahead - freeNow];
    return at === undefined ? pause : Math.max(pause, at - t);
  }

  return {
    acquire(opts = {}) {
      if (closed) return Promise.reject(new Error('rate limiter closed'));
      if (opts.signal?.aborted) return Promise.reject(abortError(opts.signal));
      const t = now();
      if (waiters.length === 0 && t >= pausedUntil && free(t) > 0) return Promise.resolve(take());
      const wait = estimateWait(t, waiters.length);
      if (opts.maxWaitMs !== undefined && wait > opts.maxWaitMs) return Promise.reject(new RateLimitWaitError(wait));
      return new Promise<ReleaseSlot>((resolve, reject) => {
        const signal = opts.signal;
        const onAbort = () => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(abortError(signal));
        };
        const waiter: Waiter = {
          resolve,
          reject,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(waiter);
        pump();
      });
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    get waiting() {
      return waiters.length;
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      for (const waiter of waiters.splice(0)) {
        waiter.cleanup();
        waiter.reject(new Error('rate limiter closed'));
      }
    },
  };
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('rate limiter wait aborted', { cause: reason });
}
