// Dense row-major float64 matrices: the one data type the numeric pipeline passes around.

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: entry (i, j) is data[i * cols + j]. */
  readonly data: Float64Array;
}

// Storage handed back by `recycle`, for the next `zeros` of the same length. A fresh array of
// megabytes is paid for on first touch, one page fault per 4 KB (about 2 µs each on the
// development VM: 16–23 ms for 40 MB, against 2.5 ms to zero it again), and a trial at
// n = 1000 allocates over 200 MB of short-lived arrays. Only arrays of at least 2 MB are kept,
// at most POOL_LIMIT_BYTES in all (per thread: each worker has its own module instance), the
// lengths handed back longest ago dropped first.
const POOL_MIN_LENGTH = 1 << 18;
export const POOL_LIMIT_BYTES = 256 * 2 ** 20;
const pool = new Map<number, Float64Array[]>();
let pooledBytes = 0;

function takeRecycled(length: number): Float64Array | undefined {
  const reused = length >= POOL_MIN_LENGTH ? pool.get(length)?.pop() : undefined;
  if (reused !== undefined) pooledBytes -= reused.byteLength;
  return reused;
}

/** A rows×cols matrix of zeros, on recycled storage where some of that length is free. */
export function zeros(rows: number, cols: number): Matrix {
  const reused = takeRecycled(rows * cols);
  if (reused === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  reused.fill(0);
  return { rows, cols, data: reused };
}

/**
 * A rows×cols matrix whose every entry the caller is about to write (a product, a Gaussian
 * fill, a copy): recycled storage is handed over as it is, with whatever it held, which saves
 * zeroing it (2.5 ms per 40 MB) where the writer would only overwrite the zeros.
 */
export function matrixToOverwrite(rows: number, cols: number): Matrix {
  return { rows, cols, data: takeRecycled(rows * cols) ?? new Float64Array(rows * cols) };
}

/**
 * Give the storage of matrices nobody will read again to later `zeros` calls. Only the caller
 * can know that no reference remains: a recycled array is overwritten by whoever gets it next.
 * Views into a larger buffer and small arrays are left to the garbage collector.
 */
export function recycle(...matrices: Matrix[]): void {
  for (const { data } of matrices) {
    if (data.length < POOL_MIN_LENGTH || data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) continue;
    if (data.byteLength > POOL_LIMIT_BYTES) continue;
    if (pool.get(data.length)?.includes(data)) continue; // handed back twice (a map that returned its input)
    // When the pool is full, the lengths not handed back longest make room (a ladder's earlier
    // rungs, a figure's earlier points); the length handed back now goes to the back of the order.
    while (pooledBytes + data.byteLength > POOL_LIMIT_BYTES) evictOldest();
    const list = pool.get(data.length) ?? [];
    pool.delete(data.length);
    pool.set(data.length, list);
    list.push(data);
    pooledBytes += data.byteLength;
  }
}

function evictOldest(): void {
  const [length, list] = pool.entries().next().value as [number, Float64Array[]];
  const dropped = list.pop();
  if (dropped) pooledBytes -= dropped.byteLength;
  if (list.length === 0) pool.delete(length);
}

export function fromData(rows: number, cols: number, data: Float64Array): Matrix {
  if (data.length !== rows * cols) {
    throw new RangeError(`matrix ${rows}x${cols} needs ${rows * cols} entries, got ${data.length}`);
  }
  return { rows, cols, data };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new RangeError('ragged rows');
    m.data.set(rows[i], i * c);
  }
  return m;
}

export function transpose(a: Matrix): Matrix {
  const t = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j];
  }
  return t;
}

export function row(a: Matrix, i: number): Float64Array {
  return a.data.subarray(i * a.cols, (i + 1) * a.cols);
}

export function dot(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < n; i++) s0 += x[i] * y[i];
  return s0 + s1 + s2 + s3;
}

export function norm2(x: Float64Array): number {
  return Math.sqrt(dot(x, x));
}
