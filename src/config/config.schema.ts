import { bool, date, float, int, issuerUrl, list, oneOf, str, trustProxy, url, type EnvParser } from './env-parsers.ts';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export interface EnvSpec<T> {
  parser: EnvParser<T>;
  /** Used when the variable is unset or empty. `undefined` means "no value". */
  default?: T;
  /** Unit, for the README table. */
  unit?: string;
  /** One sentence for the README and `.env.example`. */
  doc: string;
  example: string;
  /** Never echoed in errors or logs. */
  secret?: boolean;
  /** README section the variable belongs to. */
  group: 'Server' | 'Database' | 'TMDB' | 'Auth' | 'Jobs' | 'Observability' | 'Interesting facts';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function spec<S extends EnvSpec<any>>(s: S): S {
  return s;
}

/**
 * Every environment variable MiniMovie reads. This table is the single source
 * for parsing, for the README configuration table and for `.env.example`
 * (`npm run docs:config` regenerates both).
 */
export const ENV_SPECS = {
  PORT: spec({ group: 'Server', parser: int({ min: 0, max: 65535 }), default: 8080, doc: 'TCP port the API listens on.', example: '8080' }),
  HOST: spec({ group: 'Server', parser: str(), default: '0.0.0.0', doc: 'Interface the API binds to.', example: '127.0.0.1' }),
  PUBLIC_URL: spec({ group: 'Server', parser: url({ protocols: ['http:', 'https:'] }), doc: 'Externally visible base URL of the API. Defaults to `http://localhost:$PORT`.', example: 'https://api.minimovie.info' }),
  TIMEOUT: spec({ group: 'Server', parser: int({ min: 1, max: 3600 }), default: 10, unit: 'seconds', doc: 'Deadline for each catalog request (Go name, unit kept).', example: '10' }),
  SHUTDOWN_TIMEOUT: spec({ group: 'Server', parser: int({ min: 1, max: 3600 }), default: 10, unit: 'seconds', doc: 'Longest a graceful shutdown may take before in-flight work is cut off.', example: '10' }),
  CACHE_MAX_AGE: spec({ group: 'Server', parser: int(), default: 3600, unit: 'seconds', doc: '`Cache-Control` max-age on successful catalog responses. 0 or less sends no header.', example: '3600' }),
  TRUST_PROXY: spec({
    group: 'Server',
    parser: trustProxy(),
    default: false,
    doc: 'Take client IPs from `X-Forwarded-For` behind a reverse proxy: `true` trusts one proxy hop, a number that many hops, or a list of proxy addresses. Never all hops, so clients cannot pick their own IP.',
    example: 'true',
  }),
  CORS_ORIGINS: spec({ group: 'Server', parser: list(), default: ['https://minimovie.info', 'https://localhost:4321', 'http://localhost:4321'], doc: 'Browser origins allowed by CORS, exact match.', example: 'https://minimovie.info,http://localhost:4321' }),
  LOG_LEVEL: spec({ group: 'Observability', parser: oneOf(LOG_LEVELS, { lenient: { fallback: 'info' } }), default: 'info', doc: 'Log level, case-insensitive. An unknown value warns and falls back to `info`.', example: 'debug' }),
  LOG_FORMAT: spec({ group: 'Observability', parser: oneOf(['auto', 'json', 'pretty'] as const), default: 'auto', doc: '`pretty` in a terminal and `json` otherwise when `auto`.', example: 'json' }),
  METRICS_TOKEN: spec({ group: 'Observability', parser: str(), secret: true, doc: 'When set, `GET /metrics` requires `Authorization: Bearer <token>`.', example: 'change-me' }),
  OTEL_ENABLED: spec({ group: 'Observability', parser: bool(), default: false, doc: 'Export metrics over OTLP/HTTP.', example: 'true' }),
  OTEL_EXPORTER_OTLP_ENDPOINT: spec({ group: 'Observability', parser: url({ protocols: ['http:', 'https:'] }), doc: 'OTLP/HTTP collector endpoint.', example: 'http://localhost:4318' }),
  OTEL_EXPORTER_OTLP_HEADERS: spec({ group: 'Observability', parser: str(), secret: true, doc: 'Extra OTLP headers, `key=value` pairs separated by commas.', example: 'x-api-key=abc' }),
  OTEL_SERVICE_NAME: spec({ group: 'Observability', parser: str(), default: 'minimovie-api', doc: 'Service name reported with metrics.', example: 'minimovie-api' }),

  DATABASE_URL: spec({ group: 'Database', parser: url({ protocols: ['postgres:', 'postgresql:'] }), secret: true, doc: 'PostgreSQL server to use. Unset means the embedded PGlite database in `DATA_DIR`.', example: 'postgres://postgres@127.0.0.1:5432/minimovie' }),
  DATA_DIR: spec({ group: 'Database', parser: str({ minLength: 1 }), default: './data', doc: 'Folder for the embedded database and generated secrets.', example: './data' }),
  MIGRATE_ON_START: spec({ group: 'Database', parser: bool(), default: true, doc: 'Apply pending migrations when the server or worker starts.', example: 'false' }),

  TMDB_ACCESS_TOKEN: spec({ group: 'TMDB', parser: str(), secret: true, doc: 'TMDB v4 read access token. Unset means the built-in demo catalog.', example: 'eyJhbGciOi...' }),
  TMDB_BASE_URL: spec({ group: 'TMDB', parser: url({ protocols: ['http:', 'https:'] }), default: 'https://api.themoviedb.org/3', doc: 'TMDB API base URL.', example: 'https://api.themoviedb.org/3' }),
  TMDB_TIMEOUT: spec({ group: 'TMDB', parser: int({ min: 1, max: 600 }), default: 10, unit: 'seconds', doc: 'Timeout of one TMDB call (Go name, unit kept).', example: '10' }),
  TMDB_RATE_LIMIT: spec({ group: 'TMDB', parser: float({ min: 0.1, max: 100000 }), default: 40, unit: 'requests/second', doc: 'Client-side rate limit for TMDB calls.', example: '40' }),
  TMDB_CACHE_MB: spec({ group: 'TMDB', parser: int({ min: 0, max: 65536 }), default: 256, unit: 'MiB', doc: 'Size of the in-memory TMDB response cache. 0 turns it off.', example: '256' }),
  MAX_TMDB_FETCH_PER_REQUEST: spec({ group: 'TMDB', parser: int(), default: 10, doc: 'Most people fetched from TMDB for ages in one request. 0 or less means 10.', example: '10' }),

  MINI_MOVIE_UI_SECRET: spec({ group: 'Auth', parser: str(), secret: true, doc: 'HS256 secret of the client tokens that the catalog routes accept. Generated in embedded mode when unset.', example: 'a-long-random-string' }),
  SECRET_KEY: spec({ group: 'Auth', parser: str({ minLength: 32 }), secret: true, doc: 'Key material (at least 32 characters) for encrypting stored secrets. Generated in embedded mode when unset.', example: 'at-least-32-characters-of-random-text' }),

  SESSION_TTL_DAYS: spec({ group: 'Auth', parser: int({ min: 1, max: 365 }), default: 30, unit: 'days', doc: 'Sliding lifetime of a sign-in session: each use extends it by this much.', example: '30' }),
  AUTH_REDIRECT_ALLOWLIST: spec({ group: 'Auth', parser: list(), default: [], doc: 'App redirect URIs that `/auth/{provider}/start` accepts, comma-separated, exact match.', example: 'minimovie://auth,https://minimovie.info/auth/done' }),
  AUTH_RATE_LIMIT: spec({ group: 'Auth', parser: int({ min: 1, max: 100000 }), default: 60, unit: 'requests/minute', doc: 'Requests per minute one client IP may make to the `/auth/*` routes together (Apple notifications have their own budget of 10 times this).', example: '60' }),
  GOOGLE_CLIENT_ID: spec({ group: 'Auth', parser: str(), doc: 'Google OAuth client id of the web flow. Google sign-in is disabled when unset.', example: '1234-abc.apps.googleusercontent.com' }),
  GOOGLE_CLIENT_SECRET: spec({ group: 'Auth', parser: str(), secret: true, doc: 'Google OAuth client secret (required with `GOOGLE_CLIENT_ID`).', example: 'GOCSPX-...' }),
  GOOGLE_AUDIENCES: spec({ group: 'Auth', parser: list(), doc: 'Accepted `aud` values of Google ID tokens, comma-separated (for example the iOS client id). Defaults to `GOOGLE_CLIENT_ID`.', example: '1234-abc.apps.googleusercontent.com,1234-ios.apps.googleusercontent.com' }),
  GOOGLE_ISSUER: spec({ group: 'Auth', parser: issuerUrl(), default: 'https://accounts.google.com', doc: 'Google OpenID issuer. Plain http is accepted only on a loopback address (tests).', example: 'https://accounts.google.com' }),
  APPLE_CLIENT_ID: spec({ group: 'Auth', parser: str(), doc: 'Apple Services ID of the web flow. Apple sign-in is disabled when unset.', example: 'info.minimovie.signin' }),
  APPLE_TEAM_ID: spec({ group: 'Auth', parser: str(), doc: 'Apple developer team id (the `iss` of the client secret).', example: 'ABCDE12345' }),
  APPLE_KEY_ID: spec({ group: 'Auth', parser: str(), doc: 'Key id of the Sign in with Apple private key.', example: 'XYZ987654' }),
  APPLE_PRIVATE_KEY: spec({ group: 'Auth', parser: str(), secret: true, doc: 'The Sign in with Apple private key (.p8): PEM text (`\\n` escapes allowed) or a path to the file.', example: './secrets/AuthKey_XYZ987654.p8' }),
  APPLE_AUDIENCES: spec({ group: 'Auth', parser: list(), doc: 'Accepted `aud` values of Apple ID tokens, comma-separated (for example the iOS bundle id). Defaults to `APPLE_CLIENT_ID`.', example: 'info.minimovie.signin,info.minimovie.ios' }),
  APPLE_ISSUER: spec({ group: 'Auth', parser: issuerUrl(), default: 'https://appleid.apple.com', doc: 'Apple OpenID issuer. Plain http is accepted only on a loopback address (tests).', example: 'https://appleid.apple.com' }),

  WORKER: spec({ group: 'Jobs', parser: bool(), default: true, doc: 'Run the job worker inside `minimovie serve`. Set `off` on scaled-out API nodes and run `minimovie worker` separately.', example: 'off' }),
  SYNC_START_DATE: spec({ group: 'Jobs', parser: date(), doc: 'Default `--start` of `minimovie sync`.', example: '2026-01-01' }),
  SYNC_END_DATE: spec({ group: 'Jobs', parser: date(), doc: 'Default `--end` of `minimovie sync`.', example: '2026-01-14' }),

  ANTHROPIC_API_KEY: spec({ group: 'Interesting facts', parser: str(), secret: true, doc: 'Enables `GET /interesting/person/{id}`.', example: 'sk-ant-...' }),
  ANTHROPIC_BASE_URL: spec({ group: 'Interesting facts', parser: url({ protocols: ['http:', 'https:'] }), doc: 'Anthropic API base URL (tests point it at a local fake).', example: 'https://api.anthropic.com' }),
  AUGUR_MODEL: spec({ group: 'Interesting facts', parser: str({ minLength: 1 }), default: 'claude-sonnet-4-6', doc: 'Model id.', example: 'claude-sonnet-4-6' }),
  AUGUR_MAX_TOKENS: spec({ group: 'Interesting facts', parser: int({ min: 0 }), default: 4096, doc: 'Maximum output tokens.', example: '4096' }),
  AUGUR_MAX_RETRIES: spec({ group: 'Interesting facts', parser: int({ min: 0, max: 10 }), default: 1, doc: 'Extra attempts when the model output is unusable.', example: '1' }),
  AUGUR_MIN_CONFIDENCE: spec({ group: 'Interesting facts', parser: float({ min: 0, max: 1 }), default: 0.65, doc: 'Facts below this confidence are dropped.', example: '0.65' }),
  AUGUR_TIMEOUT: spec({ group: 'Interesting facts', parser: int({ min: 1, max: 3600 }), default: 60, unit: 'seconds', doc: 'Deadline of the interesting-facts route (Go name, unit kept).', example: '60' }),
  INTERESTING_INFO_TTL_DAYS: spec({ group: 'Interesting facts', parser: int({ min: 1, max: 3650 }), default: 30, unit: 'days', doc: 'How long stored facts about a person are served before the LLM is asked again (they also expire when the sync sees the person change).', example: '30' }),
} as const;

export type EnvKey = keyof typeof ENV_SPECS;
type ValueOf<S> = S extends { parser: EnvParser<infer T> } ? ('default' extends keyof S ? T : T | undefined) : never;
export type EnvValues = { [K in EnvKey]: ValueOf<(typeof ENV_SPECS)[K]> };
