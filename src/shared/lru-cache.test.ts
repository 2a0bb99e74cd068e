import { describe, expect, it } from 'vitest';
import { createLruCache } from './lru-cache.ts';

describe('createLruCache', () => {
  it('evicts the least recently used entry when over weight', () => {
    const cache = createLruCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);
    cache.set('d', 4);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.size).toBe(3);
  });

  it('bounds by weight and skips values heavier than the whole cache', () => {
    const cache = createLruCache<string, string>(100);
    cache.set('x', 'x', { weight: 60 });
    cache.set('y', 'y', { weight: 60 });
    expect(cache.get('x')).toBeUndefined();
    expect(cache.weight).toBe(60);
    cache.set('huge', 'h', { weight: 101 });
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('y')).toBe('y');
  });

  it('drops expired entries on read', () => {
    const cache = createLruCache<string, number>(10);
    cache.set('a', 1, { expiresAt: 1000 });
    expect(cache.get('a', 999)).toBe(1);
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('replacing a key updates its weight', () => {
    const cache = createLruCache<string, number>(10);
    cache.set('a', 1, { weight: 8 });
    cache.set('a', 2, { weight: 2 });
    expect(cache.weight).toBe(2);
    expect(cache.get('a')).toBe(2);
  });
});
