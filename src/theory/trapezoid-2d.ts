/**
 * The fallback of the Mehler series (mehler.ts) for the pairs it cannot certify within `rmax`
 * terms (|rho| near 1 with slowly decaying coefficients, e.g. tanh at variance 2-6): a 2-D
 * product trapezoid in whitened coordinates
 * `u = sqrt(a) z1, u' = sqrt(b) (rho z1 + sqrt(1 - rho^2) z2)`, which stays accurate up to and
 * including |rho| = 1 (the inner variance then shrinks to 0), at (2K+1)^2 evaluations per pair
 * (~5 ms in JS at variance <= 4). A budget on their total turns hopeless cases (many
 * near-duplicate rows at variances ~1e4) into an error instead of hours.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { trapezoidGrid, type GridOptions, type ScalarFn, type TrapezoidGrid } from './gauss.js';
import type { PairOptions } from './pair-options.js';

/**
 * Default of {@link PairOptions.fallbackBudget}: integrand evaluations the 2-D fallback may spend
 * (~a minute on a quiet core, several on a loaded one). A sweep's preflight uses the same budget.
 */
export const FALLBACK_BUDGET = 2e9;

/**
 * `E[f(u) f(u')]` for each f in `fs`, `(u, u')` with variances a, b and correlation rho, by the
 * product trapezoid rule in whitened coordinates (see the module comment): (2K+1)^2 evaluations
 * per function, accurate to ~1e-15 for every |rho| <= 1.
 * @throws NtkInputError for variances < 0 or |rho| > 1.
 */
export function pairExpectation2d(fs: ScalarFn[], a: number, b: number, rho: number, opts: GridOptions = {}): number[] {
  if (!(a >= 0 && b >= 0 && Number.isFinite(a) && Number.isFinite(b))) {
    throw new NtkInputError('variance', `must be finite and >= 0, got ${a}, ${b}`, 'pass non-negative variances');
  }
  if (!(Math.abs(rho) <= 1)) throw new NtkInputError('rho', `must be in [-1, 1], got ${rho}`, 'pass a correlation');
  const sa = Math.sqrt(a), sb = Math.sqrt(b), c = Math.sqrt(Math.max(0, 1 - rho * rho));
  // The outer integrand varies on the scale of sqrt(max(a, b rho^2)), the inner one on
  // sqrt(b (1 - rho^2)): each grid has the step its own variance needs (see gauss.ts).
  const full = (g: TrapezoidGrid) => {
    const K = g.half, t = new Float64Array(2 * K + 1), w = new Float64Array(2 * K + 1);
    for (let k = -K; k <= K; k++) { t[k + K] = k * g.h; w[k + K] = g.w[Math.abs(k)]!; }
    return { t, w };
  };
  const outer = full(trapezoidGrid(Math.max(a, b * rho * rho, 1e-300), opts));
  const inner = full(trapezoidGrid(Math.max(b * c * c, 1e-300), opts));
  return fs.map((f) => {
    let sum = 0;
    for (let p = 0; p < outer.t.length; p++) {
      const z1 = outer.t[p]!;
      const base = rho * z1;
      let acc: number;
      if (c === 0) acc = f(sb * base);
      else {
        acc = 0;
        for (let q = 0; q < inner.t.length; q++) acc += inner.w[q]! * f(sb * (base + c * inner.t[q]!));
      }
      sum += outer.w[p]! * f(sa * z1) * acc;
    }
    return sum;
  });
}

/** Integrand evaluations {@link pairExpectation2d} spends per function. */
export function pair2dCost(a: number, b: number, rho: number, opts: GridOptions): number {
  const c2 = Math.max(0, 1 - rho * rho);
  const nodes = (v: number) => 2 * trapezoidGrid(Math.max(v, 1e-300), opts).half + 1;
  return nodes(Math.max(a, b * rho * rho)) * (c2 === 0 ? 1 : nodes(b * c2));
}

/** A covariance whose pairs the series left uncertified, as mehler.ts holds it. */
export interface UncertifiedPairs {
  /** Samples. */
  n: number;
  /** n x n row-major covariance (lower triangle read). */
  d: Float64Array;
  /** Its diagonal. */
  variances: Float64Array;
  /** 1/sqrt of the diagonal (0 for a zero variance). */
  isd: Float64Array;
  /** How many pairs (i > j) the series left as NaN in `out`. */
  count: number;
}

/**
 * Computes by {@link pairExpectation2d} every pair (i > j) the series left as NaN in `out`
 * (nser n x n matrices, one per function of `fns`), both triangles, after checking the total
 * cost against `opts.fallbackBudget`.
 * @returns the number of pairs computed.
 * @throws NtkInputError naming `Sigma` when the fallback would exceed its budget.
 */
export function fillUncertified(p: UncertifiedPairs, fns: ScalarFn[], out: Float64Array, opts: PairOptions): number {
  const { n, d, variances, isd, count } = p;
  const nser = fns.length;
  if (count === 0) return 0;
  const rhoOf = (i: number, j: number) => Math.min(1, Math.max(-1, d[i * n + j]! * isd[i]! * isd[j]!));
  let cost = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    if (!Number.isNaN(out[i * n + j]!)) continue;
    cost += nser * pair2dCost(variances[i]!, variances[j]!, rhoOf(i, j), opts);
  }
  if (cost > (opts.fallbackBudget ?? FALLBACK_BUDGET)) {
    let vmax = 0;
    for (let i = 0; i < n; i++) vmax = Math.max(vmax, variances[i]!);
    throw new NtkInputError('Sigma', `${count} pairs have |rho| too close to 1 for the series at variances up to ` +
      `${vmax.toPrecision(3)}: the 2-D fallback would need ${cost.toExponential(1)} evaluations`,
      'normalize the data (||x||^2 = d), lower nu0sq, remove near-duplicate rows, or raise fallbackBudget');
  }
  let done = 0;
  for (let i = 0; i < n && done < count; i++) {
    for (let j = 0; j < i; j++) {
      if (!Number.isNaN(out[i * n + j]!)) continue;
      done++;
      const v = pairExpectation2d(fns, variances[i]!, variances[j]!, rhoOf(i, j), opts);
      for (let s = 0; s < nser; s++) {
        out[s * n * n + i * n + j] = v[s]!;
        out[s * n * n + j * n + i] = v[s]!;
      }
    }
  }
  return done;
}
