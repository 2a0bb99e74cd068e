/**
 * `GET /me/stats` for a user with 10,000 watch events and one with 1,000, in
 * the same run, on embedded PGlite or on PostgreSQL (BENCH_DATABASE_URL).
 *
 * The history is seeded straight into the database (bulk inserts into
 * `watch_events`, then the repository rebuilds the running totals; no TMDB), from a fixed PRNG seed: about 70%
 * episode events over 40 series, 25% movie events and 5% season events,
 * spread over the three years before now. Requests are serial and alternate
 * between the two users so that both see the same machine. Targets: the
 * 10k/1k ratio of the p50s at most 3, and p50 at 10k at most 25 ms.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Container } from '../src/container.ts';
import type { NewWatchEvent } from '../src/data/repositories/activity.repository.ts';
import { watchEvents, type EpisodeRef } from '../src/data/schema.ts';
import { percentile, startBenchSubject, timedGet } from './subject.ts';

export const STATS_SCENARIO = 'me-stats';

export interface StatsResult {
  events: number;
  p50: number;
  p90: number;
}

export interface StatsReport {
  database: string;
  requests: number;
  large: StatsResult;
  small: StatsResult;
  ratio: number;
  seedSeconds: number;
  /** `?year=` (last calendar year, fully inside the seeded three years), measured the same way right after. */
  year: { year: number; large: StatsResult; small: StatsResult };
}

/** mulberry32: a small deterministic PRNG, so every run seeds the same history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const GENRES = ['Drama', 'Comedy', 'Action', 'Thriller', 'Science Fiction', 'Horror', 'Romance', 'Animation', 'Documentary', 'Crime', 'Fantasy', 'Mystery', 'Family', 'History'];
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

interface SeriesSpec {
  id: number;
  name: string;
  genres: string[];
  seasons: number[];
  aired: EpisodeRef[];
}

function makeCatalog(rand: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const series: SeriesSpec[] = Array.from({ length: 40 }, (_, i) => {
    const seasons = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => 6 + Math.floor(rand() * 10));
    const runtime = 22 + Math.floor(rand() * 40);
    const aired: EpisodeRef[] = seasons.flatMap((n, s) => Array.from({ length: n }, (_, e): EpisodeRef => [s + 1, e + 1, runtime]));
    return { id: 1_000_000 + i, name: `Series ${i}`, genres: [pick(GENRES), pick(GENRES)].filter((g, j, a) => a.indexOf(g) === j), seasons, aired };
  });
  const movies = Array.from({ length: 1500 }, (_, i) => ({
    id: 2_000_000 + i,
    title: `Movie ${i}`,
    runtime: 80 + Math.floor(rand() * 80),
    year: 1950 + Math.floor(rand() * 76),
    genres: [pick(GENRES), pick(GENRES), pick(GENRES)].filter((g, j, a) => a.indexOf(g) === j),
  }));
  return { series, movies, pick };
}

/** The seeded history of one user: `count` events, the fixed mix, over three years. */
export function seededHistory(userId: string, count: number, seed: number, now: Date): NewWatchEvent[] {
  const rand = prng(seed);
  const { series, movies, pick } = makeCatalog(rand);
  const events: NewWatchEvent[] = [];
  for (let i = 0; i < count; i++) {
    const r = rand();
    const watchedAt = new Date(now.getTime() - Math.floor(rand() * 3 * YEAR_MS));
    if (r < 0.25) {
      const m = pick(movies);
      events.push({
        userId, type: 'movie', tmdbId: m.id, seasonNumber: null, episodeNumber: null, watchedAt, title: m.title, episodeTitle: null, posterPath: null,
        releaseYear: m.year, runtimeMinutes: m.runtime, itemCount: 1, genres: m.genres, episodes: [], seriesAired: null, createdAt: now,
      });
      continue;
    }
    const s = pick(series);
    const base = { userId, tmdbId: s.id, watchedAt, title: s.name, posterPath: null, releaseYear: 2015, genres: s.genres, seriesAired: s.aired, createdAt: now };
    if (r < 0.3) {
      const season = 1 + Math.floor(rand() * s.seasons.length);
      const covered = s.aired.filter((e) => e[0] === season);
      events.push({ ...base, type: 'season', seasonNumber: season, episodeNumber: null, episodeTitle: null, runtimeMinutes: covered.reduce((n, e) => n + e[2], 0), itemCount: covered.length, episodes: covered });
    } else {
      const ep = pick(s.aired);
      events.push({ ...base, type: 'episode', seasonNumber: ep[0], episodeNumber: ep[1], episodeTitle: `S${ep[0]}E${ep[1]}`, runtimeMinutes: ep[2], itemCount: 1, episodes: [ep] });
    }
  }
  return events;
}

