/**
 * Backend internals and numerical building blocks, for extending ntk-wasm or testing against
 * it: the {@link Backend} kernel interfaces (BLAS, elementwise activations, eigen kernels,
 * Gaussian pair expectations) on flat row-major Float64Arrays, the js reference backend created
 * directly (`loadBackend` in `ntk-wasm` loads either), and the quadrature, Hermite and
 * Mehler-series pieces the theory is built from. Portable (Node and browsers). Import from `ntk-wasm/advanced`;
 * most programs need only `ntk-wasm`.
 * @module Backends and advanced
 */
export type {
  Backend, BackendKind, BlasKernels, ElementwiseKernels, LinalgKernels, KernelMapKernels, CholeskyFactor,
} from './backend/types.js';
export { createJsBackend } from './backend/js/index.js';
export {
  gaussHermiteRule, trapezoidGrid, defaultStep, resolvePhi, Z_MAX, H_MAX, normalizedHermiteTable, orthonormalTrapezoid, MAX_HERMITE_WORK,
  gaussKernelMatrices, pairExpectation2d, erfKernelMatrices, seriesTables,
  type TrapezoidGrid, type KernelMatrices, type SeriesTables,
} from './theory/index.js';
