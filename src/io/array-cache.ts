// A disk cache for derived float64 arrays that are slow to make and cheap to keep (a Fashion-MNIST
// class's 784 × 784 eigendecomposition: about 5 s to compute, 5 MB to store). Everything in it is
// recomputable, so a file that is missing, short, damaged or made for other inputs is ignored (and
// rewritten), never an error. Files live in .onestep-cache/ under the current directory
// (gitignored here; an installed onestep's own directory may be read-only or pruned by npm), or in
// ONESTEP_CACHE_DIR; ONESTEP_CACHE_DIR=off disables the cache. The Fashion-MNIST images fetched on
// first use share it (src/io/fashion-mnist.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = 'ONESTEP-F64-1\n';
const HEADER = MAGIC.length + 8 + 32;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const given = env.ONESTEP_CACHE_DIR;
  if (given === 'off') return null;
  return given || join(process.cwd(), '.onestep-cache');
}

/** A stable key for bytes (a content hash): the cache file is named after what it was made from. */
export function contentKey(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

function digest(data: Float64Array): Buffer {
  return createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest();
}

/** The cached array under `name`, if it is there, whole, and `length` long; else null. */
export function readCachedArray(name: string, length: number, env: NodeJS.ProcessEnv = process.env): Float64Array | null {
  const dir = cacheDir(env);
  if (!dir) return null;
  try {
    const buf = readFileSync(join(dir, `${name}.f64`));
    if (buf.length !== HEADER + 8 * length || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
    if (buf.readDoubleLE(MAGIC.length) !== length) return null;
    const data = new Float64Array(length);
    new Uint8Array(data.buffer).set(buf.subarray(HEADER));
    if (!digest(data).equals(buf.subarray(MAGIC.length + 8, HEADER))) return null;
    return data;
  } catch {
    return null;
  }
}

/** Keep `data` under `name` (written to a temporary file, then renamed: never half a file). */
export function writeCachedArray(name: string, data: Float64Array, env: NodeJS.ProcessEnv = process.env): void {
  const dir = cacheDir(env);
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    const head = Buffer.alloc(HEADER);
    head.write(MAGIC, 0, 'latin1');
    head.writeDoubleLE(data.length, MAGIC.length);
    digest(data).copy(head, MAGIC.length + 8);
    const path = join(dir, `${name}.f64`);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([head, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written costs time, not correctness.
  }
}
