// A surrogate defined outside onestep, through its public API only: the network's activation
// replaced by its degree-3 Hermite expansion at the bulk scale b plus an independent Gaussian
// noise carrying the rest of σ's variance (the model of docs/model.md §4 at degree 3, written
// here from scratch: own polynomials, own coefficients by Gaussian quadrature).
//
//   σ̂(x) = Σ_{j≤3} c_j He_j(x/b) + s·z,  c_j = E[σ(b g) He_j(g)] / j!,  s² = E[σ(b g)²] − Σ_j j!·c_j²
//
// Names: `cubic`, `cubic:nonoise` (no s·z term) and `cubic:scale=X` (expanded at X·b: wrong for
// X ≠ 1, a negative control).
import { defineSurrogate, gaussianExpectation, zeros } from 'onestep';

/** The probabilists' Hermite polynomials He_0 … He_3. */
const HE = [(_g: number) => 1, (g: number) => g, (g: number) => g * g - 1, (g: number) => g * g * g - 3 * g];
const FACTORIAL = [1, 1, 2, 6];

export const cubicSurrogate = defineSurrogate<{ noise: boolean; scale: number }>({
  word: 'cubic',
  syntax: 'cubic[:nonoise][:scale=X]',
  parse(rest) {
    let noise = true;
    let scale = 1;
    for (const word of rest) {
      if (word === 'nonoise') noise = false;
      else if (/^scale=\d+(\.\d+)?$/.test(word) && Number(word.slice(6)) > 0) scale = Number(word.slice(6));
      else return null;
    }
    return { noise, scale };
  },
  build(ctx, name, { noise, scale }) {
    const b = ctx.mixture.bulkScale * scale;
    const sigma = ctx.act.f;
    // The activation's kinks (ReLU's at 0), in units of g, are the quadrature's breakpoints.
    const kinks = ctx.act.kinks.map((k) => k / b);
    const c = HE.map((he, j) => gaussianExpectation((g) => sigma(b * g) * he(g), kinks) / FACTORIAL[j]);
    const second = gaussianExpectation((g) => sigma(b * g) ** 2, kinks);
    const s = noise ? Math.sqrt(Math.max(0, second - c.reduce((sum, cj, j) => sum + FACTORIAL[j] * cj * cj, 0))) : 0;
    return {
      name,
      info: { b, noiseScale: s },
      features(_block, pre, stream) {
        const out = zeros(pre.rows, pre.cols);
        if (s > 0) stream.fillGaussian(out.data, 0, out.data.length, s);
        for (let i = 0; i < pre.data.length; i++) {
          const g = pre.data[i] / b;
          out.data[i] += c[0] + c[1] * g + c[2] * (g * g - 1) + c[3] * (g * g * g - 3 * g);
        }
        return out;
      },
    };
  },
});
