import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/db.ts';
import { createTokenCipher } from '../../src/modules/auth/auth-crypto.ts';
import { buildTestApp, TEST_SECRET_KEY, type TestApp } from '../helpers/build-test-app.ts';
import { bearer, count, offsetClock, PUBLIC_URL, redirectFlow, redeem, signInNative } from '../helpers/auth-flows.ts';
import { startFakeGoogleAndApple } from '../helpers/oidc-provider.ts';

let t: TestApp;
let p: Awaited<ReturnType<typeof startFakeGoogleAndApple>>;
const clock = offsetClock();
let n = 0;
const acct = (extra: Record<string, unknown> = {}) => ({ sub: `apple-${++n}-${randomUUID().slice(0, 6)}`, email: `a${n}@privaterelay.appleid.com`, is_private_email: true, ...extra });

beforeAll(async () => {
  p = await startFakeGoogleAndApple(PUBLIC_URL);
  t = await buildTestApp({ env: p.env, overrides: { clock }, disableRateLimit: true });
});
afterAll(async () => {
  await t?.close();
  await p?.close();
});

/** An Apple server-to-server notification, signed like Apple signs it (or not). */
async function notification(event: Record<string, unknown>, opts: { rogueKey?: boolean; aud?: string; iat?: number; expiresIn?: number; jti?: string } = {}) {
  const payload = await p.apple.sign(
    { iss: p.apple.issuer, aud: opts.aud ?? 'info.minimovie.web', jti: opts.jti ?? randomUUID(), events: JSON.stringify({ event_time: Date.now(), ...event }) },
    { ...(opts.rogueKey ? { rogueKey: true } : {}), ...(opts.iat ? { iat: opts.iat } : {}), ...(opts.expiresIn ? { expiresIn: opts.expiresIn } : {}) },
  );
  return t.app.inject({ method: 'POST', url: '/auth/apple/notifications', payload: { payload } });
}

async function identityRow(sub: string) {
  return rowsOf<{ user_id: string; email_forwarding_enabled: boolean | null; refresh_token_enc: string | null }>(
    await t.container.db.execute(sql`select user_id, email_forwarding_enabled, refresh_token_enc from user_identities where provider = 'apple' and subject = ${sub}`),
  )[0];
}

async function signInApple(account: ReturnType<typeof acct>) {
  const res = await signInNative(t, p.apple, account, { hashNonce: true, withCode: true });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ accessToken: string; user: { id: string } }>();
}

