import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/db.ts';
import { createIdentitiesRepository } from '../../src/data/repositories/identities.repository.ts';
import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts';
import { createTestUser } from '../helpers/me-fixtures.ts';
import { createServerDatabase, testDatabaseKind } from '../helpers/test-db.ts';

describe.skipIf(testDatabaseKind() !== 'postgres')(
  'unlinking identities under real concurrency (needs TEST_DATABASE_URL: PGlite has one connection, so transactions cannot overlap)',
  () => {
    let t: TestApp;

    beforeAll(async () => {
      const { url } = await createServerDatabase();
      t = await buildTestApp({ overrides: { database: await openDatabase({ url, poolSize: 10 }) } });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('two concurrent unlinks of an account’s two identities: one succeeds, the other is 409 LAST_IDENTITY, and one identity is left', async () => {
      const identities = createIdentitiesRepository(t.container.db);
      const users = await Promise.all(Array.from({ length: 12 }, (_, i) => createTestUser(t, `twin-${i}`)));
      for (const u of users) {
        for (const provider of ['google', 'apple'] as const) {
          await identities.insert({ userId: u.userId, provider, subject: `${provider}-${u.userId}`, email: null, emailVerified: null, isPrivateEmail: null });
        }
      }
      // Every account's two unlinks start together; all accounts at once, so the transactions interleave.
      const outcomes = await Promise.all(
        users.map(async (u) => {
          const answers = await Promise.all(
            (['google', 'apple'] as const).map((provider) => t.app.inject({ method: 'DELETE', url: `/me/identities/${provider}`, headers: u.headers })),
          );
          return { answers: answers.map((a) => [a.statusCode, a.statusCode === 204 ? '' : a.json<{ code: string }>().code].join(' ')).sort(), left: await identities.listByUser(u.userId) };
        }),
      );
      for (const { answers, left } of outcomes) {
        expect(answers).toEqual(['204 ', '409 LAST_IDENTITY']);
        expect(left).toHaveLength(1);
      }
    });
  },
);
