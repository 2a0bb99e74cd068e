import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { loadFixture, parseAppends } from '../helpers/tmdb-fixtures.ts';

/*
 * GET /people/{id} (§5.7) against the fake TMDB serving Rami Malek (17838, real) and the
 * hand-written Frozen people. Ids from 7_600_000 up are edited copies of Josh Gad (8800004).
 * "Today" is fixed by a test clock, one minute before Rami Malek's 45th birthday (UTC).
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed TMDB/API JSON

const clock = fixedClock('2026-05-11T23:59:00Z');
let t: TestApp;
let fake: FakeTmdb;
const personEdits = new Map<number, (person: Json) => void>();

beforeAll(async () => {
  fake = await startFakeTmdb();
  fake.otherwise('/person/:id', (req) => {
    const id = Number(req.params.id);
    const edit = personEdits.get(id);
    if (!edit) return undefined;
    const person: Json = loadFixture('person_8800004');
    person.id = id;
    edit(person);
    return { body: person };
  });
  t = await buildTestAppOn(fake, { overrides: { clock } });
});
afterAll(() => closeAll(t, fake));
beforeEach(() => fake.clearCalls());

async function ok(url: string): Promise<Json> {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.clientToken}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

function synthetic(id: number, edit: (person: Json) => void): string {
  personEdits.set(id, edit);
  return `/people/${id}`;
}

const rami = loadFixture('person');

/** The Go rule: cast entries of the media type, then crew entries, sorted by popularity descending (stably). */
function expectedCredits(mediaType: 'movie' | 'tv'): [number, string, string][] {
  const entries = [
    ...rami.combined_credits.cast.filter((c: Json) => c.media_type === mediaType).map((c: Json) => ({ c, type: 'cast', role: c.character })),
    ...rami.combined_credits.crew.filter((c: Json) => c.media_type === mediaType).map((c: Json) => ({ c, type: 'crew', role: c.job })),
  ];
  return entries.sort((a, b) => b.c.popularity - a.c.popularity).map((e) => [e.c.id, e.type, e.role ?? '']);
}