describe('Apple server-to-server notifications', () => {
  it('email-disabled and email-enabled update the relay flag, once even when replayed', async () => {
    const account = acct();
    const s = await signInApple(account);
    const jti = randomUUID();
    const first = await notification({ type: 'email-disabled', sub: account.sub, email: account.email, is_private_email: 'true' }, { jti });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ result: 'processed' });
    expect(first.headers['cache-control']).toBe('no-store');
    expect((await identityRow(account.sub))?.email_forwarding_enabled).toBe(false);

    expect((await notification({ type: 'email-enabled', sub: account.sub }, {})).json()).toEqual({ result: 'processed' });
    expect((await identityRow(account.sub))?.email_forwarding_enabled).toBe(true);

    // The first event again (same jti): nothing changes.
    const replay = await notification({ type: 'email-disabled', sub: account.sub }, { jti });
    expect(replay.json()).toEqual({ result: 'duplicate' });
    expect((await identityRow(account.sub))?.email_forwarding_enabled).toBe(true);

    const ids = await t.app.inject({ method: 'GET', url: '/me/identities', headers: bearer(s.accessToken) });
    expect(ids.json().identities[0]).toMatchObject({ provider: 'apple', emailForwardingEnabled: true, isPrivateEmail: true });
  });

  it('consent-revoked revokes every session and drops the refresh token', async () => {
    const account = acct();
    const a = await signInApple(account);
    const b = await signInApple(account);
    expect((await identityRow(account.sub))?.refresh_token_enc).toBeTruthy();
    const res = await notification({ type: 'consent-revoked', sub: account.sub });
    expect(res.json()).toEqual({ result: 'processed' });
    for (const s of [a, b]) expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(s.accessToken) })).json().code).toBe('SESSION_INVALID');
    expect((await identityRow(account.sub))?.refresh_token_enc).toBeNull();
    expect(await identityRow(account.sub)).toBeDefined();
  });

  it('account-delete deletes the user and everything they own, once; the refresh token waits, encrypted, for revocation', async () => {
    const account = acct();
    const s = await signInApple(account);
    const userId = s.user.id;
    const jti = randomUUID();
    const res = await notification({ type: 'account-delete', sub: account.sub }, { jti });
    expect(res.json()).toEqual({ result: 'processed' });
    for (const table of ['users', 'user_identities', 'sessions']) {
      const column = table === 'users' ? 'id' : 'user_id';
      expect(await count(t, sql`select count(*)::int as n from ${sql.raw(table)} where ${sql.raw(column)} = ${userId}`), table).toBe(0);
    }
    const pending = rowsOf<{ id: string; refresh_token_enc: string; client_id: string }>(
      await t.container.db.execute(sql`select id, refresh_token_enc, client_id from apple_token_revocations where reason = 'account-deleted'`),
    );
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.at(-1)!.refresh_token_enc).toMatch(/^v1\./);

    const replay = await notification({ type: 'account-delete', sub: account.sub }, { jti });
    expect(replay.json()).toEqual({ result: 'duplicate' });
    expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(s.accessToken) })).statusCode).toBe(401);
  });

  it('ignores events for unknown accounts and unknown types', async () => {
    expect((await notification({ type: 'account-delete', sub: 'nobody' })).json()).toEqual({ result: 'ignored' });
    const account = acct();
    await signInApple(account);
    expect((await notification({ type: 'something-new', sub: account.sub })).json()).toEqual({ result: 'ignored' });
  });

  it('rejects forged, expired, mis-addressed and malformed payloads with 400 and changes nothing', async () => {
    const account = acct();
    const s = await signInApple(account);
    const cases = [
      await notification({ type: 'consent-revoked', sub: account.sub }, { rogueKey: true }),
      await notification({ type: 'consent-revoked', sub: account.sub }, { iat: Math.floor(Date.now() / 1000) - 3600, expiresIn: 600 }),
      await notification({ type: 'consent-revoked', sub: account.sub }, { aud: 'someone.else' }),
      await t.app.inject({ method: 'POST', url: '/auth/apple/notifications', payload: { payload: 'a.b.c' } }),
    ];
    for (const res of cases) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().code).toBe('NOTIFICATION_INVALID');
    }
    const missing = await t.app.inject({ method: 'POST', url: '/auth/apple/notifications', payload: {} });
    expect(missing.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers: bearer(s.accessToken) })).statusCode).toBe(200);
  });
});

