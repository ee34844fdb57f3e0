/**
 * One O(n^2) pass over a symmetric matrix: what the eigensolvers' input checks need
 * (./prepare.ts) and the norms behind honest error bounds (lower triangle read).
 * @module
 */
import type { OperatorNorms } from './lanczos-max.js';

/** What {@link scanSymmetric} finds. */
export interface SymmetricScan {
  /** 0 exactly when every entry is finite (a sum of x * 0), else NaN. */
  zero: number;
  /** max |K_ij|. */
  maxAbs: number;
  /** max |K_ij - K_ji|. */
  maxDif: number;
  /** Those of {@link operatorNorms}. */
  norms: OperatorNorms;
}

/**
 * One pass over the n x n row-major K by 64 x 64 tiles of its lower triangle and their
 * mirrors (so the column-wise reads stay in cache): the input checks' figures, ||K||_F and the
 * largest absolute row sum of the symmetric matrix its lower triangle holds. One order of
 * summation for every caller, so the norms of 2^e K are exactly 2^e times K's.
 */
export function scanSymmetric(n: number, a: Float64Array): SymmetricScan {
  let zero = 0, maxAbs = 0, maxDif = 0, off = 0, diag = 0;
  const rows = new Float64Array(n);
  for (let ib = 0; ib < n; ib += 64) {
    const ie = Math.min(ib + 64, n);
    for (let jb = 0; jb <= ib; jb += 64) {
      for (let i = ib; i < ie; i++) {
        const ri = i * n;
        const je = Math.min(jb + 64, i);
        let rowSum = 0;
        for (let j = jb; j < je; j++) {
          const x = a[ri + j]!, y = a[j * n + i]!;
          zero += x * 0 + y * 0;
          const ax = Math.abs(x), ay = Math.abs(y), d = Math.abs(x - y);
          if (ax > maxAbs) maxAbs = ax;
          if (ay > maxAbs) maxAbs = ay;
          if (d > maxDif) maxDif = d;
          off += x * x;
          rowSum += ax;
          rows[j]! += ax;
        }
        if (jb === ib) {
          const x = a[ri + i]!;
          zero += x * 0;
          const ax = Math.abs(x);
          if (ax > maxAbs) maxAbs = ax;
          diag += x * x;
          rowSum += ax;
        }
        rows[i]! += rowSum;
      }
    }
  }
  let inf = 0;
  for (let i = 0; i < n; i++) inf = Math.max(inf, rows[i]!);
  const fro = Math.sqrt(2 * off + diag);
  return { zero, maxAbs, maxDif, norms: { upper: Math.min(fro, inf), fro } };
}

/**
 * ||K||_F and an upper bound on ||K||_2, min(||K||_F, max_i sum_j |K_ij|), of the symmetric
 * n x n row-major K (lower triangle read).
 */
export function operatorNorms(n: number, k: Float64Array): OperatorNorms {
  return scanSymmetric(n, k).norms;
}
