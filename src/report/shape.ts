// The shape of JSON read back from disk (checkpoints, figure and report JSON): a tampered or
// partial file is refused with the path of its first bad field ('points[2].nn.gen.mean is
// 'abc', not a number'), never a TypeError deep in the renderer.

/** Returns what is wrong with `v` (found at `at`), or undefined when it fits. */
export type Shape = (v: unknown, at: string) => string | undefined;

function show(v: unknown): string {
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

const wrong = (v: unknown, at: string, want: string): string => `${at} is ${show(v)}, not ${want}`;

export const num: Shape = (v, at) => (typeof v === 'number' && Number.isFinite(v) ? undefined : wrong(v, at, 'a number'));
export const str: Shape = (v, at) => (typeof v === 'string' ? undefined : wrong(v, at, 'a string'));
export const oneOf =
  (...values: string[]): Shape =>
  (v, at) =>
    typeof v === 'string' && values.includes(v) ? undefined : wrong(v, at, `one of ${values.join(', ')}`);
/** JSON writes NaN and ±Infinity as null: a number or null. */
export const nullable =
  (s: Shape): Shape =>
  (v, at) =>
    v === null ? undefined : s(v, at);
export const optional =
  (s: Shape): Shape =>
  (v, at) =>
    v === undefined ? undefined : s(v, at);

export const list =
  (item: Shape): Shape =>
  (v, at) => {
    if (!Array.isArray(v)) return wrong(v, at, 'a list');
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i], `${at}[${i}]`);
      if (p) return p;
    }
    return undefined;
  };

/** A JSON object (not null, not a list). */
export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const field = (at: string, key: string): string => (at === '' ? key : `${at}.${key}`);

/** An object with (at least) these fields. */
export const obj =
  (fields: Record<string, Shape>): Shape =>
  (v, at) => {
    if (!isObject(v)) return wrong(v, at || 'the top level', 'an object');
    for (const [key, s] of Object.entries(fields)) {
      const p = s(v[key], field(at, key));
      if (p) return p;
    }
    return undefined;
  };

/** An object whose every value has this shape (e.g. surrogate name → errors). */
export const record =
  (item: Shape): Shape =>
  (v, at) => {
    if (!isObject(v)) return wrong(v, at || 'the top level', 'an object');
    for (const [key, value] of Object.entries(v)) {
      const p = item(value, field(at, key));
      if (p) return p;
    }
    return undefined;
  };

/** What is wrong with `value` as a whole, or undefined. */
export function shapeProblem(shape: Shape, value: unknown): string | undefined {
  return shape(value, '');
}

/** A mean with its standard error (null for one trial); a mean of null is a NaN written to JSON. */
export const estimate: Shape = obj({ mean: nullable(num), se: nullable(num) });
