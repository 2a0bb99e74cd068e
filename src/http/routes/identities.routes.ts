import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdentityRecord } from '../../data/repositories/identities.repository.ts';
import type { AuthComponents } from '../../modules/auth/auth.components.ts';
import { IdentityListSchema, IdentitySchema, LinkNativeBodySchema, LinkTokenSchema, ProviderParamsSchema, providerDisabled, providerUnavailable, sessionErrors } from '../schemas/auth.schemas.ts';
import { commonErrors, errorRef } from '../schemas/common.schemas.ts';

const toIdentity = (i: IdentityRecord) => ({
  provider: i.provider,
  email: i.email,
  emailVerified: i.emailVerified,
  isPrivateEmail: i.isPrivateEmail,
  emailForwardingEnabled: i.emailForwardingEnabled,
  linkedAt: i.createdAt,
  lastSignInAt: i.lastSignInAt,
});

/** `/me/identities`: the signed-in user's linked Google and Apple identities. Session only. */
export const identitiesRoutes: FastifyPluginAsyncTypebox<{ auth: AuthComponents }> = async (app, { auth }) => {
  app.addHook('onRequest', app.requireSession);
  const userId = (principal: unknown) => {
    const p = principal as { kind?: string; userId?: string } | null;
    if (p?.kind !== 'user' || !p.userId) throw new Error('requireSession did not set a user');
    return p.userId;
  };

  app.get(
    '/me/identities',
    {
      schema: {
        tags: ['me'],
        summary: 'Linked sign-in identities',
        description: 'The providers this account can sign in with. No tokens or secrets.',
        security: [{ session: [] }],
        response: { ...commonErrors, 200: IdentityListSchema, ...sessionErrors },
      },
    },
    async (request) => ({ identities: (await auth.identities.list(userId(request.principal))).map(toIdentity) }),
  );

  app.post(
    '/me/identities/:provider/native',
    {
      schema: {
        tags: ['me'],
        summary: 'Link an identity with a native ID token',
        description: 'Like `POST /auth/{provider}/native` (nonce from `POST /auth/nonce`), but links the identity to this account. Accounts are never merged by e-mail.',
        security: [{ session: [] }],
        params: ProviderParamsSchema,
        body: LinkNativeBodySchema,
        response: {
          ...commonErrors,
          200: Type.Ref(IdentitySchema),
          400: errorRef('`NONCE_INVALID`, `NONCE_EXPIRED` or invalid input.'),
          401: errorRef('No valid session, or the ID token was rejected (`ID_TOKEN_*`, `NONCE_MISMATCH`).'),
          409: errorRef('`IDENTITY_IN_USE` (linked to another account) or `PROVIDER_ALREADY_LINKED`.'),
          ...providerDisabled,
          ...providerUnavailable,
        },
      },
    },
    async (request) => toIdentity(await auth.signIn.linkNative(userId(request.principal), request.params.provider, request.body)),
  );

  app.post(
    '/me/identities/link-token',
    {
      schema: {
        tags: ['me'],
        summary: 'Get a one-time link token for the redirect flow',
        description: 'Open `GET /auth/{provider}/start?…&link_token=<token>` to link a provider to this account through the browser.',
        security: [{ session: [] }],
        response: { ...commonErrors, 200: LinkTokenSchema, ...sessionErrors },
      },
    },
    async (request) => auth.signIn.createLinkToken(userId(request.principal)),
  );

  app.delete(
    '/me/identities/:provider',
    {
      schema: {
        tags: ['me'],
        summary: 'Unlink an identity',
        description: 'The last identity cannot be unlinked. Unlinking Apple revokes its token at Apple.',
        security: [{ session: [] }],
        params: ProviderParamsSchema,
        response: {
          ...commonErrors,
          204: Type.Null({ description: 'Unlinked.' }),
          ...sessionErrors,
          404: errorRef('No identity of this provider is linked (`IDENTITY_NOT_FOUND`).'),
          409: errorRef('It is the only identity of the account (`LAST_IDENTITY`).'),
        },
      },
    },
    async (request, reply) => {
      await auth.identities.unlink(userId(request.principal), request.params.provider);
      return reply.code(204).send(null);
    },
  );
};
