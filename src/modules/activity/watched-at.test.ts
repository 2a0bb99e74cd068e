import { describe, expect, it } from 'vitest';
import { parseInstant } from './watched-at.ts';

describe('parseInstant', () => {
  it('accepts ISO 8601 date-times with an offset', () => {
    expect(parseInstant('2026-01-31T21:30:00-08:00')?.toISOString()).toBe('2026-02-01T05:30:00.000Z');
    expect(parseInstant('2026-01-31T21:30Z')?.toISOString()).toBe('2026-01-31T21:30:00.000Z');
    expect(parseInstant('2024-02-29T00:00:00.123456+13:00')?.toISOString()).toBe('2024-02-28T11:00:00.123Z');
  });

  it('rejects missing offsets, impossible dates and junk', () => {
    for (const bad of ['2026-01-31T21:30:00', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '1899-12-31T00:00:00Z', 'yesterday', '', '2026-01-01T00:00:00+25:00', '2026-01-01 00:00:00Z']) {
      expect(parseInstant(bad), bad).toBeUndefined();
    }
  });
});
