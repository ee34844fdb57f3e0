/**
 * Lanczos on K^{-1} (through a Cholesky factor) for the smallest eigenvalue of a positive
 * definite K, with a residual check against K itself. Shared by both backends: each iteration
 * is one call of the backend's Krylov basis (the solve, the recurrence and the O(k n)
 * reorthogonalization, on the basis held next to the factor: in wasm memory for the wasm
 * backend); the small tridiagonal eigenproblems (bisection, O(k) each) run here. The factor may be of K - sigma I (shift
 * and invert, see lambdaMin): the certification always uses K.
 *
 * Single-vector, not block: a block of b vectors was built and measured on NTKs (wasm,
 * n = 1000 and 3000, tanh and sigmoid). Their bottom spectrum is a soft edge, so the solve
 * vectors needed grew like b^(2/3) (tanh n = 3000: 165, 262, > 300 for b = 1, 2, 4) while a
 * b-vector solve costs about 1 + 0.25 (b - 1) single ones: b = 2 and 4 were slower. lambdaMin
 * gets its speed from shift and invert instead.
 * @module
 */
import type { CholeskyFactor } from '../backend/types.js';
import { tridiagEigenvalue } from './bisect.js';

const EPS = 2.220446049250313e-16;
/** Steps over which the best residual must at least halve, or Lanczos is deemed stalled. */
const STALL_WINDOW = 50;

/** What {@link lanczosInverse} found. */
export interface LanczosResult {
  /** True when the error bound reached the tolerance. */
  converged: boolean;
  /** Rayleigh quotient y^T K y of the final Ritz vector (an upper bound on lambda_min up to rounding). */
  value: number;
  /** ||K y - value y|| for the unit Ritz vector y: some eigenvalue of K lies within it of `value`. */
  residual: number;
  /** Lanczos' estimate of lambda_2 (from the second Ritz value; an upper bound, informative only). */
  lambda2: number;
  /**
   * `residual + max(floor, 4 eps |value|)`: the residual plus the rounding level of its own
   * evaluation (see {@link LanczosOptions.floor}).
   */
  errorBound: number;
  /** Lanczos steps (solves) taken. */
  iterations: number;
  /** The unit Ritz vector. */
  vector: Float64Array;
}

/** Options of {@link lanczosInverse}. */
export interface LanczosOptions {
  /** Absolute tolerance on the error bound. */
  tol: number;
  /**
   * Rounding level added to the computed residual in the error bound: what the evaluation of
   * K y and y^T K y may be off by, n eps ||K|| (the caller knows ||K||; default 0, then only
   * 4 eps |value|).
   */
  floor?: number;
  /** Most Lanczos steps. */
  maxIter: number;
  /** Seed of the start vector (deterministic, so results are reproducible). */
  seed?: number;
  /** Start vector (length n) instead of a pseudo-random one, e.g. a Ritz vector of an earlier run. */
  start?: Float64Array;
  /**
   * Called after every step; returning true ends the run there (the Ritz pair is still
   * checked against K and returned, converged or not). Lets the caller switch strategy, e.g.
   * to a shifted factor once lambda_min is roughly known.
   */
  shouldStop?: (state: LanczosProgress) => boolean;
}

/** Progress of {@link lanczosInverse}, for {@link LanczosOptions.shouldStop}. */
export interface LanczosProgress {
  /** Steps (solves) so far. */
  m: number;
  /** Relative K^{-1} residual est / theta1 of the top Ritz pair. */
  rel: number;
  /** Largest Ritz value of the inverse. */
  theta1: number;
  /** Second-largest Ritz value of the inverse (-Infinity while m = 1). */
  theta2: number;
  /** Predicted error of 1 / theta1 as an eigenvalue of the factored matrix. */
  predicted: number;
  /**
   * Error of 1 / theta2 as an eigenvalue of the factored matrix, to first order: its K^{-1}
   * residual estimate |beta_m s_m| (of the second Ritz vector) over theta2^2 (Infinity while
   * m = 1). Small against the Ritz gap 1/theta2 - 1/theta1 when that gap is real; in a dense
   * bottom the second Ritz value is still moving and this is as large as the gap.
   */
  error2: number;
}

