// A pool of worker threads that runs independent tasks (trials) in parallel and hands their
// results back *synchronously*, in submission order. Synchronous, so that the ladder engine, the
// theorems and the sweeps stay plain functions: the caller blocks in Atomics.wait while the
// workers compute, and collects each result with receiveMessageOnPort. A task is data (a kind and
// its arguments, structured-clonable); the worker module named at creation turns it into a
// result (`runTask(kind, args)`). Because a result is a function of its task alone, the results
// are the same whatever the number of workers. A worker that ends mid-task (out of memory, an
// exit) cannot say so while the caller blocks, so whenever a second passes with no result the
// caller looks for each busy worker's OS thread (Linux: /proc/self/task/<tid>); gone, the call
// fails instead of waiting for ever (once the other workers have run out of work, since until
// then results keep coming). A worker that dies before it reports its thread is not detected.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface Task {
  kind: string;
  args: unknown;
}

export interface TaskPool {
  /** Worker threads. */
  readonly workers: number;
  /**
   * Run every task; `onResult` is told of each result as it arrives (for checkpoints, progress).
   * With `local`, the calling thread runs tasks too whenever every worker has its next one queued,
   * so N workers and the caller make N + 1 at work, and no worker start-up is waited out idle.
   */
  map<R>(tasks: readonly Task[], onResult?: (index: number, result: R) => void, local?: (task: Task) => R): R[];
  close(): void;
}

/** Tasks run in turn in this thread, each result reported as it lands: what a pool does without workers. */
export function runInTurn<T, R>(tasks: readonly T[], run: (task: T) => R, onResult?: (index: number, result: R) => void): R[] {
  return tasks.map((t, i) => {
    const r = run(t);
    onResult?.(i, r);
    return r;
  });
}

/** Tasks queued per worker: the next one is already there when it finishes the current. */
const DEPTH = 2;

/** How long the caller blocks before it checks that the busy workers still exist. */
const LIVENESS_MS = 1000;

/** The default number of workers: the cores this process may use (ONESTEP_JOBS overrides). */
export function defaultJobs(): number {
  const env = process.env.ONESTEP_JOBS;
  if (env !== undefined && /^\d+$/.test(env) && Number(env) >= 1) return Number(env);
  return availableParallelism();
}

/** What is wrong with ONESTEP_JOBS (null: nothing), for the CLI to report as bad input. */
export function jobsEnvError(): string | null {
  const env = process.env.ONESTEP_JOBS;
  if (env === undefined || (/^\d+$/.test(env) && Number(env) >= 1 && Number(env) <= 256)) return null;
  return `ONESTEP_JOBS: '${env}' is not allowed (an integer in [1, 256])`;
}

// Runs inside each worker: load the task module (through tsx when it is TypeScript), then answer
// every task on the port, errors included, and bump the shared counter the caller waits on. An
// ES module given as a data: URL, so that no flag of the parent's (--input-type, a loader) can
// make it unreadable: a worker that cannot start would leave the caller waiting for ever.
const BOOTSTRAP = `
import { readlinkSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
const { port, counter, moduleUrl, tsxUrl, tids, index } = workerData;
const flag = new Int32Array(counter);
// This thread's OS id ("pid/task/tid"), for the caller's liveness check; 0 where there is no /proc.
try { Atomics.store(new Int32Array(tids), index, Number(readlinkSync('/proc/thread-self').split('/').pop()) || 0); } catch {}
const ready = (async () => {
  if (tsxUrl) (await import(tsxUrl)).register();
  return await import(moduleUrl);
})().catch((e) => e);
port.on('message', async ({ id, kind, args, claims, slot }) => {
  try {
    const mod = await ready;
    if (mod instanceof Error) throw mod;
    // The caller may have taken this task back while it waited here (claim 0 → 1 is ours).
    if (Atomics.compareExchange(claims, slot, 0, 1) !== 0) {
      port.postMessage({ id, skipped: true });
      return;
    }
    port.postMessage({ id, result: await mod.runTask(kind, args) });
  } catch (e) {
    port.postMessage({ id, error: (e && e.message) || String(e) });
  } finally {
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
});
`;
const BOOTSTRAP_URL = new URL(`data:text/javascript,${encodeURIComponent(BOOTSTRAP)}`);

/** The ES module of tsx's register API (its package's own export map: require would give the CommonJS one). */
function tsxApiUrl(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default;
  return pathToFileURL(join(dirname(manifest), exported)).href;
}

