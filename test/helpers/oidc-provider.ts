import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import Provider, { type ClientMetadata, type Configuration, type ResponseType } from 'oidc-provider';

/**
 * A real OpenID provider (the `oidc-provider` package) running in the test
 * process, configured as "Google" (RS256, query response) or as "Apple"
 * (ES256 ID tokens, form_post, a revocation endpoint). Apple's token and
 * revoke endpoints authenticate the client with an ES256 client-secret JWT,
 * which oidc-provider does not do: the Apple fake verifies that JWT with the
 * team's public key in front of the provider, then hands the provider the
 * client's plain internal secret.
 */

export interface Account {
  sub: string;
  email?: string;
  email_verified?: boolean;
  is_private_email?: boolean;
  name?: string;
  /** Apple: the name sent once, in the first form_post. */
  firstName?: string;
  lastName?: string;
}

export interface FakeProviderClient {
  clientId: string;
  redirectUris: string[];
  /** `code` for the web client, `code id_token` for the native app clients. */
  responseTypes?: string[];
}

export interface AppleTeam {
  teamId: string;
  keyId: string;
  privateKeyPem: string;
  publicKey: KeyObject;
}

export interface FakeProviderOptions {
  kind: 'google' | 'apple';
  clients: FakeProviderClient[];
  /** Apple only: the team key the client-secret JWT must be signed with. */
  appleTeam?: AppleTeam;
}

export interface CallbackRequest {
  method: 'GET' | 'POST';
  url: string;
  form?: Record<string, string>;
}

export interface FakeProvider {
  readonly kind: 'google' | 'apple';
  readonly issuer: string;
  readonly kid: string;
  /** The next interactive sign-in: an account, or `cancel` (the user presses Cancel). */
  nextLogin: Account | 'cancel';
  /** Client-secret checks at the Apple token/revoke endpoints, in order. */
  readonly clientAuth: Array<{ endpoint: 'token' | 'revocation'; clientId: string; ok: boolean; reason?: string }>;
  /** Tokens revoked at the revocation endpoint (Apple). */
  readonly revoked: Array<{ token: string; clientId: string }>;
  /** Make the revocation endpoint answer 503. */
  failRevocations: boolean;
  /**
   * Play the browser: follow the provider's redirects from `url` (our
   * `/start` Location) through login and consent, until the provider sends the
   * browser to a URL starting with `stopAt`. Returns that request (GET with a
   * query, or the auto-submitted form_post).
   */
  browse(url: string, stopAt: string): Promise<CallbackRequest>;
  /** What the iOS SDK does: a hybrid `code id_token` flow for a native client, returning the ID token and code. */
  nativeSignIn(p: { clientId: string; nonce: string; account: Account }): Promise<{ idToken: string; code: string }>;
  /** Sign arbitrary claims with the provider's own key (or a stranger's key) – for expired tokens, notifications, forgeries. */
  sign(claims: Record<string, unknown>, opts?: { rogueKey?: boolean; expiresIn?: number; iat?: number }): Promise<string>;
  close(): Promise<void>;
}

