// The Fashion-MNIST images for a command that uses them: fetched on first use (src/io/
// fashion-mnist-fetch.ts) with a progress line on stderr, before any simulation starts, so a
// network failure is one line and exit 2 rather than a failure half-way through a run.
import { fashionMnistAvailable, offline } from '../io/fashion-mnist.ts';
import { ensureFashionMnist } from '../io/fashion-mnist-fetch.ts';
import { progress } from './args.ts';

function log(line: string, final = false): void {
  if (!final) return progress(line);
  progress('');
  if (process.env.ONESTEP_PROGRESS !== '0') process.stderr.write(`${line}\n`);
}

/**
 * Make the classes loadable. `required`: the user asked for images (--data fashion-mnist, a
 * figure on images): a failure is bad input. Otherwise (claims pinned on images inside a larger
 * run) ONESTEP_OFFLINE=1 means "skip them": returns whether the images are there.
 */
export async function prepareImages(classes: readonly number[] | undefined, required: boolean): Promise<boolean> {
  if (!required && offline()) return fashionMnistAvailable();
  try {
    await ensureFashionMnist({ classes, log });
  } finally {
    progress('');
  }
  return true;
}
