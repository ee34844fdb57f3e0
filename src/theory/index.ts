/**
 * The paper's own quantities, accurately: Gaussian expectations, generalized Hermite
 * coefficients (Definition 4.1), c_{phi,sigma0} and nu0^2, lambda_1, the infinite-width NTK
 * and NNGP, and the constants of Theorems 4.1/4.2 with Lemmas 4.1/4.2 measured.
 * See docs/conventions.md for the reading of the paper they follow.
 * @module
 */
export {
  gaussExpectation, gaussHermiteRule, trapezoidGrid, defaultStep, resolvePhi, Z_MAX, H_MAX,
  type ScalarFn, type PhiInput, type TrapezoidGrid, type GridOptions, type ExpectationOptions,
} from './gauss.js';
export {
  hermite, hermiteCoefficients, hermiteSeries, convertCoefficients, normalizedHermiteTable, hermiteConventions,
  orthonormalTrapezoid,
  type HermiteConvention, type HermiteOptions, type HermiteCoefficients,
} from './hermite.js';
export { cPhi, nu0sq, sigma0ForNu0sq, type Sigma0SearchOptions } from './cphi.js';
export { MEHLER_TOL, MEHLER_RMAX, type PairOptions, type PairStats } from './pair-options.js';
export { gaussKernelMatrices, gaussPairExpectation, type KernelMatrices, type PairExpectation } from './mehler.js';
export { seriesTables, type SeriesTables } from './series-tables.js';
export { pairExpectation2d } from './trapezoid-2d.js';
export { erfKernelMatrices } from './closed-form-kernels.js';
export { lambda1, lambda1Matrix, sigma1, type Lambda1Options, type KernelMethod } from './lambda1.js';
export {
  infiniteWidth, infiniteWidthReport, relativeFrobenius,
  type InfiniteWidthOptions, type InfiniteWidthResult, type InfiniteWidthReport,
} from './infinite-width.js';
export {
  theorem41, lemma42Band, lemma41Layers, assumptionsBroken,
  type Theorem41Input, type Theorem41Report, type BoundReport, type Lemma41Layer, type Lemma41Input,
} from './theorem.js';