/** A fresh Apple team key (ES256), as Apple issues it in a .p8 file. */
export function createAppleTeam(teamId = 'TEAM123456', keyId = 'KEY1234567'): AppleTeam {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { teamId, keyId, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const internalSecret = (clientId: string) => `internal-secret-${clientId}`;

/** Start a fake provider on 127.0.0.1 with a random port. */
export async function startFakeProvider(opts: FakeProviderOptions): Promise<FakeProvider> {
  const alg = opts.kind === 'apple' ? 'ES256' : 'RS256';
  const kid = `${opts.kind}-key-1`;
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const rogue = await generateKeyPair(alg, { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };

  const accounts = new Map<string, Account>();
  const seen = new Set<string>();
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Apple's real paths, so the discovery document looks like Apple's.
  const authPath = opts.kind === 'apple' ? '/auth/authorize' : '/o/oauth2/v2/auth';
  const clients: ClientMetadata[] = opts.clients.map((c) => ({
    client_id: c.clientId,
    client_secret: opts.kind === 'apple' ? internalSecret(c.clientId) : `${c.clientId}-secret`,
    redirect_uris: c.redirectUris,
    response_types: (c.responseTypes ?? ['code']) as ResponseType[],
    grant_types: (c.responseTypes ?? ['code']).some((t) => t.includes('id_token'))
      ? ['authorization_code', 'implicit', 'refresh_token']
      : ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: alg,
  }));

  const configuration: Configuration = {
    clients,
    jwks: { keys: [privateJwk] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => {
        const a = accounts.get(sub) ?? { sub };
        const { firstName: _f, lastName: _l, ...claims } = a;
        return claims;
      },
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'is_private_email'], profile: ['name'], name: ['name'] },
    scopes: ['openid', 'email', 'profile', 'name', 'offline_access'],
    conformIdTokenClaims: false,
    responseTypes: ['code', 'code id_token'],
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => false },
    cookies: { keys: ['fake-provider-cookie-key'] },
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
    routes: { authorization: authPath, token: opts.kind === 'apple' ? '/auth/token' : '/token', revocation: opts.kind === 'apple' ? '/auth/revoke' : '/revoke', jwks: opts.kind === 'apple' ? '/auth/keys' : '/certs' },
    // Apple and Google both return refresh tokens to confidential clients without offline_access.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: 3600, AuthorizationCode: 300, IdToken: 3600, RefreshToken: 86400, Interaction: 600, Session: 600, Grant: 600 },
    renderError: async (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  // oidc-provider logs server errors to the console; tests assert on responses instead.
  provider.on('server_error', () => undefined);
  const callback = provider.callback();

  const fake: FakeProvider = {
    kind: opts.kind,
    issuer,
    kid,
    nextLogin: { sub: 'default-user', email: 'default@example.com', email_verified: true },
    clientAuth: [],
    revoked: [],
    failRevocations: false,

    async browse(url, stopAt) {
      const jar = new Map<string, string>();
      let current = url;
      let login: Account | 'cancel' | undefined;
      for (let hop = 0; hop < 20; hop++) {
        if (current.startsWith(stopAt)) return { method: 'GET', url: current };
        const res = await fetch(current, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        if (current.includes('/interaction/')) login = login ?? lastLogin;
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          current = new URL(location, current).toString();
          continue;
        }
        const html = await res.text();
        const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
        if (!action) throw new Error(`provider answered ${res.status} without a redirect: ${html.slice(0, 300)}`);
        const form: Record<string, string> = {};
        for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) form[m[1]!] = unescapeHtml(m[2]!);
        // Apple sends the user's name once, with the first authorization of the app.
        if (opts.kind === 'apple' && form.code && login && login !== 'cancel' && !seen.has(login.sub)) {
          seen.add(login.sub);
          if (login.firstName || login.lastName) form.user = JSON.stringify({ name: { firstName: login.firstName, lastName: login.lastName }, email: login.email });
        }
        return { method: 'POST', url: unescapeHtml(action), form };
      }
      throw new Error('too many redirects');
    },

    async nativeSignIn({ clientId, nonce, account }) {
      const client = opts.clients.find((c) => c.clientId === clientId);
      if (!client) throw new Error(`unknown client ${clientId}`);
      fake.nextLogin = account;
      const auth = new URL(authPath, issuer);
      auth.search = new URLSearchParams({
        client_id: clientId,
        redirect_uri: client.redirectUris[0]!,
        response_type: 'code id_token',
        response_mode: 'fragment',
        scope: 'openid email',
        nonce,
        state: 'native',
      }).toString();
      const cb = await fake.browse(auth.toString(), client.redirectUris[0]!);
      const params = new URLSearchParams(new URL(cb.url).hash.slice(1));
      const idToken = params.get('id_token');
      const code = params.get('code');
      if (!idToken || !code) throw new Error(`native flow failed: ${cb.url}`);
      return { idToken, code };
    },

    async sign(claims, o = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key: CryptoKey = o.rogueKey ? rogue.privateKey : privateKey;
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg, kid: o.rogueKey ? `${kid}-rogue` : kid })
        .setIssuedAt(o.iat ?? now)
        .setExpirationTime((o.iat ?? now) + (o.expiresIn ?? 600))
        .sign(key);
    },

    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  let lastLogin: Account | 'cancel' | undefined;

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const login = fake.nextLogin;
    lastLogin = login;
    if (login === 'cancel') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
      return;
    }
    accounts.set(login.sub, login);
    const grant = new provider.Grant({ accountId: login.sub, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: login.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  /** Apple's token and revoke endpoints: the client secret is an ES256 JWT signed with the team key. */
  async function appleClientAuth(req: IncomingMessage, res: ServerResponse, endpoint: 'token' | 'revocation'): Promise<boolean> {
    const raw = await readBody(req);
    const body = new URLSearchParams(raw);
    const clientId = body.get('client_id') ?? '';
    const secret = body.get('client_secret') ?? '';
    const team = opts.appleTeam!;
    let reason: string | undefined;
    try {
      const { payload, protectedHeader } = await jwtVerify(secret, team.publicKey, { algorithms: ['ES256'], issuer: team.teamId, subject: clientId, audience: issuer });
      if (protectedHeader.kid !== team.keyId) reason = 'kid';
      else if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp - payload.iat > 15_777_000) reason = 'lifetime';
    } catch (err) {
      reason = (err as Error).message;
    }
    fake.clientAuth.push({ endpoint, clientId, ok: reason === undefined, ...(reason ? { reason } : {}) });
    if (reason) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
      return false;
    }
    if (endpoint === 'revocation') {
      if (fake.failRevocations) {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'temporarily_unavailable' }));
        return false;
      }
      fake.revoked.push({ token: body.get('token') ?? '', clientId });
    }
    body.set('client_secret', internalSecret(clientId));
    // The stream is consumed; oidc-provider falls back to `req.body`.
    (req as IncomingMessage & { body?: string }).body = body.toString();
    return true;
  }

  handler = (req, res) => {
    void (async () => {
      try {
        const path = (req.url ?? '/').split('?')[0]!;
        if (path.startsWith('/interaction/')) return await interaction(req, res);
        if (opts.kind === 'apple' && req.method === 'POST' && (path === '/auth/token' || path === '/auth/revoke')) {
          if (!(await appleClientAuth(req, res, path === '/auth/token' ? 'token' : 'revocation'))) return;
        }
        void callback(req, res);
      } catch (err) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    })();
  };

  return fake;
}

