import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv, type Config } from './config/config.ts';
import { commands, type CliCommand } from './cli/commands.ts';
import { CliError } from './cli/cli-error.ts';

const HELP = `minimovie: the MiniMovie API server and its tools

Usage: minimovie <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "minimovie <command> --help" for the options of one command.
Configuration comes from the environment and from a .env file in the current
folder; the README lists every variable.`;

function commandHelp(cmd: CliCommand): string {
  const opts = Object.entries(cmd.options ?? {}).map(
    ([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}`.padEnd(28) + (cmd.optionDocs?.[name] ?? ''),
  );
  return `minimovie ${cmd.name}: ${cmd.summary}\n\nUsage: minimovie ${cmd.usage ?? cmd.name}\n${opts.length > 0 ? `\nOptions:\n${opts.join('\n')}\n` : ''}${cmd.description ? `\n${cmd.description}\n` : ''}`;
}

/** Run the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`Unknown command "${name}".\n\n${HELP}`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[] = [];
  try {
    const parsed = parseArgs({
      args: rest,
      options: { help: { type: 'boolean', short: 'h' }, ...(cmd.options ?? {}) },
      allowPositionals: cmd.positionals ?? false,
      strict: true,
    });
    values = parsed.values;
    positionals = parsed.positionals;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${commandHelp(cmd)}`);
    return 2;
  }
  if (values.help) {
    console.log(commandHelp(cmd));
    return 0;
  }
  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    console.error(`Could not read configuration: ${(err as Error).message}`);
    return 1;
  }
  try {
    return await cmd.run({ config, options: values, positionals });
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`minimovie ${cmd.name}: ${err.message}`);
      return err.exitCode;
    }
    console.error(`minimovie ${cmd.name} failed: ${describe(err)}`);
    if (process.env.DEBUG) console.error(err);
    return 1;
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e.code === 'EADDRINUSE') return `port ${e.port ?? ''} is already in use. Stop the other process or set PORT to a free port.`;
  if (e.code === 'EACCES' && e.port !== undefined) return `not allowed to listen on port ${e.port}. Use a port above 1023 (set PORT).`;
  if (e.code === 'ECONNREFUSED') return `cannot connect to ${e.address ?? 'the database'}:${e.port ?? ''}. Is PostgreSQL running, and is DATABASE_URL right?`;
  if (e.code === '3D000') return `${e.message}. Create the database first, or fix DATABASE_URL.`;
  if (e.code === '28P01' || e.code === '28000') return `${e.message}. Check the user and password in DATABASE_URL.`;
  return e.message ?? String(err);
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Anything still holding the event loop (a stuck socket, a timer in a library) must not keep a finished command alive.
setTimeout(() => process.exit(code), 1000).unref();
