import { describe, expect, it } from 'vitest';
import { createResponseCache, type CachePolicy } from './response-cache.ts';

const policy: CachePolicy = { freshMs: 100, staleWhileRevalidateMs: 50, staleIfErrorMs: 1000 };

describe('createResponseCache', () => {
  it('is fresh, then stale (revalidate), then expired (error only), then gone', () => {
    const cache = createResponseCache(10_000);
    const value = { id: 1 };
    cache.store('k', value, 10, policy, 0);
    expect(cache.lookup('k', 99)).toEqual({ state: 'fresh', notFound: false, value });
    expect(cache.lookup('k', 100)?.state).toBe('stale');
    expect(cache.lookup('k', 149)?.state).toBe('stale');
    expect(cache.lookup('k', 150)?.state).toBe('expired');
    expect(cache.lookup('k', 1099)?.state).toBe('expired');
    expect(cache.lookup('k', 1100)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('hands back the stored object itself (no copy)', () => {
    const cache = createResponseCache(10_000);
    const value = { id: 1 };
    cache.store('k', value, 10, policy, 0);
    const hit = cache.lookup('k', 1);
    expect(hit && !hit.notFound && hit.value).toBe(value);
  });

  it('keeps not-found entries for their TTL only, never stale', () => {
    const cache = createResponseCache(10_000);
    cache.storeNotFound('k', 300, 0);
    expect(cache.lookup('k', 299)).toEqual({ state: 'fresh', notFound: true });
    expect(cache.lookup('k', 300)).toBeUndefined();
  });

  it('evicts the least recently used entries to stay within its bytes', () => {
    const cache = createResponseCache(2000);
    cache.store('a', 'A', 600, policy, 0);
    cache.store('b', 'B', 600, policy, 0);
    cache.lookup('a', 1);
    cache.store('c', 'C', 600, policy, 0);
    expect(cache.lookup('b', 1)).toBeUndefined();
    expect(cache.lookup('a', 1)).toBeDefined();
    expect(cache.lookup('c', 1)).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(2000);
  });

  it('keeps nothing when its size is 0', () => {
    const cache = createResponseCache(0);
    cache.store('a', 'A', 1, policy, 0);
    cache.storeNotFound('b', 100, 0);
    expect(cache.lookup('a', 0)).toBeUndefined();
    expect(cache.lookup('b', 0)).toBeUndefined();
  });
});
