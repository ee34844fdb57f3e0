/**
 * Symmetric eigenvalues in float64: all eigenvalues, eigenpairs, the smallest eigenvalue with
 * an error bound (the paper's lambda_min(K), Theorem 4.1) and a positive-definiteness check.
 * Import from `ntk-wasm`.
 * @module Linear algebra
 */
export {
  eigvalsh, eigh, lambdaMin, isPositiveDefinite,
  type EigOptions, type EighResult, type LambdaMinCost, type LambdaMinMethod, type LambdaMinOptions, type LambdaMinResult,
  type PositiveDefiniteOptions,
} from '../linalg/index.js';
