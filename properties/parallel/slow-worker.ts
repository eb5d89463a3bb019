// The pool's own test task module, slow to start: a worker that loads it cannot begin a task for
// three seconds, as a worker still starting (or busy elsewhere) cannot.
await new Promise((resolve) => setTimeout(resolve, 3000));
export { runTask } from './echo-worker.ts';
