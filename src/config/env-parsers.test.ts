import { describe, expect, it } from 'vitest';
import { bool, date, float, int, list, oneOf, str, url } from './env-parsers.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false }) => (r.ok ? r.value : undefined);

describe('bool', () => {
  const p = bool();

  it.each(['true', 'TRUE', 'True', '1', 'yes', 'YES', 'Yes', 'on', 'ON', 'On', ' true ', '\ton\n'])('reads %j as true', (raw) => {
    expect(p.parse(raw)).toEqual({ ok: true, value: true });
  });

  it.each(['false', 'FALSE', 'False', '0', 'no', 'NO', 'No', 'off', 'OFF', 'Off', ' off '])('reads %j as false', (raw) => {
    expect(p.parse(raw)).toEqual({ ok: true, value: false });
  });

  it.each(['', 'maybe', 'y', 'n', 't', 'f', '2', '-1', 'truee', 'enabled', 'yes please'])('rejects %j and says what it accepts', (raw) => {
    const r = p.parse(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.expected).toContain('true/false');
  });
});

describe('int', () => {
  it('reads plain decimal integers, with sign and surrounding space', () => {
    const p = int();
    expect(value(p.parse('8080'))).toBe(8080);
    expect(value(p.parse('0'))).toBe(0);
    expect(value(p.parse('-1'))).toBe(-1);
    expect(value(p.parse('+5'))).toBe(5);
    expect(value(p.parse(' 42 '))).toBe(42);
    expect(value(p.parse('007'))).toBe(7);
  });

  it.each(['abc', '1e3', '1.5', '1.0', '0x10', '12abc', '1_000', '1 000', 'Infinity', 'NaN', '', '-', '+'])('rejects %j', (raw) => {
    expect(int().parse(raw).ok).toBe(false);
  });

  it('rejects integers beyond the safe range instead of rounding them', () => {
    expect(int().parse('9007199254740991').ok).toBe(true);
    expect(int().parse('9007199254740993').ok).toBe(false);
    expect(int().parse('99999999999999999999999999').ok).toBe(false);
    expect(int().parse('-99999999999999999999999999').ok).toBe(false);
  });

  it('enforces the range and names it in the expectation', () => {
    const p = int({ min: 1, max: 3600 });
    expect(p.parse('-1')).toEqual({ ok: false, expected: 'an integer between 1 and 3600' });
    expect(p.parse('0').ok).toBe(false);
    expect(p.parse('3601').ok).toBe(false);
    expect(value(p.parse('1'))).toBe(1);
    expect(value(p.parse('3600'))).toBe(3600);
    expect(int({ min: 0 }).parse('-1')).toEqual({ ok: false, expected: 'an integer of at least 0' });
    expect(int({ max: 10 }).parse('11')).toEqual({ ok: false, expected: 'an integer of at most 10' });
    expect(int().parse('abc')).toEqual({ ok: false, expected: 'an integer' });
  });

  it('describes its range in the type shown in the README', () => {
    expect(int().type).toBe('integer');
    expect(int({ min: 1, max: 3600 }).type).toBe('integer between 1 and 3600');
    expect(float({ min: 0, max: 1 }).type).toBe('number between 0 and 1');
  });
});

describe('float', () => {
  it('reads decimals and exponents', () => {
    const p = float();
    expect(value(p.parse('0.65'))).toBe(0.65);
    expect(value(p.parse('40'))).toBe(40);
    expect(value(p.parse('1e3'))).toBe(1000);
    expect(value(p.parse(' -2.5 '))).toBe(-2.5);
  });

  it.each(['abc', '', ' ', 'Infinity', '-Infinity', 'NaN', '1,5', '1e400'])('rejects %j', (raw) => {
    expect(float().parse(raw).ok).toBe(false);
  });

  it('enforces the range', () => {
    const p = float({ min: 0, max: 1 });
    expect(p.parse('1.01')).toEqual({ ok: false, expected: 'a number between 0 and 1' });
    expect(p.parse('-0.1').ok).toBe(false);
    expect(value(p.parse('1'))).toBe(1);
  });
});

