/**
 * Symmetric eigenvalue routines: all eigenvalues ({@link eigvalsh}), eigenpairs ({@link eigh}),
 * the smallest eigenvalue with an error bound and a convergence flag ({@link lambdaMin}) and a
 * positive-definiteness certificate ({@link isPositiveDefinite}). lambda_min of the NTK is the
 * paper's central quantity (Thm 4.1 bounds it below by c0 * lambda_1).
 *
 * Every function reads the LOWER triangle of a symmetric matrix (numpy's `UPLO='L'`) after
 * checking that the matrix is square, finite and symmetric to a tolerance (./prepare.ts); the
 * work runs on the backend's `LinalgKernels` (wasm or js).
 * @module
 */
export type { EigOptions } from './prepare.js';
export { eigh, eigvalsh, type EigStages, type EighOptions, type EighResult } from './eigh.js';
export {
  lambdaMin, symvLowerRowMajor, type LambdaMaxResult, type LambdaMinCost, type LambdaMinMethod, type LambdaMinOptions, type LambdaMinResult, type LambdaMinStages,
} from './lambda-min.js';
export { isPositiveDefinite, type PositiveDefiniteOptions } from './positive-definite.js';
