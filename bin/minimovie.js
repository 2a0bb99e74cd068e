#!/usr/bin/env node
// Entry point of the `minimovie` command. A fresh clone needs no build step:
// the TypeScript sources are bundled on first run with esbuild (about 0.2 s)
// into node_modules/.cache/minimovie/, and rebundled whenever a source file is
// newer than the bundle. One bundled file starts much faster than loading
// every source file through a TypeScript loader. If bundling fails, the
// sources run through tsx instead.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const outDir = path.join(root, 'node_modules', '.cache', 'minimovie');
const outfile = path.join(outDir, 'cli.mjs');
process.env.MINIMOVIE_MIGRATIONS_DIR ??= path.join(src, 'data', 'migrations');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(outfile).mtimeMs >= newestSource(src);
  } catch {
    return false;
  }
}

let entry;
try {
  if (!bundleIsFresh()) {
    const { build } = await import('esbuild');
    mkdirSync(outDir, { recursive: true });
    // Written aside and renamed, so processes starting at the same moment never read a half-written bundle.
    const tmp = path.join(outDir, `cli.${process.pid}.${Date.now()}.mjs`);
    await build({
      entryPoints: [path.join(src, 'cli.ts')],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'silent',
    });
    renameSync(tmp, outfile);
  }
  entry = pathToFileURL(outfile).href;
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  entry = pathToFileURL(path.join(src, 'cli.ts')).href;
}
await import(entry);
