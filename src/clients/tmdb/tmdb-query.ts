const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;
const HEX = '0123456789ABCDEF';
const utf8 = new TextEncoder();

/**
 * Escape a query value exactly like Go's `url.QueryEscape`: space becomes `+`,
 * `A-Z a-z 0-9 - _ . ~` stay, every other UTF-8 byte becomes upper-case `%XX`.
 * TMDB must receive the same bytes as from the Go service (it treats `+` and `%20` alike,
 * but `!'()*` differ from `encodeURIComponent`).
 * @see https://pkg.go.dev/net/url#QueryEscape
 */
export function goQueryEscape(value: string): string {
  let out = '';
  for (const char of value) {
    if (char === ' ') out += '+';
    else if (UNRESERVED.test(char)) out += char;
    else for (const byte of utf8.encode(char)) out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/** `append_to_response` goes out literally (`credits,watch/providers`); only bytes outside Go's safe set are escaped. */
function escapeAppendList(value: string): string {
  return value
    .split(',')
    .map((item) => item.split('/').map(goQueryEscape).join('/'))
    .join(',');
}

/** Build a TMDB query string (without `?`) in insertion order, escaping like the Go service. */
export function buildTmdbQuery(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([key, value]) => `${goQueryEscape(key)}=${key === 'append_to_response' ? escapeAppendList(value) : goQueryEscape(value)}`)
    .join('&');
}