describe('GET /people/{id}', () => {
  it('answers every documented field, in wire order, with imdbId spelled as on people', async () => {
    const person = await ok('/people/17838');
    expect(Object.keys(person)).toEqual([
      'id',
      'imdbId',
      'name',
      'biography',
      'birthday',
      'currentAge',
      'gender',
      'placeOfBirth',
      'photoPath',
      'photoUrl',
      'knownFor',
      'alsoKnownAs',
      'movieCredits',
      'seriesCredits',
    ]);
    expect(person).toMatchObject({
      id: 17838,
      imdbId: rami.imdb_id,
      name: 'Rami Malek',
      biography: rami.biography,
      birthday: '1981-05-12',
      // The fixed clock is 2026-05-11 (UTC): the day before his 45th birthday.
      currentAge: 44,
      gender: 'Male',
      placeOfBirth: rami.place_of_birth,
      photoPath: rami.profile_path,
      photoUrl: `https://image.tmdb.org/t/p/w92${rami.profile_path}`,
      knownFor: 'Acting',
      alsoKnownAs: rami.also_known_as,
    });
    expect(person).not.toHaveProperty('imdbID');
    expect(person).not.toHaveProperty('deathday');
    const call = fake.callsTo('/person/17838')[0]!;
    expect(parseAppends(call.query.append_to_response)).toEqual(['combined_credits']);
  });

  it('splits credits into movies and series: cast then crew, no de-duplication, by popularity descending (stable)', async () => {
    const person = await ok('/people/17838');
    const summary = (list: Json[]) => list.map((c) => [c.id, c.type, c.role]);
    expect(summary(person.movieCredits)).toEqual(expectedCredits('movie'));
    expect(summary(person.seriesCredits)).toEqual(expectedCredits('tv'));
    expect(person.movieCredits).toHaveLength(37);
    expect(person.seriesCredits).toHaveLength(26);
    const popularity = (list: Json[]) => list.map((c) => c.popularity as number);
    expect(popularity(person.movieCredits)).toEqual([...popularity(person.movieCredits)].sort((a, b) => b - a));
    // Equal popularity keeps cast before crew, and TMDB order among equals.
    const amateur = person.movieCredits.filter((c: Json) => c.id === 1087891);
    expect(amateur.map((c: Json) => [c.type, c.role])).toEqual([
      ['cast', 'Heller'],
      ['crew', 'Producer'],
    ]);
    const robot = person.seriesCredits.filter((c: Json) => c.id === 62560);
    expect(robot.map((c: Json) => [c.type, c.role])).toEqual([
      ['cast', 'Elliot Alderson'],
      ['crew', 'Producer'],
    ]);
  });

  it('keeps FilmCredit order 0 on movie cast, and has no order for crew or TV cast', async () => {
    const person = await ok('/people/17838');
    const [heller, producer] = person.movieCredits.filter((c: Json) => c.id === 1087891);
    expect(Object.keys(heller)).toEqual([
      'id',
      'title',
      'posterPath',
      'posterUrl',
      'releaseDate',
      'role',
      'order',
      'popularity',
      'voteAverage',
      'voteCount',
      'type',
    ]);
    expect(heller).toMatchObject({ title: 'The Amateur', order: 0, type: 'cast', releaseDate: '2025-04-09' });
    expect(heller.posterUrl).toBe(`https://image.tmdb.org/t/p/w92${heller.posterPath}`);
    expect(producer).not.toHaveProperty('order');
    for (const c of person.seriesCredits) expect(c).not.toHaveProperty('order');
    // TV credits take the name and first air date, and carry episodeCount.
    const [robot] = person.seriesCredits.filter((c: Json) => c.id === 62560);
    const raw = rami.combined_credits.cast.find((c: Json) => c.id === 62560 && c.media_type === 'tv');
    expect(robot).toMatchObject({ title: 'Mr. Robot', releaseDate: raw.first_air_date, episodeCount: raw.episode_count, role: 'Elliot Alderson' });
    expect(Object.keys(robot)).toEqual(['id', 'title', 'posterPath', 'posterUrl', 'releaseDate', 'role', 'popularity', 'voteAverage', 'voteCount', 'episodeCount', 'type']);
  });

  it('omits empty credit lists and alsoKnownAs; lists crew jobs one per entry', async () => {
    const lee = await ok('/people/8800017');
    expect(lee.gender).toBe('Female');
    expect(lee).not.toHaveProperty('seriesCredits');
    expect(lee).not.toHaveProperty('alsoKnownAs');
    expect(lee.movieCredits.map((c: Json) => [c.id, c.type, c.role])).toEqual([
      [109445, 'crew', 'Director'],
      [109445, 'crew', 'Screenplay'],
      [109445, 'crew', 'Story'],
    ]);
  });

  it('gives the age at death for a deceased person', async () => {
    const andersen = await ok('/people/8800019');
    expect(andersen).toMatchObject({ birthday: '1805-04-02', deathday: '1875-08-04', currentAge: 70 });
    expect(Object.keys(andersen).slice(4, 7)).toEqual(['birthday', 'deathday', 'currentAge']);
  });

  it('leaves birthday and currentAge out when TMDB has no birthday', async () => {
    const buck = await ok('/people/8800016');
    expect(buck).not.toHaveProperty('birthday');
    expect(buck).not.toHaveProperty('currentAge');
    expect(buck.gender).toBe('Male');
  });

  it('labels every gender code', async () => {
    const labels: [number | null, string][] = [
      [1, 'Female'],
      [2, 'Male'],
      [3, 'Non-binary'],
      [0, 'Not specified'],
      [7, 'Not specified'],
      [null, 'Not specified'],
    ];
    for (const [i, [code, label]] of labels.entries()) {
      const person = await ok(synthetic(7_600_010 + i, (p) => (p.gender = code)));
      expect(person.gender, `gender ${String(code)}`).toBe(label);
    }
  });

  it('answers 200 without currentAge for an unparseable or future birthday (Go answered 500)', async () => {
    for (const [i, birthday] of ['1981-13-45', 'unknown', '2099-01-01'].entries()) {
      const person = await ok(synthetic(7_600_020 + i, (p) => (p.birthday = birthday)));
      expect(person, birthday).not.toHaveProperty('currentAge');
    }
  });

  it('always sends photoPath and photoUrl, as "" when TMDB has no photo', async () => {
    const person = await ok(
      synthetic(7_600_030, (p) => {
        p.profile_path = null;
        p.imdb_id = null;
        p.known_for_department = null;
        p.place_of_birth = null;
      }),
    );
    expect(person).toMatchObject({ photoPath: '', photoUrl: '', imdbId: '', knownFor: '' });
    expect(person).not.toHaveProperty('placeOfBirth');
  });

  it('moves currentAge on at UTC midnight, also on a page it served before', async () => {
    const before = await ok('/people/17838?language=en-GB');
    expect(before.currentAge).toBe(44);
    clock.advance(2 * 60_000);
    try {
      const after = await ok('/people/17838?language=en-GB');
      expect(after.currentAge).toBe(45);
    } finally {
      clock.set('2026-05-11T23:59:00Z');
    }
  });
});
