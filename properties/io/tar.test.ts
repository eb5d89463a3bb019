// The ustar reader on archives written by the test's own writer (properties/fixtures/ustar.ts):
// regular files come back byte for byte under their names without 'package/', other entries are
// passed over, and names that climb out, broken checksums and cut archives are refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTar, safeTarName, TarError } from '../../src/io/tar.ts';
import { ustar } from '../fixtures/ustar.ts';

describe('tar reader', () => {
  it('returns the regular files, whole, under their names without package/', () => {
    const big = new Uint8Array(1300).map((_, i) => (i * 7) % 256);
    const archive = ustar([
      { name: 'package/', type: '5' },
      { name: 'package/package.json', data: '{"name":"x"}' },
      { name: 'package/src/clothes/0.json', data: big },
      { name: 'package/empty.txt', data: '' },
      { name: 'package/exactly-512', data: new Uint8Array(512).fill(9) },
      { name: 'package/link', type: '2' },
      { name: 'package/deep/er/file.json', data: 'prefixed', usePrefix: true },
      { name: 'outside-package.txt', data: 'kept as is' },
    ]);
    const files = readTar(archive);
    expect(files.map((f) => f.name)).toEqual(['package.json', 'src/clothes/0.json', 'empty.txt', 'exactly-512', 'deep/er/file.json', 'outside-package.txt']);
    expect(Buffer.from(files[0].data).toString()).toBe('{"name":"x"}');
    expect(Array.from(files[1].data)).toEqual(Array.from(big));
    expect(files[2].data.length).toBe(0);
    expect(files[3].data.every((b) => b === 9) && files[3].data.length === 512).toBe(true);
    expect(Buffer.from(files[4].data).toString()).toBe('prefixed');
    // The filter keeps only what is asked for.
    expect(readTar(archive, (n) => n.startsWith('src/')).map((f) => f.name)).toEqual(['src/clothes/0.json']);
  });

  it('keeps any file contents exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 1500 }), { minLength: 1, maxLength: 5 }), (datas) => {
        const files = readTar(ustar(datas.map((data, i) => ({ name: `package/f${i}`, data }))));
        expect(files.map((f) => Array.from(f.data))).toEqual(datas.map((d) => Array.from(d)));
      }),
      { numRuns: 30 },
    );
  });

  it('refuses entries that would land outside their directory', () => {
    for (const name of ['package/../evil.json', '../evil', '/etc/passwd', 'package/src/../../x', 'C:/x']) {
      expect(() => readTar(ustar([{ name: 'package/ok', data: 'fine' }, { name, data: 'bad' }])), name).toThrow(/would be written outside/);
    }
    // Through the prefix field too.
    expect(() => readTar(ustar([{ name: '../up/file', data: 'x', usePrefix: true }]))).toThrow(TarError);
    expect(safeTarName('package/src/clothes/0.json')).toBe(true);
    expect(safeTarName('package/..x/y')).toBe(true);
    expect(safeTarName('a/../b')).toBe(false);
  });

  it('refuses a damaged header and a cut archive', () => {
    const archive = ustar([{ name: 'package/a', data: 'hello' }, { name: 'package/b', data: new Uint8Array(2000) }]);
    const flipped = Buffer.from(archive);
    flipped[10] ^= 1; // a byte of the first name: the checksum no longer matches
    expect(() => readTar(flipped)).toThrow(/fails its checksum/);
    // Cut in the second file's data, and in its header.
    expect(() => readTar(archive.subarray(0, 1024 + 512 + 1000))).toThrow(/truncated archive: 'package\/b' needs 2000 bytes/);
    expect(() => readTar(archive.subarray(0, 1024 + 100))).toThrow(/truncated archive/);
    // Not a tar at all.
    expect(() => readTar(Buffer.from('x'.repeat(1024)))).toThrow(TarError);
  });
});
