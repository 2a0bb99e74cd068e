import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts';
import { PUBLIC_URL, signInNative, signInRedirect } from '../helpers/auth-flows.ts';
import { startFakeGoogleAndApple } from '../helpers/oidc-provider.ts';

let t: TestApp;
let p: Awaited<ReturnType<typeof startFakeGoogleAndApple>>;
beforeAll(async () => {
  p = await startFakeGoogleAndApple(PUBLIC_URL);
  t = await buildTestApp({ env: p.env });
});
afterAll(async () => {
  await t?.close();
  await p?.close();
});

it('google redirect', async () => {
  const s = await signInRedirect(t, p.google, { sub: 'g1', email: 'a@example.com', email_verified: true, name: 'Ann' });
  expect(s.user.email).toBe('a@example.com');
});
it('apple redirect', async () => {
  const s = await signInRedirect(t, p.apple, { sub: 'a1', email: 'x@privaterelay.appleid.com', firstName: 'Ann', lastName: 'Lee' });
  expect(s.user.displayName).toBe('Ann Lee');
  console.log(p.apple.clientAuth);
});
it('apple native', async () => {
  const res = await signInNative(t, p.apple, { sub: 'a2', email: 'y@example.com' }, { hashNonce: true, withCode: true });
  expect(res.statusCode, res.body).toBe(200);
  console.log(p.apple.clientAuth);
});
