/**
 * In-memory cache of people's birth and death dates, compact enough for a
 * million people in well under 64 MB.
 *
 * Why typed arrays: a Map of small objects costs ~100+ bytes per entry and
 * pressures the GC. Here an entry is four 32-bit words (id, birth day, death
 * day, expiry minute) in an open-addressing hash table (linear probing,
 * load ≤ 0.5), i.e. 32 bytes of table per entry at the worst load, outside
 * the JS heap (array buffers), and invisible to the garbage collector.
 *
 * Dates are stored as days since 1970-01-01 (UTC), so any real calendar date
 * fits; `NO_DATE` marks "known to be unknown" (TMDB has no birthday).
 */

/** What the cache knows about one person. `undefined` dates are known to be unknown. */
export interface PersonDates {
  birthday: string | undefined;
  deathday: string | undefined;
}

export interface PeopleDatesCache {
  get(id: number, nowMs?: number): PersonDates | undefined;
  set(id: number, dates: PersonDates, nowMs?: number): void;
  delete(id: number): void;
  clear(): void;
  readonly size: number;
  /** Bytes held by the table. */
  readonly byteLength: number;
}

const EMPTY = 0;
const TOMBSTONE = -1;
const NO_DATE = -2_147_483_648;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** `YYYY-MM-DD` → days since the epoch, or NO_DATE for anything else. */
export function toDayNumber(date: string | undefined | null): number {
  if (!date || date.length !== 10) return NO_DATE;
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const ms = new Date(0).setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  if (!Number.isFinite(ms)) return NO_DATE;
  const days = Math.round(ms / DAY_MS);
  // Round-trip check rejects impossible dates such as 2023-02-30 (stored as unknown).
  return fromDayNumber(days) === date ? days : NO_DATE;
}

/** Days since the epoch → `YYYY-MM-DD`. */
export function fromDayNumber(days: number): string | undefined {
  if (days === NO_DATE) return undefined;
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

function hash(id: number): number {
  // Multiplicative hashing (Knuth); ids are small positive integers that cluster.
  return Math.imul(id, 0x9e3779b1) >>> 0;
}

/** Create the cache for up to `capacity` people, each kept for `ttlMs` after it is written. */
export function createPeopleDatesCache(opts: { capacity: number; ttlMs: number; now?: () => number }): PeopleDatesCache {
  const now = opts.now ?? Date.now;
  let slots = 1;
  while (slots < opts.capacity * 2) slots <<= 1;
  const mask = slots - 1;
  const ids = new Int32Array(slots);
  const births = new Int32Array(slots);
  const deaths = new Int32Array(slots);
  const expiries = new Uint32Array(slots);
  let size = 0;
  let used = 0;

  function find(id: number): number {
    let i = hash(id) & mask;
    for (;;) {
      const k = ids[i]!;
      if (k === id) return i;
      if (k === EMPTY) return -1;
      i = (i + 1) & mask;
    }
  }

  function rebuild(nowMinute: number): void {
    const oldIds = ids.slice();
    const oldBirths = births.slice();
    const oldDeaths = deaths.slice();
    const oldExpiries = expiries.slice();
    ids.fill(EMPTY);
    size = 0;
    used = 0;
    for (let j = 0; j < slots; j++) {
      const id = oldIds[j]!;
      if (id > 0 && oldExpiries[j]! > nowMinute) insert(id, oldBirths[j]!, oldDeaths[j]!, oldExpiries[j]!);
    }
  }

  function insert(id: number, birth: number, death: number, expiry: number): void {
    let i = hash(id) & mask;
    let firstTomb = -1;
    for (;;) {
      const k = ids[i]!;
      if (k === id) break;
      if (k === EMPTY) {
        if (firstTomb >= 0) i = firstTomb;
        else used++;
        size++;
        ids[i] = id;
        break;
      }
      if (k === TOMBSTONE && firstTomb < 0) firstTomb = i;
      i = (i + 1) & mask;
    }
    births[i] = birth;
    deaths[i] = death;
    expiries[i] = expiry;
  }

  return {
    get(id, nowMs = now()) {
      if (!(id > 0)) return undefined;
      const i = find(id);
      if (i < 0) return undefined;
      if (expiries[i]! <= Math.floor(nowMs / MINUTE_MS)) return undefined;
      return { birthday: fromDayNumber(births[i]!), deathday: fromDayNumber(deaths[i]!) };
    },
    set(id, dates, nowMs = now()) {
      if (!(id > 0) || id > 0x7fffffff) return;
      const nowMinute = Math.floor(nowMs / MINUTE_MS);
      // Keep the load at or under one half; when full, drop expired entries, and if that is not enough start over.
      if (used + 1 > slots >>> 1 && find(id) < 0) {
        rebuild(nowMinute);
        if (used + 1 > slots >>> 1) {
          ids.fill(EMPTY);
          size = 0;
          used = 0;
        }
      }
      insert(id, toDayNumber(dates.birthday), toDayNumber(dates.deathday), nowMinute + Math.ceil(opts.ttlMs / MINUTE_MS));
    },
    delete(id) {
      const i = find(id);
      if (i < 0) return;
      ids[i] = TOMBSTONE;
      size--;
    },
    clear() {
      ids.fill(EMPTY);
      size = 0;
      used = 0;
    },
    get size() {
      return size;
    },
    get byteLength() {
      return ids.byteLength + births.byteLength + deaths.byteLength + expiries.byteLength;
    },
  };
}
