import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { loadFixture, parseAppends, syntheticMovie } from '../helpers/tmdb-fixtures.ts';

/*
 * GET /movies/{id} against the fake TMDB serving the Frozen fixtures (§5.2).
 * Ids from 7_000_000 up are synthetic copies of the Frozen payload (see `synthetic`).
 */

let t: TestApp;
let fake: FakeTmdb;
/** Per synthetic movie id: a change applied to the Frozen payload before it is served. */
const edits = new Map<number, (movie: Record<string, unknown>) => void>();

beforeAll(async () => {
  fake = await startFakeTmdb();
  fake.otherwise('/movie/:id', (req) => {
    const id = Number(req.params.id);
    if (id < 7_000_000) return undefined;
    const movie = syntheticMovie(id, req.append);
    edits.get(id)?.(movie);
    return { body: movie };
  });
  // The timing tests measure round trips, not the client-side rate limit.
  t = await buildTestAppOn(fake, { env: { TMDB_RATE_LIMIT: '1000' } });
});
afterAll(() => closeAll(t, fake));
beforeEach(() => fake.clearCalls());

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.clientToken}`, ...headers } });
  expect(res.statusCode, res.body).not.toBe(500);
  return res;
}

/** Serve movie `id` as a copy of Frozen changed by `edit`. */
function synthetic(id: number, edit: (movie: Record<string, unknown>) => void): number {
  edits.set(id, edit);
  return id;
}

/** Age fields belong to the Ages module; these tests check everything else about a credit person. */
const AGE_KEYS = new Set(['birthday', 'deathday', 'currentAge', 'ageAtRelease', 'ageRange']);
const withoutAges = (person: Record<string, unknown>) => Object.fromEntries(Object.entries(person).filter(([k]) => !AGE_KEYS.has(k)));
const keysWithoutAges = (person: Record<string, unknown>) => Object.keys(person).filter((k) => !AGE_KEYS.has(k));

const frozenCredits = loadFixture('movie.credits');
const collection = loadFixture('collection');

describe('GET /movies/{id}: happy path on the real Frozen payload', () => {
  it('answers every documented field, in wire order', async () => {
    const res = await get('/movies/109445');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const movie = res.json();
    expect(Object.keys(movie)).toEqual([
      'id',
      'imdbID',
      'title',
      'tagline',
      'overview',
      'genres',
      'posterPath',
      'posterUrl',
      'status',
      'releaseDate',
      'runtime',
      'budget',
      'revenue',
      'voteAverage',
      'originalTitle',
      'originalLanguage',
      'originCountry',
      'spokenLanguages',
      'productionCompanies',
      'productionCountries',
      'whereToWatch',
      'trailers',
      'credits',
      'collectionInfo',
    ]);
    const raw = loadFixture('movie');
    expect(movie).toMatchObject({
      id: 109445,
      imdbID: raw.imdb_id,
      title: 'Frozen',
      tagline: raw.tagline,
      overview: raw.overview,
      genres: ['Animation', 'Family', 'Adventure', 'Fantasy'],
      posterPath: raw.poster_path,
      posterUrl: `https://image.tmdb.org/t/p/w300${raw.poster_path}`,
      status: 'Released',
      releaseDate: '2013-11-20',
      runtime: 102,
      budget: raw.budget,
      revenue: raw.revenue,
      voteAverage: raw.vote_average,
      originalTitle: 'Frozen',
      originalLanguage: 'en',
      originCountry: 'US',
      spokenLanguages: ['English'],
      productionCompanies: ['Walt Disney Animation Studios'],
      productionCountries: ['US'],
    });
    // The key is spelled imdbID on movies (people use imdbId).
    expect(movie.imdbId).toBeUndefined();
  });

  it('lists the cast in TMDB order and omits order 0 (the top-billed member has no order key)', async () => {
    const { credits } = (await get('/movies/109445')).json();
    expect(credits.cast.map((p: { id: number }) => p.id)).toEqual(frozenCredits.cast.map((c: { id: number }) => c.id));
    const [kristen, idina] = credits.cast;
    expect(withoutAges(kristen)).toEqual({
      id: 8800001,
      name: 'Kristen Bell',
      photoPath: '/7v4e4ob5B3tta6jdwLJTwPFz6u4.jpg',
      photoUrl: 'https://image.tmdb.org/t/p/w92/7v4e4ob5B3tta6jdwLJTwPFz6u4.jpg',
      role: 'Anna (voice)',
    });
    expect(keysWithoutAges(idina)).toEqual(['id', 'name', 'photoPath', 'photoUrl', 'role', 'order']);
    expect(idina.order).toBe(1);
    // No profile photo: photoPath omitted, photoUrl "".
    const maia = credits.cast.find((p: { id: number }) => p.id === 8800010);
    expect(withoutAges(maia)).toEqual({ id: 8800010, name: 'Maia Wilson', photoUrl: '', role: 'Bulda (voice)', order: 9 });
  });

  it('groups the crew by exact job, in TMDB order, with no de-duplication', async () => {
    const { credits } = (await get('/movies/109445')).json();
    expect(Object.keys(credits)).toEqual([
      'cast',
      'directors',
      'writers',
      'producers',
      'composers',
      'cinematographers',
      'editors',
      'productionDesign',
      'casting',
    ]);
    const roles = (group: { id: number; role: string }[]) => group.map((p) => [p.id, p.role]);
    expect(roles(credits.directors)).toEqual([
      [8800016, 'Director'],
      [8800017, 'Director'],
    ]);
    // Jennifer Lee is Screenplay and Story: twice in writers (and once in directors).
    expect(roles(credits.writers)).toEqual([
      [8800017, 'Screenplay'],
      [8800016, 'Story'],
      [8800017, 'Story'],
      [8800018, 'Story'],
    ]);
    expect(roles(credits.producers)).toEqual([
      [8800020, 'Producer'],
      [8800021, 'Executive Producer'],
    ]);
    expect(roles(credits.composers)).toEqual([[8800023, 'Original Music Composer']]);
    expect(roles(credits.cinematographers)).toEqual([[8800029, 'Director of Photography']]);
    expect(roles(credits.editors)).toEqual([[8800026, 'Editor']]);
    expect(roles(credits.productionDesign)).toEqual([[8800028, 'Production Design']]);
    expect(roles(credits.casting)).toEqual([[8800030, 'Casting']]);
    // Novel, Associate Producer, Songs and Art Direction belong to no group.
    const everyone = Object.values(credits).flat() as { id: number }[];
    for (const dropped of [8800019, 8800022, 8800024, 8800025, 8800027]) expect(everyone.some((p) => p.id === dropped)).toBe(false);
    // Crew entries carry role but never order or episodeCount.
    expect(keysWithoutAges(credits.writers[0])).toEqual(['id', 'name', 'photoPath', 'photoUrl', 'role']);
  });

  it('shows the US providers by default, in TMDB order, with w45 logo URLs', async () => {
    const { whereToWatch } = (await get('/movies/109445')).json();
    const us = loadFixture('movie.watch_providers').results.US;
    const providers = (list: { provider_name: string; logo_path: string }[]) =>
      list.map((p) => ({ name: p.provider_name, logoPath: p.logo_path, logoUrl: `https://image.tmdb.org/t/p/w45${p.logo_path}` }));
    expect(Object.keys(whereToWatch)).toEqual(['stream', 'rent', 'buy']);
    expect(whereToWatch).toEqual({ stream: providers(us.flatrate), rent: providers(us.rent), buy: providers(us.buy) });
  });

  it('picks the whereToWatch country from `region`, and leaves it out when TMDB has none for that country', async () => {
    const de = loadFixture('movie.watch_providers').results.DE;
    const gb = (await get('/movies/109445?region=GB')).json();
    expect(Object.keys(gb.whereToWatch)).toEqual(['stream', 'rent', 'buy']);
    expect(gb.whereToWatch.rent.map((p: { name: string }) => p.name)).toEqual(['Apple TV', 'Amazon Video', 'Sky Store']);
    const lower = (await get('/movies/109445?region=de')).json();
    expect(Object.keys(lower.whereToWatch)).toEqual(['stream', 'buy']);
    expect(lower.whereToWatch.buy.map((p: { name: string }) => p.name)).toEqual(de.buy.map((p: { provider_name: string }) => p.provider_name));
    const fr = (await get('/movies/109445?region=FR')).json();
    expect(fr).not.toHaveProperty('whereToWatch');
    expect(fr.title).toBe('Frozen');
  });

  it('passes `language` to TMDB (default en-US)', async () => {
    await get('/movies/109445?language=fr-FR');
    await get('/movies/109445?language=DE-at');
    const languages = fake.callsTo('/movie/109445').map((c) => c.query.language);
    expect(languages).toEqual(['fr-FR', 'de-AT']);
  });

  it('lists only trailers: official first, then newest first, with YouTube watch URLs', async () => {
    const { trailers } = (await get('/movies/109445')).json();
    expect(trailers).toEqual([
      {
        name: 'Frozen - Official Trailer',
        site: 'YouTube',
        key: 'Tn8Wq3RbZk1',
        url: 'https://www.youtube.com/watch?v=Tn8Wq3RbZk1',
        official: true,
        publishedAt: '2013-09-26T16:00:00.000Z',
      },
      {
        name: 'Frozen Trailer #2 (fan upload)',
        site: 'YouTube',
        key: 'Lb7Rj1YtGv5',
        url: 'https://www.youtube.com/watch?v=Lb7Rj1YtGv5',
        official: false,
        publishedAt: '2013-10-02T08:41:19.000Z',
      },
    ]);
  });

  it('adds the collection with its parts in TMDB order (the movie included), each with only its real fields', async () => {
    const { collectionInfo } = (await get('/movies/109445')).json();
    expect(Object.keys(collectionInfo)).toEqual(['id', 'name', 'overview', 'posterPath', 'posterUrl', 'parts']);
    expect(collectionInfo).toMatchObject({
      id: 386382,
      name: 'Frozen Collection',
      overview: collection.overview,
      posterPath: collection.poster_path,
      posterUrl: `https://image.tmdb.org/t/p/w300${collection.poster_path}`,
    });
    expect(collectionInfo.parts.map((p: { id: number }) => p.id)).toEqual([109445, 330457, 1024604, 1205983]);
    for (const part of collectionInfo.parts) {
      expect(Object.keys(part)).toEqual(['id', 'title', 'overview', 'posterPath', 'posterUrl', 'releaseDate', 'voteAverage']);
    }
    expect(collectionInfo.parts[1]).toEqual({
      id: 330457,
      title: 'Frozen II',
      overview: collection.parts[1].overview,
      posterPath: '/mINJaa34MtknCYl5AjtNJzWj8cD.jpg',
      posterUrl: 'https://image.tmdb.org/t/p/w300/mINJaa34MtknCYl5AjtNJzWj8cD.jpg',
      releaseDate: '2019-11-20',
      voteAverage: 7.239,
    });
    // TMDB nulls become "" and 0 (Frozen III has no poster, Frozen IV no date).
    expect(collectionInfo.parts[2]).toMatchObject({ posterPath: '', posterUrl: '', voteAverage: 0 });
    expect(collectionInfo.parts[3]).toMatchObject({ releaseDate: '' });
  });
});

