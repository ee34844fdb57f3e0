/**
 * All eigenvalues ({@link eigvalsh}) and all eigenpairs ({@link eigh}) of a symmetric matrix,
 * on the backend's tridiagonal kernels, with a Jacobi fallback so that a valid symmetric
 * matrix always gets an answer.
 * @module
 */
import { getBackend } from '../backend/default.js';
import type { Matrix, MatrixLike } from '../matrix.js';
import { jacobiEig, sortPairs } from './jacobi.js';
import type { EigStages } from '../backend/types.js';
import { prepare, unscaleAll, type EigOptions } from './prepare.js';

export type { EigStages } from '../backend/types.js';

/** Options of {@link eigvalsh} and {@link eigh}. */
export interface EighOptions extends EigOptions {
  /**
   * Filled in with the seconds each stage took (`tridiagonalize`, `tridiagonal`,
   * `backTransform`; eigvalsh's two-stage reduction also `band` and `bulge`), when given:
   * where the time goes, for reports and benchmarks.
   */
  stages?: EigStages;
}

/**
 * All eigenvalues of the symmetric matrix K, ascending, without eigenvectors: Householder
 * reduction to tridiagonal form, then implicit QL (when QL does not converge, cyclic Jacobi on
 * K runs instead: never an error for a valid K). Below order 1000 the reduction is blocked in
 * one stage (half its flops in the GEMM kernel, half in matrix-vector products); from 1000 on
 * it runs in two stages as LAPACK's dsytrd_2stage: to a band of half-width 32 by block
 * reflectors (all its 4n^3/3 flops in GEMM-shaped products, split over threads), then to
 * tridiagonal by bulge chasing (O(32 n^2), pipelined over two threads). `stages` then also
 * gets `band` and `bulge`.
 * Accuracy: within a small multiple of `eps * max|lambda|` of the exact values (backward stable).
 * Inputs of any finite scale (subnormal to 1e308) are scaled by an exact power of two.
 * @param k n x n symmetric matrix (lower triangle read).
 * @returns Float64Array of n eigenvalues, ascending.
 * @throws NtkInputError when K is not square, not finite or not symmetric (see `symmetryTol`).
 * @throws NtkMemoryError (wasm) when K does not fit in wasm memory.
 */
export function eigvalsh(k: MatrixLike, opts: EighOptions = {}): Float64Array {
  const p = prepare(k, opts, 'eigvalsh');
  const be = opts.backend ?? getBackend();
  const w = new Float64Array(p.n);
  const info = be.symEigvals(p.n, p.data, w, opts.stages);
  if (info !== 0) {
    jacobiEig(p.n, p.data, w, null);
    w.sort();
  }
  unscaleAll(w, p.exp);
  return w;
}

/** Result of {@link eigh}. */
export interface EighResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** n x n row-major; column j is the unit eigenvector of `values[j]` (K V = V diag(values), V^T V = I). */
  vectors: Matrix;
}

/**
 * Eigenvalues and eigenvectors of the symmetric matrix K: the tridiagonalization of
 * {@link eigvalsh}, the tridiagonal eigenpairs by divide and conquer (deflation and
 * Loewner-formula vectors, orthogonal to a small multiple of n eps), and a blocked (compact
 * WY, GEMM) back-transformation (cyclic Jacobi on K if a QL leaf does not converge).
 * @throws NtkInputError when K is not square, not finite or not symmetric.
 * @throws NtkMemoryError (wasm) when K and V do not fit in wasm memory.
 */
export function eigh(k: MatrixLike, opts: EighOptions = {}): EighResult {
  const p = prepare(k, opts, 'eigh');
  const be = opts.backend ?? getBackend();
  const w = new Float64Array(p.n);
  const v = new Float64Array(p.n * p.n);
  const info = be.symEigh(p.n, p.data, w, v, opts.stages);
  if (info !== 0) {
    jacobiEig(p.n, p.data, w, v);
    sortPairs(p.n, w, v);
  }
  unscaleAll(w, p.exp);
  return { values: w, vectors: { rows: p.n, cols: p.n, data: v } };
}
