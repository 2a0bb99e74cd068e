#!/usr/bin/env node
// Entry point of the `minimovie` command. Runs the TypeScript sources through tsx,
// so a fresh clone works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
