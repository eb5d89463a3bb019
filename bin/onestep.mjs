#!/usr/bin/env node
// Entry point of `npx onestep`: load the TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';

// A closed pipe (onestep … | head) is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
