/**
 * lambda_min of a symmetric matrix with an honest error bound and a convergence flag
 * ({@link lambdaMin}): Cholesky + Lanczos on K^{-1} (with shift and invert) when K is
 * positive definite, the full spectrum otherwise. lambda_min of the NTK is the paper's
 * central quantity (Thm 4.1 bounds it below by c0 * lambda_1).
 * @module
 */
import { getBackend } from '../backend/default.js';
import type { Backend, CholeskyFactor } from '../backend/types.js';
import { NtkInputError, NtkMemoryError } from '../errors.js';
import type { MatrixLike } from '../matrix.js';
import { jacobiEig } from './jacobi.js';
import { lanczosInverse, type LanczosProgress, type LanczosResult } from './lanczos.js';
import { lanczosLargest, type LambdaMaxResult } from './lanczos-max.js';
import { operatorNorms } from './norms.js';
import { ldexp, prepare, type EigOptions } from './prepare.js';

export type { LambdaMaxResult } from './lanczos-max.js';

const EPS = 2.220446049250313e-16;
/** The relative tolerance when none is given (raised to the rounding level when that is larger). */
const DEFAULT_TOL = 1e-14;

/** How {@link lambdaMin} computes. */
export type LambdaMinMethod = 'auto' | 'cholesky' | 'tridiagonal';

/** Options of {@link lambdaMin}. */
export interface LambdaMinOptions extends EigOptions {
  /**
   * `'cholesky'`: blocked Cholesky, then Lanczos on K^{-1} until the residual bound certifies
   * the value, switching to a second factorization of K - sigma I (sigma just below
   * lambda_min, shift and invert) when that is estimated to be cheaper than the remaining
   * solves (falls back to `'tridiagonal'` when K is not positive definite or Lanczos
   * stalls); `'tridiagonal'`: the full spectrum as in `eigvalsh`; `'auto'` (default):
   * `'cholesky'` for n > 64, else `'tridiagonal'`.
   */
  method?: LambdaMinMethod;
  /**
   * Target for `errorBound`, relative to a lower estimate of lambda_max (max(max diag K,
   * ||K||_F / sqrt n)). No bound goes below the rounding level n eps ||K|| (see
   * {@link LambdaMinResult.errorBound}); a `tol` under it is not reached, and the result says
   * so (`converged: false`). Default: 1e-14, raised to twice the rounding level when that is
   * larger (always reachable).
   */
  tol?: number;
  /**
   * Most Lanczos solve vectors (both factorizations together) before falling back (default
   * 300; a stall ends it earlier).
   */
  maxIter?: number;
  /**
   * Also find lambda_max (result field `largest`): Lanczos on K with the product on the copy
   * of K the Cholesky path already holds (wasm: no second copy in, half the memory traffic of
   * a full product), to a relative residual of 1e-10 in at most 300 steps (else reported as
   * not converged, with a true but loose bound); from the full spectrum on the tridiagonal
   * path. Default false.
   */
  largest?: boolean;
}

/** Result of {@link lambdaMin}. */
export interface LambdaMinResult {
  /** The smallest eigenvalue. */
  value: number;
  /** How it was computed. */
  method: 'cholesky-lanczos' | 'tridiagonal';
  /**
   * A bound on |value - lambda_min|, never below the rounding level n eps ||K||.
   * Cholesky-Lanczos: the residual r = ||K y - value y|| of the unit Ritz vector y, computed
   * with K itself, plus the rounding level n eps ||K||_F of that computation: an eigenvalue of
   * K lies within it of value (Weyl), and lambda_min <= value (Rayleigh quotient); Lanczos from
   * a random start finds the bottom eigenvalue first, which is why it is lambda_min. For a
   * certificate that lambda_min >= value - errorBound, run `isPositiveDefinite` with that margin.
   * Tridiagonal: the backward-error level n eps max|lambda|.
   */
  errorBound: number;
  /** Whether `errorBound` is within the tolerance ({@link tolerance}). */
  converged: boolean;
  /** The absolute tolerance the bound was held to (see {@link LambdaMinOptions.tol}). */
  tolerance: number;
  /** Cholesky-Lanczos only: the residual norm r (some eigenvalue lies within r of `value`). */
  residual?: number;
  /** Cholesky-Lanczos only: Lanczos solve vectors (over both factorizations after a shift). */
  iterations?: number;
  /** Why the Cholesky path was left for the tridiagonal one, when it was. */
  fallback?: string;
  /** With `largest`: lambda_max, a bound on its error, the Lanczos steps (0 on the tridiagonal path), whether it converged. */
  largest?: LambdaMaxResult;
}

/**
 * The smallest eigenvalue of the symmetric matrix K, with an error bound and whether it met
 * the tolerance, without computing the whole spectrum when K is positive definite (see
 * {@link LambdaMinOptions.method}). A singular or indefinite K (e.g. an NTK of data with
 * duplicate rows) gives its true lambda_min (about 0, or negative) through the fallback,
 * never an error. Any finite scale (subnormal to 1e308) is handled by an exact power-of-two
 * scaling.
 * @throws NtkInputError when K is not square, not finite or not symmetric, or an option is invalid.
 */