/**
 * Smallest eigenvalue of K from the largest Ritz value theta of K^{-1} (Lanczos with full
 * reorthogonalization, so the basis stays orthonormal to rounding).
 *
 * Stopping: the Ritz estimate for K^{-1} (|beta_k s_k|) predicts the eigenvalue error
 * |beta_k s_k|^2 / ((theta_1 - theta_2) theta_1^2); once that is below `tol`, the Ritz vector
 * y is formed and checked against K itself: rho = y^T K y, r = ||K y - rho y||, until r <= tol
 * (after a failed check, the next waits until the estimate has fallen as far as r must). Then some eigenvalue of K lies in [rho - r, rho + r] (Weyl) and
 * lambda_min <= rho (Rayleigh); Lanczos from a random start finds the extreme eigenvalue of
 * K^{-1} first, which is why that eigenvalue is lambda_min. A run whose best relative K^{-1}
 * residual does not halve in {@link STALL_WINDOW} steps (a tight cluster at the bottom) stops
 * unconverged, for the caller to fall back.
 */
export function lanczosInverse(f: CholeskyFactor, opts: LanczosOptions): LanczosResult {
  const n = f.n;
  const kb = f.krylov;
  if (!kb) throw new Error('lanczosInverse: the factor has no Krylov basis (make it with krylov > 0)');
  const maxIter = Math.max(1, Math.min(opts.maxIter, n, kb.capacity));
  const alpha: number[] = [];
  const beta: number[] = [];
  kb.start(opts.start ? unit(opts.start) : startVector(n, opts.seed ?? 1));
  const ab = new Float64Array(2);
  const ky = new Float64Array(n);
  let best: LanczosResult | null = null;
  // r / (est / theta) at the last failed check against K (0: none yet). A check costs a product
  // with K, so after a failed one the next waits until est has fallen as far as r must (r is
  // proportional to est for a converging Ritz vector).
  let ratio = 0;
  // Best relative K^{-1} residual so far, per step, to notice a stall (a tight cluster at the
  // bottom of the spectrum): then the caller certifies another way instead of iterating on. In
  // a wide cluster the top Ritz pair's residual oscillates (the Ritz vector moves between
  // cluster members), so only the best one must keep falling.
  const history: number[] = [];
  for (let k = 0; k < maxIter; k++) {
    // The solve, the recurrence and the full reorthogonalization (classical Gram-Schmidt, a
    // second pass by the DGKS criterion) all run in the backend, on the basis it holds.
    kb.step(k, k > 0 ? beta[k - 1]! : 0, ab);
    alpha.push(ab[0]!);
    const b = ab[1]!;
    const m = k + 1;
    const ritz = largestRitz(alpha, beta, m);
    const theta = ritz.theta1;
    // An invariant subspace: the Ritz values are exact for it.
    const invariant = b <= 64 * EPS * Math.abs(theta) * Math.sqrt(n) || m === n;
    const est = Math.abs(b * ritz.sLast);
    const gapInv = ritz.theta2 > -Infinity ? theta - ritz.theta2 : theta;
    const predicted = gapInv > 0 ? (est * est) / (gapInv * theta * theta) : Infinity;
    const rel = est / Math.abs(theta);
    const error2 = m > 1 ? Math.abs(b * ritz.sLast2) / (ritz.theta2 * ritz.theta2) : Infinity;
    history.push(Math.min(rel, k > 0 ? history[k - 1]! : Infinity));
    const stalled = k >= STALL_WINDOW && history[k]! > 0.5 * history[k - STALL_WINDOW]!;
    const last = invariant || k === maxIter - 1 || stalled ||
      (opts.shouldStop?.({ m, rel, theta1: theta, theta2: ritz.theta2, predicted, error2 }) ?? false);
    if (last || (predicted <= opts.tol && ratio * rel <= opts.tol)) {
      const y = new Float64Array(n);
      kb.combine(ritz.s, m, y);
      const ny = Math.sqrt(dot(y, y));
      for (let i = 0; i < n; i++) y[i]! /= ny;
      f.multiply(y, ky);
      const rho = dot(y, ky);
      axpy(ky, -rho, y);
      const r = Math.sqrt(dot(ky, ky));
      const lambda2 = ritz.theta2 > 0 ? 1 / ritz.theta2 : Infinity;
      // The Kato-Temple bound r^2 / (lambda_2 - rho) would be far smaller, but it needs a
      // lower bound on lambda_2 that Lanczos cannot give (a near-double lambda_1 is invisible
      // to it): only the residual bound is reported and required.
      const bound = r + Math.max(opts.floor ?? 0, 4 * EPS * Math.abs(rho));
      const res: LanczosResult = {
        converged: bound <= opts.tol, value: rho, residual: r, lambda2, errorBound: bound,
        iterations: m, vector: y,
      };
      if (!best || res.errorBound < best.errorBound) best = res;
      if (res.converged || last) return best;
      ratio = rel > 0 ? r / rel : Infinity;
    }
    beta.push(b);
  }
  return best!;
}

/**
 * Largest two eigenvalues of the m x m Lanczos tridiagonal (bisection on Sturm counts: O(m) per
 * halving, where QL for all m values costs O(m^2) per step), the top one's eigenvector s and
 * the last entries of both eigenvectors (for the residual estimates).
 */
