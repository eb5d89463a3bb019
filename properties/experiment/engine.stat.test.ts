// The engine's error rates, measured on synthetic claims whose truth is known: gaps drawn
// from Gaussian, heavy-tailed (Student t₃) and skewed (centred log-normal) noise around
// g(n) = g∞ + c·n^−½, judged against the tolerance 5%·√(200/n) along the quick ladder, with
// trials added by the engine until it decides. Repeated looks are where a plain 95% interval
// would inflate false alarms; alpha spending is meant to keep them below 5%.
// - A true claim: the gap at the largest rung and its limit both inside the tolerance, the
//   hardest ones on the boundary. A false alarm is a 'disagree'.
// - A control: the gap at the largest rung and the limit both beyond twice the tolerance. Power
//   is the share answered 'disagree'.
import { describe, expect, it } from 'vitest';
import { type LadderSpec, runLadder } from '../../src/experiment/engine.ts';

function generator(seed: number): () => number {
  let a = (seed * 2654435761 + 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

const gauss = (u: () => number): number => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());

/** Unit-variance noise of three shapes. */
const NOISE: Record<string, (u: () => number) => number> = {
  gaussian: gauss,
  // t₃ has variance 3: divide by √3.
  't3 (heavy tails)': (u) => gauss(u) / Math.sqrt((gauss(u) ** 2 + gauss(u) ** 2 + gauss(u) ** 2) / 3) / Math.sqrt(3),
  // exp(Z) − e^{½} has variance (e − 1)e.
  'log-normal (skewed)': (u) => (Math.exp(gauss(u)) - Math.exp(0.5)) / Math.sqrt((Math.E - 1) * Math.E),
};

const LADDER = [100, 200, 400];
const tol = (n: number): number => 0.05 * Math.sqrt(200 / n);

function claim(gInf: number, c: number, sd: number, noise: (u: () => number) => number): LadderSpec<number> {
  return {
    quantities: ['gap'],
    rule: 'within',
    measure: (n, seed) => gInf + c / Math.sqrt(n) + sd * Math.sqrt(200 / n) * noise(generator(seed)),
    value: (t) => t,
    tolerance: tol,
    describeTolerance: 'synthetic',
  };
}

const RUNS = 150;

/** False alarms over true claims on Gaussian gaps, with or without alpha spending. */
function falseAlarmRate(spending: 'union' | 'none', runs: number): number {
  const u = generator(11);
  let alarms = 0;
  for (let r = 0; r < runs; r++) {
    const sd = 0.01 + 0.07 * u();
    const gInf = (r % 3 === 0 ? Math.sign(u() - 0.5) : 2 * u() - 1) * tol(400);
    const top = (2 * u() - 1) * tol(400);
    const d = runLadder(claim(gInf, (top - gInf) * Math.sqrt(400), sd, gauss), { ladder: LADDER, seed: 1000 * r + 3, budget: { seconds: Infinity, initialTrials: 4, maxTrials: 64, spending } });
    if (d.verdict === 'disagree') alarms++;
  }
  return alarms / runs;
}

describe('false alarms and power of the engine on synthetic claims (150 per noise shape)', () => {
  for (const [shape, noise] of Object.entries(NOISE)) {
    it(`${shape}: false alarms ≤ 5% on true claims, power ≥ 90% on controls beyond twice the tolerance`, () => {
      const u = generator(7);
      let falseAlarms = 0;
      let rejected = 0;
      const alarms: string[] = [];
      for (let r = 0; r < RUNS; r++) {
        const sd = 0.01 + 0.07 * u();
        // A true claim: the limit uniform in ±tol(400), a third of them on the boundary; the gap at
        // n = 400 inside too (c chosen so that g(400) stays within ±tol(400)).
        const edge = r % 3 === 0;
        const gInf = (edge ? Math.sign(u() - 0.5) : 2 * u() - 1) * tol(400);
        const top = (2 * u() - 1) * tol(400);
        const c = (top - gInf) * Math.sqrt(400);
        const seed = 1000 * r + 1;
        const truth = runLadder(claim(gInf, c, sd, noise), { ladder: LADDER, seed, budget: { seconds: Infinity, initialTrials: 4, maxTrials: 64 } });
        if (truth.verdict === 'disagree') {
          falseAlarms++;
          alarms.push(`g∞ ${gInf.toFixed(4)} c ${c.toFixed(3)} sd ${sd.toFixed(3)} seed ${seed}: ${truth.reasons[0]}`);
        }
        // A control: the limit and the gap at n = 400 both between 2 and 4 times tol(400), either sign.
        const sign = u() < 0.5 ? -1 : 1;
        const gInfC = sign * (2 + 2 * u()) * tol(400);
        const topC = sign * (2 + 2 * u()) * tol(400);
        const control = runLadder(claim(gInfC, (topC - gInfC) * Math.sqrt(400), sd, noise), { ladder: LADDER, seed: seed + 500, budget: { seconds: Infinity, initialTrials: 4, maxTrials: 64 } });
        if (control.verdict === 'disagree') rejected++;
      }
      console.log(`${shape}: false alarms ${falseAlarms}/${RUNS}, power ${rejected}/${RUNS}${alarms.length ? `\n  ${alarms.slice(0, 3).join('\n  ')}` : ''}`);
      expect(falseAlarms / RUNS, alarms.join('\n')).toBeLessThanOrEqual(0.05);
      expect(rejected / RUNS).toBeGreaterThanOrEqual(0.9);
    });
  }
});

describe('what alpha spending buys', () => {
  it('plain 95% intervals at every look raise the false alarms well above the spent intervals (the check can fail)', () => {
    const spent = falseAlarmRate('union', 300);
    const plain = falseAlarmRate('none', 300);
    console.log(`false alarms over 300 true claims: plain 95% at every look ${(100 * plain).toFixed(1)}%, alpha spending ${(100 * spent).toFixed(1)}%`);
    expect(spent).toBeLessThanOrEqual(0.05);
    expect(plain).toBeGreaterThan(2 * spent);
  });
});
