import { describe, expect, it } from 'vitest';
import { addDays, dateWindows, daysBetween } from './dates.ts';

describe('dates', () => {
  it('adds days across months and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
  });

  it('splits a range into windows of at most 14 days', () => {
    expect(dateWindows('2026-01-01', '2026-01-01', 14)).toEqual([{ start: '2026-01-01', end: '2026-01-01' }]);
    expect(dateWindows('2026-01-01', '2026-01-14', 14)).toEqual([{ start: '2026-01-01', end: '2026-01-14' }]);
    expect(dateWindows('2026-01-01', '2026-01-30', 14)).toEqual([
      { start: '2026-01-01', end: '2026-01-14' },
      { start: '2026-01-15', end: '2026-01-28' },
      { start: '2026-01-29', end: '2026-01-30' },
    ]);
    expect(dateWindows('2026-01-02', '2026-01-01', 14)).toEqual([]);
  });
});
