// The layers of src/ and theorems/, bottom to top; data flows one way (draw → step → fit → score
// → judge → report → CLI), so no module may import from a layer above its own. A new folder must
// be placed in LAYERS before it can be imported from.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/** Layer of each folder (relative to the repository root); equal numbers may import each other. */
const LAYERS: Record<string, number> = {
  'src/random': 0,
  'src/parallel': 0,
  'src/linalg': 1,
  'src/math': 2,
  'src/math/hermite': 2,
  'src/io': 2,
  'src/data': 3,
  'src/model': 4,
  'src/surrogates': 5,
  'src/oracles': 6,
  'src/experiment': 7,
  theorems: 8,
  'src/report': 9,
  'src/bench': 10,
  'src/cli': 10,
  'src/api': 10,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file: string): number | undefined {
  return LAYERS[relative(ROOT, dirname(file))];
}

describe('architecture', () => {
  const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'theorems'))];

  it('every source folder has a layer', () => {
    const missing = files.filter((f) => layerOf(f) === undefined).map((f) => relative(ROOT, f));
    expect(missing).toEqual([]);
  });

  it('no module imports from a layer above its own', () => {
    const upward: string[] = [];
    for (const file of files) {
      const own = layerOf(file)!;
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
        const target = resolve(dirname(file), m[1]);
        const theirs = layerOf(target);
        if (theirs !== undefined && theirs > own) upward.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
