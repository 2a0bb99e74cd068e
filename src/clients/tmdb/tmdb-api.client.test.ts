import { describe, expect, it } from 'vitest';
import { cacheKey, parseRetryAfter } from './tmdb-api.client.ts';

describe('cacheKey', () => {
  it('sorts the query so that parameter order does not matter', () => {
    expect(cacheKey('/search/movie', { query: 'x', page: '1', language: 'de-DE' })).toBe('/search/movie?language=de-DE&page=1&query=x');
    expect(cacheKey('/search/movie', { language: 'de-DE', query: 'x', page: '1' })).toBe(cacheKey('/search/movie', { query: 'x', page: '1', language: 'de-DE' }));
  });

  it('is the bare path without a query', () => {
    expect(cacheKey('/collection/1', {})).toBe('/collection/1');
  });

  it('cannot be forged through a value holding & or =', () => {
    const a = cacheKey('/search/multi', { language: 'en&page=1', page: '2', query: 'x' });
    const b = cacheKey('/search/multi', { language: 'en', page: '1&page=2', query: 'x' });
    expect(a).not.toBe(b);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});
