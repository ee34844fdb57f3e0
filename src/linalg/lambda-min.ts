/**
 * lambda_min of a symmetric matrix with an honest error bound and a convergence flag
 * ({@link lambdaMin}): Cholesky + Lanczos on K^{-1} (with shift and invert) when K is
 * positive definite, the full spectrum otherwise. lambda_min of the NTK is the paper's
 * central quantity (Thm 4.1 bounds it below by c0 * lambda_1).
 * @module
 */
import { stageClock } from '../backend/common/eig-layout.js';
import { getBackend } from '../backend/default.js';
import type { CholeskyFactor } from '../backend/types.js';
import { NtkInputError, NtkMemoryError } from '../errors.js';
import type { MatrixLike } from '../matrix.js';
import { tridiagEigenvalue } from './bisect.js';
import { costModel, LanczosPlanner } from './lambda-min-plan.js';
import { lanczosInverse, type LanczosResult } from './lanczos.js';
import { lanczosLargest, type LambdaMaxResult } from './lanczos-max.js';
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
   * solves, and to `'tridiagonal'` when K is not positive definite or Lanczos stalls;
   * `'tridiagonal'`: the reduction of `eigvalsh`, then bisection for the extreme eigenvalues
   * (no QL); `'auto'` (default): `'cholesky'`
   * when n > 64 and a cost model expects the factorization and a short probe to cost under
   * half the tridiagonal route, else `'tridiagonal'`, and the Cholesky route is also left for
   * the tridiagonal one as soon as the model predicts that finishing it costs more (a dense
   * bottom of the spectrum): see {@link LambdaMinResult.cost}.
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
  /**
   * Filled with the seconds per stage when given (for reports such as `ntk eig --json`; the
   * route is never chosen by a clock): see {@link LambdaMinStages}.
   */
  stages?: LambdaMinStages;
}

/**
 * Seconds per stage of {@link lambdaMin}: `factorize` (Cholesky factorizations, with the copy
 * into the backend), `lanczos` (the Lanczos solves and the residual checks), `largest`
 * (lambda_max by Lanczos on K), `tridiagonalize` (the reduction of the tridiagonal route),
 * `bisection` (its two extreme eigenvalues). Only the stages that ran are present.
 */
export type LambdaMinStages = Partial<Record<'factorize' | 'lanczos' | 'largest' | 'tridiagonalize' | 'bisection', number>>;

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
  /**
   * The cost model's account of the Cholesky route, whenever it was considered (in model
   * seconds: nominal kernel rates, so the same on any machine load): what a
   * factorization and the tridiagonal route cost, what the Cholesky route spent
   * (factorizations and Lanczos steps; also when it was then left), and what it decided.
   */
  cost?: LambdaMinCost;
  /** With `largest`: lambda_max, a bound on its error, the Lanczos steps (0 on the tridiagonal path), whether it converged. */
  largest?: LambdaMaxResult;
}

