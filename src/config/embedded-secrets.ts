import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withConfig, type Config } from './config.ts';

export const SECRETS_FILE = 'secrets.json';

interface StoredSecrets {
  miniMovieUiSecret?: string;
  secretKey?: string;
}

/**
 * Out-of-the-box secrets for embedded mode only: when no `DATABASE_URL` is
 * set and `MINI_MOVIE_UI_SECRET` or `SECRET_KEY` is missing, generate random
 * values once and keep them in `DATA_DIR/secrets.json` (mode 0600), so tokens
 * survive restarts. With a database server we never invent secrets: several
 * instances would disagree, so the routes fail closed instead.
 */
export function resolveEmbeddedSecrets(config: Config): { config: Config; generated: string[] } {
  if (config.database.url) return { config, generated: [] };
  if (config.auth.uiSecret && config.auth.secretKey) return { config, generated: [] };
  const file = path.join(config.database.dataDir, SECRETS_FILE);
  let stored: StoredSecrets = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
    } catch {
      throw new Error(`${file} is not valid JSON. Delete it to generate new secrets (existing client tokens stop working).`);
    }
  }
  const generated: string[] = [];
  if (!config.auth.uiSecret && !stored.miniMovieUiSecret) {
    stored.miniMovieUiSecret = randomBytes(32).toString('base64url');
    generated.push('MINI_MOVIE_UI_SECRET');
  }
  if (!config.auth.secretKey && !stored.secretKey) {
    stored.secretKey = randomBytes(32).toString('base64url');
    generated.push('SECRET_KEY');
  }
  if (generated.length > 0) {
    mkdirSync(config.database.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    config: withConfig(config, {
      auth: {
        uiSecret: config.auth.uiSecret ?? stored.miniMovieUiSecret,
        secretKey: config.auth.secretKey ?? stored.secretKey,
      },
    }),
    generated,
  };
}
