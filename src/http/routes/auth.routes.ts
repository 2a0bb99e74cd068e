import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import type {} from '@fastify/rate-limit';
import type { AuthComponents } from '../../modules/auth/auth.components.ts';
import type { SessionGrant } from '../../modules/auth/auth.types.ts';
import {
  CallbackParamsSchema,
  IdentitySchema,
  NativeBodySchema,
  NonceSchema,
  NotificationBodySchema,
  NotificationResultSchema,
  ProviderParamsSchema,
  SessionGrantSchema,
  SessionInfoSchema,
  StartQuerySchema,
  TokenBodySchema,
  UserSchema,
  providerDisabled,
  providerUnavailable,
  rateLimited,
  sessionErrors,
} from '../schemas/auth.schemas.ts';
import { commonErrors, errorRef } from '../schemas/common.schemas.ts';
import { identitiesRoutes } from './identities.routes.ts';

export interface AccountRoutesOptions {
  auth: AuthComponents;
  /** Requests per minute and client IP across `/auth/*`; undefined turns the limit off. */
  rateLimitPerMinute: number | undefined;
}

/** Apple's form_post carries a code, a state and at most a short `user` JSON. */
const BODY_LIMIT_FORM_BYTES = 16 * 1024;

const redirect = (description: string) => Type.Null({ description });

/** The session response without internal fields (the schema drops anything else too). */
const grantBody = (g: SessionGrant) => ({ accessToken: g.accessToken, tokenType: g.tokenType, expiresAt: g.expiresAt, user: g.user });

/**
 * `/auth/*` (sign-in, sessions, Apple notifications) and `/me/identities`.
 * Every response is `Cache-Control: no-store` (set by the auth plugin).
 */
export const accountRoutes: FastifyPluginAsyncTypebox<AccountRoutesOptions> = async (app, opts) => {
  for (const schema of [UserSchema, SessionGrantSchema, IdentitySchema]) app.addSchema(schema);
  await app.register(authRoutes, opts);
  await app.register(identitiesRoutes, { auth: opts.auth });
};

