/**
 * Catalog benchmarks against a local fake TMDB.
 *
 * - `movie-cold`: one request at a time, a movie id never seen before on every
 *   request, the fake TMDB answering after 40 ms, and the rate limit raised so
 *   it is not what is measured. Its people are the same on every request, so
 *   after the first one their ages come from the cache: this isolates the
 *   title path. Baseline: the same number of direct, serial calls to the fake
 *   TMDB, measured in the same run, i.e. one TMDB round trip.
 * - `movie-cold-ages`: the same, but every movie has 20 people nobody asked
 *   for before, so each request also fetches 20 people from TMDB.
 */
import { startFakeTmdb } from '../test/helpers/fake-tmdb.ts';
import { syntheticMovie } from '../test/helpers/tmdb-fixtures.ts';
import { percentile, startBenchSubject, timedGet } from './subject.ts';

export const TMDB_LATENCY_MS = 40;

export interface ColdResult {
  name: string;
  requests: number;
  p50: number;
  p90: number;
  baselineP50: number;
  /** p50 / measured TMDB round trip (the target is stated against the nominal latency). */
  ratio: number;
  /** p50 / nominal TMDB latency, the figure the issues set targets on. */
  nominalRatio: number;
  target: number;
}

/** 20 people per movie, all new: ids derived from the movie id. */
function freshPeopleMovie(id: number) {
  const movie = syntheticMovie(id, ['credits', 'watch/providers', 'videos']);
  const base = id * 100;
  movie.credits = {
    cast: Array.from({ length: 17 }, (_, i) => ({
      adult: false,
      gender: 1,
      id: base + i,
      known_for_department: 'Acting',
      name: `Actor ${base + i}`,
      original_name: `Actor ${base + i}`,
      popularity: 1,
      profile_path: null,
      character: `Role ${i}`,
      credit_id: `c${base + i}`,
      order: i,
    })),
    crew: [
      ['Director', 17],
      ['Screenplay', 18],
      ['Producer', 19],
    ].map(([job, i]) => ({
      adult: false,
      gender: 2,
      id: base + Number(i),
      known_for_department: 'Crew',
      name: `Crew ${base + Number(i)}`,
      original_name: `Crew ${base + Number(i)}`,
      popularity: 1,
      profile_path: null,
      credit_id: `k${base + Number(i)}`,
      department: 'Crew',
      job: String(job),
    })),
  };
  return movie;
}

function person(id: number) {
  return {
    adult: false,
    also_known_as: [],
    biography: '',
    birthday: `${1940 + (id % 60)}-0${1 + (id % 9)}-1${id % 9}`,
    deathday: null,
    gender: 1,
    homepage: null,
    id,
    imdb_id: null,
    known_for_department: 'Acting',
    name: `Person ${id}`,
    place_of_birth: null,
    popularity: 1,
    profile_path: null,
    combined_credits: { cast: [], crew: [] },
  };
}

/** Run both cold scenarios (or the named ones), interleaving subject and baseline requests. */
export async function runColdScenarios(names: readonly string[], requests = Number(process.env.BENCH_COLD_REQUESTS ?? 120)): Promise<ColdResult[]> {
  const fake = await startFakeTmdb();
  fake.latencyMs = TMDB_LATENCY_MS;
  let withFreshPeople = false;
  fake.otherwise('/movie/:id', (req) => ({ body: withFreshPeople ? freshPeopleMovie(Number(req.params.id)) : syntheticMovie(Number(req.params.id), req.append) }));
  fake.otherwise('/person/:id', (req) => ({ body: person(Number(req.params.id)) }));
  const subject = await startBenchSubject({
    TMDB_ACCESS_TOKEN: 'bench',
    TMDB_BASE_URL: fake.baseUrl,
    TMDB_RATE_LIMIT: '100000',
    MAX_TMDB_FETCH_PER_REQUEST: '20',
  });
  const auth = { authorization: `Bearer ${subject.token}` };
  const out: ColdResult[] = [];
  let nextId = 5_000_000;
  try {
    for (const name of ['movie-cold', 'movie-cold-ages'].filter((n) => names.length === 0 || names.includes(n))) {
      withFreshPeople = name === 'movie-cold-ages';
      process.stderr.write(`${name}: ${requests} serial cold requests, TMDB latency ${TMDB_LATENCY_MS} ms\n`);
      // Warm the connection pools, the collection and (for movie-cold) the shared people.
      for (let i = 0; i < 5; i++) {
        await timedGet(`${subject.url}/movies/${nextId++}`, auth);
        await timedGet(`${fake.baseUrl}/movie/${nextId++}`);
      }
      const subjectTimes: number[] = [];
      const baselineTimes: number[] = [];
      for (let i = 0; i < requests; i++) {
        subjectTimes.push(await timedGet(`${subject.url}/movies/${nextId++}`, auth));
        baselineTimes.push(await timedGet(`${fake.baseUrl}/movie/${nextId++}?append_to_response=credits,watch/providers,videos`));
      }
      const p50 = percentile(subjectTimes, 0.5);
      const baselineP50 = percentile(baselineTimes, 0.5);
      out.push({
        name,
        requests,
        p50,
        p90: percentile(subjectTimes, 0.9),
        baselineP50,
        ratio: p50 / baselineP50,
        nominalRatio: p50 / TMDB_LATENCY_MS,
        target: name === 'movie-cold' ? 2.2 : 2.5,
      });
    }
  } finally {
    await subject.close();
    await fake.close();
  }
  return out;
}

/** Print the cold results as a table. */
export function printCold(results: readonly ColdResult[]): void {
  if (results.length === 0) return;
  console.log('\ncold (serial, new movie id per request)  p50 ms  p90 ms  TMDB round trip p50  p50 / round trip  p50 / 40 ms  target');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(40)} ${r.p50.toFixed(1).padStart(6)}  ${r.p90.toFixed(1).padStart(6)}  ${r.baselineP50.toFixed(1).padStart(19)}  ${`${r.ratio.toFixed(2)}x`.padStart(16)}  ${`${r.nominalRatio.toFixed(2)}x`.padStart(11)}  ≤ ${r.target}x`,
    );
  }
}
