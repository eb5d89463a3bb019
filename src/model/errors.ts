// Streaming error accumulators, so the test set can be scored block by block.

/** ½·mean squared error and the 0-1 error of sign(prediction) for ±1 labels. */
export class ErrorAccumulator {
  private count = 0;
  private sumSq = 0;
  private wrongSign = 0;

  add(y: Float64Array, prediction: Float64Array): void {
    for (let j = 0; j < y.length; j++) {
      const r = y[j] - prediction[j];
      this.sumSq += r * r;
      if ((prediction[j] >= 0 ? 1 : -1) !== y[j]) this.wrongSign++;
    }
    this.count += y.length;
  }

  /** ½·mean (y − ŷ)². */
  get halfMse(): number {
    return this.sumSq / (2 * this.count);
  }

  /** Share of sign mistakes (meaningful for ±1 labels only). */
  get zeroOne(): number {
    return this.wrongSign / this.count;
  }
}

/** Running mean and variance (Welford), for the baseline ½·Var(y). */
export class MomentAccumulator {
  private count = 0;
  private mean = 0;
  private m2 = 0;

  add(values: Float64Array): void {
    for (const v of values) {
      this.count++;
      const d = v - this.mean;
      this.mean += d / this.count;
      this.m2 += d * (v - this.mean);
    }
  }

  /** Population variance. */
  get variance(): number {
    return this.count > 0 ? this.m2 / this.count : NaN;
  }
}

/** Share of sign mistakes of a finished prediction (training set, ±1 labels). */
export function zeroOneError(y: Float64Array, prediction: Float64Array): number {
  let wrong = 0;
  for (let j = 0; j < y.length; j++) if ((prediction[j] >= 0 ? 1 : -1) !== y[j]) wrong++;
  return wrong / y.length;
}