async function seedUser(container: Container, count: number, seed: number): Promise<{ userId: string; token: string }> {
  const { token, userId } = await container.auth.operatorSessions.createSession(`bench-${count}-${randomBytes(4).toString('hex')}@example.com`, `bench ${count}`);
  const events = seededHistory(userId, count, seed, new Date());
  for (let i = 0; i < events.length; i += 500) await container.db.insert(watchEvents).values(events.slice(i, i + 500));
  // The bulk insert bypasses the per-event running totals; rebuild them once, as an import would.
  await container.activity.repository.rebuildTotals(userId);
  return { userId, token };
}

/** Seed both users, then time serial `GET /me/stats` requests, alternating between them. */
export async function runStatsScenario(requests = Number(process.env.BENCH_STATS_REQUESTS ?? 200)): Promise<StatsReport> {
  const subject = await startBenchSubject();
  const { container } = subject;
  const users: string[] = [];
  try {
    const base = `${subject.url}/me/stats`;
    process.stderr.write(`${STATS_SCENARIO}: seeding 10,000 + 1,000 events\n`);
    const seedStart = performance.now();
    const large = await seedUser(container, 10_000, 7);
    const small = await seedUser(container, 1_000, 11);
    users.push(large.userId, small.userId);
    // Fresh statistics, as autovacuum would have them on a live database.
    await container.db.execute(sql`analyze watch_events`);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    process.stderr.write(`${STATS_SCENARIO}: ${requests} serial requests per user, alternating\n`);
    for (let i = 0; i < 20; i++) {
      await timedGet(base, { authorization: `Bearer ${large.token}` });
      await timedGet(base, { authorization: `Bearer ${small.token}` });
    }
    const result = (events: number, times: number[]): StatsResult => ({ events, p50: percentile(times, 0.5), p90: percentile(times, 0.9) });
    const measure = async (url: string) => {
      const largeTimes: number[] = [];
      const smallTimes: number[] = [];
      for (let i = 0; i < requests; i++) {
        largeTimes.push(await timedGet(url, { authorization: `Bearer ${large.token}` }));
        smallTimes.push(await timedGet(url, { authorization: `Bearer ${small.token}` }));
      }
      return { large: result(10_000, largeTimes), small: result(1_000, smallTimes) };
    };
    const allTime = await measure(base);
    const year = new Date().getUTCFullYear() - 1;
    process.stderr.write(`${STATS_SCENARIO}: the same with ?year=${year}\n`);
    const ofYear = await measure(`${base}?year=${year}`);
    return {
      database: process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite',
      requests,
      ...allTime,
      ratio: allTime.large.p50 / allTime.small.p50,
      seedSeconds,
      year: { year, ...ofYear },
    };
  } finally {
    for (const id of users) await container.users.deleteUser(id).catch(() => undefined);
    await subject.close();
  }
}

/** Print the stats results with their targets. */
export function printStats(r: StatsReport): void {
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  console.log(`\nGET /me/stats (${r.database}; ${r.requests} serial requests per user; seeding took ${r.seedSeconds.toFixed(1)} s)`);
  console.log('events  p50 ms  p90 ms');
  for (const x of [r.small, r.large]) console.log(`${String(x.events).padStart(6)}  ${x.p50.toFixed(2).padStart(6)}  ${x.p90.toFixed(2).padStart(6)}`);
  console.log(`10k/1k p50 ratio: ${r.ratio.toFixed(2)}x (target ≤ 3x: ${ok(r.ratio <= 3)}); p50 at 10k: ${r.large.p50.toFixed(2)} ms (target ≤ 25 ms: ${ok(r.large.p50 <= 25)})`);
  const y = r.year;
  console.log(
    `?year=${y.year} (no target): p50 ${y.small.p50.toFixed(2)} ms at 1k, ${y.large.p50.toFixed(2)} ms at 10k; vs all-time ${(y.small.p50 / r.small.p50).toFixed(2)}x and ${(y.large.p50 / r.large.p50).toFixed(2)}x; 10k/1k ${(y.large.p50 / y.small.p50).toFixed(2)}x`,
  );
}
