/**
 * lambda_max of a dense symmetric matrix for the lambda_max column of sweep records (Lanczos,
 * src/linalg/lanczos-max.ts, with a plain JS product). Sweeps get it from lambdaMin's
 * `largest` option instead, whose product runs on the copy of K the backend already holds.
 * Browser-safe: no Node imports.
 * @module
 */
import { lanczosLargest, type LambdaMaxResult } from '../linalg/lanczos-max.js';
import { operatorNorms } from '../linalg/norms.js';
import type { Matrix } from '../matrix.js';

export type { LambdaMaxResult };

/**
 * lambda_max of the symmetric n x n matrix `k` (only symmetry is assumed, not definiteness),
 * from a fixed start vector (reproducible), to a relative residual `tol` (default 1e-10) in
 * at most `maxSteps` steps (default 300).
 */
export function lambdaMax(k: Matrix, tol = 1e-10, maxSteps = 300): LambdaMaxResult {
  const n = k.rows;
  return lanczosLargest(n, (x, y) => matvec(k.data, n, x, y), operatorNorms(n, k.data), tol, maxSteps);
}

function matvec(K: Float64Array, n: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) s += K[o + j]! * x[j]!;
    y[i] = s;
  }
}