export function lambdaMin(k: MatrixLike, opts: LambdaMinOptions = {}): LambdaMinResult {
  const method = opts.method ?? 'auto';
  if (!['auto', 'cholesky', 'tridiagonal'].includes(method)) {
    throw new NtkInputError('method', `unknown method ${JSON.stringify(method)}`, 'use auto, cholesky or tridiagonal');
  }
  const tol = opts.tol ?? DEFAULT_TOL;
  if (!(tol > 0 && tol < 1)) throw new NtkInputError('tol', `must be in (0, 1), got ${tol}`, 'pass e.g. 1e-14');
  const maxIter = opts.maxIter ?? 300;
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new NtkInputError('maxIter', `must be a positive integer, got ${maxIter}`, 'pass e.g. 300');
  }
  const p = prepare(k, opts, 'lambdaMin');
  const be = opts.backend ?? getBackend();
  const n = p.n;
  if (n === 0) throw new NtkInputError('K', 'is empty (0 x 0)', 'pass a matrix with at least one row');
  const unscale = (x: number) => ldexp(x, -p.exp);
  // A bound brought back to K's units must stay a bound: rounded up, and at least the spacing
  // of the subnormal numbers the values may round to.
  const unscaleBound = (x: number) => (p.exp === 0 ? x : unscale(x) * (1 + 4 * EPS) + Number.MIN_VALUE);
  const norms = operatorNorms(n, p.data);
  // A lower bound on lambda_max for the tolerance: max diag and ||K||_F / sqrt(n) both are.
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, p.data[i * n + i]!);
  const lmaxLow = Math.max(maxDiag, norms.fro / Math.sqrt(n));
  // What K y and y^T K y may be off by in floating point: every error bound includes it.
  const floor = n * EPS * norms.fro;
  const tolAbs = opts.tol === undefined ? Math.max(tol * lmaxLow, 2 * floor) : tol * lmaxLow;
  let fallback: string | undefined;
  if (method === 'cholesky' || (method === 'auto' && n > 64)) {
    // Lanczos is run to the tolerance, or to the rounding level when the tolerance is below it.
    const target = Math.max(tolAbs, 2 * floor);
    // Factor K - shift I (dropping the copy of K when both do not fit: the residuals' K y are
    // then formed here, from the caller's matrix) and run `body` on the factor.
    const withFactor = <T>(shift: number, body: (f: CholeskyFactor) => T): T => {
      try {
        return be.cholesky(n, p.data, shift, true, body);
      } catch (e) {
        if (!(e instanceof NtkMemoryError)) throw e;
        return be.cholesky(n, p.data, shift, false, (f) => body({
          n, info: f.info, solve: (x, k) => f.solve(x, k), multiply: (x, y, k) => symvLowerRowMajor(n, p.data, x, y, k),
        }));
      }
    };
    const first = withFactor(0, (f) => {
      if (f.info !== 0) return `K is not numerically positive definite (Cholesky pivot ${f.info} <= 0)`;
      const plan = new ShiftPlanner(factorCostInSolves(n, be), target / lmaxLow);
      const out = lanczosInverse(f, { tol: target, floor, maxIter, shouldStop: (st) => plan.update(st) });
      const top = opts.largest ? lanczosLargest(n, (x, y) => f.multiply(x, y), norms) : undefined;
      return { out, shifts: plan.shifts, top };
    });
    let out: LanczosResult | undefined;
    let iterations = 0;
    if (typeof first === 'string') fallback = first;
    else {
      out = first.out;
      iterations = out.iterations;
      // Shift and invert: Lanczos on (K - sigma I)^{-1}, sigma a little below lambda_min, from
      // the Ritz vector found so far. A shift that turns out not to be below lambda_min shows
      // as a failed factorization; then the next, lower one is tried.
      for (const sigma of out.converged ? [] : first.shifts) {
        const second = withFactor(sigma, (f) => (f.info !== 0 ? null : lanczosInverse(f, {
          tol: target, floor, maxIter: Math.max(1, maxIter - iterations), start: out!.vector,
        })));
        if (!second) continue;
        iterations += second.iterations;
        out = second;
        break;
      }
      if (out.converged) {
        const r: LambdaMinResult = {
          value: unscale(out.value), method: 'cholesky-lanczos', errorBound: unscaleBound(out.errorBound),
          converged: out.errorBound <= tolAbs, tolerance: unscale(tolAbs), residual: unscale(out.residual), iterations,
        };
        if (first.top) r.largest = { ...first.top, value: unscale(first.top.value), errorBound: unscaleBound(first.top.errorBound) };
        return r;
      }
      fallback = `Lanczos did not reach the tolerance in ${iterations} steps (bound ${out.errorBound.toExponential(2)}; a tight cluster at the bottom of the spectrum?)`;
    }
  }
  const w = new Float64Array(n);
  if (be.symEigvals(n, p.data, w) !== 0) {
    fallback = `${fallback ?? ''}; QL failed: Jacobi`;
    jacobiEig(n, p.data, w, null);
    w.sort();
  }
  const big = Math.max(Math.abs(w[0]!), Math.abs(w[n - 1]!));
  const bound = n * EPS * big;
  const res: LambdaMinResult = {
    value: unscale(w[0]!), method: 'tridiagonal', errorBound: unscaleBound(bound),
    converged: bound <= tolAbs, tolerance: unscale(tolAbs),
  };
  if (fallback) res.fallback = fallback;
  if (opts.largest) res.largest = { value: unscale(w[n - 1]!), errorBound: res.errorBound, steps: 0, converged: true };
  return res;
}

