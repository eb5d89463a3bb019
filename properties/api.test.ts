// The package's public entry points: package.json "exports" map 'onestep' and 'onestep/vitest'
// to the build of src/api (JavaScript and declarations), and the sources behind them exist and
// export what the README promises. (examples/ imports them by name; vitest.config.ts and
// tsconfig.json resolve that name to these sources.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/api/index.ts';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('public API', () => {
  it('exports point at the build of src/api, with declarations', () => {
    for (const [name, source] of [['.', 'src/api/index.ts'], ['./vitest', 'src/api/vitest.ts']]) {
      const entry = pkg.exports[name];
      const built = `./dist/${source.replace(/\.ts$/, '.js')}`;
      expect(entry).toEqual({ types: built.replace(/\.js$/, '.d.ts'), default: built });
      expect(existsSync(join(ROOT, source))).toBe(true);
    }
    // The build compiles src/ (tsconfig.build.json), and npm's prepare step runs it.
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')).include).toContain('src');
  });

  it('holds what a user needs: trials, checks, theorems, arbitraries, surrogates', () => {
    for (const name of ['trial', 'runTrial', 'check', 'runCheck', 'THEOREMS', 'theoremById', 'configArbitrary', 'defineSurrogate', 'registerSurrogate', 'parseSurrogate', 'DEFAULT_CONFIG', 'junitXml', 'exitCodeOf']) {
      expect(typeof (api as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });

  it('refuses a second surrogate with a word already taken', () => {
    expect(() => api.registerSurrogate({ ...api.SURROGATES[0] })).toThrow(/a word no other surrogate uses/);
    expect(() => api.registerSurrogate({ ...api.SURROGATES[0], word: 'Bad Word' })).toThrow(/lower-case/);
  });
});
