/**
 * The largest eigenvalue of a symmetric operator by Lanczos with full reorthogonalization:
 * about 5-50 products instead of the O(n^3) full spectrum. The NTK's top eigenvalue sits far
 * above the bulk (sigmoid: ~n/3.4), so it converges in a few steps; tanh's takes a few dozen.
 * The operator is a callback so the product can run where K already is (lambdaMin's copy in
 * wasm memory) or in plain JS.
 * @module
 */

import { tql } from '../backend/js/tridiag.js';
import { tridiagEigvec } from './lanczos.js';

/** Result of `lanczosLargest` (the largest eigenvalue by Lanczos). */
export interface LambdaMaxResult {
  /** The largest Ritz value: the largest eigenvalue to within `errorBound`. */
  value: number;
  /** The Ritz residual ||K y - theta y||: |value - lambda_max| <= errorBound for the eigenvalue it converged to. */
  errorBound: number;
  /** Lanczos steps taken. */
  steps: number;
}

/**
 * lambda_max of a symmetric n x n operator given by `multiply(x, y)` (y = K x; only symmetry is
 * assumed, not definiteness).
 * Starts from a fixed deterministic vector (so results are reproducible) and stops when the
 * residual is below `tol * |theta|` or the Krylov space is exhausted (then exact to rounding).
 * @param tol relative residual tolerance (default 1e-10).
 * @param maxSteps cap on Lanczos steps (default 300).
 */
export function lanczosLargest(n: number, multiply: (x: Float64Array, y: Float64Array) => void, tol = 1e-10, maxSteps = 300): LambdaMaxResult {
  if (n === 1) {
    const y = new Float64Array(1);
    multiply(Float64Array.of(1), y);
    return { value: y[0]!, errorBound: 0, steps: 0 };
  }
  const kmax = Math.min(n, maxSteps);
  const Q: Float64Array[] = [];
  const alpha: number[] = [], beta: number[] = [];
  // A start vector with every component nonzero, independent of seeds.
  let q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = 1 + 0.5 * Math.sin(1.7 * i + 0.3);
  scale(q, 1 / norm(q));
  const w = new Float64Array(n);
  let best = { value: NaN, errorBound: Infinity, steps: 0 };
  for (let j = 0; j < kmax; j++) {
    Q.push(q);
    multiply(q, w);
    const a = dot(w, q);
    alpha.push(a);
    // Full reorthogonalization, twice ("twice is enough"), keeps the Ritz values free of ghosts.
    for (let pass = 0; pass < 2; pass++) {
      for (const v of Q) {
        const c = dot(w, v);
        for (let i = 0; i < n; i++) w[i]! -= c * v[i]!;
      }
    }
    const b = norm(w);
    const last = j === kmax - 1;
    if (last || (j + 1) % 4 === 0 || b === 0) {
      const { value, lastComp } = topRitz(alpha, beta);
      const res = Math.abs(b * lastComp);
      best = { value, errorBound: res, steps: j + 1 };
      if (res <= tol * Math.abs(value) || b <= 1e-300) break;
    }
    if (b <= 1e-300 || last) break;
    beta.push(b);
    q = new Float64Array(w);
    scale(q, 1 / b);
  }
  return best;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function scale(a: Float64Array, c: number): void {
  for (let i = 0; i < a.length; i++) a[i]! *= c;
}

/**
 * The largest eigenvalue of the Lanczos tridiagonal T (diagonal `a`, off-diagonal `b`) and the
 * last component of its unit eigenvector, with lambdaMin's small solvers: QL for the
 * eigenvalues, inverse iteration for the vector.
 */
function topRitz(a: number[], b: number[]): { value: number; lastComp: number } {
  const k = a.length;
  const d = Float64Array.from(a), e = new Float64Array(k);
  for (let i = 0; i + 1 < k; i++) e[i] = b[i]!;
  tql(k, d, e, null, 0, 0);
  let top = -Infinity;
  for (let i = 0; i < k; i++) top = Math.max(top, d[i]!);
  return { value: top, lastComp: tridiagEigvec(a, b, k, top)[k - 1]! };
}
