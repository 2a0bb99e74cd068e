import { resolveEmbeddedSecrets } from '../config/embedded-secrets.ts';
import { createClientTokenService } from '../modules/auth/client-token.service.ts';
import { systemClock } from '../shared/clock.ts';
import { CliError } from './cli-error.ts';
import type { CliCommand } from './commands.ts';
import { parseDuration } from './duration.ts';

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'Print a client token for the catalog routes',
  usage: 'token [--expires-in 30d]',
  options: { 'expires-in': { type: 'string' }, subject: { type: 'string' } },
  optionDocs: {
    'expires-in': 'lifetime such as 30d, 12h, 90m or 3600 (seconds); default: never expires',
    subject: 'optional `sub` claim, to tell clients apart in logs',
  },
  description:
    'Prints only the token on stdout. It is signed with MINI_MOVIE_UI_SECRET, or in embedded\nmode with the secret generated in DATA_DIR.',
  async run({ config: base, options }) {
    const { config } = resolveEmbeddedSecrets(base);
    if (!config.auth.uiSecret) {
      throw new CliError('MINI_MOVIE_UI_SECRET is not set. Set it to a long random string (the same value the API server uses).');
    }
    let expiresInSeconds: number | undefined;
    if (typeof options['expires-in'] === 'string') {
      expiresInSeconds = parseDuration(options['expires-in']);
      if (expiresInSeconds === undefined) {
        throw new CliError(`--expires-in "${options['expires-in']}" is not a duration; use a number with s, m, h, d, w or y (for example 30d)`, 2);
      }
    }
    const service = createClientTokenService({ secret: config.auth.uiSecret, clock: systemClock });
    const token = await service.sign({
      ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
      ...(typeof options.subject === 'string' ? { subject: options.subject } : {}),
    });
    process.stdout.write(`${token}\n`);
    return 0;
  },
};
