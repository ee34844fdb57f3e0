/**
 * Pair expectations `E[g(u) g(u')]`, `(u, u') ~ N(0, [[a, s], [s, b]])`, for whole covariance
 * matrices: the kernels `E_l = E[phi phi]` and `Ed_l = E[phi' phi']` of the infinite-width
 * recursion and the matrix of lambda_1 (docs/conventions.md).
 *
 * Method (generalized Mehler formula):
 * `E[g(u) g(u')] = sum_r b_r(a) b_r(b) rho^r`, `rho = s / sqrt(a b)`, with `b_r` the orthonormal
 * Hermite coefficients of g under N(0, a). This file drives it; the pieces sit in their own files:
 * - series-tables.ts: the coefficients, once per distinct variance (one GEMM against the
 *   normalized Hermite table, or the activation's closed forms);
 * - truncation.ts: where each pair's series may stop (the Cauchy-Schwarz bound on the rest by
 *   the Parseval tails) and the degree the tables need;
 * - the O(n^2) pair loop runs in the backend (`mehlerPairs`, wasm SIMD over threads);
 * - trapezoid-2d.ts: the 2-D product trapezoid for the pairs the series cannot certify within
 *   `rmax` terms, within a budget of evaluations;
 * - closed-form-kernels.ts: activations whose pair expectations have closed forms skip all this.
 * @module
 */
import { getBackend } from '../backend/default.js';
import { NtkInputError } from '../errors.js';
import type { Matrix, MatrixLike } from '../matrix.js';
import { resolvePhi, type PhiInput } from './gauss.js';
import { checkCovariance } from './covariance.js';
import { MEHLER_RMAX, MEHLER_TOL, type PairOptions, type PairStats } from './pair-options.js';
import { scratch } from './scratch.js';
import { buildSeriesTables, seriesFunctions } from './series-tables.js';
import { certifyAtResolution } from './resolution-pass.js';
import { fillUncertified } from './trapezoid-2d.js';
import { certificationTol, largestCorrelation, seriesDegree } from './truncation.js';

/** Result of {@link gaussKernelMatrices}. */
export interface KernelMatrices {
  /** `E[phi(u_i) phi(u_j)]`, n x n. */
  E: Matrix;
  /** `E[phi'(u_i) phi'(u_j)]`, n x n, when requested. */
  Ed: Matrix | null;
  /** How the pair expectations were computed. */
  stats: PairStats;
}

/**
 * The matrices `E[phi(u_i) phi(u_j)]` (and `E[phi'(u_i) phi'(u_j)]` with `derivative`) for
 * `u ~ N(0, Sigma)`: generalized Mehler series per pair with the 2-D trapezoid fallback (see
 * the module comment). A pair by the series is accurate to `tol sqrt(E_ii E_jj)` plus rounding,
 * or `(tol + nu) sqrt(E_ii E_jj)` when |rho| is so close to 1 that its truncation error cannot be
 * bounded below the Parseval resolution nu of the coefficient tables (`4 sqrt(2K+1) u`, K the
 * grid's positive nodes: 1e-14 at variance 4, 1.3e-14 at 12; see truncation.ts); a pair by the
 * 2-D fallback to ~1e-15 relative.
 * @param Sigma n x n covariance (symmetric; only its lower triangle and diagonal are read).
 * @throws NtkInputError when Sigma is not square, has non-finite entries or a negative
 *   diagonal, or the activation cannot be evaluated.
 */