/**
 * Start `workerCount` workers running `moduleUrl` (a .js module, or a .ts one loaded through tsx, as in a
 * checkout or under the test runner). The workers are unreferenced: they never keep the process
 * alive, and close() ends them.
 */
export function createPool(workerCount: number, moduleUrl: URL): TaskPool {
  const counter = new SharedArrayBuffer(4);
  const flag = new Int32Array(counter);
  const tidBuffer = new SharedArrayBuffer(4 * Math.max(1, workerCount));
  const tids = new Int32Array(tidBuffer);
  const tsxUrl = moduleUrl.pathname.endsWith('.ts') ? tsxApiUrl() : null;
  const workers: { worker: Worker; port: MessagePort; queued: number; index: number }[] = [];
  for (let w = 0; w < workerCount; w++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(BOOTSTRAP_URL, { workerData: { port: port2, counter, moduleUrl: moduleUrl.href, tsxUrl, tids: tidBuffer, index: w }, transferList: [port2] });
    worker.unref();
    // An error outside a task (a crash while loading) surfaces as that task's error message.
    worker.on('error', () => undefined);
    workers.push({ worker, port: port1, queued: 0, index: w });
  }
  let closed = false;
  let nextId = 0;

  return {
    workers: workerCount,
    map<R>(tasks: readonly Task[], onResult?: (index: number, result: R) => void, local?: (task: Task) => R): R[] {
      if (closed) throw new Error('the worker pool is closed');
      const results = new Array<R>(tasks.length);
      const ids = new Map<number, number>();
      let next = 0;
      let done = 0;
      let lost: (typeof workers)[number] | undefined;
      const land = (index: number, result: R): void => {
        results[index] = result;
        done++;
        onResult?.(index, result);
      };
      // Who runs each task: whoever claims its slot first (0 → 1 a worker, 0 → 2 this thread), so
      // that with a local runner this thread can take back a queued task no worker has begun —
      // a worker still starting must not hold the batch up while this thread idles.
      const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, tasks.length)));
      const fill = (): void => {
        for (const w of workers) {
          while (w.queued < DEPTH && next < tasks.length) {
            const id = nextId++;
            ids.set(id, next);
            w.queued++;
            w.port.postMessage({ id, kind: tasks[next].kind, args: tasks[next].args, claims, slot: next });
            next++;
          }
        }
      };
      const runHere = (index: number): void => {
        let result: R;
        try {
          result = (local as (task: Task) => R)(tasks[index]);
        } catch (e) {
          // The workers' queued results would land in the next call: end the pool instead.
          this.close();
          throw e;
        }
        land(index, result);
      };
      fill();
      while (done < tasks.length) {
        const seen = Atomics.load(flag, 0);
        let got = false;
        for (const w of workers) {
          let m: { id: number; result?: R; error?: string; skipped?: boolean } | undefined;
          while (w.queued > 0 && (m = receiveMessageOnPort(w.port)?.message as typeof m) !== undefined) {
            got = true;
            w.queued--;
            const index = ids.get(m.id);
            if (index === undefined || m.skipped) continue;
            if (m.error !== undefined) {
              this.close();
              throw new Error(m.error);
            }
            land(index, m.result as R);
          }
        }
        // A worker whose thread has ended, with tasks still unanswered once its port is drained.
        if (lost && lost.queued > 0) {
          this.close();
          throw new Error('a worker thread ended in the middle of a task (out of memory, or it exited): run with fewer --jobs or a smaller n');
        }
        lost = undefined;
        fill();
        if (got) continue;
        // Every worker has its next task queued: the caller takes one itself — the next unsent, or
        // else a queued one no worker has begun — or waits until some worker bumps the counter
        // (it may already have: then no wait).
        let taken = -1;
        if (local && next < tasks.length) {
          taken = next++;
          claims[taken] = 2; // unsent: no worker can see it
        } else if (local) {
          for (let i = 0; i < next && taken < 0; i++) if (Atomics.compareExchange(claims, i, 0, 2) === 0) taken = i;
        }
        if (taken >= 0) runHere(taken);
        else if (done < tasks.length && Atomics.wait(flag, 0, seen, LIVENESS_MS) === 'timed-out') {
          lost = workers.find((w) => {
            const tid = Atomics.load(tids, w.index);
            return w.queued > 0 && tid > 0 && !existsSync(`/proc/self/task/${tid}`);
          });
        }
      }
      return results;
    },
    close(): void {
      if (closed) return;
      closed = true;
      for (const w of workers) {
        w.port.close();
        void w.worker.terminate();
      }
    },
  };
}
