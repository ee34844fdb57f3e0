/**
 * LAPACK's test ratios for a symmetric eigendecomposition (as in its xSYT21 checks): the
 * residual and the loss of orthogonality in units of n eps. A backward-stable solver keeps
 * both at a small multiple of 1 (LAPACK's tests accept below 30).
 * @module
 */
import { getBackend } from '../backend/default.js';
import type { Backend } from '../backend/types.js';
import type { Matrix } from '../matrix.js';

const EPS = 2.220446049250313e-16;

/** What {@link eighAccuracy} measures. */
export interface EighAccuracy {
  /** ||K V - V diag(values)||_1 / (n eps ||K||_1) (1 for ||K|| = 0 and a nonzero residual). */
  residual: number;
  /** ||V^T V - I||_1 / (n eps). */
  orthogonality: number;
}

/**
 * The residual and orthogonality ratios of an eigendecomposition of the symmetric K (lower
 * triangle read), with two GEMMs on `backend` (n^3 each).
 * @param values eigenvalues (n); vectors: n x n row-major, column j the eigenvector of values[j].
 */
export function eighAccuracy(k: Matrix, values: Float64Array, vectors: Matrix, backend: Backend = getBackend()): EighAccuracy {
  const n = k.rows;
  if (n === 0) return { residual: 0, orthogonality: 0 };
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = k.data[i * n + j]!;
  const v = vectors.data;
  const av = new Float64Array(n * n);
  backend.gemm(false, false, n, n, n, 1, a, v, 0, av);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) av[i * n + j]! -= v[i * n + j]! * values[j]!;
  const vtv = new Float64Array(n * n);
  backend.gemm(true, false, n, n, n, 1, v, v, 0, vtv);
  for (let i = 0; i < n; i++) vtv[i * n + i]! -= 1;
  const anorm = norm1(n, a);
  const r = norm1(n, av);
  return {
    residual: anorm > 0 ? r / (n * EPS * anorm) : r > 0 ? 1 : 0,
    orthogonality: norm1(n, vtv) / (n * EPS),
  };
}

/** Largest column sum of |M| (row-major n x n). */
function norm1(n: number, m: Float64Array): number {
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[j]! += Math.abs(m[i * n + j]!);
  let best = 0;
  for (let j = 0; j < n; j++) best = Math.max(best, s[j]!);
  return best;
}
