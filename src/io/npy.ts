// NumPy .npy files (format versions 1–3), so any trial can be cross-checked against NumPy.
// We write little-endian float64 in C order; we read the common dtypes and convert to float64.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fromData, type Matrix } from '../linalg/matrix.ts';

export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function encodeNpy(shape: readonly number[], data: Float64Array): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new NpyError(`shape (${shape.join(', ')}) holds ${count} values, got ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Magic (6) + version (2) + header length (2) + header + '\n' must be a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * 8);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < data.length; i++) view.setFloat64(i * 8, data[i], true);
  return out;
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

function parseHeader(text: string): Header {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(`malformed .npy header: ${text.trim()}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const v = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) throw new NpyError(`bad dimension '${s}' in .npy shape`);
      return v;
    });
  return { descr, fortranOrder: fortran === 'True', shape };
}

type Reader = { size: number; read: (v: DataView, offset: number) => number };

function readerFor(descr: string): Reader {
  const little = descr[0] === '<' || descr[0] === '|' || descr[0] === '=';
  const big = descr[0] === '>';
  const code = descr.slice(1);
  if (!little && !big) throw new NpyError(`unsupported dtype '${descr}'`);
  const le = !big;
  switch (code) {
    case 'f8':
      return { size: 8, read: (v, o) => v.getFloat64(o, le) };
    case 'f4':
      return { size: 4, read: (v, o) => v.getFloat32(o, le) };
    case 'i8':
      return { size: 8, read: (v, o) => Number(v.getBigInt64(o, le)) };
    case 'i4':
      return { size: 4, read: (v, o) => v.getInt32(o, le) };
    case 'u1':
      return { size: 1, read: (v, o) => v.getUint8(o) };
    default:
      throw new NpyError(`unsupported dtype '${descr}' (float64, float32, int64, int32 or uint8)`);
  }
}

/** Fortran (column-major) order to C (row-major) order. */
function toCOrder(data: Float64Array, shape: number[]): Float64Array {
  if (shape.length < 2) return data;
  const out = new Float64Array(data.length);
  const strideF = shape.map((_, i) => shape.slice(0, i).reduce((a, b) => a * b, 1));
  const strideC = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const idx = new Array(shape.length).fill(0);
  for (let c = 0; c < data.length; c++) {
    let rem = c;
    for (let d = 0; d < shape.length; d++) {
      idx[d] = Math.floor(rem / strideC[d]);
      rem -= idx[d] * strideC[d];
    }
    let f = 0;
    for (let d = 0; d < shape.length; d++) f += idx[d] * strideF[d];
    out[c] = data[f];
  }
  return out;
}

export function decodeNpy(bytes: Uint8Array): { shape: number[]; data: Float64Array } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError('not a .npy file (bad magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    start = 12;
  } else {
    throw new NpyError(`unsupported .npy format version ${major}`);
  }
  if (start + headerLength > bytes.length) throw new NpyError('truncated .npy header');
  const header = parseHeader(new TextDecoder().decode(bytes.subarray(start, start + headerLength)));
  const count = header.shape.reduce((a, b) => a * b, 1);
  const reader = readerFor(header.descr);
  const offset = start + headerLength;
  const need = count * reader.size;
  if (bytes.length - offset < need) throw new NpyError(`truncated data: expected ${need} bytes, got ${bytes.length - offset}`);
  // More bytes than the header describes: the file is not what its header says it is.
  if (bytes.length - offset > need) throw new NpyError(`${bytes.length - offset - need} bytes beyond the ${need} its header's shape (${header.shape.join(', ')}) and dtype describe`);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = reader.read(view, offset + i * reader.size);
  return { shape: header.shape, data: header.fortranOrder ? toCOrder(data, header.shape) : data };
}

export function writeNpy(path: string, shape: readonly number[], data: Float64Array): void {
  writeFileSync(path, encodeNpy(shape, data));
}

/** The largest .npy file read (4 GiB: 500 million doubles). */
const MAX_NPY_BYTES = 4 * 1024 ** 3;

export function readNpy(path: string): { shape: number[]; data: Float64Array } {
  let bytes: Uint8Array;
  try {
    // A FIFO or a device would block or never end: only regular files are read, and none larger
    // than any array a trial here could hold.
    const stat = statSync(path);
    if (!stat.isFile()) throw new NpyError(`${path}: not a regular file`);
    if (stat.size > MAX_NPY_BYTES) throw new NpyError(`${path}: ${stat.size} bytes, more than the ${MAX_NPY_BYTES} an array may have`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof NpyError) throw e;
    throw new NpyError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return decodeNpy(bytes);
  } catch (e) {
    throw new NpyError(`${path}: ${(e as Error).message}`);
  }
}

/**
 * Arrays that feed arithmetic must be non-empty and finite: one NaN would otherwise flow into
 * the step and the ridge solve and come out as a finite-looking (and backend-dependent) error.
 * Refused naming the file and the first bad entry.
 */
function checkValues(path: string, shape: number[], data: Float64Array): void {
  if (data.length === 0) throw new NpyError(`${path}: empty array (shape (${shape.join(', ')})); every array needs at least one entry`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const at = shape.length === 2 ? `[${Math.floor(i / shape[1])}, ${i % shape[1]}]` : `[${i}]`;
      throw new NpyError(`${path}: entry ${at} is ${data[i]} (every value must be finite)`);
    }
  }
}

export function readMatrix(path: string): Matrix {
  const { shape, data } = readNpy(path);
  if (shape.length !== 2) throw new NpyError(`${path}: expected a 2-D array, got shape (${shape.join(', ')})`);
  checkValues(path, shape, data);
  return fromData(shape[0], shape[1], data);
}

export function readVector(path: string): Float64Array {
  const { shape, data } = readNpy(path);
  if (!(shape.length === 1 || (shape.length === 2 && (shape[0] === 1 || shape[1] === 1)))) {
    throw new NpyError(`${path}: expected a vector, got shape (${shape.join(', ')})`);
  }
  checkValues(path, [data.length], data);
  return data;
}
