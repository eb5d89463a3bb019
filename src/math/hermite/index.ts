export { gaussHermiteRule, gaussianExpectation, gaussianHermiteProjections, gaussianRule } from './quadrature.ts';
export { hermite, hermiteSeries, hermiteSeriesAddInto, normalisedHermite } from './polynomials.ts';
export { factorialTable, type HermiteCoefficients, hermiteCoefficients, hermiteCoefficientsAtScales, hermiteNoiseScale, normalisedCoefficients } from './coefficients.ts';
export { applyDegreeCap, type DegreeInterval, type DegreeRule, degreeRule, intervalOf } from './degree-rule.ts';
