import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/db.ts';
import { createIdentitiesRepository } from '../../src/data/repositories/identities.repository.ts';
import { ACHIEVEMENTS } from '../../src/modules/activity/achievements.ts';
import { CSV_COLUMNS } from '../../src/modules/activity/profile.service.ts';
import { buildTestAppOn, closeAll, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { createTestUser, FROZEN, MR_ROBOT, serveSynthetic, type TestUser } from '../helpers/me-fixtures.ts';

let t: TestApp;
let fake: FakeTmdb;
const ODD = 930_001;

beforeAll(async () => {
  fake = await startFakeTmdb();
  serveSynthetic(fake, { movies: new Map([[ODD, { title: '=HYPERLINK("x"), "quoted"\nnew line', runtime: null, genres: [], releaseDate: '' }]]) });
  t = await buildTestAppOn(fake);
});
afterAll(() => closeAll(t, fake));

const call = (u: TestUser | undefined, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: u?.headers ?? {}, ...(payload === undefined ? {} : { payload: payload as object }) });
const q = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await t.container.db.execute(query));

/** A user with a bit of everything: watchlist, events of every type, earned achievements and an Apple identity with a refresh token. */
async function richUser(): Promise<TestUser & { identityId: string }> {
  const u = await createTestUser(t, 'rich');
  await call(u, 'PUT', `/me/watchlist/movie/${FROZEN.id}`, { status: 'want_to_watch' });
  await call(u, 'PUT', `/me/watchlist/series/${MR_ROBOT.id}`, { status: 'want_to_watch' });
  for (const body of [
    { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-01-01T10:00:00Z' },
    { type: 'movie', tmdbId: FROZEN.id, watchedAt: '2026-01-02T10:00:00Z' },
    { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 1, watchedAt: '2026-01-03T10:00:00Z' },
    { type: 'season', tmdbId: MR_ROBOT.id, seasonNumber: 2, watchedAt: '2026-01-04T10:00:00Z' },
    { type: 'series', tmdbId: MR_ROBOT.id, watchedAt: '2026-01-05T10:00:00Z' },
    { type: 'movie', tmdbId: ODD, watchedAt: '2026-01-06T10:00:00Z' },
  ]) {
    expect((await call(u, 'POST', '/me/watch-events', body)).statusCode).toBe(201);
  }
  await call(u, 'POST', '/me/watch-events', { type: 'movie', tmdbId: FROZEN.id }).then((r) => expect(r.statusCode).toBe(201));
  await t.container.activity.achievements.evaluate(u.userId);
  const identities = createIdentitiesRepository(t.container.db);
  const identity = await identities.insert({ userId: u.userId, provider: 'apple', subject: `apple-${u.userId}`, email: 'relay@privaterelay.appleid.com', emailVerified: true, isPrivateEmail: true });
  await identities.setRefreshToken(identity!.id, { clientId: 'info.minimovie.signin', refreshTokenEnc: 'ENCRYPTED-REFRESH-TOKEN' });
  return { ...u, identityId: identity!.id };
}

describe('profile', () => {
  it('GET /me returns the profile; PATCH changes the name and validates the time zone', async () => {
    const u = await createTestUser(t, 'prof');
    const me = await call(u, 'GET', '/me');
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.json()).toMatchObject({ id: u.userId, displayName: 'prof', timezone: 'UTC' });

    const patched = await call(u, 'PATCH', '/me', { displayName: 'Ünïcødé 🎬', timezone: 'america/los_angeles' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ displayName: 'Ünïcødé 🎬', timezone: 'America/Los_Angeles' });
    expect((await call(u, 'GET', '/me')).json().timezone).toBe('America/Los_Angeles');
    expect((await call(u, 'PATCH', '/me', { displayName: null })).json()).toMatchObject({ displayName: null, timezone: 'America/Los_Angeles' });

    for (const [body, code] of [
      [{ timezone: 'Mars/Olympus' }, 'INVALID_TIMEZONE'],
      [{ timezone: '+01:00' }, 'INVALID_TIMEZONE'],
      [{ timezone: 'x'.repeat(65) }, 'INVALID_TIMEZONE'],
      [{ timezone: 5 }, 'INVALID_TIMEZONE'],
      [{ displayName: '' }, 'INVALID_DISPLAY_NAME'],
      [{ displayName: 'x'.repeat(101) }, 'INVALID_DISPLAY_NAME'],
      [{}, 'INVALID_BODY'],
      [{ email: 'a@b.c' }, 'INVALID_BODY'],
    ] as const) {
      const res = await call(u, 'PATCH', '/me', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code, JSON.stringify(body)).toBe(code);
    }
  });
});