export function gaussKernelMatrices(Sigma: MatrixLike, phi: PhiInput,
  opts: PairOptions & { derivative?: boolean } = {}): KernelMatrices {
  const S = checkCovariance(Sigma);
  const n = S.rows, d = S.data;
  const tol = opts.tol ?? MEHLER_TOL;
  const rcap = opts.rmax ?? MEHLER_RMAX;
  if (!(tol > 0 && tol < 1)) throw new NtkInputError('tol', `must be in (0, 1), got ${tol}`, 'pass e.g. tol = 1e-15');
  if (!Number.isInteger(rcap) || rcap < 1 || rcap > 2000) throw new NtkInputError('rmax', `must be an integer in [1, 2000], got ${rcap}`, 'pass e.g. rmax = 128');
  const be = opts.backend ?? getBackend();
  const variances = new Float64Array(n);
  const isd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = d[i * n + i]!;
    variances[i] = v;
    isd[i] = v > 0 ? 1 / Math.sqrt(v) : 0;
  }
  // Largest |rho| short of duplicates sets how many terms any certified pair may need.
  const R = seriesDegree(opts.rhoMax ?? largestCorrelation(d, n, isd), tol, rcap);
  const derivative = opts.derivative ?? false;
  const tables = buildSeriesTables(phi, variances, R, { ...opts, backend: be, derivative }, scratch);
  const nser = tables.nser;
  const out = opts.out && opts.out.length >= nser * n * n ? opts.out : new Float64Array(nser * n * n);
  // Odd phi: b_r = 0 for even r and phi' even, so each term feeds one of the two series.
  const parity = nser > 1 && resolvePhi(phi).activation?.odd ? 1 : 0;
  // The tails are upper bounds at the tables' Parseval resolution nu: certify at tol, then
  // retry the rest at tol + nu, the best any bound can resolve (resolution-pass.ts).
  const first = be.mehlerPairs(n, nser, R + 1, d, isd, tables.coef, tables.tail, tables.diag, tol, parity, out);
  const uncertified = first > 0 ? certifyAtResolution(be, n, d, isd, tables, certificationTol(tol, tables.resolution), parity, out) : 0;
  // Pairs the series could not certify: 2-D trapezoid, within a budget of evaluations.
  const fallback = fillUncertified({ n, d, variances, isd, count: uncertified }, seriesFunctions(phi, derivative).fns, out, opts);
  const E: Matrix = { rows: n, cols: n, data: out.subarray(0, n * n) };
  const Ed: Matrix | null = nser > 1 ? { rows: n, cols: n, data: out.subarray(n * n) } : null;
  return {
    E, Ed, stats: {
      distinctVariances: tables.distinct, rmax: R, fallbackPairs: fallback, resolutionPairs: first - uncertified,
      resolution: tables.resolution, h: tables.grid.h,
    },
  };
}

/** Result of {@link gaussPairExpectation}. */
export interface PairExpectation {
  /** E[phi(u) phi(u')]. */
  phi: number;
  /** E[phi'(u) phi'(u')] when the activation has phi'. */
  dphi: number | null;
  /** `'mehler'` or `'trapezoid-2d'` (the fallback). */
  method: 'mehler' | 'trapezoid-2d';
}

/**
 * `E[phi(u) phi(u')]` (and `E[phi'(u) phi'(u')]` when phi' is known) for
 * `(u, u') ~ N(0, [[a, rho sqrt(ab)], [rho sqrt(ab), b]])`.
 * @throws NtkInputError for bad variances or |rho| > 1.
 */
export function gaussPairExpectation(phi: PhiInput, a: number, b: number, rho: number, opts: PairOptions = {}): PairExpectation {
  if (!(Math.abs(rho) <= 1)) throw new NtkInputError('rho', `must be in [-1, 1], got ${rho}`, 'pass a correlation');
  const derivative = resolvePhi(phi).dphi !== null;
  const c = rho * Math.sqrt(a * b);
  const res = gaussKernelMatrices({ rows: 2, cols: 2, data: Float64Array.of(a, c, c, b) }, phi, { ...opts, derivative });
  return {
    phi: res.E.data[2]!,
    dphi: res.Ed ? res.Ed.data[2]! : null,
    method: res.stats.fallbackPairs > 0 ? 'trapezoid-2d' : 'mehler',
  };
}
