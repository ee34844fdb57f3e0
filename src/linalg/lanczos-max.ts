/**
 * The largest eigenvalue of a symmetric operator by Lanczos with full reorthogonalization:
 * about 5-50 products instead of the O(n^3) full spectrum. The NTK's top eigenvalue sits far
 * above the bulk (sigmoid: ~n/3.4), so it converges in a few steps; tanh's takes a few dozen.
 * The operator is a callback so the product can run where K already is (lambdaMin's copy in
 * wasm memory) or in plain JS.
 * @module
 */

import { axpy, dot, largestRitz, unit } from './lanczos.js';

const EPS = 2.220446049250313e-16;

/** Result of `lanczosLargest` (the largest eigenvalue by Lanczos). */
export interface LambdaMaxResult {
  /** The largest Ritz value: a lower bound on lambda_max up to rounding (a Rayleigh quotient). */
  value: number;
  /**
   * A bound on |value - lambda_max|, never below the rounding level n eps ||K||. Converged: the
   * Ritz residual ||K y - value y|| (some eigenvalue lies that close; Lanczos from a start
   * with every component nonzero finds the top one), or `normUpper - value` when smaller.
   * Not converged: `normUpper - value` (lambda_max lies in [value, normUpper]), a true but
   * loose bound. Both plus the rounding level.
   */
  errorBound: number;
  /** Lanczos steps taken. */
  steps: number;
  /**
   * Whether the residual reached the tolerance (relative to |value|). False when the step cap
   * came first (e.g. a dense top of the spectrum, as the 1-2-1 Toeplitz matrix's).
   */
  converged: boolean;
}

/** What {@link lanczosLargest} needs to know of the operator's size for an honest bound. */
export interface OperatorNorms {
  /** An upper bound on ||K||_2 (e.g. min(||K||_F, max row sum of |K|)): lambda_max <= it. */
  upper: number;
  /** ||K||_F (or any upper bound on sum_j |K_ij| |y_j| norms): sets the rounding level n eps ||K||_F. */
  fro: number;
}

/**
 * lambda_max of a symmetric n x n operator given by `multiply(x, y)` (y = K x; only symmetry is
 * assumed, not definiteness).
 * Starts from a fixed deterministic vector (so results are reproducible) and stops when the
 * residual is below `tol * |theta|` or the Krylov space is exhausted (then exact to rounding).
 * @param tol relative residual tolerance (default 1e-10).
 * @param maxSteps cap on Lanczos steps (default 300); reaching it unconverged is reported
 *   (`converged: false`) with a bound from `norms.upper`.
 * @param norms bounds on the operator's norm, for the error bound (see {@link OperatorNorms}).
 */
export function lanczosLargest(n: number, multiply: (x: Float64Array, y: Float64Array) => void, norms: OperatorNorms,
  tol = 1e-10, maxSteps = 300): LambdaMaxResult {
  const floor = n * EPS * norms.fro;
  if (n === 1) {
    const y = new Float64Array(1);
    multiply(Float64Array.of(1), y);
    return { value: y[0]!, errorBound: floor, steps: 0, converged: true };
  }
  const kmax = Math.min(n, maxSteps);
  const Q: Float64Array[] = [];
  const alpha: number[] = [], beta: number[] = [];
  // A start vector with every component nonzero, independent of seeds.
  let q = unit(Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(1.7 * i + 0.3)));
  const w = new Float64Array(n);
  let value = NaN, res = Infinity, steps = 0, converged = false;
  for (let j = 0; j < kmax; j++) {
    Q.push(q);
    multiply(q, w);
    const a = dot(w, q);
    alpha.push(a);
    // Full reorthogonalization, twice ("twice is enough"), keeps the Ritz values free of ghosts.
    for (let pass = 0; pass < 2; pass++) {
      for (const v of Q) axpy(w, -dot(w, v), v);
    }
    const b = Math.sqrt(dot(w, w));
    // An invariant subspace (b at rounding level) or the whole space: the Ritz values are exact.
    const exhausted = b <= floor || j === n - 1;
    const last = j === kmax - 1;
    if (last || exhausted || (j + 1) % 4 === 0) {
      const top = largestRitz(alpha, beta, j + 1);
      value = top.theta1;
      res = Math.abs(b * top.sLast);
      steps = j + 1;
      converged = exhausted || res <= tol * Math.abs(value);
      if (converged || exhausted) break;
    }
    if (last) break;
    beta.push(b);
    q = unit(w);
  }
  const gap = Math.max(0, norms.upper - value);
  return { value, errorBound: (converged ? Math.min(res, gap) : gap) + floor, steps, converged };
}
