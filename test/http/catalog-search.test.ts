import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { loadFixture } from '../helpers/tmdb-fixtures.ts';

/*
 * GET /search (§5.1, §16.2) against the fake TMDB, which answers every query of a kind with
 * the same real payload (search_multi, search_movie, search_tv, search_person). Each test
 * searches for its own text, so no answer comes from a cache filled by another test.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed TMDB/API JSON

let t: TestApp;
let fake: FakeTmdb;

beforeAll(async () => {
  fake = await startFakeTmdb();
  t = await buildTestAppOn(fake);
});
afterAll(() => closeAll(t, fake));
beforeEach(() => fake.clearCalls());

/** `query` is appended as written (already encoded), as a client would put it on the wire. */
async function search(query: string): Promise<Json> {
  const res = await t.app.inject({ method: 'GET', url: `/search?${query}`, headers: { authorization: `Bearer ${t.clientToken}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

function onlyCall(): { path: string; rawQuery: string; query: Record<string, string> } {
  const calls = fake.callsTo('/search/*');
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

/** The person age belongs to the Ages module. */
const keysWithoutAge = (result: Json) => Object.keys(result).filter((k) => k !== 'age');

describe('GET /search: mapping per type', () => {
  it('type=all searches multi; movies and series keep their own fields', async () => {
    const body = await search('q=multi+one&type=all');
    expect(onlyCall().path).toBe('/search/multi');
    const raw = loadFixture('search_multi');
    expect(Object.keys(body)).toEqual(['page', 'totalPages', 'totalResults', 'results']);
    expect(body).toMatchObject({ page: 1, totalPages: 15, totalResults: 286 });
    expect(body.results.map((r: Json) => r.id)).toEqual(raw.results.map((r: Json) => r.id));
    const rawMovie = raw.results.find((r: Json) => r.media_type === 'movie');
    const movie = body.results.find((r: Json) => r.id === rawMovie.id);
    expect(movie).toEqual({
      id: rawMovie.id,
      mediaType: 'movie',
      title: rawMovie.title,
      overview: rawMovie.overview,
      posterPath: rawMovie.poster_path,
      posterUrl: `https://image.tmdb.org/t/p/w185${rawMovie.poster_path}`,
      releaseDate: rawMovie.release_date,
    });
    expect(Object.keys(movie)).toEqual(['id', 'mediaType', 'title', 'overview', 'posterPath', 'posterUrl', 'releaseDate']);
    const rawTv = raw.results.find((r: Json) => r.media_type === 'tv');
    const tv = body.results.find((r: Json) => r.id === rawTv.id);
    expect(tv).toEqual({
      id: rawTv.id,
      mediaType: 'series',
      title: rawTv.name,
      overview: rawTv.overview,
      posterPath: rawTv.poster_path,
      posterUrl: `https://image.tmdb.org/t/p/w185${rawTv.poster_path}`,
      releaseDate: rawTv.first_air_date,
    });
  });

  it('a missing type also means multi', async () => {
    await search('q=multi+two');
    expect(onlyCall().path).toBe('/search/multi');
  });

  it('type=movie forces the movie mapping and omits empty overview, poster and date', async () => {
    const body = await search('q=movie+one&type=movie');
    const call = onlyCall();
    expect(call.path).toBe('/search/movie');
    const raw = loadFixture('search_movie');
    expect(body).toMatchObject({ page: 1, totalPages: 2, totalResults: 40 });
    expect(body.results.every((r: Json) => r.mediaType === 'movie')).toBe(true);
    raw.results.forEach((item: Json, i: number) => {
      const result = body.results[i];
      expect(result.title).toBe(item.title);
      if (item.overview) expect(result.overview).toBe(item.overview);
      else expect(result).not.toHaveProperty('overview');
      if (item.poster_path) expect(result.posterUrl).toBe(`https://image.tmdb.org/t/p/w185${item.poster_path}`);
      else {
        expect(result.posterUrl).toBe('');
        expect(result).not.toHaveProperty('posterPath');
      }
      if (item.release_date) expect(result.releaseDate).toBe(item.release_date);
      else expect(result).not.toHaveProperty('releaseDate');
    });
  });

  it('type=series searches tv and maps name and first_air_date', async () => {
    const body = await search('q=series+one&type=series');
    expect(onlyCall().path).toBe('/search/tv');
    expect(body.results.map((r: Json) => [r.id, r.mediaType, r.title, r.releaseDate])).toEqual(
      loadFixture('search_tv').results.map((r: Json) => [r.id, 'series', r.name, r.first_air_date]),
    );
  });

  it('type=person maps the profile photo into posterPath and known_for_department into knownFor', async () => {
    const body = await search('q=person+one&type=person');
    expect(onlyCall().path).toBe('/search/person');
    const [ryan, noPhoto] = body.results;
    expect(keysWithoutAge(ryan)).toEqual(['id', 'mediaType', 'title', 'posterPath', 'posterUrl', 'knownFor']);
    expect(ryan).toMatchObject({
      id: 10859,
      mediaType: 'person',
      title: 'Ryan Reynolds',
      posterPath: '/trzgptffGvAlAT6MEu01fz47cLW.jpg',
      posterUrl: 'https://image.tmdb.org/t/p/w185/trzgptffGvAlAT6MEu01fz47cLW.jpg',
      knownFor: 'Acting',
    });
    expect(keysWithoutAge(noPhoto)).toEqual(['id', 'mediaType', 'title', 'posterUrl', 'knownFor']);
    expect(noPhoto).toMatchObject({ id: 1690905, posterUrl: '', knownFor: 'Costume & Make-Up' });
  });

  it('in a multi search, people are people and other media types keep only id and overview', async () => {
    const person = loadFixture('search_person').results[0];
    fake.on('/search/multi', (req) =>
      req.query.query === 'mixed'
        ? {
            body: {
              page: 1,
              total_pages: 1,
              total_results: 3,
              results: [
                { ...person, media_type: 'person' },
                { id: 555, media_type: 'collection', name: 'Some Collection', overview: 'A set of films', poster_path: '/c.jpg' },
                { id: 556, media_type: 'keyword', name: 'robots' },
              ],
            },
          }
        : undefined,
    );
    const body = await search('q=mixed');
    expect(body.results[0]).toMatchObject({ id: person.id, mediaType: 'person', title: person.name, knownFor: person.known_for_department });
    expect(body.results[1]).toEqual({ id: 555, mediaType: '', title: '', overview: 'A set of films', posterUrl: '' });
    expect(Object.keys(body.results[1])).toEqual(['id', 'mediaType', 'title', 'overview', 'posterUrl']);
    expect(body.results[2]).toEqual({ id: 556, mediaType: '', title: '', posterUrl: '' });
  });

  it('passes language to every search, and region only to movie searches', async () => {
    await search('q=locale&type=movie&language=fr-FR&region=fr');
    await search('q=locale&type=series&language=fr-FR&region=FR');
    const [movie, tv] = fake.callsTo('/search/*');
    expect(movie!.query).toMatchObject({ language: 'fr-FR', region: 'FR' });
    expect(tv!.query.language).toBe('fr-FR');
    expect(tv!.query).not.toHaveProperty('region');
  });
});

