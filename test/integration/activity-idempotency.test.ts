import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf } from '../../src/data/db.ts';
import { buildTestAppOn, type TestApp } from '../helpers/build-test-app.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';
import { createTestUser, MR_ROBOT } from '../helpers/me-fixtures.ts';
import { createServerDatabase, testDatabaseKind } from '../helpers/test-db.ts';

describe.skipIf(testDatabaseKind() !== 'postgres')(
  'Idempotency-Key under real concurrency (needs TEST_DATABASE_URL: PGlite has one connection, so requests cannot overlap in the database)',
  () => {
    let t: TestApp;
    let fake: FakeTmdb;

    beforeAll(async () => {
      fake = await startFakeTmdb();
      // TMDB answers slowly, so all five requests are past the key lookup before the first one commits.
      fake.latencyMs = 50;
      const { url } = await createServerDatabase();
      t = await buildTestAppOn(fake, { env: { TMDB_CACHE_MB: '0' }, overrides: { database: await openDatabase({ url, poolSize: 10 }) } });
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('5 concurrent retries with one key create exactly one event and all get the same response', async () => {
      const u = await createTestUser(t);
      const payload = { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: 4, watchedAt: '2026-01-01T20:00:00Z' };
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => t.app.inject({ method: 'POST', url: '/me/watch-events', headers: { ...u.headers, 'idempotency-key': 'flaky-network-1' }, payload })),
      );
      expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
      const ids = new Set(responses.map((r) => r.json().id as string));
      expect(ids.size).toBe(1);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
      const rows = rowsOf<{ n: number }>(await t.container.db.execute(sql`select count(*)::int as n from watch_events where user_id = ${u.userId}`));
      expect(rows[0]!.n).toBe(1);
      const keys = rowsOf<{ n: number }>(await t.container.db.execute(sql`select count(*)::int as n from idempotency_keys where user_id = ${u.userId}`));
      expect(keys[0]!.n).toBe(1);
    });

    it('concurrent requests with one key and different bodies: one event, the others 422', async () => {
      const u = await createTestUser(t);
      const responses = await Promise.all(
        [1, 2, 3].map((e) =>
          t.app.inject({ method: 'POST', url: '/me/watch-events', headers: { ...u.headers, 'idempotency-key': 'k' }, payload: { type: 'episode', tmdbId: MR_ROBOT.id, seasonNumber: 1, episodeNumber: e } }),
        ),
      );
      expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 422, 422]);
      const rows = rowsOf<{ n: number }>(await t.container.db.execute(sql`select count(*)::int as n from watch_events where user_id = ${u.userId}`));
      expect(rows[0]!.n).toBe(1);
    });
  },
);
