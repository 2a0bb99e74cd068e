import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Directory of the TMDB payload fixtures (see its README for which are real and which hand-written). */
export const TMDB_FIXTURE_DIR = fileURLToPath(new URL('../fixtures/tmdb/', import.meta.url));

type Json = Record<string, unknown>;

const texts = new Map<string, string>();

/** A fresh parsed copy of `test/fixtures/tmdb/<name>` (`.json` optional), safe to mutate. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON by default, like `res.json()`; pass a Tmdb* type to narrow
export function loadFixture<T = any>(name: string): T {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  let text = texts.get(file);
  if (text === undefined) {
    text = readFileSync(`${TMDB_FIXTURE_DIR}${file}`, 'utf8');
    texts.set(file, text);
  }
  return JSON.parse(text) as T;
}

/** A TMDB resource as stored: the payload without appends, and each append by its `append_to_response` name. */
export interface FixtureResource {
  base: Json;
  appends: Record<string, Json>;
}

/** What a fixture lookup answers: a status and a JSON body. */
export interface FixtureAnswer {
  status: number;
  body: unknown;
}

/** TMDB's 404 body (`status_code` 34). */
export const TMDB_NOT_FOUND_BODY = {
  success: false,
  status_code: 34,
  status_message: 'The resource you requested could not be found.',
} as const;

/** TMDB's 400 body for a page outside 1..500 (`status_code` 22). */
export const TMDB_INVALID_PAGE_BODY = {
  success: false,
  status_code: 22,
  status_message: 'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.',
} as const;

function split(payload: Json, appendKeys: readonly string[]): FixtureResource {
  const base = { ...payload };
  const appends: Record<string, Json> = {};
  for (const key of appendKeys) {
    if (key in base) {
      appends[key] = base[key] as Json;
      delete base[key];
    }
  }
  return { base, appends };
}

function withoutId(payload: Json): Json {
  const { id: _id, ...rest } = payload;
  return rest;
}

const MR_ROBOT_SEASONS = [1, 2, 3, 4] as const;
const HANDWRITTEN_PEOPLE = [8800001, 8800002, 8800004, 8800016, 8800017, 8800019] as const;

/**
 * Every fixture resource by TMDB path. Real payloads are split into base + appends so that
 * any `append_to_response` combination can be answered; see test/fixtures/tmdb/README.md.
 */
export function fixtureResources(): Map<string, FixtureResource> {
  const resources = new Map<string, FixtureResource>();

  const movie = split(loadFixture('movie'), []);
  movie.appends.credits = loadFixture('movie.credits');
  movie.appends['watch/providers'] = loadFixture('movie.watch_providers');
  movie.appends.videos = loadFixture('movie.videos');
  resources.set('/movie/109445', movie);

  resources.set('/collection/386382', split(loadFixture('collection'), []));

  resources.set('/person/17838', split(loadFixture('person'), ['combined_credits']));
  for (const id of HANDWRITTEN_PEOPLE) resources.set(`/person/${id}`, split(loadFixture(`person_${id}`), ['combined_credits']));

  const season1 = split(loadFixture('tv_seasons'), ['watch/providers', 'aggregate_credits']);
  resources.set('/tv/62560/season/1', season1);
  for (const n of [2, 3, 4] as const) {
    resources.set(`/tv/62560/season/${n}`, {
      base: loadFixture(`tv_season_${n}`),
      appends: {
        aggregate_credits: withoutId(loadFixture(`tv_season_${n}.aggregate_credits`)),
        'watch/providers': structuredClone(season1.appends['watch/providers']!),
      },
    });
  }

  const series = split(loadFixture('tv_series'), ['watch/providers', 'aggregate_credits']);
  series.appends.videos = loadFixture('tv_series.videos');
  for (const n of MR_ROBOT_SEASONS) series.appends[`season/${n}`] = structuredClone(resources.get(`/tv/62560/season/${n}`)!.base);
  resources.set('/tv/62560', series);

  const episode = split(loadFixture('tv_episode'), []);
  episode.appends.credits = loadFixture('tv_episode.credits');
  resources.set('/tv/62560/season/1/episode/1', episode);

  return resources;
}

