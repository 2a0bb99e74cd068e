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
const MINUTE_MS = 60_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DD` → days since 1970-01-01, or NO_DATE for anything that is not a
 * real calendar date. Pure arithmetic (Howard Hinnant's days_from_civil), no
 * Date objects, because the cache converts on every read and write.
 */
export function toDayNumber(date: string | undefined | null): number {
  if (!date) return NO_DATE;
  const m = DATE.exec(date);
  if (!m) return NO_DATE;
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]!)) return NO_DATE;
  y -= mo <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Days since 1970-01-01 → `YYYY-MM-DD` (civil_from_days). */
export function fromDayNumber(days: number): string | undefined {
  if (days === NO_DATE) return undefined;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(mo)}-${pad2(d)}`;
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