/**
 * Decides when Lanczos on K^{-1} should stop for a second factorization of K - sigma I with
 * sigma just below lambda_min (shift and invert). The NTK's bottom eigenvalues are clustered
 * (tanh at n = 3000: lambda_2 / lambda_1 - 1 ~ 1e-3), so on K^{-1} the relative gap is tiny
 * and Lanczos needs ~160 solves; on (K - sigma I)^{-1} with lambda_1 - sigma ~ the gap the top
 * eigenvalue is well separated and ~10-20 solves suffice. Worth it when one more factorization
 * costs less than the solves it saves: the factorization's cost comes from a model
 * ({@link factorCostInSolves}), the solves left from the convergence rate observed so far.
 *
 * (A block Lanczos on K^{-1} was tried first and measured slower: for these spectra
 * the vectors it needs grow ~b^(2/3) with the block size b while a b-vector solve costs
 * 1 + ~0.25 (b - 1) single solves; see ./lanczos.ts.)
 * @internal
 */
class ShiftPlanner {
  /** Shifts to try, best first (empty until {@link update} decides to switch). */
  shifts: number[] = [];
  /** Best relative residual so far after step 1, 2, ... (Lanczos reports every step). */
  private readonly rels: number[] = [];

  /**
   * @param factorSolves what one more factorization costs, in solves (a model, not a clock:
   *   the decision, and so the result's last bits, must not depend on the machine's load).
   * @param relTarget the relative residual Lanczos is run to.
   */
  constructor(private readonly factorSolves: number, private readonly relTarget: number) {}

  update(st: LanczosProgress): boolean {
    const best = Math.min(st.rel, this.rels.length ? this.rels[this.rels.length - 1]! : Infinity);
    this.rels.push(best);
    if (st.m < 16 || !(st.theta2 > 0) || !(st.theta1 > st.theta2)) return false;
    const rho = 1 / st.theta1, gap = 1 / st.theta2 - rho;
    // sigma = rho - gap / 2 is below lambda_min when rho's error is well inside the gap (the
    // Ritz estimate of lambda_2 is an upper bound, so the gap may be overestimated: then the
    // shift is merely less effective).
    if (!(st.predicted <= gap / 8)) return false;
    const half = Math.floor(st.m / 2);
    const q = (best / this.rels[half - 1]!) ** (1 / (st.m - half));
    const remaining = q < 1 ? Math.log(this.relTarget / best) / Math.log(q) : Infinity;
    // Switch when a factorization plus ~24 solves after it beats the solves left here.
    if (!(this.factorSolves + 24 < 0.8 * remaining)) return false;
    this.shifts = [rho - gap / 2, rho - 4 * gap, 0].filter((x, i, a) => x >= 0 && a.indexOf(x) === i);
    return true;
  }
}

/**
 * A Cholesky factorization's cost in single-vector solves: (n^3/3 multiply-adds at GEMM speed)
 * over (one memory-bound pass over the n^2/2 factor, twice). Measured on the project's machine
 * at n = 3000: wasm factor 0.45 s on 2 threads / solve 7.9 ms ~ n / 53 (1 thread ~ n / 26);
 * the js backend's factorization is ~10x slower against similar solves.
 */
function factorCostInSolves(n: number, be: Backend): number {
  return be.kind === 'js' ? n / 3 : n / (be.threads > 1 ? 50 : 25);
}

/** Y = K X for `nrhs` vectors (n x nrhs column-major), K row-major with its lower triangle read. */
export function symvLowerRowMajor(n: number, k: Float64Array, x: Float64Array, y: Float64Array, nrhs = 1): void {
  for (let r = 0; r < nrhs; r++) {
    const o = r * n;
    y.fill(0, o, o + n);
    for (let i = 0; i < n; i++) {
      const ki = i * n;
      const xi = x[o + i]!;
      let t = k[ki + i]! * xi;
      for (let j = 0; j < i; j++) {
        const kij = k[ki + j]!;
        t += kij * x[o + j]!;
        y[o + j]! += kij * xi;
      }
      y[o + i]! += t;
    }
  }
}