describe('GET /search: q encoding (§4, §16.2)', () => {
  it('decodes q once and re-escapes it Go-style: the web client double encoding reaches TMDB unchanged', async () => {
    await search('q=star%2520wars&type=all');
    expect(onlyCall().rawQuery).toMatch(/(^|&)query=star%2520wars(&|$)/);
  });

  it('escapes a space as + and everything outside A-Z a-z 0-9 - _ . ~ as upper-case %XX', async () => {
    await search(`q=${encodeURIComponent("it's (a) test!* ~-_. Amélie/ü+")}&type=movie`);
    expect(onlyCall().rawQuery).toMatch(/(^|&)query=it%27s\+%28a%29\+test%21%2A\+~-_\.\+Am%C3%A9lie%2F%C3%BC%2B(&|$)/);
  });

  it('accepts a whitespace-only q (only emptiness is checked)', async () => {
    await search('q=%20%20&type=movie');
    expect(onlyCall().rawQuery).toMatch(/(^|&)query=\+\+(&|$)/);
  });
});

describe('GET /search: page', () => {
  it.each([
    ['missing', ''],
    ['NaN (the web client sends it)', '&page=NaN'],
    ['0', '&page=0'],
    ['negative', '&page=-3'],
    ['a fraction', '&page=2.5'],
    ['empty', '&page='],
    ['text', '&page=two'],
  ])('%s means page 1', async (_label, page) => {
    const body = await search(`q=page+${encodeURIComponent(_label)}&type=movie${page}`);
    expect(onlyCall().query.page).toBe('1');
    expect(body.page).toBe(1);
  });

  it('passes a valid page through, up to 500', async () => {
    const two = await search('q=paging&type=movie&page=2');
    expect(two.page).toBe(2);
    expect(two.results.length).toBeGreaterThan(0);
    const last = await search('q=paging&type=movie&page=500');
    expect(last).toMatchObject({ page: 500, results: [] });
    expect(fake.callsTo('/search/movie').map((c) => c.query.page)).toEqual(['2', '500']);
  });
});
