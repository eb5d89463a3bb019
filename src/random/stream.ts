// Seeded, splittable random streams.
//
// A stream is identified by a key (four 32-bit words). `child(label)` derives a new key by
// hashing the parent key with the label, without consuming the parent's state, so the
// numbers a role sees depend only on (seed, path of labels) and never on which other
// roles were used or in what order. That is what lets the network and every surrogate see
// the same F, w, F̂ and data, and lets any trial replay bit for bit from its seed.
//
// Generator: xoshiro128** (32-bit words via Math.imul, so no BigInt on the hot path);
// doubles take 53 random bits from two outputs; Gaussians by Box–Muller, both values used.

export type StreamKey = readonly [number, number, number, number];

/** 32-bit finaliser of MurmurHash3: a bijection that mixes every input bit into every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashKey(key: StreamKey, label: string): StreamKey {
  let a = key[0] ^ 0x9e3779b9;
  let b = key[1] ^ 0x243f6a88;
  let c = key[2] ^ 0xb7e15162;
  let d = key[3] ^ 0x85a308d3;
  for (let i = 0; i < label.length; i++) {
    const ch = label.charCodeAt(i);
    a = fmix32(a ^ ch ^ Math.imul(d, 0x01000193));
    b = fmix32(b ^ a);
    c = fmix32(c ^ b);
    d = fmix32(d ^ c);
  }
  // Final avalanche so that labels differing in the last character still diverge fully.
  a = fmix32(a ^ (label.length + 1));
  b = fmix32(b ^ a);
  c = fmix32(c ^ b);
  d = fmix32(d ^ c);
  // xoshiro must not start from the all-zero state.
  if ((a | b | c | d) === 0) a = 1;
  return [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
}

/**
 * A fast fill of Box–Muller pairs that continues a stream exactly (same xoshiro128** bits, same
 * formulas; only log/sin/cos may differ in the last bit). The native backend has one
 * (native/kernels.cc); a stream is given it explicitly (rootStream, trialStreams) and passes it
 * to its children, so what a stream draws depends only on its seed and its kernel, never on
 * which modules were imported. With none, everything runs in JavaScript. With `rowPairs`, the
 * pairs are consecutive rows of that many, each made exactly as its own call would make it.
 */
export type GaussianPairsKernel = (state: Uint32Array, out: Float64Array, offset: number, pairs: number, scale: number, rowPairs?: number) => void;

// Below this many pairs a call's fixed cost outweighs the kernel: 8 pairs measured 11 ns a
// Gaussian through the kernel against 24.5 in JavaScript, 4 pairs 31 against 25. 256 before this
// was measured, which left every row of d < 512 in JavaScript at 24 ns a Gaussian. The cut-off
// is fixed, so a run with a given kernel still replays bit for bit.
const KERNEL_MIN_PAIRS = 8;
const stateScratch = new Uint32Array(4);

const TWO_POW_M32 = 2 ** -32;
const TWO_POW_M53 = 2 ** -53;
const TWO_PI = 2 * Math.PI;

export class Stream {
  readonly key: StreamKey;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(
    key: StreamKey,
    /** The kernel long Gaussian fills are handed to (null: JavaScript). */
    readonly pairsKernel: GaussianPairsKernel | null = null,
  ) {
    this.key = key;
    this.s0 = key[0] | 0;
    this.s1 = key[1] | 0;
    this.s2 = key[2] | 0;
    this.s3 = key[3] | 0;
  }