describe('GET /movies/{id}: derivations on edited payloads', () => {
  it('takes the first origin_country, English language names and ISO country codes', async () => {
    const id = synthetic(7_000_001, (m) => {
      m.origin_country = ['GB', 'US'];
      m.spoken_languages = [
        { english_name: 'French', iso_639_1: 'fr', name: 'Français' },
        { english_name: 'German', iso_639_1: 'de', name: 'Deutsch' },
      ];
      m.production_countries = [
        { iso_3166_1: 'GB', name: 'United Kingdom' },
        { iso_3166_1: 'FR', name: 'France' },
      ];
    });
    const movie = (await get(`/movies/${id}`)).json();
    expect(movie.originCountry).toBe('GB');
    expect(movie.spokenLanguages).toEqual(['French', 'German']);
    expect(movie.productionCountries).toEqual(['GB', 'FR']);
  });

  it('turns TMDB nulls into the Go zero values and empty lists into []', async () => {
    const id = synthetic(7_000_002, (m) => {
      m.origin_country = [];
      m.imdb_id = null;
      m.runtime = null;
      m.poster_path = null;
      m.tagline = null;
      m.genres = [];
      m.spoken_languages = [];
      m.production_companies = [];
      m.production_countries = [];
      m.belongs_to_collection = null;
      m.credits = { cast: [], crew: [] };
      m.videos = { results: [] };
      m['watch/providers'] = { results: { US: { link: 'x' } } };
    });
    const res = await get(`/movies/${id}`);
    expect(res.statusCode).toBe(200);
    const movie = res.json();
    expect(movie).toMatchObject({
      imdbID: '',
      tagline: '',
      posterPath: '',
      posterUrl: '',
      runtime: 0,
      originCountry: '',
      genres: [],
      spokenLanguages: [],
      productionCompanies: [],
      productionCountries: [],
      trailers: [],
      credits: {},
      // A US entry without any provider list is still shown, as {}.
      whereToWatch: {},
    });
    expect(movie).not.toHaveProperty('collectionInfo');
  });

  it('fetches credits, providers and videos in the one movie call, then only the collection', async () => {
    const collectionId = 7_100_001;
    fake.on(`/collection/${collectionId}`, { body: { ...collection, id: collectionId } });
    const id = synthetic(7_000_003, (m) => {
      m.belongs_to_collection = { id: collectionId, name: 'Frozen Collection', poster_path: null, backdrop_path: null };
      // Two directors nobody has looked up yet, so the ages have TMDB work to do beside the collection.
      const credits = m.credits as { crew: unknown[] };
      credits.crew.unshift({ id: 7_200_001, name: 'New Director', job: 'Director' }, { id: 7_200_002, name: 'Other Director', job: 'Director' });
    });
    fake.latencyMs = 250;
    let res;
    try {
      res = await get(`/movies/${id}`);
    } finally {
      fake.latencyMs = 0;
    }
    expect(res.statusCode).toBe(200);
    expect(res.json().collectionInfo.id).toBe(collectionId);

    // Person lookups (for ages) aside, the page costs exactly the movie call and the collection call.
    const titleCalls = fake.calls.filter((c) => !c.path.startsWith('/person/'));
    expect(titleCalls.map((c) => c.path)).toEqual([`/movie/${id}`, `/collection/${collectionId}`]);
    const [movieCall, collectionCall] = titleCalls;
    expect(parseAppends(movieCall!.query.append_to_response).sort()).toEqual(['credits', 'videos', 'watch/providers']);
    // append_to_response goes out literally, with an unescaped slash (§4).
    expect(movieCall!.rawQuery).toContain('watch/providers');
    expect(movieCall!.headers.authorization).toBe('Bearer test-token');
    // Everything else needs the movie's answer; after it, the collection waits for nothing:
    // it starts before any person lookup (250 ms each here) has come back.
    expect(collectionCall!.startedAt).toBeGreaterThanOrEqual(movieCall!.finishedAt!);
    const people = fake.callsTo('/person/:id');
    for (const c of people) expect(c.startedAt).toBeGreaterThanOrEqual(movieCall!.finishedAt!);
    expect(people.map((c) => c.path)).toEqual(expect.arrayContaining(['/person/7200001', '/person/7200002']));
    expect(collectionCall!.startedAt).toBeLessThan(Math.min(...people.map((c) => c.finishedAt!)));
  });

  it('leaves collectionInfo out, and still answers 200, when the collection cannot be fetched', async () => {
    const collectionId = 7_100_002;
    fake.on(`/collection/${collectionId}`, { status: 404 });
    const id = synthetic(7_000_004, (m) => {
      m.belongs_to_collection = { id: collectionId, name: 'Gone', poster_path: null, backdrop_path: null };
    });
    const res = await get(`/movies/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).not.toHaveProperty('collectionInfo');
    expect(res.json().credits.cast).toHaveLength(frozenCredits.cast.length);
  });
});

describe('GET /movies/{id}: demo catalog without a TMDB token', () => {
  let demo: TestApp;
  beforeAll(async () => {
    demo = await buildTestApp({ env: { TMDB_ACCESS_TOKEN: undefined } });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('serves movie 109445 from the built-in catalog', async () => {
    expect(demo.container.tmdb.mode).toBe('demo');
    const res = await demo.app.inject({ method: 'GET', url: '/movies/109445', headers: { authorization: `Bearer ${demo.clientToken}` } });
    expect(res.statusCode, res.body).toBe(200);
    const movie = res.json();
    expect(movie.id).toBe(109445);
    expect(movie.credits.cast.length).toBeGreaterThan(0);
    expect(movie.collectionInfo.parts.map((p: { id: number }) => p.id)).toContain(109445);
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
  });

  it('answers 404 MOVIE_NOT_FOUND for an id the demo catalog lacks', async () => {
    const res = await demo.app.inject({ method: 'GET', url: '/movies/4242424', headers: { authorization: `Bearer ${demo.clientToken}` } });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('MOVIE_NOT_FOUND');
  });
});
