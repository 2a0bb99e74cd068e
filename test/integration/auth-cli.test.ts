import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf } from '../../src/data/db.ts';

const BIN = fileURLToPath(new URL('../../bin/minimovie.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'minimovie-sessions-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A clean environment and working folder: no developer .env, the embedded database in a temporary DATA_DIR.
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('minimovie sessions', () => {
  it('create prints only a session token and creates the local user; revoke revokes it', async () => {
    const created = await run(['sessions', 'create', '--email', 'Dev@Example.com', '--name', 'Dev']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^mms_[A-Za-z0-9_-]{43}\n$/);
    const token = created.stdout.trim();

    const revoked = await run(['sessions', 'revoke', '--email', 'dev@example.com']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toBe('Revoked 1 session of 1 user.\n');

    const usage = await run(['sessions', 'create']);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');

    const db = await openDatabase({ dataDir: path.join(dir, 'data') });
    try {
      const rows = rowsOf<{ email: string; display_name: string; revoked: boolean; method: string }>(
        await db.db.execute(
          sql`select u.email, u.display_name, s.revoked_at is not null as revoked, s.method from sessions s join users u on u.id = s.user_id where s.token_hash = ${createHash('sha256').update(token).digest('hex')}`,
        ),
      );
      expect(rows).toEqual([{ email: 'Dev@Example.com', display_name: 'Dev', revoked: true, method: 'cli' }]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
