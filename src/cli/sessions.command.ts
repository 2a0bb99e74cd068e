import pino from 'pino';
import { resolveEmbeddedSecrets } from '../config/embedded-secrets.ts';
import { createContainer } from '../container.ts';
import { AmbiguousEmailError } from '../modules/auth/operator-sessions.service.ts';
import { createLogger } from '../shared/logger.ts';
import { CliError } from './cli-error.ts';
import type { CliCommand } from './commands.ts';

const EMAIL = /^[^\s@]{1,200}@[^\s@]{1,200}$/;

export const sessionsCommand: CliCommand = {
  name: 'sessions',
  summary: 'Create or revoke sign-in sessions (local development and support)',
  usage: 'sessions create --email <email> [--name <name>] | sessions revoke --email <email>',
  positionals: true,
  options: { email: { type: 'string' }, name: { type: 'string' } },
  optionDocs: { email: 'the user’s e-mail address (case-insensitive)', name: 'display name of a user created by `create`' },
  description:
    '`create` finds the user with this e-mail, or creates a local user (no Google or Apple\n' +
    'identity), and prints only a session token on stdout: use it as Authorization: Bearer.\n' +
    '`revoke` revokes every session of the users with this e-mail.',
  async run({ config: base, options, positionals }) {
    const [action, ...extra] = positionals ?? [];
    if ((action !== 'create' && action !== 'revoke') || extra.length > 0) throw new CliError('say what to do: "sessions create --email <email>" or "sessions revoke --email <email>"', 2);
    const email = typeof options.email === 'string' ? options.email.trim() : '';
    if (!EMAIL.test(email)) throw new CliError('--email <email> is required and must look like an e-mail address', 2);
    const { config } = resolveEmbeddedSecrets(base);
    // Logs go to stderr: stdout carries only the token.
    const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
    const container = await createContainer(config, { logger: createLogger({ level, format: 'json', destination: pino.destination({ dest: 2, sync: true }) }) });
    try {
      const operator = container.auth.operatorSessions;
      if (action === 'create') {
        const name = typeof options.name === 'string' && options.name.trim() ? options.name.trim() : undefined;
        try {
          const { token, created } = await operator.createSession(email, name);
          if (created) process.stderr.write(`Created a local user for ${email}.\n`);
          process.stdout.write(`${token}\n`);
        } catch (err) {
          if (err instanceof AmbiguousEmailError) throw new CliError(`${err.message}. Accounts are never merged by e-mail; sign in as the right one instead.`);
          throw err;
        }
        return 0;
      }
      const { users, sessions } = await operator.revokeSessions(email);
      if (users === 0) throw new CliError(`no user has the e-mail ${email}`);
      process.stdout.write(`Revoked ${sessions} session${sessions === 1 ? '' : 's'} of ${users} user${users === 1 ? '' : 's'}.\n`);
      return 0;
    } finally {
      await container.close();
    }
  },
};