describe('achievements routes', () => {
  it('list all definitions with progress; unseen lists earned ones until marked seen', async () => {
    const u = await createTestUser(t, 'ach');
    await call(u, 'POST', '/me/watch-events', { type: 'movie', tmdbId: FROZEN.id });
    const before = (await call(u, 'GET', '/me/achievements')).json().achievements;
    expect(before).toHaveLength(ACHIEVEMENTS.length);
    expect(before.find((a: { id: string }) => a.id === 'first-movie')).toMatchObject({ current: 1, target: 1, earned: false, earnedAt: null });
    expect((await call(u, 'GET', '/me/achievements/unseen')).json().achievements).toEqual([]);

    await t.container.activity.achievements.evaluate(u.userId);
    const list = (await call(u, 'GET', '/me/achievements')).json().achievements;
    expect(list.find((a: { id: string }) => a.id === 'first-movie')).toMatchObject({ earned: true, earnedAt: expect.any(String) });
    expect(list.find((a: { id: string }) => a.id === 'movies-10')).toMatchObject({ current: 1, target: 10, earned: false });
    const unseen = (await call(u, 'GET', '/me/achievements/unseen')).json().achievements;
    expect(unseen.map((a: { id: string }) => a.id)).toEqual(['first-movie']);

    const seen = await call(u, 'POST', '/me/achievements/seen', { ids: ['first-movie', 'movies-500'] });
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual({ marked: 1 });
    expect((await call(u, 'POST', '/me/achievements/seen', { ids: ['first-movie'] })).json()).toEqual({ marked: 0 });
    expect((await call(u, 'GET', '/me/achievements/unseen')).json().achievements).toEqual([]);
  });

  it('bad ids are a 400; no session is a 401', async () => {
    const u = await createTestUser(t);
    for (const [body, code] of [
      [{ ids: ['nope'] }, 'UNKNOWN_ACHIEVEMENT'],
      [{ ids: [] }, 'INVALID_IDS'],
      [{ ids: 'first-movie' }, 'INVALID_IDS'],
      [{ ids: Array.from({ length: 101 }, () => 'first-movie') }, 'INVALID_IDS'],
      [{ ids: ['x'.repeat(65)] }, 'INVALID_IDS'],
    ] as const) {
      const res = await call(u, 'POST', '/me/achievements/seen', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 50)).toBe(400);
      expect(res.json().code).toBe(code);
    }
    for (const [method, url] of [['GET', '/me/achievements'], ['GET', '/me/achievements/unseen'], ['POST', '/me/achievements/seen'], ['GET', '/me'], ['PATCH', '/me'], ['DELETE', '/me'], ['GET', '/me/export']] as const) {
      expect((await call(undefined, method, url, method === 'POST' || method === 'PATCH' ? {} : undefined)).statusCode, url).toBe(401);
    }
  });
});

