import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, RateLimitWaitError } from './rate-limiter.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const now = () => Date.now();

/** Start `n` acquisitions and record when each one got its slot. */
function startAll(limiter: ReturnType<typeof createRateLimiter>, n: number, settleAfterMs = 0): number[] {
  const startedAt: number[] = [];
  for (let i = 0; i < n; i++) {
    void limiter.acquire().then((release) => {
      startedAt.push(Date.now());
      setTimeout(release, settleAfterMs);
    });
  }
  return startedAt;
}

describe('createRateLimiter', () => {
  it('lets a burst of `limit` calls start at once', async () => {
    const limiter = createRateLimiter({ limit: 5, now });
    const started = startAll(limiter, 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 0, 0, 0, 0]);
  });

  it('never starts more than `limit` calls within one window', async () => {
    const limiter = createRateLimiter({ limit: 5, now });
    const started = startAll(limiter, 12, 30);
    await vi.advanceTimersByTimeAsync(5000);
    expect(started).toHaveLength(12);
    for (let i = 5; i < started.length; i++) expect(started[i]! - started[i - 5]!).toBeGreaterThanOrEqual(1000);
    // A token comes back a window after its call settled (30 ms here), not after it started.
    expect(started.slice(5, 10)).toEqual([1030, 1030, 1030, 1030, 1030]);
    expect(started.slice(10)).toEqual([2060, 2060]);
  });

  it('holds a slot for as long as the call runs', async () => {
    const limiter = createRateLimiter({ limit: 1, now });
    const release = await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => (second = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(second).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(999);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(second).toBe(true);
  });

  it('serves waiters first come, first served', async () => {
    const limiter = createRateLimiter({ limit: 1, now });
    const order: number[] = [];
    for (let i = 0; i < 4; i++) void limiter.acquire().then((release) => (order.push(i), release()));
    await vi.advanceTimersByTimeAsync(4000);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('fails fast when the known wait exceeds maxWaitMs', async () => {
    const limiter = createRateLimiter({ limit: 1, now });
    (await limiter.acquire())();
    await vi.advanceTimersByTimeAsync(200);
    const err = await limiter.acquire({ maxWaitMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitWaitError);
    expect((err as RateLimitWaitError).waitMs).toBe(800);
    const granted = limiter.acquire({ maxWaitMs: 900 });
    await vi.advanceTimersByTimeAsync(800);
    await expect(granted).resolves.toBeTypeOf('function');
  });

  it('stops waiting when the signal aborts, and the slot goes to the next waiter', async () => {
    const limiter = createRateLimiter({ limit: 1, now });
    const release = await limiter.acquire();
    const controller = new AbortController();
    const abandoned = limiter.acquire({ signal: controller.signal });
    const next = limiter.acquire();
    controller.abort(new Error('gone'));
    await expect(abandoned).rejects.toThrow('gone');
    expect(limiter.waiting).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    await expect(next).resolves.toBeTypeOf('function');
  });

  it('pause() holds every call back', async () => {
    const limiter = createRateLimiter({ limit: 10, now });
    limiter.pause(1500);
    const started = startAll(limiter, 2);
    await vi.advanceTimersByTimeAsync(1499);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([1500, 1500]);
  });

  it('has no limit when the limit is 0', async () => {
    const limiter = createRateLimiter({ limit: 0, now });
    const started = startAll(limiter, 100);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(100);
  });

  it('close() rejects the waiters and clears its timer', async () => {
    const limiter = createRateLimiter({ limit: 1, now });
    (await limiter.acquire())();
    const waiting = limiter.acquire();
    limiter.close();
    await expect(waiting).rejects.toThrow('closed');
    expect(vi.getTimerCount()).toBe(0);
    await expect(limiter.acquire()).rejects.toThrow('closed');
  });
});
