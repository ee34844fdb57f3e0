/**
 * The paper's own quantities: Gaussian expectations, generalized Hermite coefficients
 * (Definition 4.1), c_{phi,sigma0} and nu0^2, lambda_1, the infinite-width NTK and NNGP, and
 * the constants of Theorems 4.1/4.2 with Lemmas 4.1/4.2 measured. docs/conventions.md gives
 * the reading of the paper they follow. Import from `ntk-wasm`; the quadrature and series
 * building blocks are in `ntk-wasm/advanced`.
 * @module Theory
 */
export { gaussExpectation, type ScalarFn, type PhiInput, type GridOptions, type ExpectationOptions } from '../theory/gauss.js';
export {
  hermite, hermiteCoefficients, hermiteSeries, convertCoefficients, hermiteConventions,
  type HermiteConvention, type HermiteOptions, type HermiteCoefficients,
} from '../theory/hermite.js';
export { cPhi, nu0sq, sigma0ForNu0sq, type Sigma0SearchOptions } from '../theory/cphi.js';
export {
  gaussPairExpectation, MEHLER_TOL, MEHLER_RMAX,
  type PairOptions, type PairStats, type PairExpectation,
} from '../theory/mehler.js';
export { lambda1, lambda1Matrix, sigma1, type Lambda1Options, type KernelMethod } from '../theory/lambda1.js';
export {
  infiniteWidth, infiniteWidthReport, relativeFrobenius,
  type InfiniteWidthOptions, type InfiniteWidthResult, type InfiniteWidthReport,
} from '../theory/infinite-width.js';
export {
  theorem41, lemma42Band, lemma41Layers, assumptionsBroken,
  type Theorem41Input, type Theorem41Report, type BoundReport, type Lemma41Layer, type Lemma41Input,
} from '../theory/theorem.js';