let shared: Map<string, FixtureResource> | undefined;

/** The fixture resources parsed once per test file; read-only (answers are cloned from them). */
function sharedResources(): Map<string, FixtureResource> {
  shared ??= fixtureResources();
  return shared;
}

/** Parse `append_to_response` the way TMDB does: comma-separated, blanks ignored. */
export function parseAppends(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Base payload plus the requested appends that exist (TMDB silently skips unknown ones). */
export function assemble(resource: FixtureResource, appends: readonly string[]): Json {
  const out: Json = structuredClone(resource.base);
  for (const name of appends) {
    const part = resource.appends[name];
    if (part !== undefined) out[name] = structuredClone(part);
  }
  return out;
}

const SEARCH_FIXTURES: Record<string, string> = {
  '/search/multi': 'search_multi',
  '/search/movie': 'search_movie',
  '/search/tv': 'search_tv',
  '/search/person': 'search_person',
};

const CHANGES_PAGES = 3;

function pageOf(query: Readonly<Record<string, string>>): number | undefined {
  const raw = query.page ?? '1';
  const page = Number(raw);
  return /^\d+$/.test(raw) && page >= 1 && page <= 500 ? page : undefined;
}

/** A function that answers a TMDB path from the fixtures, or `undefined` when no fixture covers it. */
export type FixtureResolver = (path: string, query: Readonly<Record<string, string>>) => FixtureAnswer | undefined;

/**
 * Answer TMDB paths from the fixtures: resources with any `append_to_response`,
 * their standalone sub-resources (`/tv/62560/season/2/aggregate_credits` adds `id`),
 * the four searches (the same payload whatever the query; pages past the last are empty)
 * and `/person/changes` (three pages).
 */
export function createFixtureResolver(resources: Map<string, FixtureResource> = sharedResources()): FixtureResolver {
  return (path, query) => {
    const resource = resources.get(path);
    if (resource) return { status: 200, body: assemble(resource, parseAppends(query.append_to_response)) };

    for (const [base, res] of resources) {
      if (!path.startsWith(`${base}/`)) continue;
      const part = res.appends[path.slice(base.length + 1)];
      if (part !== undefined && !path.slice(base.length + 1).startsWith('season/')) {
        return { status: 200, body: { id: res.base.id, ...structuredClone(part) } };
      }
    }

    const search = SEARCH_FIXTURES[path];
    if (search !== undefined) {
      const page = pageOf(query);
      if (page === undefined) return { status: 400, body: TMDB_INVALID_PAGE_BODY };
      const body = loadFixture(search);
      return { status: 200, body: page <= body.total_pages ? { ...body, page } : { ...body, page, results: [] } };
    }

    if (path === '/person/changes') {
      const page = pageOf(query);
      if (page === undefined) return { status: 400, body: TMDB_INVALID_PAGE_BODY };
      if (page <= CHANGES_PAGES) return { status: 200, body: loadFixture(`person_changes.page_${page}`) };
      return { status: 200, body: { results: [], page, total_pages: CHANGES_PAGES, total_results: 237 } };
    }
    return undefined;
  };
}

/** The full payload of one fixture resource with the given appends, e.g. what `/movie/109445?append_to_response=credits` returns. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see loadFixture
export function fixturePayload<T = any>(path: string, appends: readonly string[] | string = []): T {
  const resource = sharedResources().get(path);
  if (!resource) throw new Error(`no TMDB fixture for ${path}`);
  return assemble(resource, typeof appends === 'string' ? parseAppends(appends) : appends) as T;
}

/**
 * A movie payload for any id, built from the 109445 fixture with the requested appends
 * (for benchmarks and cache tests that need a fresh id on every request).
 */
export function syntheticMovie(id: number, appends: readonly string[] = ['credits', 'watch/providers', 'videos'], options: { collection?: boolean } = {}): Json {
  const movie = fixturePayload('/movie/109445', appends);
  movie.id = id;
  movie.title = `${String(movie.title)} #${id}`;
  movie.imdb_id = null;
  if (options.collection === false) movie.belongs_to_collection = null;
  return movie;
}
