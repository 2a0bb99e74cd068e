import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_SPECS, type EnvKey, type EnvSpec, type EnvValues } from './config.schema.ts';
import type { LOG_LEVELS } from './config.schema.ts';

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The typed, frozen configuration every part of MiniMovie reads. Built once from the environment. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly requestTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** Seconds; `0` means "send no Cache-Control header". */
  readonly cacheMaxAge: number;
  /** Fastify `trustProxy`: false, a hop count, or the proxies' addresses. */
  readonly trustProxy: false | number | readonly string[];
  readonly corsOrigins: readonly string[];
  readonly logLevel: LogLevel;
  readonly logFormat: 'auto' | 'json' | 'pretty';
  readonly metricsToken: string | undefined;
  readonly otel: {
    readonly enabled: boolean;
    readonly endpoint: string | undefined;
    readonly headers: string | undefined;
    readonly serviceName: string;
  };
  readonly database: {
    /** PostgreSQL server URL; undefined means embedded PGlite in `dataDir`. */
    readonly url: string | undefined;
    readonly dataDir: string;
    readonly migrateOnStart: boolean;
  };
  readonly tmdb: {
    /** Undefined means demo mode: the built-in catalog is served. */
    readonly accessToken: string | undefined;
    readonly baseUrl: string;
    readonly timeoutMs: number;
    readonly rateLimitPerSecond: number;
    readonly cacheBytes: number;
    readonly maxFetchPerRequest: number;
  };
  readonly auth: {
    readonly uiSecret: string | undefined;
    readonly secretKey: string | undefined;
    /** Sliding session lifetime. */
    readonly sessionTtlDays: number;
    /** App redirect URIs accepted by the redirect flow (exact match). */
    readonly redirectAllowlist: readonly string[];
    /** Requests per minute and client IP across the `/auth/*` routes. */
    readonly rateLimitPerMinute: number;
    /** Undefined when Google sign-in is not configured (its routes answer 404 PROVIDER_DISABLED). */
    readonly google: GoogleAuthConfig | undefined;
    /** Undefined when Apple sign-in is not configured. */
    readonly apple: AppleAuthConfig | undefined;
  };
  readonly worker: {
    readonly inProcess: boolean;
  };
  readonly sync: {
    readonly startDate: string | undefined;
    readonly endDate: string | undefined;
  };
  readonly llm: {
    readonly apiKey: string | undefined;
    readonly baseUrl: string | undefined;
    readonly model: string;
    readonly maxTokens: number;
    readonly maxRetries: number;
    readonly minConfidence: number;
    readonly timeoutMs: number;
    /** `INTERESTING_INFO_TTL_DAYS`: lifetime of a stored `interesting_info` row. */
    readonly ttlDays: number;
  };
  /** Non-fatal problems found while reading the environment (logged at startup). */
  readonly warnings: readonly string[];
}

/** What every OpenID provider needs. */
export interface OidcProviderConfig {
  readonly issuer: string;
  /** Client id of the web (redirect) flow. */
  readonly clientId: string;
  /** Every accepted ID-token `aud`; includes `clientId`. */
  readonly audiences: readonly string[];
}

export interface GoogleAuthConfig extends OidcProviderConfig {
  readonly clientSecret: string;
}

export interface AppleAuthConfig extends OidcProviderConfig {
  readonly teamId: string;
  readonly keyId: string;
  /** PKCS#8 PEM of the ES256 key that signs the client secret. */
  readonly privateKey: string;
}

export interface ConfigIssue {
  key: string;
  expected: string;
  received: string | undefined;
}