const authRoutes: FastifyPluginAsyncTypebox<AccountRoutesOptions> = async (app, { auth, rateLimitPerMinute }) => {
  const { signIn, sessions, appleNotifications } = auth;

  // One budget per client IP shared by every /auth/* route (so it cannot be multiplied by switching routes).
  // Apple's servers post notifications from few addresses, so they get a separate, larger budget.
  let notificationLimit: onRequestAsyncHookHandler | undefined;
  if (rateLimitPerMinute !== undefined && app.hasDecorator('rateLimit')) {
    const shared = app.rateLimit({ max: rateLimitPerMinute, timeWindow: 60_000 }) as unknown as onRequestAsyncHookHandler;
    notificationLimit = app.rateLimit({ max: rateLimitPerMinute * 10, timeWindow: 60_000 });
    app.addHook('onRequest', async function authRateLimit(request, reply) {
      if (request.routeOptions.url === '/auth/apple/notifications') return;
      return shared.call(this, request, reply);
    });
  }

  // Apple's form_post callback; parsed only inside this plugin.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT_FORM_BYTES }, (_req, body, done) => {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body as string)) out[k] = v;
    done(null, out);
  });

  app.get(
    '/auth/:provider/start',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start the redirect sign-in flow',
        description:
          'Redirects the browser to Google or Apple with our own `state`, `nonce` and PKCE S256. The app proves itself like an OAuth public client (RFC 8252): ' +
          'it sends its own `state` and PKCE `code_challenge`, and gets a one-time `code` back at `redirect_uri`, which it redeems at `POST /auth/token` with its `code_verifier`. ' +
          'With `link_token`, the identity is linked to the account that made the token (when the code is redeemed) and the session is for that account.',
        params: ProviderParamsSchema,
        querystring: StartQuerySchema,
        response: {
          ...commonErrors,
          302: redirect('To the provider’s authorization page.'),
          400: errorRef('Invalid input (`REDIRECT_URI_NOT_ALLOWED`, `INVALID_CODE_CHALLENGE`, `INVALID_STATE`, `LINK_TOKEN_INVALID`, …).'),
          ...providerDisabled,
          ...rateLimited,
          ...providerUnavailable,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const url = await signIn.start(request.params.provider, { redirectUri: q.redirect_uri, appState: q.state, codeChallenge: q.code_challenge, linkToken: q.link_token });
      return reply.redirect(url, 302);
    },
  );

  const callbackDoc = {
    tags: ['auth'],
    params: ProviderParamsSchema,
    response: {
          ...commonErrors,
      400: errorRef('Unknown, replayed or expired `state` (`STATE_INVALID`, `STATE_EXPIRED`): the flow cannot be tied to an app, so there is no redirect.'),
      ...providerDisabled,
      ...rateLimited,
    },
  };
  const callbackDescription =
    'The provider sends the browser here. On success we redirect to the app’s `redirect_uri` with a one-time `code` (60 s) and the app’s `state`. ' +
    'When the user cancels or sign-in fails, the redirect carries `error` (an OAuth error code), an optional `error_code` (ours, such as `IDENTITY_IN_USE`) and `state`.';

  app.get(
    '/auth/:provider/callback',
    {
      schema: { ...callbackDoc, summary: 'Redirect-flow callback (query)', description: callbackDescription, querystring: CallbackParamsSchema, response: { ...commonErrors, ...callbackDoc.response, 302: redirect('Back to the app.') } },
    },
    async (request, reply) => reply.redirect(await signIn.callback(request.params.provider, stringParams(request.query)), 302),
  );

  app.post(
    '/auth/:provider/callback',
    {
      schema: {
        ...callbackDoc,
        summary: 'Redirect-flow callback (form_post)',
        description: `${callbackDescription} Apple uses \`response_mode=form_post\` and posts \`application/x-www-form-urlencoded\`.`,
        consumes: ['application/x-www-form-urlencoded'],
        body: CallbackParamsSchema,
        response: { ...commonErrors, ...callbackDoc.response, 303: redirect('Back to the app.') },
      },
    },
    async (request, reply) => reply.redirect(await signIn.callback(request.params.provider, stringParams(request.body)), 303),
  );

  app.post(
    '/auth/token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Redeem a one-time code for a session',
        description:
          'Exchanges the `code` from the redirect for a session, with the PKCE `code_verifier` the app kept. A code works once: presenting it again fails and revokes the session it produced. ' +
          'In a link flow (`link_token` at /start) the identity is linked here, not at the callback, so that only the app that started the flow can complete it.',
        body: TokenBodySchema,
        response: {
          ...commonErrors,
          200: Type.Ref(SessionGrantSchema),
          400: errorRef('`AUTH_CODE_INVALID`, `AUTH_CODE_EXPIRED`, `AUTH_CODE_REUSED` or `CODE_VERIFIER_MISMATCH`.'),
          409: errorRef('Link flow only: the identity is linked to another account (`IDENTITY_IN_USE`) or the account already has one of this provider (`PROVIDER_ALREADY_LINKED`).'),
          ...rateLimited,
        },
      },
    },
    async (request) => grantBody(await signIn.redeem(request.body.code, request.body.code_verifier)),
  );

  app.post(
    '/auth/nonce',
    {
      schema: {
        tags: ['auth'],
        summary: 'Get a nonce for native sign-in',
        description: 'A random, single-use nonce that lives 10 minutes. Give it (or its SHA-256 hex, as Apple’s SDK expects) to the provider SDK, then send it with the ID token to `/auth/{provider}/native`.',
        response: { ...commonErrors, 200: NonceSchema, ...rateLimited },
      },
    },
    async () => signIn.issueNonce(),
  );

  app.post(
    '/auth/:provider/native',
    {
      schema: {
        tags: ['auth'],
        summary: 'Native sign-in with an ID token',
        description:
          'For the iOS app’s Sign in with Apple and Google buttons. The ID token is verified against the provider’s keys (signature, `iss`, `aud` in the accepted audiences, `exp`) and its `nonce` must be the issued nonce or its SHA-256 hex. ' +
          'For Apple, `authorizationCode` is exchanged for a refresh token, kept encrypted so the account can be revoked at Apple later.',
        params: ProviderParamsSchema,
        body: NativeBodySchema,
        response: {
          ...commonErrors,
          200: Type.Ref(SessionGrantSchema),
          400: errorRef('`NONCE_INVALID`, `NONCE_EXPIRED`, `AUTHORIZATION_CODE_INVALID`, `AUTHORIZATION_CODE_MISMATCH` or invalid input.'),
          401: errorRef('`ID_TOKEN_INVALID`, `ID_TOKEN_EXPIRED`, `ID_TOKEN_AUDIENCE_MISMATCH` or `NONCE_MISMATCH`.'),
          ...providerDisabled,
          ...rateLimited,
          ...providerUnavailable,
        },
      },
    },
    async (request) => grantBody(await signIn.signInNative(request.params.provider, request.body)),
  );

  app.get(
    '/auth/session',
    {
      onRequest: app.requireSession,
      schema: {
        tags: ['auth'],
        summary: 'The current session',
        security: [{ session: [] }],
        response: { ...commonErrors, 200: SessionInfoSchema, ...sessionErrors, ...rateLimited },
      },
    },
    async (request) => {
      const p = request.principal;
      if (p?.kind !== 'user') throw new Error('requireSession did not set a user');
      return sessions.describe(p.sessionId, p.userId);
    },
  );

  app.post(
    '/auth/logout',
    {
      onRequest: app.requireSession,
      schema: { tags: ['auth'], summary: 'Sign out this session', security: [{ session: [] }], response: { ...commonErrors, 204: Type.Null({ description: 'Revoked.' }), ...sessionErrors, ...rateLimited } },
    },
    async (request, reply) => {
      if (request.principal?.kind === 'user') await sessions.revoke(request.principal.sessionId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/logout-all',
    {
      onRequest: app.requireSession,
      schema: { tags: ['auth'], summary: 'Sign out every session of this user', security: [{ session: [] }], response: { ...commonErrors, 204: Type.Null({ description: 'All revoked.' }), ...sessionErrors, ...rateLimited } },
    },
    async (request, reply) => {
      if (request.principal?.kind === 'user') await sessions.revokeAll(request.principal.userId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/apple/notifications',
    {
      ...(notificationLimit ? { onRequest: notificationLimit } : {}),
      schema: {
        tags: ['auth'],
        summary: 'Apple server-to-server notifications',
        description:
          'Apple posts `{ payload: <JWS> }` when a user changes e-mail forwarding (`email-disabled`, `email-enabled`), revokes consent (`consent-revoked`: every session is revoked and the refresh token dropped) or deletes their Apple account (`account-delete`: the MiniMovie account is deleted). ' +
          'The JWS is verified against Apple’s keys, `iss` and `aud`; each event takes effect once.',
        body: NotificationBodySchema,
        response: {
          ...commonErrors,
          200: NotificationResultSchema,
          400: errorRef('Forged, expired or malformed payload (`NOTIFICATION_INVALID`).'),
          ...providerDisabled,
          ...rateLimited,
          ...providerUnavailable,
        },
      },
    },
    async (request) => ({ result: (await appleNotifications.handle(request.body.payload)).result }),
  );
};

/** Keep only string parameters (a repeated query key arrives as an array; the first one wins). */
function stringParams(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}
