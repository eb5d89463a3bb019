// What a worker thread of the pool (src/parallel/pool.ts) runs: one task, as data in and data
// out. 'trial': one trial of `onestep trial` or of a figure's sweep; 'cui-trial': one trial of Cui
// et al.'s protocol (the srf-alpha figure); 'claim-trial': one trial of a claim's ladder, whose spec is rebuilt here once per claim from its `remote` description.
import type { LadderSpec, RemoteSpec } from '../experiment/engine.ts';
import type { CuiTrialTask } from '../experiment/cui-protocol.ts';
import { runTrialTask, type TrialTask } from '../experiment/trial-task.ts';

export interface ClaimTrialTask {
  spec: RemoteSpec;
  n: number;
  seed: number;
}

const specs = new Map<string, LadderSpec<unknown>>();

export async function runTask(kind: string, args: unknown): Promise<unknown> {
  if (kind === 'trial') return runTrialTask(args as TrialTask);
  if (kind === 'cui-trial') {
    // Loaded on the first such task: a sweep's or a check's workers start without it.
    const { runCuiTrialTask } = await import('../experiment/cui-protocol.ts');
    return runCuiTrialTask(args as CuiTrialTask);
  }
  if (kind === 'claim-trial') {
    const { spec, n, seed } = args as ClaimTrialTask;
    const key = JSON.stringify(spec);
    // The theorems load on the first claim's trial only: a sweep's workers start without them.
    if (!specs.has(key)) specs.set(key, (await import('../../theorems/remote.ts')).ladderSpecOf(spec));
    return specs.get(key)!.measure(n, seed);
  }
  throw new Error(`unknown task kind '${kind}'`);
}
