/**
 * `npm run docs:config`: regenerate the configuration table in README.md
 * (between the config markers) and `.env.example` from ENV_SPECS.
 * `npm run docs:config -- --check` only reports whether they are up to date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initialReadme, renderConfigMarkdown, renderEnvExample, replaceReadmeRegion } from '../src/config/config-docs.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const readmePath = `${root}README.md`;
const envExamplePath = `${root}.env.example`;
const check = process.argv.includes('--check');

const markdown = renderConfigMarkdown();
const current = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : undefined;
const files: [string, string | undefined, string][] = [
  [readmePath, current, current === undefined ? initialReadme(markdown) : replaceReadmeRegion(current, markdown)],
  [envExamplePath, existsSync(envExamplePath) ? readFileSync(envExamplePath, 'utf8') : undefined, renderEnvExample()],
];

let stale = 0;
for (const [file, before, after] of files) {
  const name = file.slice(root.length);
  if (before === after) {
    console.log(`${name} is up to date`);
    continue;
  }
  stale++;
  if (check) {
    console.error(`${name} is out of date; run npm run docs:config`);
  } else {
    writeFileSync(file, after);
    console.log(`${name} ${before === undefined ? 'created' : 'updated'}`);
  }
}
process.exitCode = check && stale > 0 ? 1 : 0;
