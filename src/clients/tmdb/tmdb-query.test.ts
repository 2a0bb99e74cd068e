import { describe, expect, it } from 'vitest';
import { buildTmdbQuery, goQueryEscape } from './tmdb-query.ts';

describe('goQueryEscape', () => {
  it.each([
    ['star wars', 'star+wars'],
    ['AZaz09-_.~', 'AZaz09-_.~'],
    ["!'()*", '%21%27%28%29%2A'],
    ['a+b&c=d/e?f#g%h', 'a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h'],
    ['Amélie', 'Am%C3%A9lie'],
    ['千と千尋', '%E5%8D%83%E3%81%A8%E5%8D%83%E5%B0%8B'],
    ['🎬', '%F0%9F%8E%AC'],
    ['  two  spaces ', '++two++spaces+'],
    ['tab\tnew\nline', 'tab%09new%0Aline'],
    ['', ''],
  ])('escapes %j as %j', (input, expected) => {
    expect(goQueryEscape(input)).toBe(expected);
  });

  it('escapes each byte of a multi-byte character in upper-case hex', () => {
    expect(goQueryEscape('ß')).toBe('%C3%9F');
    expect(goQueryEscape('ß')).not.toBe(encodeURIComponent('ß').toLowerCase());
  });

  it('differs from encodeURIComponent only where Go does', () => {
    expect(goQueryEscape("Ocean's Eleven (2001)")).toBe('Ocean%27s+Eleven+%282001%29');
    expect(encodeURIComponent("Ocean's Eleven (2001)")).toBe("Ocean's%20Eleven%20(2001)");
  });
});

describe('buildTmdbQuery', () => {
  it('keeps append_to_response literal, commas and slashes included', () => {
    expect(buildTmdbQuery({ append_to_response: 'credits,watch/providers,videos' })).toBe(
      'append_to_response=credits,watch/providers,videos',
    );
    expect(buildTmdbQuery({ append_to_response: 'aggregate_credits,season/1,season/2' })).toBe(
      'append_to_response=aggregate_credits,season/1,season/2',
    );
  });

  it('escapes search text Go-style and keeps insertion order', () => {
    expect(buildTmdbQuery({ query: 'star wars: a new hope', page: '2' })).toBe('query=star+wars%3A+a+new+hope&page=2');
  });

  it('leaves dates as they are', () => {
    expect(buildTmdbQuery({ start_date: '2026-01-01', end_date: '2026-01-14', page: '1' })).toBe(
      'start_date=2026-01-01&end_date=2026-01-14&page=1',
    );
  });

  it('is empty for no parameters', () => {
    expect(buildTmdbQuery({})).toBe('');
  });
});
