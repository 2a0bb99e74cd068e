import { describe, expect, it } from 'vitest';
import { initialReadme, README_END, README_START, renderConfigMarkdown, renderEnvExample, replaceReadmeRegion } from './config-docs.ts';
import { bool, int, list, str } from './env-parsers.ts';

const specs = {
  PORT: { group: 'Server', parser: int({ min: 0, max: 65535 }), default: 8080, doc: 'TCP port.', example: '8080' },
  PIPE: { group: 'Server', parser: str(), doc: 'A value with a | pipe.', example: 'a|b' },
  TOKEN: { group: 'Auth', parser: str(), secret: true, doc: 'A secret.', example: 'change me' },
  LIST: { group: 'Auth', parser: list(), default: [], doc: 'A list.', example: 'a,b' },
  EXTRA: { group: 'Custom', parser: bool(), default: false, unit: 'flag', doc: 'A group not in the usual order.', example: 'on' },
} as const;

describe('renderConfigMarkdown', () => {
  const md = renderConfigMarkdown(specs);

  it('renders one table per group, in the usual order, unknown groups last', () => {
    const headings = [...md.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['Server', 'Auth', 'Custom']);
    expect(md).toContain('| Variable | Type | Unit | Default | Example | Description |');
  });

  it('shows type with range, unit, default and example', () => {
    expect(md).toContain('| `PORT` | integer between 0 and 65535 |  | `8080` | `8080` | TCP port. |');
    expect(md).toContain('| `EXTRA` | boolean | flag | `false` | `on` |');
    expect(md).toContain('| `LIST` | comma-separated list |  | empty |');
  });

  it('escapes pipes so the table keeps its columns', () => {
    expect(md).toContain('| `PIPE` | string |  | unset | `a\\|b` | A value with a \\| pipe. |');
  });

  it('marks secrets', () => {
    expect(md).toMatch(/\| `TOKEN` .*A secret\. Secret: never logged or echoed\. \|/);
  });
});

describe('renderEnvExample', () => {
  const env = renderEnvExample(specs);

  it('comments every variable out with its doc line', () => {
    expect(env).toContain('# TCP port.\n# (integer between 0 and 65535; default: 8080)\n# PORT=8080\n');
    expect(env).not.toMatch(/^[A-Z]/m);
  });

  it('quotes examples that need it and marks secrets', () => {
    expect(env).toContain('# (string; default: unset; secret)\n# TOKEN="change me"\n');
  });

  it('parses as an empty .env when uncommented lines are absent', () => {
    expect(env.endsWith('\n')).toBe(true);
    expect(env.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
  });
});

describe('replaceReadmeRegion', () => {
  it('replaces only what is between the markers', () => {
    const readme = `# Title\n\nIntro.\n\n${README_START}\nold table\n${README_END}\n\n## After\n`;
    expect(replaceReadmeRegion(readme, 'NEW')).toBe(`# Title\n\nIntro.\n\n${README_START}\nNEW\n${README_END}\n\n## After\n`);
  });

  it('is stable when run twice', () => {
    const once = replaceReadmeRegion(initialReadme('x'), 'NEW');
    expect(replaceReadmeRegion(once, 'NEW')).toBe(once);
  });

  it('refuses a README without markers instead of guessing', () => {
    expect(() => replaceReadmeRegion('# Title\n', 'NEW')).toThrow(/config:start/);
    expect(() => replaceReadmeRegion(`${README_END}\n${README_START}`, 'NEW')).toThrow();
  });
});
