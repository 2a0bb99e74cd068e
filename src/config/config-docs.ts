import { ENV_SPECS, type EnvSpec } from './config.schema.ts';

/**
 * Renders the configuration reference (the README table and `.env.example`)
 * from `ENV_SPECS`, so the documentation cannot drift from the parser.
 * `npm run docs:config` writes the files; a test fails when they are stale.
 */

export const README_START = '<!-- config:start -->';
export const README_END = '<!-- config:end -->';

type Spec = Omit<EnvSpec<unknown>, 'group'> & { group: string };
type Specs = Record<string, Spec>;

/** Sections in reading order; a group missing here is appended in order of first use. */
const GROUP_ORDER = ['Server', 'Database', 'TMDB', 'Auth', 'Jobs', 'Observability', 'Interesting facts'];

const GENERATED_NOTE = 'Generated from src/config/config.schema.ts by `npm run docs:config`; edit that file, not this text.';

function groupsOf(specs: Specs): [string, [string, Spec][]][] {
  const byGroup = new Map<string, [string, Spec][]>();
  for (const group of GROUP_ORDER) byGroup.set(group, []);
  for (const entry of Object.entries(specs)) {
    const list = byGroup.get(entry[1].group) ?? [];
    list.push(entry);
    byGroup.set(entry[1].group, list);
  }
  return [...byGroup].filter(([, entries]) => entries.length > 0);
}

function formatDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? '' : value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// GFM needs `\|` for a pipe in a table cell, even inside a code span.
const cell = (text: string) => text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');
const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** The Markdown that goes between the README markers: one table per group. */
export function renderConfigMarkdown(specs: Specs = ENV_SPECS): string {
  const parts: string[] = [`<!-- ${GENERATED_NOTE} -->`];
  for (const [group, entries] of groupsOf(specs)) {
    parts.push(`### ${group}`, '', '| Variable | Type | Unit | Default | Example | Description |', '| --- | --- | --- | --- | --- | --- |');
    for (const [key, s] of entries) {
      const def = formatDefault(s.default);
      const shownDefault = def === undefined ? 'unset' : def === '' ? 'empty' : code(def);
      const doc = s.secret ? `${s.doc} Secret: never logged or echoed.` : s.doc;
      parts.push(`| ${cell(code(key))} | ${cell(s.parser.type)} | ${cell(s.unit ?? '')} | ${cell(shownDefault)} | ${cell(code(s.example))} | ${cell(doc)} |`);
    }
    parts.push('');
  }
  return parts.join('\n').trimEnd();
}

function envValue(value: string): string {
  return /[\s#"'`\\]/.test(value) || value === '' ? JSON.stringify(value) : value;
}

/** The whole `.env.example`: every variable commented out, with its doc line. */
export function renderEnvExample(specs: Specs = ENV_SPECS): string {
  const lines = [
    '# MiniMovie configuration. Every variable is optional: with none set, MiniMovie',
    '# runs on the embedded database in ./data with the built-in demo catalog.',
    '# Copy this file to .env and uncomment what you need. Real environment variables',
    '# win over .env. The values shown are examples, not defaults.',
    `# ${GENERATED_NOTE}`,
  ];
  for (const [group, entries] of groupsOf(specs)) {
    lines.push('', `# ---- ${group} ----`);
    for (const [key, s] of entries) {
      const def = formatDefault(s.default);
      const facts = [s.parser.type, s.unit, def === undefined ? 'default: unset' : `default: ${def === '' ? 'empty' : def}`, s.secret ? 'secret' : undefined].filter(Boolean);
      lines.push('', `# ${s.doc.replace(/\s*\n\s*/g, ' ')}`, `# (${facts.join('; ')})`, `# ${key}=${envValue(s.example)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Replace what is between the config markers of a README, leaving the rest untouched. */
export function replaceReadmeRegion(readme: string, markdown: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md needs the markers ${README_START} and ${README_END} (in that order) where the configuration table goes.`);
  }
  return `${readme.slice(0, start + README_START.length)}\n${markdown}\n${readme.slice(end)}`;
}

/** A README for a fresh checkout that has none yet: a heading and the markers. */
export function initialReadme(markdown: string): string {
  return `# MiniMovie\n\n## Configuration\n\n${README_START}\n${markdown}\n${README_END}\n`;
}
