/**
 * A least-recently-used cache bounded by total weight (bytes, or 1 per entry),
 * with an optional hard expiry per entry. Map iteration order is insertion
 * order, so re-inserting on read keeps the oldest entry first for eviction.
 */
export interface LruCache<K, V> {
  get(key: K, now?: number): V | undefined;
  set(key: K, value: V, opts?: { weight?: number; expiresAt?: number }): void;
  delete(key: K): boolean;
  clear(): void;
  readonly size: number;
  /** Sum of the weights of the entries held. */
  readonly weight: number;
}

interface Slot<V> {
  value: V;
  weight: number;
  expiresAt: number;
}

/** Create an LRU cache holding at most `maxWeight` (entries weigh 1 unless `set` says otherwise). */
export function createLruCache<K, V>(maxWeight: number): LruCache<K, V> {
  const map = new Map<K, Slot<V>>();
  let total = 0;
  /** The most recently used slot: reading it again needs no reordering (a hot key costs one lookup). */
  let newest: Slot<V> | undefined;

  function remove(key: K, slot: Slot<V>): void {
    map.delete(key);
    total -= slot.weight;
    if (slot === newest) newest = undefined;
  }

  return {
    get(key, now = Date.now()) {
      const slot = map.get(key);
      if (!slot) return undefined;
      if (slot.expiresAt <= now) {
        remove(key, slot);
        return undefined;
      }
      if (slot !== newest) {
        map.delete(key);
        map.set(key, slot);
        newest = slot;
      }
      return slot.value;
    },
    set(key, value, opts = {}) {
      const weight = opts.weight ?? 1;
      const existing = map.get(key);
      if (existing) remove(key, existing);
      if (weight > maxWeight) return;
      const slot = { value, weight, expiresAt: opts.expiresAt ?? Number.POSITIVE_INFINITY };
      map.set(key, slot);
      newest = slot;
      total += weight;
      for (const [oldKey, slot] of map) {
        if (total <= maxWeight) break;
        remove(oldKey, slot);
      }
    },
    delete(key) {
      const slot = map.get(key);
      if (!slot) return false;
      remove(key, slot);
      return true;
    },
    clear() {
      map.clear();
      total = 0;
      newest = undefined;
    },
    get size() {
      return map.size;
    },
    get weight() {
      return total;
    },
  };
}
