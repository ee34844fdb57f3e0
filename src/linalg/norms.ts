/**
 * Cheap O(n^2) norms of a symmetric matrix (lower triangle read) for honest error bounds.
 * @module
 */
import type { OperatorNorms } from './lanczos-max.js';

/**
 * ||K||_F and an upper bound on ||K||_2, min(||K||_F, max_i sum_j |K_ij|), of the symmetric
 * n x n row-major K (lower triangle read).
 */
export function operatorNorms(n: number, k: Float64Array): OperatorNorms {
  const rows = new Float64Array(n);
  let fro = 0;
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = 0; j < i; j++) {
      const x = k[o + j]!;
      fro += 2 * x * x;
      const ax = Math.abs(x);
      rows[i]! += ax;
      rows[j]! += ax;
    }
    const x = k[o + i]!;
    fro += x * x;
    rows[i]! += Math.abs(x);
  }
  let inf = 0;
  for (let i = 0; i < n; i++) inf = Math.max(inf, rows[i]!);
  const f = Math.sqrt(fro);
  return { upper: Math.min(f, inf), fro: f };
}
