// How a worker thread rebuilds a claim's ladder spec from the spec's `remote` description (a
// kind and plain data), so that the claim's trials can run in parallel (src/parallel/pool.ts).
import type { LadderSpec, RemoteSpec } from '../src/experiment/engine.ts';
import { type SurrogateClaimKey, surrogateClaimSpec } from '../src/experiment/verdict.ts';
import type { ExperimentConfig } from '../src/data/config.ts';
import { theoremById } from './index.ts';

export function ladderSpecOf(remote: RemoteSpec): LadderSpec<unknown> {
  if (remote.kind === 'surrogate-claim') return surrogateClaimSpec(remote.args as SurrogateClaimKey) as LadderSpec<unknown>;
  if (remote.kind === 'theorem') {
    const { theorem, config, variant } = remote.args as { theorem: string; config: ExperimentConfig; variant?: string };
    const t = theoremById(theorem);
    if (!t?.ladder) throw new Error(`theorem '${theorem}' has no ladder spec to rebuild in a worker`);
    return t.ladder(config, variant);
  }
  throw new Error(`unknown remote spec kind '${remote.kind}'`);
}
