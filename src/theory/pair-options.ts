/**
 * Options, statistics and defaults shared by the pair expectations (mehler.ts), their series
 * tables (series-tables.ts), their 2-D fallback (trapezoid-2d.ts) and the infinite-width
 * recursion that calls them (infinite-width.ts).
 * @module
 */
import type { Backend } from '../backend/types.js';
import type { GridOptions } from './gauss.js';

/** Default truncation tolerance of the Mehler series, relative to sqrt(E_a[g^2] E_b[g^2]). */
export const MEHLER_TOL = 1e-15;
/** Default highest Hermite degree of the Mehler series before the 2-D fallback. */
export const MEHLER_RMAX = 128;

/** Options of the pair expectations. */
export interface PairOptions extends GridOptions {
  /** Backend running the pair loop (default: the default backend). */
  backend?: Backend;
  /** Truncation tolerance relative to sqrt(E_a E_b) (default 1e-15). */
  tol?: number;
  /** Highest series degree before falling back to the 2-D trapezoid (default 128). */
  rmax?: number;
  /**
   * Output buffer to reuse (length >= n^2, or 2 n^2 with phi'): E is written to its first n^2
   * values and Ed to the next. Fresh memory is slow to touch on some hosts; callers that loop
   * (the infinite-width recursion) pass the same buffer each time.
   */
  out?: Float64Array;
  /**
   * @internal The largest off-diagonal |rho| below 1 - 1e-9 when the caller already knows it
   * (the infinite-width recursion computes it while writing Sigma): skips the scan of Sigma,
   * and with it the finiteness check, so only for matrices built by the library.
   */
  rhoMax?: number;
  /** @internal Grid values per temporary array in the coefficient tables (tests force chunking with it). */
  chunkElements?: number;
  /**
   * Most integrand evaluations the 2-D fallback may spend (default 2e9, ~a minute): beyond it
   * the call fails with an NtkInputError instead of running for hours (many pairs with |rho|
   * near 1 at large variances).
   */
  fallbackBudget?: number;
}

/** Statistics of one `gaussKernelMatrices` call (mehler.ts). */
export interface PairStats {
  /** Distinct variances on the diagonal (= sets of series coefficients computed). */
  distinctVariances: number;
  /** Highest degree of the coefficient tables. */
  rmax: number;
  /** Pairs computed by the 2-D trapezoid fallback instead of the series. */
  fallbackPairs: number;
  /**
   * Pairs the series certified only at `tol + nu`, nu the tables' Parseval resolution (|rho| so
   * close to 1 that no tail bound resolves the truncation error below it; truncation.ts): their
   * error bound is `(tol + nu) sqrt(E_ii E_jj)`, every other series pair's `tol sqrt(E_ii E_jj)`.
   */
  resolutionPairs: number;
  /** The Parseval resolution nu of the coefficient tables (truncation.ts). */
  resolution: number;
  /** Trapezoid step used (standardized variable). */
  h: number;
}
