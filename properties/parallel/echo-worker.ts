// A task module for the pool's own tests: tasks that take different times, one that fails, and
// one that ends its thread.
export function runTask(kind: string, args: unknown): unknown {
  if (kind === 'square') {
    const { x, spin } = args as { x: number; spin: number };
    let s = 0;
    for (let i = 0; i < spin; i++) s += Math.sqrt(i);
    return { x, square: x * x, spun: s >= 0 };
  }
  if (kind === 'fail') throw new Error(`task failed on purpose (${String(args)})`);
  // The worker's thread ends mid-task, as an out-of-memory worker's does: no answer ever comes.
  if (kind === 'exit') process.exit(3);
  if (kind === 'bytes') return new Float64Array([Number.NaN, -0, Infinity, 1 / 3]);
  throw new Error(`unknown kind ${kind}`);
}
