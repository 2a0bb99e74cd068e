import { describe, expect, it } from 'vitest';
import { canonicalTimeZone } from './timezones.ts';

describe('canonicalTimeZone', () => {
  it('accepts IANA names and returns the canonical spelling', () => {
    expect(canonicalTimeZone('Europe/London')).toBe('Europe/London');
    expect(canonicalTimeZone('america/los_angeles')).toBe('America/Los_Angeles');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('America/Argentina/Buenos_Aires')).toMatch(/Buenos_Aires$/);
  });

  it('rejects offsets, unknown names and junk', () => {
    for (const bad of ['', '+01:00', 'Mars/Olympus', 'Europe/London; drop table', 'x'.repeat(65), 'Europe/../etc', '\u0000', 'Европа/Москва']) {
      expect(canonicalTimeZone(bad)).toBeUndefined();
    }
  });
});
