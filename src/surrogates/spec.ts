// Parsing surrogate names as given on the command line, e.g. "hermite:auto", "hermite:3",
// and the variants used as negative controls: "hermite:3:nonoise" (no h*_l z term) and
// "hermite:3:bscale=1.5" (the Hermite expansion taken at a wrong scale b).
import { ConfigError } from '../data/config.ts';

export type SurrogateSpec =
  | { kind: 'hermite'; name: string; degree: number | 'auto'; noNoise: boolean; bScale: number }
  | { kind: 'cget'; name: string }
  | { kind: 'get'; name: string };

/** Highest Hermite degree a surrogate may use (explicitly or through hermite:auto). */
export const MAX_HERMITE_DEGREE = 30;

const ALLOWED = `hermite:auto | hermite:D (D = 1..${MAX_HERMITE_DEGREE}) [:nonoise] [:bscale=X, X in [0.001, 1000]] | cget | get`;

export function parseSurrogate(text: string): SurrogateSpec {
  const name = text.trim();
  const parts = name.split(':');
  const fail = (): never => {
    throw new ConfigError('surrogates', name, ALLOWED);
  };
  if (parts[0] === 'cget' || parts[0] === 'get') {
    if (parts.length !== 1) fail();
    return { kind: parts[0], name };
  }
  if (parts[0] !== 'hermite' || parts.length < 2) fail();
  const deg = parts[1];
  let degree: number | 'auto' = 'auto';
  if (deg !== 'auto') {
    if (!/^\d+$/.test(deg)) fail();
    degree = Number(deg);
    if (degree < 1 || degree > MAX_HERMITE_DEGREE) fail();
  }
  let noNoise = false;
  let bScale = 1;
  for (const opt of parts.slice(2)) {
    if (opt === 'nonoise') noNoise = true;
    else if (opt.startsWith('bscale=')) {
      bScale = Number(opt.slice('bscale='.length));
      if (!(Number.isFinite(bScale) && bScale >= 1e-3 && bScale <= 1e3)) fail();
    } else fail();
  }
  return { kind: 'hermite', name, degree, noNoise, bScale };
}

export function parseSurrogateList(text: string): SurrogateSpec[] {
  if (text.trim() === '' || text.trim() === 'none') return [];
  const specs = text.split(',').map(parseSurrogate);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new ConfigError('surrogates', text, 'each surrogate at most once');
    seen.add(s.name);
  }
  return specs;
}
