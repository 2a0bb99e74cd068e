/** A stable 24-hex id (TMDB's credit and video id format) derived from a seed string (FNV-1a, three rounds). */
export function demoHexId(seed: string): string {
  let out = '';
  for (let round = 0; round < 3; round++) {
    let hash = 0x811c9dc5 ^ round;
    for (let i = 0; i < seed.length; i++) {
      hash ^= seed.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    out += (hash >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
