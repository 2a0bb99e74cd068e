import { describe, expect, it } from 'vitest';
import { computeStreaks, dayNumber, localDate } from './streaks.ts';

describe('computeStreaks', () => {
  it('is zero without dates', () => {
    expect(computeStreaks([], '2026-01-10')).toEqual({ current: 0, longest: 0 });
  });

  it('counts consecutive dates and keeps the streak alive through yesterday', () => {
    const dates = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-05', '2026-01-06'];
    expect(computeStreaks(dates, '2026-01-06')).toEqual({ current: 2, longest: 3 });
    expect(computeStreaks(dates, '2026-01-07')).toEqual({ current: 2, longest: 3 });
    expect(computeStreaks(dates, '2026-01-08')).toEqual({ current: 0, longest: 3 });
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(computeStreaks(['2024-02-28', '2024-02-29', '2024-03-01'], '2024-03-01').longest).toBe(3);
    expect(computeStreaks(['2025-12-31', '2026-01-01'], '2026-01-01').current).toBe(2);
    expect(computeStreaks(['2025-02-28', '2025-03-01'], '2025-03-01').longest).toBe(2);
  });

  it('ignores duplicates and treats dates after today as today', () => {
    expect(computeStreaks(['2026-01-01', '2026-01-01', '2026-01-02'], '2026-01-01')).toEqual({ current: 2, longest: 2 });
  });

  it('counts a single day as a streak of one', () => {
    expect(computeStreaks(['2026-03-29'], '2026-03-29')).toEqual({ current: 1, longest: 1 });
  });
});

describe('dates', () => {
  it('dayNumber counts calendar days, not 24 h periods across DST', () => {
    expect(dayNumber('2026-03-30') - dayNumber('2026-03-29')).toBe(1);
    expect(dayNumber('1970-01-02')).toBe(1);
  });

  it('localDate follows the zone', () => {
    const at = new Date('2026-01-01T07:30:00Z');
    expect(localDate(at, 'America/Los_Angeles')).toBe('2025-12-31');
    expect(localDate(at, 'Pacific/Auckland')).toBe('2026-01-01');
    expect(localDate(at, 'UTC')).toBe('2026-01-01');
  });
});