describe('str', () => {
  it('keeps the value as written', () => {
    expect(value(str().parse('  spaced  '))).toBe('  spaced  ');
  });

  it('enforces a minimum length', () => {
    expect(str({ minLength: 32 }).parse('short')).toEqual({ ok: false, expected: 'a string of at least 32 characters' });
    expect(str({ minLength: 3 }).parse('abc').ok).toBe(true);
  });
});

describe('url', () => {
  const http = url({ protocols: ['http:', 'https:'] });
  const postgres = url({ protocols: ['postgres:', 'postgresql:'] });

  it('accepts the allowed protocols and drops trailing slashes', () => {
    expect(value(http.parse('https://api.themoviedb.org/3/'))).toBe('https://api.themoviedb.org/3');
    expect(value(http.parse(' http://localhost:4318 '))).toBe('http://localhost:4318');
    expect(value(postgres.parse('postgres://postgres@127.0.0.1:5432/db'))).toBe('postgres://postgres@127.0.0.1:5432/db');
    expect(value(postgres.parse('postgresql://u:p@h/db'))).toBe('postgresql://u:p@h/db');
  });

  it.each(['not-a-url', 'localhost:8080', '', '//host/path', 'ftp://example.com', 'mysql://h/db'])('rejects %j for http(s)', (raw) => {
    const r = http.parse(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.expected).toContain('http://');
  });

  it('rejects the wrong scheme for a database URL', () => {
    expect(postgres.parse('http://127.0.0.1:5432/db')).toEqual({ ok: false, expected: 'a URL starting with postgres:// or postgresql://' });
  });
});

describe('list', () => {
  const p = list();

  it('splits on commas, trims and drops empty items', () => {
    expect(value(p.parse('a,b'))).toEqual(['a', 'b']);
    expect(value(p.parse(' https://a.example , http://b.example:4321 '))).toEqual(['https://a.example', 'http://b.example:4321']);
    expect(value(p.parse('a,,b,'))).toEqual(['a', 'b']);
    expect(value(p.parse(',, ,'))).toEqual([]);
    expect(value(p.parse('single'))).toEqual(['single']);
  });
});

describe('date', () => {
  const p = date();

  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '1999-12-31'])('accepts the real date %s', (raw) => {
    expect(p.parse(raw)).toEqual({ ok: true, value: raw });
  });

  it('trims surrounding space', () => {
    expect(value(p.parse(' 2026-01-14 '))).toBe('2026-01-14');
  });

  it.each(['2023-02-30', '2023-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-01-00', '2026-1-1', '26-01-01', '2026/01/01', '2026-01-01T00:00:00Z', 'yesterday', ''])(
    'rejects %j',
    (raw) => {
      expect(p.parse(raw)).toEqual({ ok: false, expected: 'a real calendar date in YYYY-MM-DD form' });
    },
  );
});

describe('oneOf', () => {
  const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

  it('matches case-insensitively and returns the canonical spelling', () => {
    const p = oneOf(['auto', 'json', 'pretty'] as const);
    expect(p.parse('JSON')).toEqual({ ok: true, value: 'json' });
    expect(p.parse(' Pretty ')).toEqual({ ok: true, value: 'pretty' });
  });

  it('strict: rejects an unknown value', () => {
    expect(oneOf(['auto', 'json', 'pretty'] as const).parse('xml')).toEqual({ ok: false, expected: 'one of auto, json, pretty' });
  });

  it('lenient: an unknown value falls back with a warning (the Go LOG_LEVEL behaviour)', () => {
    const p = oneOf(levels, { lenient: { fallback: 'info' } });
    expect(p.parse('DEBUG')).toEqual({ ok: true, value: 'debug' });
    const r = p.parse('verbose');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value).toBe('info');
      expect(r.warning).toContain('"verbose"');
      expect(r.warning).toContain('using "info"');
    }
  });

  it('lenient: a known value carries no warning', () => {
    const r = oneOf(levels, { lenient: { fallback: 'info' } }).parse('warn');
    expect(r).toEqual({ ok: true, value: 'warn' });
  });
});
