#!/usr/bin/env node
// Entry point of `npx onestep`. It runs the built JavaScript in dist/ (made by `npm run build`,
// which npm's prepare step runs at `npm install` and `npm ci`, and shipped in the package), which
// starts in a fraction of a second. It falls back to the TypeScript sources through tsx (no build
// step, but ~1–2 s spent compiling at each launch) when there is no build, or, in a git checkout,
// when a source file is newer than the build: a checkout being edited must never run stale
// JavaScript. (An installed package is not checked: npm gives its files the time of extraction,
// in no particular order.) ONESTEP_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A closed pipe (onestep … | head) is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');

/** Whether dist/ holds a build, in a checkout one at least as new as every .ts file under src/ and theorems/ (a few ms). */
function buildIsCurrent() {
  if (process.env.ONESTEP_FROM_SOURCE || !existsSync(built)) return false;
  if (!existsSync(join(root, '.git'))) return true;
  const builtAt = statSync(built).mtimeMs;
  for (const dir of ['src', 'theorems']) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const f of readdirSync(base, { recursive: true })) {
      if (String(f).endsWith('.ts') && statSync(join(base, String(f))).mtimeMs > builtAt) return false;
    }
  }
  return true;
}

let main;
if (buildIsCurrent()) {
  ({ main } = await import(pathToFileURL(built).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
