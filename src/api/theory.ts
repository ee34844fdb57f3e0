/**
 * The paper's own quantities: Gaussian expectations, generalized Hermite coefficients
 * (Definition 4.1), c_{phi,sigma0} and nu0^2, lambda_1, the infinite-width NTK and NNGP, and
 * the constants of Theorems 4.1/4.2 with Lemmas 4.1/4.2 measured. docs/conventions.md gives
 * the reading of the paper they follow. Import from `ntk-wasm`; the quadrature and series
 * building blocks are in `ntk-wasm/advanced`.
 * @module Theory
 */
// The public part of the theory folder's barrel; its quadrature, Hermite-table and
// Mehler-series building blocks are exported by ../advanced.ts instead.
export {
  gaussExpectation, hermite, hermiteCoefficients, hermiteSeries, convertCoefficients, hermiteConventions,
  cPhi, nu0sq, sigma0ForNu0sq, gaussPairExpectation, MEHLER_TOL, MEHLER_RMAX,
  lambda1, lambda1Matrix, sigma1, infiniteWidth, infiniteWidthReport, relativeFrobenius,
  theorem41, lemma42Band, lemma41Layers, assumptionsBroken,
  type ScalarFn, type PhiInput, type GridOptions, type ExpectationOptions,
  type HermiteConvention, type HermiteOptions, type HermiteCoefficients, type Sigma0SearchOptions,
  type PairOptions, type PairStats, type PairExpectation, type Lambda1Options, type KernelMethod,
  type InfiniteWidthOptions, type InfiniteWidthResult, type InfiniteWidthReport,
  type Theorem41Input, type Theorem41Report, type BoundReport, type Lemma41Layer, type Lemma41Input,
} from '../theory/index.js';
export { erfForms, sinForms, reluForms, type GaussianClosedForms } from '../closed-forms.js';
