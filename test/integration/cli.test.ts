import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS_FILE } from '../../src/config/embedded-secrets.ts';
import { openDatabase, rowsOf } from '../../src/data/db.ts';
import { people } from '../../src/data/schema.ts';
import { createClientTokenService } from '../../src/modules/auth/client-token.service.ts';
import { systemClock } from '../../src/shared/clock.ts';

/**
 * The `minimovie` command as a user runs it: a real child process with a
 * clean environment, a temporary DATA_DIR and a temporary working folder (so a
 * developer's `.env` is never picked up).
 */

const BIN = fileURLToPath(new URL('../../bin/minimovie.js', import.meta.url));
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const STACK_LINE = /^\s+at /m;
// Generous limits: this machine is shared, and a cold tsx compile plus PGlite initdb can take a while under load.
const COMMAND_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 60_000;
const STOP_BUDGET_MS = 2_000;
/** The lead's target for a restart on an existing DATA_DIR; reported, and flagged when missed. */
const RESTART_TARGET_MS = 3_000;

let workDir: string;
const tempDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

beforeAll(() => {
  workDir = tempDir('minimovie-cli-cwd-');
});
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Only what a process needs to run; everything MiniMovie reads is passed explicitly. */
function cleanEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production' };
  if (process.env.TMPDIR) base.TMPDIR = process.env.TMPDIR;
  return { ...base, ...env };
}

