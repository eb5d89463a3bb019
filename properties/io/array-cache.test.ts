// The disk cache of derived arrays: a round trip is bit-exact; a damaged, truncated or mismatched
// file reads as absent (the array is then recomputed), never as wrong numbers; 'off' disables it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentKey, readCachedArray, writeCachedArray } from '../../src/io/array-cache.ts';

describe('array cache', () => {
  const env = { ONESTEP_CACHE_DIR: mkdtempSync(join(tmpdir(), 'onestep-cache-')) };
  const data = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e-3 + (i === 7 ? -0 : 0));

  it('round-trips bit for bit and refuses anything else', () => {
    writeCachedArray('a', data, env);
    const back = readCachedArray('a', 1000, env);
    expect(back && Array.from(back)).toEqual(Array.from(data));
    expect(readCachedArray('a', 999, env)).toBeNull();
    expect(readCachedArray('missing', 1000, env)).toBeNull();
    const path = join(env.ONESTEP_CACHE_DIR, 'a.f64');
    const bytes = readFileSync(path);
    bytes[bytes.length - 3] ^= 0x10;
    writeFileSync(path, bytes);
    expect(readCachedArray('a', 1000, env)).toBeNull();
    writeFileSync(path, bytes.subarray(0, 100));
    expect(readCachedArray('a', 1000, env)).toBeNull();
    writeCachedArray('b', data, { ONESTEP_CACHE_DIR: 'off' });
    expect(readCachedArray('b', 1000, { ONESTEP_CACHE_DIR: 'off' })).toBeNull();
    expect(contentKey(new Uint8Array([1, 2]))).not.toBe(contentKey(new Uint8Array([1, 3])));
  });
});
