// Build the native kernels (native/kernels.cc) with node-gyp if this machine can; never fail the
// install. Run by `npm install` (the "install" script) and by `npm run build:native`. Without a
// C++ toolchain, or with ONESTEP_NO_NATIVE=1, onestep uses its TypeScript reference backend.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const addon = join(here, 'build', 'Release', 'onestep_kernels.node');
const say = (line) => process.stderr.write(`onestep native: ${line}\n`);

function nodeGyp() {
  // npm tells its scripts where its own node-gyp is; otherwise look beside npm itself.
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

function main() {
  if (process.env.ONESTEP_NO_NATIVE) return say('skipped (ONESTEP_NO_NATIVE is set); using the reference backend');
  const gyp = nodeGyp();
  if (!gyp) return say('node-gyp not found; using the reference backend');
  const r = spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    // The compiler's own first error says more than node-gyp's closing lines.
    const lines = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n');
    const first = lines.find((l) => /error/i.test(l) && !l.startsWith('gyp ERR!')) ?? lines.find((l) => l.startsWith('gyp ERR! stack')) ?? lines.at(-1);
    return say(`build failed (exit ${r.status}); using the reference backend. ${first?.trim() ?? ''}\n  (full log: cd native && node-gyp rebuild)`);
  }
  // A library the addon needs may still be missing at load time: check before claiming success.
  const check = spawnSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(addon)}).simd())`], { encoding: 'utf8' });
  if (check.status !== 0) return say(`built but does not load; using the reference backend: ${check.stderr.trim().split('\n')[0]}`);
  say(`built (${check.stdout.trim()}): ${addon}`);
}

main();
