// The registry of surrogates, and names on the command line ("hermite:3,cget") to feature maps.
// Adding a surrogate: its module exports a SurrogateKind (./kind.ts), and one line below lists it.
import { ConfigError } from '../data/config.ts';
import type { FeatureMap, TrialContext } from '../model/features.ts';
import { conditionalGaussianSurrogate, unconditionalGaussianSurrogate } from './gaussian.ts';
import { hermiteSurrogate } from './hermite.ts';
import type { SurrogateKind, SurrogateSpec } from './kind.ts';
import { srfSurrogate } from './srf.ts';

export { MAX_HERMITE_DEGREE, resolveDegree } from './hermite.ts';
export { defineSurrogate, type SurrogateKind, type SurrogateSpec } from './kind.ts';

const REGISTRY: SurrogateKind[] = [hermiteSurrogate, conditionalGaussianSurrogate, unconditionalGaussianSurrogate, srfSurrogate];

/** The surrogates onestep knows: its own four, then any registered through the library API. */
export const SURROGATES: readonly SurrogateKind[] = REGISTRY;

/**
 * Add a surrogate defined outside onestep (its `SurrogateKind`, made with `defineSurrogate`), so
 * that its names parse wherever a surrogate is named: runTrial, runCheck, a Theorem's
 * `surrogate()`. Its first word must be new and a plain lower-case word.
 */
export function registerSurrogate(kind: SurrogateKind): void {
  if (!/^[a-z][a-z0-9-]*$/.test(kind.word)) throw new ConfigError('surrogates', kind.word, 'a surrogate word of lower-case letters, digits and dashes');
  if (REGISTRY.some((k) => k.word === kind.word)) throw new ConfigError('surrogates', kind.word, `a word no other surrogate uses (${REGISTRY.map((k) => k.word).join(', ')} are taken)`);
  REGISTRY.push(kind);
}

/** Every surrogate's names, as --help and errors show them. */
export function surrogateSyntax(): string {
  return SURROGATES.map((k) => k.syntax).join(' | ');
}

export function parseSurrogate(text: string): SurrogateSpec {
  const name = text.trim();
  const [word, ...rest] = name.split(':');
  const kind = SURROGATES.find((k) => k.word === word);
  const options = kind?.parse(rest) ?? null;
  if (!kind || options === null) throw new ConfigError('surrogates', name, surrogateSyntax());
  return { name, kind, options };
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

export function buildFeatureMap(spec: SurrogateSpec, ctx: TrialContext, degreeCap: number | null): FeatureMap {
  return spec.kind.build(ctx, spec.name, spec.options, degreeCap);
}