/** The usual test set-up: a Google and an Apple provider with web and iOS clients, and the matching app environment. */
export async function startFakeGoogleAndApple(publicUrl: string): Promise<{ google: FakeProvider; apple: FakeProvider; team: AppleTeam; env: Record<string, string>; close(): Promise<void> }> {
  const team = createAppleTeam();
  const [google, apple] = await Promise.all([
    startFakeProvider({
      kind: 'google',
      clients: [
        { clientId: 'minimovie-web.apps.googleusercontent.com', redirectUris: [`${publicUrl}/auth/google/callback`] },
        { clientId: 'minimovie-ios.apps.googleusercontent.com', redirectUris: ['https://ios.invalid/google'], responseTypes: ['code id_token'] },
        { clientId: 'someone-else.apps.googleusercontent.com', redirectUris: ['https://else.invalid/cb'], responseTypes: ['code id_token'] },
      ],
    }),
    startFakeProvider({
      kind: 'apple',
      appleTeam: team,
      clients: [
        { clientId: 'info.minimovie.web', redirectUris: [`${publicUrl}/auth/apple/callback`] },
        { clientId: 'info.minimovie.ios', redirectUris: ['https://ios.invalid/native'], responseTypes: ['code id_token'] },
      ],
    }),
  ]);
  return {
    google,
    apple,
    team,
    env: {
      PUBLIC_URL: publicUrl,
      AUTH_REDIRECT_ALLOWLIST: 'minimovie://auth,https://minimovie.info/auth/done',
      GOOGLE_CLIENT_ID: 'minimovie-web.apps.googleusercontent.com',
      GOOGLE_CLIENT_SECRET: 'minimovie-web.apps.googleusercontent.com-secret',
      GOOGLE_AUDIENCES: 'minimovie-web.apps.googleusercontent.com,minimovie-ios.apps.googleusercontent.com',
      GOOGLE_ISSUER: google.issuer,
      APPLE_CLIENT_ID: 'info.minimovie.web',
      APPLE_TEAM_ID: team.teamId,
      APPLE_KEY_ID: team.keyId,
      APPLE_PRIVATE_KEY: team.privateKeyPem,
      APPLE_AUDIENCES: 'info.minimovie.web,info.minimovie.ios',
      APPLE_ISSUER: apple.issuer,
    },
    close: async () => {
      await Promise.all([google.close(), apple.close()]);
    },
  };
}
