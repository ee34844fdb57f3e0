/**
 * Symmetric eigenvalue routines: all eigenvalues ({@link eigvalsh}), eigenpairs ({@link eigh}),
 * the smallest eigenvalue with an error bound ({@link lambdaMin}) and a positive-definiteness
 * certificate ({@link isPositiveDefinite}). lambda_min of the NTK is the paper's central
 * quantity (Thm 4.1 bounds it below by c0 * lambda_1).
 *
 * Every function reads the LOWER triangle of a symmetric matrix (numpy's `UPLO='L'`) after
 * checking that the matrix is square, finite and symmetric to a tolerance; the work runs on
 * the backend's {@link LinalgKernels} (wasm or js).
 * @module
 */
import { getBackend } from '../backend/default.js';
import type { Backend, CholeskyFactor } from '../backend/types.js';
import { NtkInputError, NtkMemoryError } from '../errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../matrix.js';
import { lanczosInverse, type LanczosProgress, type LanczosResult } from './lanczos.js';
import { lanczosLargest, type LambdaMaxResult } from './lanczos-max.js';

export type { LambdaMaxResult } from './lanczos-max.js';

const EPS = 2.220446049250313e-16;

/** Options shared by the eigen routines. */
export interface EigOptions {
  /** Backend to run on (default: the default backend, see `init`). */
  backend?: Backend;
  /**
   * Largest accepted `|K[i][j] - K[j][i]|`, relative to `max |K|` (default 1e-8). Only the
   * lower triangle is used; the check catches matrices that are not symmetric at all.
   * `Infinity` skips it.
   */
  symmetryTol?: number;
}

/** A validated symmetric input, scaled by a power of two into a safe exponent range. */
interface Prepared {
  n: number;
  data: Float64Array;
  /** The data were multiplied by this (exactly, a power of two); results are divided by it. */
  scale: number;
  /** max |K| of the input (after scaling). */
  maxAbs: number;
}

function prepare(k: MatrixLike, opts: EigOptions, name = 'K'): Prepared {
  const m: Matrix = toMatrix(k, name);
  if (m.rows !== m.cols) {
    throw new NtkInputError(name, `must be square, got ${m.rows} x ${m.cols}`, 'pass an n x n symmetric matrix');
  }
  const n = m.rows;
  const a = m.data;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (!Number.isFinite(x)) {
      throw new NtkInputError(name, `has a non-finite entry ${x} at [${Math.floor(i / n)}, ${i % n}]`,
        'remove or replace NaN and Infinity values');
    }
    const ax = Math.abs(x);
    if (ax > maxAbs) maxAbs = ax;
  }
  const tol = opts.symmetryTol ?? 1e-8;
  if (!(tol >= 0)) throw new NtkInputError('symmetryTol', `must be >= 0, got ${tol}`, 'pass e.g. 1e-8, or Infinity to skip the check');
  if (tol !== Infinity) {
    const lim = tol * maxAbs;
    // 64 x 64 tiles, so the column-wise reads of the upper triangle stay in cache.
    for (let ib = 0; ib < n; ib += 64) {
      for (let jb = 0; jb <= ib; jb += 64) {
        for (let i = ib; i < Math.min(ib + 64, n); i++) {
          for (let j = jb; j < Math.min(jb + 64, i); j++) {
            const dif = Math.abs(a[i * n + j]! - a[j * n + i]!);
            if (dif > lim) {
              throw new NtkInputError(name, `is not symmetric: |K[${i}][${j}] - K[${j}][${i}]| = ${dif.toExponential(3)} > ${tol} * max|K|`,
                'symmetrize it with (K + K^T) / 2, or pass symmetryTol: Infinity to use its lower triangle as is');
            }
          }
        }
      }
    }
  }
  // Entries near the ends of the float64 range would overflow or underflow in the reflectors
  // and rotations: scale by an exact power of two, so results scale back without rounding.
  let scale = 1;
  if (maxAbs > 0 && (maxAbs > 2 ** 500 || maxAbs < 2 ** -500)) scale = 2 ** -Math.round(Math.log2(maxAbs));
  const data = scale === 1 ? a : a.map((x) => x * scale);
  return { n, data, scale, maxAbs: maxAbs * scale };
}

function fail(what: string, info: number): never {
  throw new Error(`${what}: the QL iteration did not converge for eigenvalue ${info} (please report this matrix)`);
}

