import { describe, expect, it } from 'vitest';
import { createPeopleDatesCache, fromDayNumber, toDayNumber } from './people-dates.cache.ts';

describe('day numbers', () => {
  it.each(['1970-01-01', '1805-04-02', '2000-02-29', '2099-12-31', '0001-01-01'])('round-trips %s', (d) => {
    expect(fromDayNumber(toDayNumber(d))).toBe(d);
  });
  it('matches the Date-based day count over four centuries', () => {
    for (let days = -150_000; days <= 50_000; days += 7) {
      const iso = new Date(days * 86_400_000).toISOString().slice(0, 10);
      expect(toDayNumber(iso)).toBe(days);
      expect(fromDayNumber(days)).toBe(iso);
    }
  });
  it.each(['', '2023-02-30', '1900-02-29', '2023-13-01', '1980-5-17', 'nonsense!!', undefined, null])('stores %j as unknown', (d) => {
    expect(fromDayNumber(toDayNumber(d))).toBeUndefined();
  });
});

describe('createPeopleDatesCache', () => {
  it('stores dates, known-unknown birthdays and deaths', () => {
    const cache = createPeopleDatesCache({ capacity: 10, ttlMs: 60_000, now: () => 0 });
    cache.set(1, { birthday: '1980-05-17', deathday: undefined });
    cache.set(2, { birthday: undefined, deathday: undefined });
    cache.set(3, { birthday: '1930-01-01', deathday: '1999-12-31' });
    expect(cache.get(1)).toEqual({ birthday: '1980-05-17', deathday: undefined });
    expect(cache.get(2)).toEqual({ birthday: undefined, deathday: undefined });
    expect(cache.get(3)).toEqual({ birthday: '1930-01-01', deathday: '1999-12-31' });
    expect(cache.get(4)).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('expires entries after the TTL', () => {
    let t = 0;
    const cache = createPeopleDatesCache({ capacity: 10, ttlMs: 120_000, now: () => t });
    cache.set(7, { birthday: '1990-01-01', deathday: undefined });
    t = 119_000;
    expect(cache.get(7)).toBeDefined();
    t = 121_000;
    expect(cache.get(7)).toBeUndefined();
  });

  it('overwrites, deletes, and keeps working past capacity', () => {
    const cache = createPeopleDatesCache({ capacity: 100, ttlMs: 60_000, now: () => 0 });
    for (let id = 1; id <= 1000; id++) cache.set(id, { birthday: '2000-01-01', deathday: undefined });
    expect(cache.size).toBeLessThanOrEqual(128);
    expect(cache.get(1000)).toBeDefined();
    cache.set(1000, { birthday: '2001-01-01', deathday: undefined });
    expect(cache.get(1000)?.birthday).toBe('2001-01-01');
    cache.delete(1000);
    expect(cache.get(1000)).toBeUndefined();
    cache.set(1000, { birthday: '2002-02-02', deathday: undefined });
    expect(cache.get(1000)?.birthday).toBe('2002-02-02');
  });

  it('holds a million people in at most 32 MiB of typed arrays', () => {
    const cache = createPeopleDatesCache({ capacity: 1_000_000, ttlMs: 86_400_000, now: () => 0 });
    expect(cache.byteLength).toBeLessThanOrEqual(32 * 1024 * 1024);
  });
});
