import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';

let t: TestApp;
let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
  t = await buildTestApp({ env: { TMDB_ACCESS_TOKEN: 'test-token', TMDB_BASE_URL: fake.baseUrl } });
});
afterAll(async () => { await t.close(); await fake.close(); });
it('dump', async () => {
  const urls: Record<string, string> = {
    movie: '/movies/109445', series: '/series/62560', season: '/series/62560/seasons/1', episode: '/series/62560/seasons/1/episodes/1',
    person: '/people/17838', pis: '/series/62560/person/1314108/credits', searchall: '/search?q=star%2520wars&type=all',
    searchmovie: '/search?q=x&type=movie', searchtv: '/search?q=x&type=series', searchperson: '/search?q=x&type=person',
    jl: '/people/8800017', hca: '/people/8800019',
  };
  for (const [k, u] of Object.entries(urls)) {
    const res = await t.app.inject({ url: u, headers: { authorization: `Bearer ${t.clientToken}` } });
    writeFileSync(`/tmp/mmdump/${k}.json`, JSON.stringify({ status: res.statusCode, headers: res.headers, body: res.body.startsWith('{') ? res.json() : res.body }, null, 1));
  }
  writeFileSync('/tmp/mmdump/calls.json', JSON.stringify(fake.calls.map((c) => ({ path: c.path, rawQuery: c.rawQuery, status: c.status, startedAt: c.startedAt, finishedAt: c.finishedAt })), null, 1));
});