/**
 * All eigenvalues of the symmetric matrix K, ascending, without eigenvectors: blocked
 * Householder tridiagonalization (half the flops in the GEMM kernel) then implicit QL.
 * Accuracy: within a small multiple of `eps * max|lambda|` of the exact values (backward stable).
 * @param k n x n symmetric matrix (lower triangle read).
 * @returns Float64Array of n eigenvalues, ascending.
 * @throws NtkInputError when K is not square, not finite or not symmetric (see `symmetryTol`).
 * @throws NtkMemoryError (wasm) when K does not fit in wasm memory.
 */
export function eigvalsh(k: MatrixLike, opts: EigOptions = {}): Float64Array {
  const p = prepare(k, opts);
  const be = opts.backend ?? getBackend();
  const w = new Float64Array(p.n);
  const info = be.symEigvals(p.n, p.data, w);
  if (info !== 0) fail('eigvalsh', info);
  if (p.scale !== 1) for (let i = 0; i < p.n; i++) w[i]! /= p.scale;
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
 * {@link eigvalsh}, implicit QL with the rotations accumulated, and a blocked (GEMM)
 * back-transformation.
 * @throws NtkInputError when K is not square, not finite or not symmetric.
 */
export function eigh(k: MatrixLike, opts: EigOptions = {}): EighResult {
  const p = prepare(k, opts);
  const be = opts.backend ?? getBackend();
  const w = new Float64Array(p.n);
  const v = new Float64Array(p.n * p.n);
  const info = be.symEigh(p.n, p.data, w, v);
  if (info !== 0) fail('eigh', info);
  if (p.scale !== 1) for (let i = 0; i < p.n; i++) w[i]! /= p.scale;
  return { values: w, vectors: { rows: p.n, cols: p.n, data: v } };
}

/** How {@link lambdaMin} computes. */
export type LambdaMinMethod = 'auto' | 'cholesky' | 'tridiagonal';

/** Options of {@link lambdaMin}. */
export interface LambdaMinOptions extends EigOptions {
  /**
   * `'cholesky'`: blocked Cholesky, then Lanczos on K^{-1} until the residual bound certifies
   * the value, switching to a second factorization of K - sigma I (sigma just below
   * lambda_min, shift and invert) when that is estimated to be cheaper than the remaining
   * solves (falls back to `'tridiagonal'` when K is not positive definite or Lanczos
   * stalls); `'tridiagonal'`: the full spectrum as in {@link eigvalsh}; `'auto'` (default):
   * `'cholesky'` for n > 64, else `'tridiagonal'`.
   */
  method?: LambdaMinMethod;
  /** Target error bound relative to a lower estimate of lambda_max (default 1e-14). */
  tol?: number;
  /**
   * Most Lanczos solve vectors (both factorizations together) before falling back (default
   * 300; a stall ends it earlier).
   */
  maxIter?: number;
  /**
   * Also find lambda_max (result field `largest`): Lanczos on K with the product on the copy
   * of K the Cholesky path already holds (wasm: no second copy in, half the memory traffic of
   * a full product), to a relative residual of 1e-10; from the full spectrum on the
   * tridiagonal path. Default false.
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
   * A bound on |value - lambda_min|. Cholesky-Lanczos: the residual r = ||K y - value y|| of
   * the unit Ritz vector y, computed with K itself: an eigenvalue of K lies within r of value
   * (Weyl), and lambda_min <= value (Rayleigh quotient), up to rounding. For a certificate
   * that lambda_min >= value - errorBound, run {@link isPositiveDefinite} with that margin.
   * Tridiagonal: the backward-error bound `4 sqrt(n) eps max|lambda|`.
   */
  errorBound: number;
  /** Cholesky-Lanczos only: the residual norm r (some eigenvalue lies within r of `value`). */
  residual?: number;
  /** Cholesky-Lanczos only: Lanczos solve vectors (over both factorizations after a shift). */
  iterations?: number;
  /** Why the Cholesky path was left for the tridiagonal one, when it was. */
  fallback?: string;
  /** With `largest`: lambda_max, a bound on its error, and the Lanczos steps (0 on the tridiagonal path). */
  largest?: LambdaMaxResult;
}

/**
 * The smallest eigenvalue of the symmetric matrix K, with an error bound, without computing
 * the whole spectrum when K is positive definite (see {@link LambdaMinOptions.method}).
 * A singular or indefinite K (e.g. an NTK of data with duplicate rows) gives its true
 * lambda_min (about 0, or negative) through the fallback, never an error.
 * @throws NtkInputError when K is not square, not finite or not symmetric, or an option is invalid.
 */
export function lambdaMin(k: MatrixLike, opts: LambdaMinOptions = {}): LambdaMinResult {
  const method = opts.method ?? 'auto';
  if (!['auto', 'cholesky', 'tridiagonal'].includes(method)) {
    throw new NtkInputError('method', `unknown method ${JSON.stringify(method)}`, 'use auto, cholesky or tridiagonal');
  }
  const tol = opts.tol ?? 1e-14;
  if (!(tol > 0 && tol < 1)) throw new NtkInputError('tol', `must be in (0, 1), got ${tol}`, 'pass e.g. 1e-14');
  const maxIter = opts.maxIter ?? 300;
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new NtkInputError('maxIter', `must be a positive integer, got ${maxIter}`, 'pass e.g. 300');
  }
  const p = prepare(k, opts);
  const be = opts.backend ?? getBackend();
  const n = p.n;
  if (n === 0) throw new NtkInputError('K', 'is empty (0 x 0)', 'pass a matrix with at least one row');
  let fallback: string | undefined;
  if (method === 'cholesky' || (method === 'auto' && n > 64)) {
    // A lower bound on lambda_max for the tolerance: max diag and ||K||_F / sqrt(n) both are.
    let maxDiag = 0, fro = 0;
    for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, p.data[i * n + i]!);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) fro += (j === i ? 1 : 2) * p.data[i * n + j]! ** 2;
    const lmaxLow = Math.max(maxDiag, Math.sqrt(fro / n));
    const tolAbs = tol * lmaxLow;
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
      const plan = new ShiftPlanner(factorCostInSolves(n, be), tol);
      const out = lanczosInverse(f, { tol: tolAbs, maxIter, shouldStop: (st) => plan.update(st) });
      const top = opts.largest ? lanczosLargest(n, (x, y) => f.multiply(x, y)) : undefined;
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
          tol: tolAbs, maxIter: Math.max(1, maxIter - iterations), start: out!.vector,
        })));
        if (!second) continue;
        iterations += second.iterations;
        out = second;
        break;
      }
      if (out.converged) {
        const r: LambdaMinResult = {
          value: out.value / p.scale, method: 'cholesky-lanczos', errorBound: out.errorBound / p.scale,
          residual: out.residual / p.scale, iterations,
        };
        if (first.top) r.largest = { ...first.top, value: first.top.value / p.scale, errorBound: first.top.errorBound / p.scale };
        return r;
      }
      fallback = `Lanczos did not reach the tolerance in ${iterations} steps (bound ${out.errorBound.toExponential(2)}; a tight cluster at the bottom of the spectrum?)`;
    }
  }
  const w = new Float64Array(n);
  const info = be.symEigvals(n, p.data, w);
  if (info !== 0) fail('lambdaMin', info);
  const big = Math.max(Math.abs(w[0]!), Math.abs(w[n - 1]!));
  const res: LambdaMinResult = { value: w[0]! / p.scale, method: 'tridiagonal', errorBound: (4 * Math.sqrt(n) * EPS * big) / p.scale };
  if (fallback) res.fallback = fallback;
  if (opts.largest) res.largest = { value: w[n - 1]! / p.scale, errorBound: res.errorBound, steps: 0 };
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

/** Options of {@link isPositiveDefinite}. */
export interface PositiveDefiniteOptions extends EigOptions {
  /** Certify lambda_min > margin (default 0). */
  margin?: number;
}

/**
 * Whether the Cholesky factorization of `K - margin*I` runs to completion with positive
 * pivots: a certificate that lambda_min(K) > margin, up to the factorization's backward error
 * (a perturbation of K of norm about n * eps * max|K|; choose `margin` above that to be sure).
 * Costs one Cholesky (n^3 / 3 flops), about a tenth of {@link eigvalsh}.
 * @throws NtkInputError when K is not square, not finite or not symmetric, or margin is not finite.
 */
export function isPositiveDefinite(k: MatrixLike, opts: PositiveDefiniteOptions = {}): boolean {
  const margin = opts.margin ?? 0;
  if (!Number.isFinite(margin)) throw new NtkInputError('margin', `must be a finite number, got ${margin}`, 'pass e.g. 0 or 1e-8');
  const p = prepare(k, opts);
  if (p.n === 0) return true;
  const be = opts.backend ?? getBackend();
  return be.cholesky(p.n, p.data, margin * p.scale, false, (f) => f.info === 0);
}
