// The gradient-spike lemma (docs/model.md §7): G = u vᵀ + Δ with u = μ₁w, v = X̃ᵀỹ/(m̃√k) and
// μ₁ = E σ'(bζ) at the bulk scale b = √(n/tr); ‖Δ‖_op/‖uvᵀ‖_op → 0 as n grows (α > 0).
// Δ is applied implicitly (Gx − u(vᵀx)), never formed.
import { dot } from '../linalg/matrix.ts';
import { matTVec, matVec, operatorNorm } from '../linalg/power-iteration.ts';
import { stepSetCorrelation } from '../model/network.ts';
import { gaussianMoments } from '../math/gaussian-moments.ts';
import type { TrialContext } from '../model/features.ts';
import type { Stream } from '../random/stream.ts';

export interface LemmaResult {
  /** ‖uvᵀ‖_op = ‖u‖‖v‖. */
  spike: number;
  /** ‖Δ‖_op by power iteration. */
  residual: number;
  ratio: number;
  /** Whether the power iteration converged (the residual is a lower bound otherwise). */
  converged: boolean;
  mu1: number;
}

export function gradientSpikeLemma(ctx: TrialContext, stream: Stream): LemmaResult {
  const { X } = ctx.stepSet;
  const k = ctx.G.rows;
  const n = ctx.G.cols;
  const mu1 = gaussianMoments(ctx.act, ctx.mixture.bulkScale, 0).psi;
  const scale = 1 / (X.rows * Math.sqrt(k));
  const v = stepSetCorrelation(ctx.stepSet).map((t) => t * scale);
  const u = ctx.w0.map((t) => t * mu1);
  const spike = Math.sqrt(dot(u, u) * dot(v, v));
  const residualNorm = operatorNorm(
    (x) => {
      const gx = matVec(ctx.G, x);
      const vx = dot(v, x);
      for (let i = 0; i < k; i++) gx[i] -= u[i] * vx;
      return gx;
    },
    (z) => {
      const gtz = matTVec(ctx.G, z);
      const uz = dot(u, z);
      for (let t = 0; t < n; t++) gtz[t] -= v[t] * uz;
      return gtz;
    },
    n,
    { stream, tolerance: 1e-4, maxIterations: 3000 },
  );
  return { spike, residual: residualNorm.value, ratio: residualNorm.value / spike, converged: residualNorm.converged, mu1 };
}