/** See {@link LambdaMinResult.cost}. */
export interface LambdaMinCost {
  /** One Cholesky factorization, in model seconds. */
  factor: number;
  /** The tridiagonal route, in model seconds. */
  tridiagonal: number;
  /** What the Cholesky route spent, in model seconds (0 when it was not started). */
  spent: number;
  /**
   * `'cholesky-lanczos'`: it finished there; `'shift'`: after a second factorization at a
   * shift; `'tridiagonal'`: the model sent it (up front, or when Lanczos was losing) to the
   * tridiagonal route; `'not-definite'` / `'stalled'`: it left for other reasons.
   */
  decision: 'cholesky-lanczos' | 'shift' | 'tridiagonal' | 'not-definite' | 'stalled';
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
  const clock = stageClock(opts.stages);
  const be = opts.backend ?? getBackend();
  const n = p.n;
  if (n === 0) throw new NtkInputError('K', 'is empty (0 x 0)', 'pass a matrix with at least one row');
  const unscale = (x: number) => ldexp(x, -p.exp);
  // A bound brought back to K's units must stay a bound: rounded up, and at least the spacing
  // of the subnormal numbers the values may round to.
  const unscaleBound = (x: number) => (p.exp === 0 ? x : unscale(x) * (1 + 4 * EPS) + Number.MIN_VALUE);
  const norms = p.norms;
  // A lower bound on lambda_max for the tolerance: max diag and ||K||_F / sqrt(n) both are.
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, p.data[i * n + i]!);
  const lmaxLow = Math.max(maxDiag, norms.fro / Math.sqrt(n));
  // What K y and y^T K y may be off by in floating point: every error bound includes it.
  const floor = n * EPS * norms.fro;
  const tolAbs = opts.tol === undefined ? Math.max(tol * lmaxLow, 2 * floor) : tol * lmaxLow;
  let fallback: string | undefined;
  const model = costModel(n, be);
  let cost: LambdaMinCost | undefined;
  const worth = LanczosPlanner.worthStarting(model);
  if (method === 'auto' && n > 64 && !worth) {
    cost = { factor: model.factor, tridiagonal: model.tridiagonal, spent: 0, decision: 'tridiagonal' };
  }
  if (method === 'cholesky' || (method === 'auto' && n > 64 && worth)) {
    // Lanczos is run to the tolerance, or to the rounding level when the tolerance is below it.
    const target = Math.max(tolAbs, 2 * floor);
    // Factor K - shift I (dropping the copy of K when both do not fit: the residuals' K y are
    // then formed here, from the caller's matrix) and run `body` on the factor.
    // The Krylov basis beside the factor holds every Lanczos vector the run may take.
    const krylov = Math.min(maxIter, n);
    const withFactor = <T>(shift: number, run: (f: CholeskyFactor) => T): T => {
      clock(null);
      const body = (f: CholeskyFactor) => { clock('factorize'); return run(f); };
      try {
        return be.cholesky(n, p.data, shift, true, body, krylov);
      } catch (e) {
        if (!(e instanceof NtkMemoryError)) throw e;
        return be.cholesky(n, p.data, shift, false, (f) => body({
          n, info: f.info, solve: (x, k) => f.solve(x, k), multiply: (x, y, k) => symvLowerRowMajor(n, p.data, x, y, k),
          ...(f.krylov ? { krylov: f.krylov } : {}),
        }), krylov);
      }
    };
    // 'cholesky' asked for this route: only the shift is planned, never a cost-model exit.
    const plan = new LanczosPlanner(model, target / lmaxLow, method === 'auto');
    const account = (decision: LambdaMinCost['decision']): LambdaMinCost =>
      ({ factor: model.factor, tridiagonal: model.tridiagonal, spent: plan.spent, decision });
    const first = withFactor(0, (f) => {
      if (f.info !== 0) return `K is not numerically positive definite (Cholesky pivot ${f.info} <= 0)`;
      const out = lanczosInverse(f, { tol: target, floor, maxIter, shouldStop: (st) => plan.update(st) });
      clock('lanczos');
      // lambda_max only when lambda_min is found here: the tridiagonal route gives both.
      const top = opts.largest && (out.converged || plan.decision === 'shift') ? lanczosLargest(n, (x, y) => f.multiply(x, y), norms) : undefined;
      if (top) clock('largest');
      return { out, top };
    });
    let out: LanczosResult | undefined;
    let iterations = 0;
    if (typeof first === 'string') {
      fallback = first;
      cost = account('not-definite');
    } else {
      out = first.out;
      iterations = out.iterations;
      let shifted = false;
      // Shift and invert: Lanczos on (K - sigma I)^{-1}, sigma a little below lambda_min, from
      // the Ritz vector found so far. A shift that turns out not to be below lambda_min shows
      // as a failed factorization; then the next, lower one is tried. The planner goes on
      // counting (without planning another shift), so a shift that does not help is given up
      // within the same budget.
      for (const sigma of out.converged || plan.decision !== 'shift' ? [] : plan.shifts) {
        plan.startShifted();
        const second = withFactor(sigma, (f) => (f.info !== 0 ? null : lanczosInverse(f, {
          tol: target, floor, maxIter: Math.max(1, maxIter - iterations), start: out!.vector,
          shouldStop: (st) => plan.update(st),
        })));
        clock('lanczos');
        if (!second) continue;
        iterations += second.iterations;
        out = second;
        shifted = true;
        break;
      }
      if (out.converged) {
        const r: LambdaMinResult = {
          value: unscale(out.value), method: 'cholesky-lanczos', errorBound: unscaleBound(out.errorBound),
          converged: out.errorBound <= tolAbs, tolerance: unscale(tolAbs), residual: unscale(out.residual), iterations,
          cost: account(shifted ? 'shift' : 'cholesky-lanczos'),
        };
        if (first.top) r.largest = { ...first.top, value: unscale(first.top.value), errorBound: unscaleBound(first.top.errorBound) };
        return r;
      }
      if (plan.decision === 'tridiagonal') {
        fallback = `${plan.reason} (bound ${out.errorBound.toExponential(2)} after ${iterations} solves)`;
        cost = account('tridiagonal');
      } else {
        fallback = `Lanczos did not reach the tolerance in ${iterations} steps (bound ${out.errorBound.toExponential(2)}; a tight cluster at the bottom of the spectrum?)`;
        cost = account('stalled');
      }
    }
  }
  // The tridiagonal route: the reduction of eigvalsh, then bisection for the two extreme
  // eigenvalues instead of QL for all n (cheaper by QL's share, 2-15% of eigvalsh; and it
  // cannot fail to converge).
  const d = new Float64Array(n), e = new Float64Array(n);
  clock(null);
  be.symTridiagonal(n, p.data, d, e);
  clock('tridiagonalize');
  const lo = tridiagEigenvalue(n, d, e, 0), hi = tridiagEigenvalue(n, d, e, n - 1);
  clock('bisection');
  // max|lambda| of K, rounded up by the reduction's own backward error (O(n eps ||K||)), so the
  // bound is not below the rounding level of any other computation of the spectrum.
  const big = Math.max(Math.abs(lo), Math.abs(hi)) * (1 + 4 * (n + 1) * EPS);
  const bound = n * EPS * big;
  const res: LambdaMinResult = {
    value: unscale(lo), method: 'tridiagonal', errorBound: unscaleBound(bound),
    converged: bound <= tolAbs, tolerance: unscale(tolAbs),
  };
  if (fallback) res.fallback = fallback;
  if (cost) res.cost = cost;
  if (opts.largest) res.largest = { value: unscale(hi), errorBound: res.errorBound, steps: 0, converged: true };
  return res;
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
