import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { README_END, README_START, renderConfigMarkdown, renderEnvExample } from '../../src/config/config-docs.ts';
import { ENV_SPECS } from '../../src/config/config.schema.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (name: string) => readFileSync(`${root}${name}`, 'utf8');
const STALE = 'out of date: run `npm run docs:config` and commit the result';

describe('generated configuration docs', () => {
  it('README.md has the current configuration table between its markers', () => {
    const readme = read('README.md');
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    expect(start, 'README.md lacks the config:start marker').toBeGreaterThanOrEqual(0);
    expect(end, 'README.md lacks the config:end marker').toBeGreaterThan(start);
    const region = readme.slice(start + README_START.length, end).trim();
    expect(region, `README.md configuration table is ${STALE}`).toBe(renderConfigMarkdown());
  });

  it('.env.example documents the current variables', () => {
    expect(read('.env.example'), `.env.example is ${STALE}`).toBe(renderEnvExample());
  });

  it('both name every variable', () => {
    const readme = read('README.md');
    const example = read('.env.example');
    for (const key of Object.keys(ENV_SPECS)) {
      expect(readme).toContain(`| \`${key}\` |`);
      expect(example).toMatch(new RegExp(`^# ${key}=`, 'm'));
    }
  });
});