describe('Apple token revocation', () => {
  it('deleteUser queues the encrypted token; the job revokes it at Apple with a valid client secret and purges the row', async () => {
    const account = acct();
    const s = await signInApple(account);
    const enc = (await identityRow(account.sub))!.refresh_token_enc!;
    const token = createTokenCipher(TEST_SECRET_KEY).decrypt(enc);

    p.apple.failRevocations = true;
    expect(await t.container.users.deleteUser(s.user.id)).toBe(true);
    const [row] = rowsOf<{ id: string; refresh_token_enc: string }>(
      await t.container.db.execute(sql`select id, refresh_token_enc from apple_token_revocations where refresh_token_enc = ${enc}`),
    );
    expect(row).toBeDefined();
    // The apple-revoke job was queued for it (the worker is off in tests; the job is run by hand below).
    expect(await count(t, sql`select count(*)::int as n from pgboss.job where name = 'apple-revoke' and data->>'revocationId' = ${row!.id}`)).toBe(1);

    // Apple is down: the attempt fails, the row stays for a retry.
    await expect(t.container.auth.appleRevocations.processRevocation(row!.id)).rejects.toThrow();
    const [afterFail] = rowsOf<{ attempts: number }>(await t.container.db.execute(sql`select attempts from apple_token_revocations where id = ${row!.id}`));
    expect(afterFail?.attempts).toBe(1);

    p.apple.failRevocations = false;
    const authBefore = p.apple.clientAuth.length;
    expect(await t.container.auth.appleRevocations.processRevocation(row!.id)).toBe('revoked');
    expect(p.apple.revoked.at(-1)).toEqual({ token, clientId: 'info.minimovie.ios' });
    expect(p.apple.clientAuth.slice(authBefore)).toEqual([{ endpoint: 'revocation', clientId: 'info.minimovie.ios', ok: true }]);
    expect(await count(t, sql`select count(*)::int as n from apple_token_revocations where id = ${row!.id}`)).toBe(0);
    // Running the job again is harmless.
    expect(await t.container.auth.appleRevocations.processRevocation(row!.id)).toBe('gone');
  });

  it('revokeAppleTokens(user) revokes the stored token now and forgets it', async () => {
    const account = acct();
    const s = await signInApple(account);
    const token = createTokenCipher(TEST_SECRET_KEY).decrypt((await identityRow(account.sub))!.refresh_token_enc!);
    expect(await t.container.auth.appleRevocations.revokeAppleTokens(s.user.id)).toEqual({ queued: 0 });
    expect(p.apple.revoked.at(-1)).toEqual({ token, clientId: 'info.minimovie.ios' });
    expect((await identityRow(account.sub))?.refresh_token_enc).toBeNull();
  });

  it('the hourly sweep retries what is due', async () => {
    const account = acct();
    const s = await signInApple(account);
    p.apple.failRevocations = true;
    await t.container.users.deleteUser(s.user.id);
    const pending = await count(t, sql`select count(*)::int as n from apple_token_revocations`);
    expect(pending).toBeGreaterThan(0);
    await t.container.auth.appleRevocations.retryDue();
    p.apple.failRevocations = false;
    clock.offsetMs = 2 * 24 * 3600_000;
    try {
      const { revoked } = await t.container.auth.appleRevocations.retryDue();
      expect(revoked).toBeGreaterThan(0);
    } finally {
      clock.offsetMs = 0;
    }
    expect(await count(t, sql`select count(*)::int as n from apple_token_revocations`)).toBe(0);
  });

  it('a refresh token from the web flow is stored and revoked with the web client id', async () => {
    const account = acct({ firstName: 'Web', lastName: 'User' });
    const r = await redirectFlow(t, p.apple, account);
    const s = (await redeem(t, r.params.get('code')!, r.verifier)).json();
    expect((await identityRow(account.sub))?.refresh_token_enc).toMatch(/^v1\./);
    await t.container.users.deleteUser(s.user.id);
    await t.container.auth.appleRevocations.retryDue();
    expect(p.apple.revoked.at(-1)?.clientId).toBe('info.minimovie.web');
  });
});

describe('cleanup', () => {
  it('purges expired transactions, auth codes, nonces, link tokens and sessions', async () => {
    await t.app.inject({ method: 'POST', url: '/auth/nonce' });
    const account = acct();
    await signInApple(account);
    clock.offsetMs = 400 * 24 * 3600_000;
    try {
      const report = await t.container.cleanup.run();
      const byTable = Object.fromEntries(report.tables.map((r) => [r.table, r.removed]));
      for (const table of ['auth_transactions', 'auth_codes', 'auth_nonces', 'link_tokens', 'sessions', 'apple_notification_events']) expect(byTable).toHaveProperty(table);
      expect(byTable.auth_nonces).toBeGreaterThan(0);
      expect(byTable.sessions).toBeGreaterThan(0);
      for (const table of ['auth_nonces', 'sessions', 'auth_codes', 'auth_transactions']) {
        expect(await count(t, sql`select count(*)::int as n from ${sql.raw(table)}`), table).toBe(0);
      }
    } finally {
      clock.offsetMs = 0;
    }
  });
});