export function largestRitz(alpha: number[], beta: number[], m: number): { theta1: number; theta2: number; s: Float64Array; sLast: number; sLast2: number } {
  const d = Float64Array.from(alpha.slice(0, m));
  const e = new Float64Array(m);
  for (let i = 0; i < m - 1; i++) e[i] = beta[i]!;
  const t1 = tridiagEigenvalue(m, d, e, m - 1);
  const t2 = m > 1 ? tridiagEigenvalue(m, d, e, m - 2) : -Infinity;
  const s = tridiagEigvec(alpha, beta, m, t1);
  const s2 = m > 1 ? tridiagEigvec(alpha, beta, m, t2) : s;
  return { theta1: t1, theta2: t2, s, sLast: s[m - 1]!, sLast2: s2[m - 1]! };
}

/**
 * Unit eigenvector of the symmetric tridiagonal (alpha, beta) for the eigenvalue `lambda`, by
 * two steps of inverse iteration with partial pivoting (the shift is nudged off the exact
 * eigenvalue so the factorization stays nonsingular).
 */
export function tridiagEigvec(alpha: number[], beta: number[], m: number, lambda: number): Float64Array {
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(alpha[i]!), i < m - 1 ? Math.abs(beta[i]!) : 0);
  const shift = lambda + (scale || 1) * 4 * EPS;
  let x: Float64Array = new Float64Array(m).fill(1);
  for (let it = 0; it < 2; it++) {
    x = solveTridiag(alpha, beta, m, shift, x, scale || 1);
    let nx = 0;
    for (let i = 0; i < m; i++) nx = Math.max(nx, Math.abs(x[i]!));
    for (let i = 0; i < m; i++) x[i]! /= nx;
  }
  let s2 = 0;
  for (let i = 0; i < m; i++) s2 += x[i]! * x[i]!;
  const inv = 1 / Math.sqrt(s2);
  for (let i = 0; i < m; i++) x[i]! *= inv;
  return x;
}

/** Solves (T - shift I) x = rhs for tridiagonal T by Gaussian elimination with row swaps. */
function solveTridiag(alpha: number[], beta: number[], m: number, shift: number, rhs: Float64Array, scale: number): Float64Array {
  // Rows of the band: for row i, entries at columns i (d), i+1 (u1), i+2 (u2, fill-in).
  const dd = new Float64Array(m), u1 = new Float64Array(m), u2 = new Float64Array(m);
  const b = rhs.slice();
  for (let i = 0; i < m; i++) { dd[i] = alpha[i]! - shift; if (i < m - 1) u1[i] = beta[i]!; }
  const tiny = scale * EPS;
  let sub = m > 1 ? beta[0]! : 0; // the subdiagonal entry below the current pivot
  for (let i = 0; i < m - 1; i++) {
    if (Math.abs(dd[i]!) >= Math.abs(sub)) {
      const p = dd[i]! === 0 ? tiny : dd[i]!;
      dd[i] = p;
      const f = sub / p;
      dd[i + 1]! -= f * u1[i]!;
      u1[i + 1]! -= f * u2[i]!;
      b[i + 1]! -= f * b[i]!;
    } else {
      // Swap rows i and i+1.
      const f = dd[i]! / sub;
      const ni = u1[i]!, ni1 = i + 1 < m - 1 ? u1[i + 1]! : 0;
      dd[i] = sub;
      u1[i] = dd[i + 1]!;
      u2[i] = ni1;
      dd[i + 1] = ni - f * dd[i + 1]!;
      if (i + 1 < m - 1) u1[i + 1] = -f * ni1;
      const t = b[i]!;
      b[i] = b[i + 1]!;
      b[i + 1] = t - f * b[i + 1]!;
    }
    sub = i + 1 < m - 1 ? beta[i + 1]! : 0;
  }
  if (dd[m - 1] === 0) dd[m - 1] = tiny;
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i]!;
    if (i + 1 < m) s -= u1[i]! * x[i + 1]!;
    if (i + 2 < m) s -= u2[i]! * x[i + 2]!;
    x[i] = s / dd[i]!;
  }
  return x;
}

/** x / ||x||. */
export function unit(x: Float64Array): Float64Array {
  const inv = 1 / Math.sqrt(dot(x, x));
  return x.map((v) => v * inv);
}

/** A unit vector of xorshift values in [-0.5, 0.5), reproducible from the seed. */
function startVector(n: number, seed: number): Float64Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    v[i] = s / 4294967296 - 0.5;
  }
  return unit(v);
}

/** x . y. */
export function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** y += a x. */
export function axpy(y: Float64Array, a: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}
