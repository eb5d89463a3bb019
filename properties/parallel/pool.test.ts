// The worker pool: results come back in submission order whatever order they finish in, every
// result is reported once, values cross threads exactly (NaN, −0, typed arrays), and a failing
// task fails the call with its own message instead of hanging or returning a hole.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool, defaultJobs, jobsEnvError } from '../../src/parallel/pool.ts';

const pool = createPool(2, new URL('./echo-worker.ts', import.meta.url));
afterAll(() => pool.close());

describe('worker pool', () => {
  it('returns results in submission order, each reported once, however long each task takes', () => {
    // Early tasks are slow, later ones fast: they finish out of order on two workers.
    const tasks = Array.from({ length: 12 }, (_, i) => ({ kind: 'square', args: { x: i, spin: (12 - i) * 200_000 } }));
    const heard: number[] = [];
    const out = pool.map<{ x: number; square: number }>(tasks, (i, r) => {
      expect(r.x).toBe(i);
      heard.push(i);
    });
    expect(out.map((r) => r.square)).toEqual(tasks.map((_, i) => i * i));
    expect([...heard].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i));
  });

  it('with a local runner the calling thread takes tasks too, and the results are the same', () => {
    // Tasks of a few milliseconds, the same work here as on a worker, so that both take some.
    const tasks = Array.from({ length: 10 }, (_, i) => ({ kind: 'square', args: { x: i, spin: 2_000_000 } }));
    let here = 0;
    const out = pool.map<{ x: number; square: number }>(tasks, undefined, (t) => {
      here++;
      const { x, spin } = t.args as { x: number; spin: number };
      let s = 0;
      for (let i = 0; i < spin; i++) s += Math.sqrt(i);
      return { x, square: x * x, spun: s >= 0 } as { x: number; square: number };
    });
    expect(out.map((r) => r.square)).toEqual(tasks.map((_, i) => i * i));
    expect(here).toBeGreaterThan(0);
    expect(here).toBeLessThan(tasks.length); // the workers took their share
  });

  it('with a local runner the caller takes back what a worker has not begun: a starting worker holds nothing up', () => {
    const p = createPool(2, new URL('./slow-worker.ts', import.meta.url));
    try {
      const tasks = Array.from({ length: 6 }, (_, i) => ({ kind: 'square', args: { x: i, spin: 10 } }));
      let here = 0;
      const t0 = Date.now();
      const out = p.map<{ square: number }>(tasks, undefined, (t) => {
        here++;
        const { x } = t.args as { x: number };
        return { square: x * x };
      });
      expect(out.map((r) => r.square)).toEqual(tasks.map((_, i) => i * i));
      expect(here).toBe(tasks.length); // every task, including those queued to the two workers
      expect(Date.now() - t0).toBeLessThan(2000); // without waiting for them to start (3 s)
    } finally {
      p.close();
    }
  });

  it('carries values exactly: NaN, −0, ±Infinity and typed arrays survive the crossing', () => {
    const [a] = pool.map<Float64Array>([{ kind: 'bytes', args: null }]);
    expect(a).toBeInstanceOf(Float64Array);
    expect(Number.isNaN(a[0])).toBe(true);
    expect(Object.is(a[1], -0)).toBe(true);
    expect(a[2]).toBe(Infinity);
    expect(a[3]).toBe(1 / 3);
  });

  it('a failing task fails the call with its message (and the pool is then closed)', () => {
    const p = createPool(2, new URL('./echo-worker.ts', import.meta.url));
    expect(() => p.map([{ kind: 'square', args: { x: 1, spin: 10 } }, { kind: 'fail', args: 7 }])).toThrow('task failed on purpose (7)');
    expect(() => p.map([{ kind: 'square', args: { x: 1, spin: 10 } }])).toThrow(/closed/);
  });

  it('a worker whose thread ends mid-task fails the call within seconds instead of hanging it', () => {
    const p = createPool(2, new URL('./echo-worker.ts', import.meta.url));
    const t0 = Date.now();
    expect(() => p.map([{ kind: 'square', args: { x: 1, spin: 10 } }, { kind: 'exit', args: null }, { kind: 'square', args: { x: 2, spin: 10 } }])).toThrow(/worker thread ended/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(() => p.map([{ kind: 'square', args: { x: 1, spin: 10 } }])).toThrow(/closed/);
  });

  it('a module that cannot load fails each task with the loader’s message', () => {
    const p = createPool(1, new URL('./no-such-worker.ts', import.meta.url));
    expect(() => p.map([{ kind: 'square', args: { x: 1, spin: 1 } }])).toThrow(/no-such-worker|Cannot find/);
  });

  it('workers start whatever flags the parent runs with (an --input-type=module parent once hung them)', () => {
    const pool = new URL('../../src/parallel/pool.ts', import.meta.url).href;
    const worker = new URL('./echo-worker.ts', import.meta.url).href;
    const code = `const { createPool } = await import(${JSON.stringify(pool)}); const p = createPool(1, new URL(${JSON.stringify(worker)})); console.log(p.map([{ kind: 'square', args: { x: 3, spin: 1 } }])[0].square); p.close();`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout.trim()).toBe('9');
  });

  it('ONESTEP_JOBS sets the default and a bad value is named', () => {
    const saved = process.env.ONESTEP_JOBS;
    try {
      process.env.ONESTEP_JOBS = '3';
      expect(defaultJobs()).toBe(3);
      expect(jobsEnvError()).toBeNull();
      process.env.ONESTEP_JOBS = 'many';
      expect(jobsEnvError()).toMatch(/ONESTEP_JOBS: 'many' is not allowed/);
    } finally {
      if (saved === undefined) delete process.env.ONESTEP_JOBS;
      else process.env.ONESTEP_JOBS = saved;
    }
  });
});
