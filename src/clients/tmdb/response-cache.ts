import { createLruCache } from '../../shared/lru-cache.ts';

/** How long one kind of TMDB response is served from the cache, in milliseconds. */
export interface CachePolicy {
  /** Served as a HIT, without asking TMDB. */
  freshMs: number;
  /** After `freshMs`: served as STALE at once while one background call refreshes it. */
  staleWhileRevalidateMs: number;
  /** After `freshMs`: still served as STALE when TMDB fails (unavailable or timeout). Not less than `staleWhileRevalidateMs`. */
  staleIfErrorMs: number;
}

/**
 * Where an entry stands: `fresh` (serve), `stale` (serve and refresh in the background),
 * `expired` (serve only if TMDB fails). `notFound` entries are only ever `fresh`.
 */
export type CacheState = 'fresh' | 'stale' | 'expired';

export type CacheLookup = { state: CacheState; notFound: false; value: unknown } | { state: 'fresh'; notFound: true };

/** Parsed TMDB responses keyed by request, bounded by the size of their JSON text. */
export interface ResponseCache {
  /** The entry for `key` at time `now` (epoch ms), or `undefined` when there is none worth using. */
  lookup(key: string, now: number): CacheLookup | undefined;
  /** Keep a parsed body; `bytes` is the length of the JSON it came from. */
  store(key: string, value: unknown, bytes: number, policy: CachePolicy, now: number): void;
  /** Remember for `ttlMs` that TMDB answered 404, so a bad id does not reach TMDB on every request. */
  storeNotFound(key: string, ttlMs: number, now: number): void;
  clear(): void;
  readonly size: number;
  /** Bytes accounted for (JSON text length plus a fixed per-entry overhead). */
  readonly bytes: number;
}

interface Entry {
  value: unknown;
  notFound: boolean;
  freshUntil: number;
  staleUntil: number;
}

/**
 * Rough cost of an entry beyond its body (key, slot, map node). Weighing by JSON length
 * keeps the bound cheap to compute; the parsed objects take a few times that in heap,
 * so `TMDB_CACHE_MB` is a budget of TMDB bytes rather than an exact heap size.
 */
const ENTRY_OVERHEAD_BYTES = 200;

/** Create a response cache holding at most `maxBytes` (0 turns it off: nothing is kept). */
export function createResponseCache(maxBytes: number): ResponseCache {
  const lru = createLruCache<string, Entry>(Math.max(0, maxBytes));
  const enabled = maxBytes > 0;

  return {
    lookup(key, now) {
      if (!enabled) return undefined;
      const entry = lru.get(key, now);
      if (!entry) return undefined;
      if (entry.notFound) return { state: 'fresh', notFound: true };
      const state: CacheState = now < entry.freshUntil ? 'fresh' : now < entry.staleUntil ? 'stale' : 'expired';
      return { state, notFound: false, value: entry.value };
    },
    store(key, value, bytes, policy, now) {
      if (!enabled) return;
      const freshUntil = now + policy.freshMs;
      const staleUntil = freshUntil + policy.staleWhileRevalidateMs;
      const expiresAt = freshUntil + Math.max(policy.staleIfErrorMs, policy.staleWhileRevalidateMs);
      lru.set(key, { value, notFound: false, freshUntil, staleUntil }, { weight: bytes + key.length + ENTRY_OVERHEAD_BYTES, expiresAt });
    },
    storeNotFound(key, ttlMs, now) {
      if (!enabled) return;
      const until = now + ttlMs;
      lru.set(key, { value: undefined, notFound: true, freshUntil: until, staleUntil: until }, { weight: key.length + ENTRY_OVERHEAD_BYTES, expiresAt: until });
    },
    clear() {
      lru.clear();
    },
    get size() {
      return lru.size;
    },
    get bytes() {
      return lru.weight;
    },
  };
}
