import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config/config.ts';
import { cleanupCommand } from './cleanup.command.ts';
import { migrateCommand } from './migrate.command.ts';
import { serveCommand } from './serve.command.ts';
import { sessionsCommand } from './sessions.command.ts';
import { tokenCommand } from './token.command.ts';
import { syncCommand } from './sync.command.ts';
import { workerCommand } from './worker.command.ts';

export interface CliContext {
  config: Config;
  options: Record<string, string | boolean | undefined>;
  /** Arguments that are not options (only for commands with `positionals: true`). */
  positionals?: string[];
}

export interface CliCommand {
  name: string;
  summary: string;
  usage?: string;
  description?: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  optionDocs?: Record<string, string>;
  positionals?: boolean;
  /** Resolves with the exit code. */
  run(ctx: CliContext): Promise<number>;
}

/** Every `minimovie` sub-command, in the order `--help` lists them. */
export const commands: CliCommand[] = [serveCommand, migrateCommand, tokenCommand, workerCommand, cleanupCommand, syncCommand, sessionsCommand];
