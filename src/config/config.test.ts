import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withConfig, type Config } from './config.ts';
import { ENV_SPECS } from './config.schema.ts';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

function expectDeeplyFrozen(value: unknown, where = 'config'): void {
  if (value === null || typeof value !== 'object') return;
  expect(Object.isFrozen(value), `${where} is frozen`).toBe(true);
  for (const [k, v] of Object.entries(value)) expectDeeplyFrozen(v, `${where}.${k}`);
}

describe('defaults', () => {
  it('an empty environment gives a working embedded-mode configuration', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.publicUrl).toBe('http://localhost:8080');
    expect(c.requestTimeoutMs).toBe(10_000);
    expect(c.shutdownTimeoutMs).toBe(10_000);
    expect(c.cacheMaxAge).toBe(3600);
    expect(c.trustProxy).toBe(false);
    expect(c.corsOrigins).toEqual(['https://minimovie.info', 'https://localhost:4321', 'http://localhost:4321']);
    expect(c.logLevel).toBe('info');
    expect(c.logFormat).toBe('auto');
    expect(c.metricsToken).toBeUndefined();
    expect(c.otel).toEqual({ enabled: false, endpoint: undefined, headers: undefined, serviceName: 'minimovie-api' });
    expect(c.database).toEqual({ url: undefined, dataDir: path.resolve('./data'), migrateOnStart: true });
    expect(c.tmdb).toEqual({
      accessToken: undefined,
      baseUrl: 'https://api.themoviedb.org/3',
      timeoutMs: 10_000,
      rateLimitPerSecond: 40,
      cacheBytes: 256 * 1024 * 1024,
      maxFetchPerRequest: 10,
    });
    expect(c.auth).toMatchObject({ uiSecret: undefined, secretKey: undefined });
    expect(c.worker).toEqual({ inProcess: true });
    expect(c.sync).toEqual({ startDate: undefined, endDate: undefined });
    expect(c.llm).toMatchObject({ apiKey: undefined, model: 'claude-sonnet-4-6', maxTokens: 4096, maxRetries: 1, minConfidence: 0.65, timeoutMs: 60_000 });
    expect(c.warnings).toEqual([]);
  });

  it('empty and blank variables count as unset', () => {
    const c = loadConfig({ PORT: '', TIMEOUT: '   ', MINI_MOVIE_UI_SECRET: '', LOG_LEVEL: '' });
    expect(c.port).toBe(8080);
    expect(c.requestTimeoutMs).toBe(10_000);
    expect(c.auth.uiSecret).toBeUndefined();
    expect(c.logLevel).toBe('info');
  });

  it('every variable has a doc line, an example and a group', () => {
    for (const [key, s] of Object.entries(ENV_SPECS)) {
      expect(s.doc.length, key).toBeGreaterThan(5);
      expect(s.example.length, key).toBeGreaterThan(0);
      expect(s.group, key).toBeTruthy();
    }
  });

  it('every documented example parses', () => {
    for (const [key, s] of Object.entries(ENV_SPECS)) {
      expect(s.parser.parse(s.example).ok, `${key}=${s.example}`).toBe(true);
    }
  });
});

describe('reading values', () => {
  it('converts units and derives dependent values', () => {
    const c = loadConfig({
      PORT: '9000',
      TIMEOUT: '3',
      TMDB_TIMEOUT: '7',
      AUGUR_TIMEOUT: '30',
      TMDB_CACHE_MB: '1',
      DATA_DIR: '/tmp/mm-data',
      WORKER: 'OFF',
      TRUST_PROXY: 'yes',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/minimovie',
    });
    expect(c.port).toBe(9000);
    expect(c.publicUrl).toBe('http://localhost:9000');
    expect(c.requestTimeoutMs).toBe(3000);
    expect(c.tmdb.timeoutMs).toBe(7000);
    expect(c.llm.timeoutMs).toBe(30_000);
    expect(c.tmdb.cacheBytes).toBe(1024 * 1024);
    expect(c.database.dataDir).toBe('/tmp/mm-data');
    expect(c.database.url).toBe('postgres://postgres@127.0.0.1:5432/minimovie');
    expect(c.worker.inProcess).toBe(false);
    expect(c.trustProxy).toBe(1);
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('PUBLIC_URL wins over the derived URL, without a trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://api.minimovie.info/' }).publicUrl).toBe('https://api.minimovie.info');
  });

  it('OTEL_ENABLED without an endpoint stays off and warns', () => {
    const c = loadConfig({ OTEL_ENABLED: 'true' });
    expect(c.otel.enabled).toBe(false);
    expect(c.warnings.join('\n')).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(loadConfig({ OTEL_ENABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).otel.enabled).toBe(true);
  });
});

