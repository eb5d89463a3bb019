// What a surrogate is to the rest of onestep: a word on the command line with its options, and
// a feature map built from a stepped trial. Each surrogate module exports one SurrogateKind and
// the registry (./index.ts) lists them, so adding a surrogate is its module plus one line there.
import type { FeatureMap, TrialContext } from '../model/features.ts';

export interface SurrogateKind<Options = unknown> {
  /** The first word of its names, e.g. 'hermite' in 'hermite:3:nonoise'. */
  word: string;
  /** Its names as --help and errors show them. */
  syntax: string;
  /** The options the words after the first give, or null when they are not this surrogate's. */
  parse(rest: readonly string[]): Options | null;
  /** The feature map on one trial's draws (degreeCap: the cap for degrees chosen by a rule). */
  build(ctx: TrialContext, name: string, options: Options, degreeCap: number | null): FeatureMap;
}

/** A parsed surrogate name: what to build, under the name the user gave. */
export interface SurrogateSpec {
  name: string;
  kind: SurrogateKind;
  options: unknown;
}

export function defineSurrogate<Options>(kind: SurrogateKind<Options>): SurrogateKind {
  return kind as unknown as SurrogateKind;
}
