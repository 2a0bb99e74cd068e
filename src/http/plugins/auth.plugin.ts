import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientTokenService } from '../../modules/auth/client-token.service.ts';
import { AppError } from '../../shared/errors.ts';

/** Who is calling: the web/app client holding the shared client token, or a signed-in user. */
export type Principal = { kind: 'client' } | { kind: 'user'; userId: string; sessionId: string };

/** Resolves a bearer token to a signed-in user's session, or null when it is not a session token. */
export interface SessionAuthenticator {
  authenticate(token: string, request: FastifyRequest): Promise<Principal | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** onRequest hook for catalog routes: a client token or a session. */
    requireCatalogAuth: onRequestHookHandler;
    /** onRequest hook for `/me/*` and the session routes: only a signed-in user's session (Authorization: Bearer). */
    requireSession: onRequestAsyncHookHandler;
  }
}

/**
 * Read the bearer token the way the Go service did (§3.3): an Authorization
 * header whose first 7 characters are "Bearer " in any case, else the `jwt` cookie.
 */
export function readBearerToken(request: { headers: IncomingHttpHeaders }): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.length > 7 && (header.startsWith('Bearer ') || header.slice(0, 7).toUpperCase() === 'BEARER ')) {
    return header.slice(7);
  }
  const cookie = request.headers.cookie;
  if (typeof cookie === 'string' && cookie.includes('jwt=')) {
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === 'jwt') {
        const value = part.slice(eq + 1).trim();
        return value.length > 0 ? value : undefined;
      }
    }
  }
  return undefined;
}

/** Mark a reply `no-store` when it answers an /auth or /me URL (also used for the router's own errors, which run no hooks). */
export function noStoreIfPrivate<R extends { header(name: string, value: string): unknown }>(url: string, reply: R): R {
  if (isPrivatePath(url)) reply.header('cache-control', 'no-store');
  return reply;
}

const looksLikeJwt = (token: string) => token.split('.').length === 3;

/** Sessions come only in the Authorization header: a cookie would make them usable cross-site (CSRF). */
function readAuthorizationBearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.length > 7 && header.slice(0, 7).toUpperCase() === 'BEARER ') return header.slice(7).trim() || undefined;
  return undefined;
}

/** Sign-in and account responses carry tokens and personal data: never cache them anywhere. */
export function isPrivatePath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return path === '/auth' || path.startsWith('/auth/') || path === '/me' || path.startsWith('/me/');
}

export interface AuthPluginOptions {
  clientTokens: ClientTokenService;
  sessions?: SessionAuthenticator;
}

/** Registers `requireCatalogAuth`. Authentication runs in onRequest, so a 401 comes before any 400. */
export const authPlugin = fp<AuthPluginOptions>(
  (app: FastifyInstance, opts) => {
    app.decorateRequest('principal', null);
    const CLIENT: Principal = Object.freeze({ kind: 'client' });
    const authenticate = async (request: FastifyRequest, token: string | undefined): Promise<void> => {
      if (token && opts.sessions && !looksLikeJwt(token)) {
        const principal = await opts.sessions.authenticate(token, request);
        if (principal) {
          request.principal = principal;
          return;
        }
      }
      await opts.clientTokens.verify(token);
      request.principal = CLIENT;
    };
    // Callback style with a synchronous fast path: the app's static client token, once verified, costs a map lookup and no promise.
    const requireCatalogAuth: onRequestHookHandler = function requireCatalogAuth(request, _reply, done) {
      const token = readBearerToken(request);
      if (opts.clientTokens.isKnownValid(token)) {
        request.principal = CLIENT;
        done();
        return;
      }
      authenticate(request, token).then(() => done(), done);
    };
    app.decorate('requireCatalogAuth', requireCatalogAuth);
    app.decorate('requireSession', async function requireSession(request: FastifyRequest) {
      const token = readAuthorizationBearer(request);
      const principal = token && opts.sessions ? await opts.sessions.authenticate(token, request) : null;
      if (!principal || principal.kind !== 'user') throw new AppError(401, 'SESSION_INVALID', 'Sign in first: send Authorization: Bearer <session token>');
      request.principal = principal;
    });
  },
  { name: 'minimovie-auth' },
);