describe('Go leniency', () => {
  it('LOG_LEVEL is case-insensitive', () => {
    const c = loadConfig({ LOG_LEVEL: 'DEBUG' });
    expect(c.logLevel).toBe('debug');
    expect(c.warnings).toEqual([]);
  });

  it('an unknown LOG_LEVEL warns and falls back to info', () => {
    const c = loadConfig({ LOG_LEVEL: 'verbose' });
    expect(c.logLevel).toBe('info');
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/^LOG_LEVEL: /);
    expect(c.warnings[0]).toContain('verbose');
  });

  it.each([
    ['0', 0],
    ['-1', 0],
    ['-3600', 0],
    ['60', 60],
  ])('CACHE_MAX_AGE=%s gives %i (0 means no Cache-Control header)', (raw, expected) => {
    expect(loadConfig({ CACHE_MAX_AGE: raw }).cacheMaxAge).toBe(expected);
  });

  it.each([
    ['0', 10],
    ['-5', 10],
    ['1', 1],
    ['25', 25],
  ])('MAX_TMDB_FETCH_PER_REQUEST=%s gives %i', (raw, expected) => {
    expect(loadConfig({ MAX_TMDB_FETCH_PER_REQUEST: raw }).tmdb.maxFetchPerRequest).toBe(expected);
  });
});

describe('errors', () => {
  it('reports every bad variable in one ConfigError', () => {
    const err = configError({ PORT: 'abc', TIMEOUT: '-1', DATABASE_URL: 'not-a-url' });
    expect(err.name).toBe('ConfigError');
    expect(err.issues.map((i) => i.key).sort()).toEqual(['DATABASE_URL', 'PORT', 'TIMEOUT']);
    expect(err.message).toContain('3 problems');
    expect(err.message).toContain('PORT: expected an integer between 0 and 65535, got "abc"');
    expect(err.message).toContain('TIMEOUT: expected an integer between 1 and 3600, got "-1"');
    expect(err.message).toContain('DATABASE_URL: expected a URL starting with postgres:// or postgresql://');
  });

  it('a single problem is worded in the singular', () => {
    expect(configError({ WORKER: 'sometimes' }).message).toContain('(1 problem)');
  });

  it('never echoes the value of a secret variable', () => {
    const password = 'hunter2-very-secret';
    const err = configError({
      DATABASE_URL: `mysql://admin:${password}@db.internal/minimovie`,
      SECRET_KEY: `too-short-${password}`,
      PORT: '99999',
    });
    expect(err.message).not.toContain(password);
    expect(err.message).not.toContain('admin');
    expect(JSON.stringify(err.issues)).not.toContain(password);
    expect(err.message).toContain('DATABASE_URL: expected a URL starting with postgres:// or postgresql://, got (hidden)');
    expect(err.message).toContain('SECRET_KEY: expected a string of at least 32 characters, got (hidden)');
    expect(err.message).toContain('PORT: expected an integer between 0 and 65535, got "99999"');
  });

  it('shortens a long non-secret value', () => {
    const err = configError({ PORT: 'x'.repeat(5000) });
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toContain('...');
  });

  it('invalid dates are errors, not silent fallbacks', () => {
    const err = configError({ SYNC_START_DATE: '2023-02-30' });
    expect(err.issues).toEqual([{ key: 'SYNC_START_DATE', expected: 'a real calendar date in YYYY-MM-DD form', received: '"2023-02-30"' }]);
  });
});

describe('immutability', () => {
  it('the config object is deeply frozen', () => {
    const c = loadConfig({});
    expectDeeplyFrozen(c);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (c.database as { url: string | undefined }).url = 'postgres://x/y';
    }).toThrow(TypeError);
    expect(() => {
      (c.corsOrigins as string[]).push('https://evil.example');
    }).toThrow(TypeError);
    expect(() => {
      (c.warnings as string[]).push('x');
    }).toThrow(TypeError);
  });

  it('withConfig returns a new deeply frozen config and leaves the original alone', () => {
    const base: Config = loadConfig({});
    const patched = withConfig(base, { auth: { uiSecret: 'generated' } });
    expect(patched.auth.uiSecret).toBe('generated');
    expect(patched.auth.secretKey).toBeUndefined();
    expect(base.auth.uiSecret).toBeUndefined();
    expectDeeplyFrozen(patched);
  });
});
