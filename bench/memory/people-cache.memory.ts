import { createPeopleDatesCache } from '../../src/modules/ages/people-dates.cache.ts';

const PEOPLE = 1_000_000;
const LIMIT_BYTES = 64 * 1024 * 1024;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench does)');
  for (let i = 0; i < 3; i++) collect();
}

/** heapUsed + arrayBuffers: typed arrays live outside the JS heap, so both count. */
function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function birthday(i: number): string {
  const y = 1900 + (i % 110);
  const m = 1 + (i % 12);
  const d = 1 + (i % 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function measure(fill: () => unknown): { bytes: number; ms: number; keep: unknown } {
  gc();
  const before = used();
  const t0 = performance.now();
  const keep = fill();
  const ms = performance.now() - t0;
  gc();
  return { bytes: used() - before, ms, keep };
}

export interface MemoryResult {
  people: number;
  cacheBytes: number;
  baselineBytes: number;
  ratio: number;
  limitBytes: number;
  withinLimit: boolean;
  fillMs: number;
  baselineFillMs: number;
}

/**
 * Memory for one million cached people: the typed-array people cache against
 * a same-run baseline, a plain `Map<number, { birthday, deathday }>` holding
 * the same data (what a straightforward implementation would do).
 */
export function measurePeopleCacheMemory(): MemoryResult {
  const now = Date.now();
  const cache = measure(() => {
    const c = createPeopleDatesCache({ capacity: PEOPLE, ttlMs: 86_400_000, now: () => now });
    for (let i = 1; i <= PEOPLE; i++) c.set(i, { birthday: birthday(i), deathday: i % 17 === 0 ? '2001-01-01' : undefined }, now);
    return c;
  });
  const baseline = measure(() => {
    const m = new Map<number, { birthday: string; deathday: string | undefined }>();
    for (let i = 1; i <= PEOPLE; i++) m.set(i, { birthday: birthday(i), deathday: i % 17 === 0 ? '2001-01-01' : undefined });
    return m;
  });
  // Keep both alive until both were measured.
  void cache.keep;
  void baseline.keep;
  return {
    people: PEOPLE,
    cacheBytes: cache.bytes,
    baselineBytes: baseline.bytes,
    ratio: cache.bytes / baseline.bytes,
    limitBytes: LIMIT_BYTES,
    withinLimit: cache.bytes <= LIMIT_BYTES,
    fillMs: cache.ms,
    baselineFillMs: baseline.ms,
  };
}

/** Print the memory figure with its limit and the same-run Map baseline. */
export function printMemory(r: MemoryResult): void {
  const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  console.log(
    `\npeople cache, ${r.people.toLocaleString('en-US')} people (growth of heapUsed + arrayBuffers after GC): ${mib(r.cacheBytes)} ` +
      `(limit ${mib(r.limitBytes)}: ${r.withinLimit ? 'ok' : 'MISSED'}); baseline Map of the same data: ${mib(r.baselineBytes)}; ratio ${r.ratio.toFixed(2)}x`,
  );
}