describe('export', () => {
  it('the JSON export holds every stored row of the user and no secret', async () => {
    const u = await richUser();
    const res = await call(u, 'GET', '/me/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toContain('ENCRYPTED-REFRESH-TOKEN');
    const doc = res.json();

    const [user] = await q<{ id: string; email: string; timezone: string }>(sql`select id, email, timezone from users where id = ${u.userId}`);
    expect(doc.profile).toMatchObject({ id: user!.id, email: user!.email, timezone: user!.timezone });
    expect(doc.identities).toEqual([expect.objectContaining({ provider: 'apple', email: 'relay@privaterelay.appleid.com', isPrivateEmail: true })]);

    const watchlist = await q<{ media_type: string; tmdb_id: number; status: string; title: string }>(sql`select media_type, tmdb_id, status, title from watchlist_items where user_id = ${u.userId}`);
    expect(doc.watchlist.map((w: { mediaType: string; tmdbId: number; status: string; title: string }) => [w.mediaType, w.tmdbId, w.status, w.title]).sort()).toEqual(
      watchlist.map((w) => [w.media_type, w.tmdb_id, w.status, w.title]).sort(),
    );

    const events = await q<{ id: string; type: string; tmdb_id: number; season_number: number | null; episode_number: number | null; watched_at: string; runtime_minutes: number; title: string }>(
      sql`select id, type, tmdb_id, season_number, episode_number, watched_at, runtime_minutes, title from watch_events where user_id = ${u.userId} order by watched_at, id`,
    );
    expect(events).toHaveLength(7);
    expect(
      doc.watchEvents.map((e: { id: string; type: string; tmdbId: number; seasonNumber: number | null; episodeNumber: number | null; watchedAt: string; runtimeMinutes: number; title: string }) => [
        e.id,
        e.type,
        e.tmdbId,
        e.seasonNumber,
        e.episodeNumber,
        new Date(e.watchedAt).getTime(),
        e.runtimeMinutes,
        e.title,
      ]),
    ).toEqual(events.map((e) => [e.id, e.type, e.tmdb_id, e.season_number, e.episode_number, new Date(e.watched_at).getTime(), e.runtime_minutes, e.title]));

    const earned = await q<{ achievement_id: string }>(sql`select achievement_id from user_achievements where user_id = ${u.userId}`);
    expect(earned.length).toBeGreaterThan(0);
    expect(doc.achievements.map((a: { id: string }) => a.id).sort()).toEqual(earned.map((a) => a.achievement_id).sort());
  });

  it('the CSV export has one row per event and neutralises formulas', async () => {
    const u = await richUser();
    const res = await call(u, 'GET', '/me/export?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const body = res.body;
    expect(body.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(body).toContain(`"'=HYPERLINK(""x""), ""quoted""\nnew line"`);
    const ids = await q<{ id: string }>(sql`select id from watch_events where user_id = ${u.userId}`);
    for (const { id } of ids) expect(body).toContain(`${id},`);
    expect((await call(u, 'GET', '/me/export?format=xml')).statusCode).toBe(400);
  });

  it('a user without data exports empty lists', async () => {
    const u = await createTestUser(t);
    const doc = (await call(u, 'GET', '/me/export')).json();
    expect(doc).toMatchObject({ identities: [], watchlist: [], watchEvents: [], achievements: [] });
    expect((await call(u, 'GET', '/me/export?format=csv')).body).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});

describe('DELETE /me', () => {
  it('removes every row of the user from every table except the pending Apple revocation, and the old token gets 401', async () => {
    const other = await richUser();
    const u = await richUser();
    const tables = await q<{ table_name: string }>(
      sql`select distinct table_name from information_schema.columns where table_schema = 'public' and column_name = 'user_id' order by table_name`,
    );
    const names = tables.map((r) => r.table_name);
    for (const required of ['watchlist_items', 'watch_events', 'idempotency_keys', 'user_achievements', 'sessions', 'user_identities']) expect(names).toContain(required);
    await call(u, 'POST', '/me/watch-events', { type: 'movie', tmdbId: FROZEN.id }).then(() => undefined);
    await t.app.inject({ method: 'POST', url: '/me/watch-events', headers: { ...u.headers, 'idempotency-key': 'del-1' }, payload: { type: 'movie', tmdbId: FROZEN.id } });
    const count = async (table: string, userId: string) =>
      (await q<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where user_id = ${userId}`))[0]!.n;
    for (const table of ['watchlist_items', 'watch_events', 'idempotency_keys', 'user_achievements', 'sessions', 'user_identities']) expect(await count(table, u.userId), table).toBeGreaterThan(0);

    const res = await call(u, 'DELETE', '/me');
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');

    for (const table of names) expect(await count(table, u.userId), table).toBe(0);
    // Every public table, every column: nothing mentions the user any more.
    const all = await q<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    for (const { table_name } of all) {
      const n = (await q<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table_name)} t where t::text like ${`%${u.userId}%`}`))[0]!.n;
      expect(n, table_name).toBe(0);
    }
    const revocations = await q<{ id: string; refresh_token_enc: string }>(sql`select id, refresh_token_enc from apple_token_revocations`);
    expect(revocations.map((r) => r.refresh_token_enc)).toEqual(['ENCRYPTED-REFRESH-TOKEN']);
    const jobs = await q<{ name: string; data: Record<string, unknown> }>(sql`select name, data from pgboss.job where data::text like ${`%${u.userId}%`} or name = 'apple-revoke'`);
    expect(jobs).toEqual([{ name: 'apple-revoke', data: { revocationId: revocations[0]!.id } }]);

    expect((await call(u, 'GET', '/me')).statusCode).toBe(401);
    expect((await call(u, 'GET', '/me/watch-events')).statusCode).toBe(401);
    // The other user is untouched.
    expect(await count('watch_events', other.userId)).toBe(7);
    expect((await call(other, 'GET', '/me')).statusCode).toBe(200);
  });
});