function spawnCli(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: workDir, env: cleanEnv(env), stdio: 'pipe' });
}

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run a command to completion; a command that outlives the limit is killed and fails the test. */
function runCli(args: string[], env: Record<string, string>, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`minimovie ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

interface RunningServe {
  url: string;
  /** Milliseconds from spawn to the first 200 from /ping. */
  readyMs: number;
  /** Milliseconds from spawn to the "MiniMovie is listening" line (worker started, signal handlers installed). */
  listeningMs: number;
  logLines(): Record<string, unknown>[];
  stderr(): string;
  /** Send SIGINT and wait for the exit. */
  interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  kill(): void;
}

/** Start `minimovie serve` on a random port and wait until /ping answers. */
async function startServe(env: Record<string, string>): Promise<RunningServe> {
  const t0 = performance.now();
  const child = spawnCli(['serve'], { HOST: '127.0.0.1', PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));

  const logLines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  try {
    // Fastify logs "Server listening at <url>" as soon as the socket is bound, before the worker starts.
    let url: string | undefined;
    while (!url) {
      if (exitedEarly) throw new Error(`serve exited before listening\nstdout: ${stdout}\nstderr: ${stderr}`);
      if (performance.now() - t0 > START_TIMEOUT_MS) throw new Error(`serve did not listen within ${START_TIMEOUT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`);
      const line = logLines().find((l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening at '));
      url = line ? (line.msg as string).slice('Server listening at '.length) : undefined;
      if (!url) await sleep(5);
    }
    for (;;) {
      const res = await fetch(`${url}/ping`).catch(() => undefined);
      if (res?.status === 200 && (await res.text()) === 'pong') break;
      if (performance.now() - t0 > START_TIMEOUT_MS) throw new Error(`/ping did not answer within ${START_TIMEOUT_MS} ms`);
      await sleep(5);
    }
    const readyMs = performance.now() - t0;
    // serve installs its SIGINT handler only after start-up, after the embedded-mode banner; wait for that before tests send it.
    const startedUp = () => {
      const line = logLines().find((l) => l.msg === 'MiniMovie is listening');
      return line !== undefined && (line.database !== 'embedded' || stderr.includes('Press Ctrl-C to stop.'));
    };
    while (!startedUp()) {
      if (exitedEarly) throw new Error(`serve exited during start-up\nstdout: ${stdout}\nstderr: ${stderr}`);
      if (performance.now() - t0 > START_TIMEOUT_MS) throw new Error(`serve did not finish starting within ${START_TIMEOUT_MS} ms\nstdout: ${stdout}`);
      await sleep(5);
    }
    const listeningMs = performance.now() - t0;
    const listeningUrl = url;
    return {
      url: listeningUrl,
      readyMs,
      listeningMs,
      logLines,
      stderr: () => stderr,
      async interrupt() {
        const s = performance.now();
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_BUDGET_MS * 5);
        const result = await exited;
        clearTimeout(timer);
        return { ...result, ms: performance.now() - s };
      },
      kill: () => child.kill('SIGKILL'),
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Short commands run side by side; the timed server starts below run alone.
describe.concurrent('commands', { timeout: 150_000 }, () => {
  describe('configuration errors', () => {
    it.each([['serve'], ['migrate'], ['token']])('%s: exit 1, every bad key on stderr, no stack trace', async (command) => {
      const res = await runCli([command], { DATA_DIR: tempDir('minimovie-cli-'), PORT: 'abc', TIMEOUT: '-1', DATABASE_URL: 'not-a-url' });
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain('PORT');
      expect(res.stderr).toContain('TIMEOUT');
      expect(res.stderr).toContain('DATABASE_URL');
      expect(res.stderr).toContain('3 problems');
      expect(res.stderr).not.toMatch(STACK_LINE);
      expect(res.stderr).not.toContain('not-a-url');
    });
  });

  describe('usage', () => {
    it('--help lists every command and exits 0', async () => {
      const res = await runCli(['--help'], {});
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('Usage: minimovie <command> [options]');
      for (const command of ['serve', 'migrate', 'token', 'worker']) expect(res.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    });

    it('no command prints the help and exits 2', async () => {
      const res = await runCli([], {});
      expect(res.code).toBe(2);
      expect(res.stdout).toContain('Usage: minimovie <command>');
    });

    it('an unknown command exits 2 and names it', async () => {
      const res = await runCli(['frobnicate'], {});
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('Unknown command "frobnicate"');
      expect(res.stderr).not.toMatch(STACK_LINE);
    });

    it('a command --help shows its options', async () => {
      const res = await runCli(['token', '--help'], {});
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('--expires-in <value>');
    });

    it('an unknown option exits 2', async () => {
      const res = await runCli(['token', '--bogus'], { DATA_DIR: tempDir('minimovie-cli-') });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('--bogus');
      expect(res.stderr).not.toMatch(STACK_LINE);
    });
  });

  describe('minimovie token', () => {
    it('prints only a JWT on stdout, signed with the generated embedded secret', async () => {
      const dataDir = tempDir('minimovie-cli-');
      const res = await runCli(['token'], { DATA_DIR: dataDir });
      expect(res.code).toBe(0);
      expect(res.stdout.endsWith('\n')).toBe(true);
      const token = res.stdout.trimEnd();
      expect(token).toMatch(JWT);
      const secrets = JSON.parse(readFileSync(path.join(dataDir, SECRETS_FILE), 'utf8'));
      const claims = await createClientTokenService({ secret: secrets.miniMovieUiSecret, clock: systemClock }).verify(token);
      expect(claims.exp).toBeUndefined();
    });

    it('--expires-in 30d sets exp 30 days after iat', async () => {
      const res = await runCli(['token', '--expires-in', '30d'], { MINI_MOVIE_UI_SECRET: 'a-cli-test-secret-that-is-long-enough' });
      expect(res.code).toBe(0);
      const token = res.stdout.trim();
      expect(token).toMatch(JWT);
      const claims = decodeJwt(token);
      expect(claims.exp! - claims.iat!).toBe(30 * 86_400);
      expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(60);
      await expect(createClientTokenService({ secret: 'a-cli-test-secret-that-is-long-enough', clock: systemClock }).verify(token)).resolves.toBeTruthy();
    });

    it('--expires-in nonsense exits 2 with one line and no token', async () => {
      const res = await runCli(['token', '--expires-in', 'nonsense'], { MINI_MOVIE_UI_SECRET: 'a-cli-test-secret-that-is-long-enough' });
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain('--expires-in "nonsense" is not a duration');
      expect(res.stderr).not.toMatch(STACK_LINE);
    });
  });

  describe('minimovie migrate', () => {
    it('applies the migrations once; the second run says the database is up to date', async () => {
      const env = { DATA_DIR: tempDir('minimovie-cli-') };
      const first = await runCli(['migrate'], env);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^Applied \d+ migrations? to the embedded database/);
      const second = await runCli(['migrate'], env);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/^Database is up to date/);
    });
  });

});

describe('minimovie serve on the embedded database', () => {
  it('a restart on the same DATA_DIR keeps secrets and data, and SIGINT stops it cleanly', async (ctx) => {
    const dataDir = tempDir('minimovie-cli-data-');
    const env = { DATA_DIR: dataDir };

    // A token minted before the server ever ran (this also generates the secrets).
    const minted = await runCli(['token'], env);
    expect(minted.code).toBe(0);
    const earlyToken = minted.stdout.trim();
    const secretsBefore = readFileSync(path.join(dataDir, SECRETS_FILE), 'utf8');

    const first = await startServe(env);
    let firstStop: Awaited<ReturnType<RunningServe['interrupt']>>;
    try {
      expect(first.logLines().find((l) => l.msg === 'database migrations applied')?.applied).toBeGreaterThan(0);
      const ready = await fetch(`${first.url}/health/ready`);
      expect(ready.status).toBe(200);
    } finally {
      firstStop = await first.interrupt();
    }
    expect({ code: firstStop.code, signal: firstStop.signal }).toEqual({ code: 0, signal: null });
    expect(firstStop.ms).toBeLessThan(STOP_BUDGET_MS);
    expect(first.stderr()).not.toMatch(STACK_LINE);
    const firstBannerToken = /^ {2}(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/m.exec(first.stderr())?.[1];
    expect(firstBannerToken).toMatch(JWT);

    // Write a row while the server is down (PGlite allows one process at a time).
    const handle = await openDatabase({ dataDir });
    try {
      await handle.db.insert(people).values({ id: 4_242_424, name: 'Persisted Person', dateOfBirth: '1970-01-02', fetched: true });
    } finally {
      await handle.close();
    }

    const second = await startServe(env);
    let secondStop: Awaited<ReturnType<RunningServe['interrupt']>>;
    try {
      // Nothing to migrate: the journal the first start wrote is still there.
      expect(second.logLines().some((l) => l.msg === 'database migrations applied')).toBe(false);
      expect(second.logLines().some((l) => l.msg === 'generated embedded-mode secrets')).toBe(false);
      expect((await fetch(`${second.url}/health/ready`)).status).toBe(200);
      // Catalog routes come in a later issue; once one exists, the early token must get past auth.
      const res = await fetch(`${second.url}/movies/109445`, { headers: { authorization: `Bearer ${earlyToken}` } });
      expect(res.status).not.toBe(401);
    } finally {
      secondStop = await second.interrupt();
    }
    expect({ code: secondStop.code, signal: secondStop.signal }).toEqual({ code: 0, signal: null });
    expect(secondStop.ms).toBeLessThan(STOP_BUDGET_MS);
    expect(second.stderr()).not.toMatch(STACK_LINE);

    // The restarted server signs with the secret that minted the early token.
    expect(readFileSync(path.join(dataDir, SECRETS_FILE), 'utf8')).toBe(secretsBefore);
    const secondBannerToken = /^ {2}(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/m.exec(second.stderr())?.[1];
    const verifier = createClientTokenService({ secret: JSON.parse(secretsBefore).miniMovieUiSecret, clock: systemClock });
    for (const token of [earlyToken, firstBannerToken, secondBannerToken]) await expect(verifier.verify(token)).resolves.toBeTruthy();

    const reopened = await openDatabase({ dataDir });
    try {
      const rows = await reopened.db.select().from(people).where(eq(people.id, 4_242_424));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ name: 'Persisted Person', dateOfBirth: '1970-01-02', fetched: true });
      const journal = rowsOf<{ n: number }>(await reopened.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(journal[0]?.n).toBe(first.logLines().find((l) => l.msg === 'database migrations applied')?.applied);
    } finally {
      await reopened.close();
    }

    const ms = (n: number) => `${Math.round(n)} ms`;
    console.log(
      `[startup] embedded PGlite, spawn to first /ping 200: first start ${ms(first.readyMs)}, restart ${ms(second.readyMs)} ` +
        `(start-up finished: ${ms(first.listeningMs)}, ${ms(second.listeningMs)}; SIGINT to exit: ${ms(firstStop.ms)}, ${ms(secondStop.ms)}; load average ${os.loadavg()[0]!.toFixed(2)})`,
    );
    if (second.readyMs > RESTART_TARGET_MS) {
      const note = `restart took ${ms(second.readyMs)} to answer /ping, above the ${RESTART_TARGET_MS} ms target (load average ${os.loadavg()[0]!.toFixed(2)})`;
      console.warn(`[startup] ${note}`);
      await ctx.annotate(note, 'warning');
    }
  }, 240_000);
});

const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('minimovie serve on a PostgreSQL server', () => {
  it('migrates a fresh database on the first start and applies nothing on the second', async (ctx) => {
    const unreachable = await postgresReachable();
    if (unreachable) {
      console.warn(`[cli.test] skipping the PostgreSQL start test: ${new URL(PG_ADMIN_URL).host} is not reachable (${unreachable})`);
      ctx.skip(`PostgreSQL at ${new URL(PG_ADMIN_URL).host} is not reachable: ${unreachable}`);
    }
    const name = `mm_cli_${Date.now().toString(36)}_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
      const u = new URL(PG_ADMIN_URL);
      u.pathname = `/${name}`;
      const env = { DATA_DIR: tempDir('minimovie-cli-pg-'), DATABASE_URL: u.toString(), MINI_MOVIE_UI_SECRET: 'a-cli-test-secret-that-is-long-enough' };

      const first = await startServe(env);
      const firstStop = await first.interrupt();
      expect(first.logLines().find((l) => l.msg === 'database migrations applied')?.applied).toBeGreaterThan(0);
      expect({ code: firstStop.code, signal: firstStop.signal }).toEqual({ code: 0, signal: null });
      expect(first.stderr()).not.toMatch(STACK_LINE);

      const second = await startServe(env);
      const secondStop = await second.interrupt();
      expect(second.logLines().some((l) => l.msg === 'database migrations applied')).toBe(false);
      expect(second.logLines().find((l) => l.msg === 'MiniMovie is listening')?.database).toBe('postgres');
      expect({ code: secondStop.code, signal: secondStop.signal }).toEqual({ code: 0, signal: null });
      expect(secondStop.ms).toBeLessThan(STOP_BUDGET_MS);

      // A server database never gets generated secrets on disk.
      expect(() => readFileSync(path.join(env.DATA_DIR, SECRETS_FILE))).toThrow();
      const { rows } = await admin.query<{ n: number }>(`select count(*)::int as n from pg_database where datname = $1`, [name]);
      expect(rows[0]?.n).toBe(1);
      console.log(`[startup] PostgreSQL, spawn to first /ping 200: first start ${Math.round(first.readyMs)} ms, restart ${Math.round(second.readyMs)} ms`);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await admin.end();
    }
  }, 240_000);
});