  /** An independent stream for a sub-role; does not advance this stream. */
  child(label: string): Stream {
    return new Stream(hashKey(this.key, label), this.pairsKernel);
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9);
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = (n3 << 11) | (n3 >>> 21);
    this.s0 = n0;
    this.s1 = n1;
    this.s2 = n2;
    this.s3 = n3;
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }

  /** Uniform double in (0, 1]: safe under log. */
  private uniformPositive(): number {
    return 1 - this.uniform();
  }

  /** One standard Gaussian (wasteful: use fillGaussian for arrays). */
  gaussian(): number {
    const r = Math.sqrt(-2 * Math.log(this.uniformPositive()));
    return r * Math.cos(TWO_PI * this.nextUint32() * TWO_POW_M32);
  }

  /** Fill out[offset .. offset+length) with independent standard Gaussians. */
  fillGaussian(out: Float64Array, offset = 0, length = out.length - offset, scale = 1): void {
    const end = offset + length;
    let i = offset;
    const pairs = length >> 1;
    const pairsKernel = this.pairsKernel;
    if (pairsKernel !== null && pairs >= KERNEL_MIN_PAIRS) {
      stateScratch[0] = this.s0;
      stateScratch[1] = this.s1;
      stateScratch[2] = this.s2;
      stateScratch[3] = this.s3;
      pairsKernel(stateScratch, out, offset, pairs, scale);
      this.s0 = stateScratch[0] | 0;
      this.s1 = stateScratch[1] | 0;
      this.s2 = stateScratch[2] | 0;
      this.s3 = stateScratch[3] | 0;
      i += 2 * pairs;
    }
    for (; i + 1 < end; i += 2) {
      const r = scale * Math.sqrt(-2 * Math.log(this.uniformPositive()));
      const t = TWO_PI * this.nextUint32() * TWO_POW_M32;
      out[i] = r * Math.cos(t);
      out[i + 1] = r * Math.sin(t);
    }
    if (i < end) out[i] = scale * this.gaussian();
  }

  /**
   * Fill `rows` consecutive rows of `length` Gaussians from out[offset]: the same numbers as
   * `fillGaussian` row after row, in one kernel call where the rows are long enough for the kernel.
   */
  fillGaussianRows(out: Float64Array, offset: number, rows: number, length: number, scale = 1): void {
    const pairsKernel = this.pairsKernel;
    const rowPairs = length >> 1;
    // Odd rows end in a JavaScript draw, and short rows are JavaScript throughout: row by row.
    if (pairsKernel === null || length % 2 !== 0 || rowPairs < KERNEL_MIN_PAIRS || rows < 2) {
      for (let r = 0; r < rows; r++) this.fillGaussian(out, offset + r * length, length, scale);
      return;
    }
    stateScratch[0] = this.s0;
    stateScratch[1] = this.s1;
    stateScratch[2] = this.s2;
    stateScratch[3] = this.s3;
    pairsKernel(stateScratch, out, offset, rows * rowPairs, scale, rowPairs);
    this.s0 = stateScratch[0] | 0;
    this.s1 = stateScratch[1] | 0;
    this.s2 = stateScratch[2] | 0;
    this.s3 = stateScratch[3] | 0;
  }

  /** A fresh array of standard Gaussians. */
  gaussians(length: number, scale = 1): Float64Array {
    const out = new Float64Array(length);
    this.fillGaussian(out, 0, length, scale);
    return out;
  }
}

/** The root stream of a run. Seeds are non-negative safe integers (up to 2^53 − 1). */
export function rootStream(seed: number, kernel: GaussianPairsKernel | null = null): Stream {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative integer below 2^53, got ${seed}`);
  }
  const lo = seed % 4294967296;
  const hi = Math.floor(seed / 4294967296);
  return new Stream(hashKey([lo >>> 0, hi >>> 0, 0x6f6e6573, 0x74657021], 'onestep'), kernel);
}

/** The roles that own a stream each within one trial. */
export const ROLES = ['structure', 'init', 'step', 'ridge', 'test', 'surrogate'] as const;
export type Role = (typeof ROLES)[number];

/** The per-role streams of one trial: one seed (and kernel) replays the trial exactly. */
export function trialStreams(seed: number, kernel: GaussianPairsKernel | null = null): Record<Role, Stream> {
  const root = rootStream(seed, kernel);
  return {
    structure: root.child('structure'),
    init: root.child('init'),
    step: root.child('step'),
    ridge: root.child('ridge'),
    test: root.child('test'),
    surrogate: root.child('surrogate'),
  };
}