/** Thrown when one or more variables cannot be interpreted. The message names every bad key. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues
          .map((i) => `  - ${i.key}: expected ${i.expected}${i.received === undefined ? '' : `, got ${i.received}`}`)
          .join('\n') +
        '\nFix these environment variables (or your .env file) and start again.',
    );
    this.name = 'ConfigError';
  }
}

function quote(value: string, secret: boolean | undefined): string {
  if (secret) return '(hidden)';
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}

/** Parse every variable of `ENV_SPECS`, collecting all problems before failing. */
export function readEnv(env: NodeJS.ProcessEnv): { values: EnvValues; warnings: string[] } {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(ENV_SPECS) as [EnvKey, EnvSpec<unknown>][]) {
    const raw = env[key];
    if (raw === undefined || raw.trim() === '') {
      values[key] = s.default;
      continue;
    }
    const result = s.parser.parse(raw);
    if (result.ok) {
      values[key] = result.value;
      if (result.warning) warnings.push(`${key}: ${result.warning}`);
    } else {
      issues.push({ key, expected: result.expected, received: quote(raw, s.secret) });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { values: values as EnvValues, warnings };
}

/** Build the frozen configuration from an environment (defaults to `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { values: v, warnings } = readEnv(env);
  if (v.OTEL_ENABLED && !v.OTEL_EXPORTER_OTLP_ENDPOINT) {
    warnings.push('OTEL_ENABLED is true but OTEL_EXPORTER_OTLP_ENDPOINT is unset; OTLP export is off.');
  }

  const auth = readAuthProviders(v, issues => {
    throw new ConfigError(issues);
  });
  if ((auth.google || auth.apple) && v.AUTH_REDIRECT_ALLOWLIST.length === 0) {
    warnings.push('AUTH_REDIRECT_ALLOWLIST is empty: the redirect sign-in flow rejects every redirect_uri (the native flow still works).');
  }

  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    publicUrl: v.PUBLIC_URL ?? `http://localhost:${v.PORT}`,
    requestTimeoutMs: v.TIMEOUT * 1000,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT * 1000,
    cacheMaxAge: Math.max(0, v.CACHE_MAX_AGE),
    trustProxy: v.TRUST_PROXY,
    corsOrigins: v.CORS_ORIGINS,
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
    metricsToken: v.METRICS_TOKEN,
    otel: {
      enabled: v.OTEL_ENABLED && v.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined,
      endpoint: v.OTEL_EXPORTER_OTLP_ENDPOINT,
      headers: v.OTEL_EXPORTER_OTLP_HEADERS,
      serviceName: v.OTEL_SERVICE_NAME,
    },
    database: {
      url: v.DATABASE_URL,
      dataDir: path.resolve(v.DATA_DIR),
      migrateOnStart: v.MIGRATE_ON_START,
    },
    tmdb: {
      accessToken: v.TMDB_ACCESS_TOKEN,
      baseUrl: v.TMDB_BASE_URL,
      timeoutMs: v.TMDB_TIMEOUT * 1000,
      rateLimitPerSecond: v.TMDB_RATE_LIMIT,
      cacheBytes: v.TMDB_CACHE_MB * 1024 * 1024,
      maxFetchPerRequest: v.MAX_TMDB_FETCH_PER_REQUEST > 0 ? v.MAX_TMDB_FETCH_PER_REQUEST : 10,
    },
    auth: {
      uiSecret: v.MINI_MOVIE_UI_SECRET,
      secretKey: v.SECRET_KEY,
      sessionTtlDays: v.SESSION_TTL_DAYS,
      redirectAllowlist: v.AUTH_REDIRECT_ALLOWLIST,
      rateLimitPerMinute: v.AUTH_RATE_LIMIT,
      google: auth.google,
      apple: auth.apple,
    },
    worker: { inProcess: v.WORKER },
    sync: { startDate: v.SYNC_START_DATE, endDate: v.SYNC_END_DATE },
    llm: {
      apiKey: v.ANTHROPIC_API_KEY,
      baseUrl: v.ANTHROPIC_BASE_URL,
      model: v.AUGUR_MODEL,
      maxTokens: v.AUGUR_MAX_TOKENS,
      maxRetries: v.AUGUR_MAX_RETRIES,
      minConfidence: v.AUGUR_MIN_CONFIDENCE,
      timeoutMs: v.AUGUR_TIMEOUT * 1000,
      ttlDays: v.INTERESTING_INFO_TTL_DAYS,
    },
    warnings,
  };
  return deepFreeze(config);
}

/**
 * Google and Apple sign-in from the environment. A provider with none of its
 * variables set is disabled; one with only some of them is a configuration
 * error, so a typo never silently turns sign-in off.
 */
function readAuthProviders(
  v: EnvValues,
  fail: (issues: ConfigIssue[]) => never,
): { google: GoogleAuthConfig | undefined; apple: AppleAuthConfig | undefined } {
  const issues: ConfigIssue[] = [];
  const missing = (key: string, because: string) => issues.push({ key, expected: `a value (${because})`, received: undefined });

  let google: GoogleAuthConfig | undefined;
  if (v.GOOGLE_CLIENT_ID) {
    if (!v.GOOGLE_CLIENT_SECRET) missing('GOOGLE_CLIENT_SECRET', 'GOOGLE_CLIENT_ID is set');
    else {
      google = {
        issuer: v.GOOGLE_ISSUER,
        clientId: v.GOOGLE_CLIENT_ID,
        clientSecret: v.GOOGLE_CLIENT_SECRET,
        audiences: audiences(v.GOOGLE_CLIENT_ID, v.GOOGLE_AUDIENCES),
      };
    }
  } else if (v.GOOGLE_CLIENT_SECRET || v.GOOGLE_AUDIENCES) {
    missing('GOOGLE_CLIENT_ID', 'other GOOGLE_* variables are set');
  }

  let apple: AppleAuthConfig | undefined;
  const appleKeys = { APPLE_CLIENT_ID: v.APPLE_CLIENT_ID, APPLE_TEAM_ID: v.APPLE_TEAM_ID, APPLE_KEY_ID: v.APPLE_KEY_ID, APPLE_PRIVATE_KEY: v.APPLE_PRIVATE_KEY };
  const appleSet = Object.entries(appleKeys).filter(([, value]) => value);
  if (appleSet.length > 0 || v.APPLE_AUDIENCES) {
    for (const [key, value] of Object.entries(appleKeys)) if (!value) missing(key, 'Apple sign-in needs all four APPLE_* keys');
    const privateKey = v.APPLE_PRIVATE_KEY ? readApplePrivateKey(v.APPLE_PRIVATE_KEY, issues) : undefined;
    if (v.APPLE_CLIENT_ID && v.APPLE_TEAM_ID && v.APPLE_KEY_ID && privateKey) {
      apple = {
        issuer: v.APPLE_ISSUER,
        clientId: v.APPLE_CLIENT_ID,
        teamId: v.APPLE_TEAM_ID,
        keyId: v.APPLE_KEY_ID,
        privateKey,
        audiences: audiences(v.APPLE_CLIENT_ID, v.APPLE_AUDIENCES),
      };
    }
  }

  for (const uri of v.AUTH_REDIRECT_ALLOWLIST) {
    let ok = false;
    try {
      const parsed = new URL(uri);
      ok = parsed.hash === '' && !uri.endsWith('#') && parsed.protocol !== 'javascript:' && parsed.protocol !== 'data:';
    } catch {
      ok = false;
    }
    if (!ok) issues.push({ key: 'AUTH_REDIRECT_ALLOWLIST', expected: 'absolute URIs without a fragment (e.g. minimovie://auth)', received: JSON.stringify(uri) });
  }

  if (issues.length > 0) fail(issues);
  return { google, apple };
}

function audiences(clientId: string, extra: readonly string[] | undefined): string[] {
  return extra && extra.length > 0 ? [...new Set(extra)] : [clientId];
}

/** APPLE_PRIVATE_KEY is PEM text (with real or `\n`-escaped newlines) or the path of a .p8 file. */
function readApplePrivateKey(raw: string, issues: ConfigIssue[]): string | undefined {
  let pem: string;
  if (raw.includes('-----BEGIN')) {
    pem = raw.replaceAll('\\n', '\n').trim();
  } else {
    try {
      pem = readFileSync(path.resolve(raw.trim()), 'utf8').trim();
    } catch {
      issues.push({ key: 'APPLE_PRIVATE_KEY', expected: 'PEM text or the path of a readable .p8 file', received: '(hidden)' });
      return undefined;
    }
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ec') throw new Error('not an EC key');
  } catch {
    issues.push({ key: 'APPLE_PRIVATE_KEY', expected: 'an EC (P-256) private key in PEM form, as Apple issues it', received: '(hidden)' });
    return undefined;
  }
  return `${pem}\n`;
}

/** Return a new frozen config with some fields replaced (used for generated secrets and by tests). */
export function withConfig(base: Config, patch: DeepPartial<Config>): Config {
  return deepFreeze(merge(base, patch) as Config);
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (typeof a !== 'object' || a === null || Array.isArray(a) || typeof b !== 'object' || b === null || Array.isArray(b)) return b;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, val] of Object.entries(b)) out[k] = merge(out[k], val);
  return out;
}

function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === 'object' && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const value of Object.values(obj)) deepFreeze(value);
  }
  return obj;
}

/** Load `.env` from the working directory into `process.env` if the file exists. Real variables win. */
export function loadDotEnv(file = path.resolve('.env')): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
