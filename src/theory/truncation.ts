/**
 * Where the generalized Mehler series `E[g(u) g(u')] = sum_r b_r(a) b_r(b) rho^r` may stop
 * (mehler.ts). By Cauchy-Schwarz the rest after degree R is bounded by
 * `|sum_{r>R} b_r(a) b_r(b) rho^r| <= |rho|^{R+1} sqrt(T_a(R) T_b(R))`, with the Parseval tails
 * `T_a(R) = E[g^2] - sum_{r<=R} b_r(a)^2`; a pair is certified once that bound falls below
 * `tol * sqrt(E_a[g^2] E_b[g^2])`. The bound is exact up to the rounding of the Parseval
 * identity (~1e-16 relative). This file holds the tails and the degree the tables need.
 * @module
 */
import { NtkInputError } from '../errors.js';

/**
 * Normalized square-root Parseval tails `sqrt(T(r) / E)` for r = 0..R of each of `count`
 * coefficient sets, into `out` (count x (R+1), set-major).
 * The tails are summed backwards from the table's end (plus what lies beyond it,
 * `E - sum_{q<=R} b_q^2`): subtracting forwards from E rounds tails far below E to 0, which
 * would certify a pair while the other sample's coefficients are still large (a small-variance
 * sample beside a large-variance one).
 * @param coefAt the coefficient b_r of set g.
 * @param e2 `E[g^2]` of each set.
 */
export function parsevalTails(count: number, R: number, coefAt: (g: number, r: number) => number,
  e2: Float64Array, out: Float64Array): Float64Array {
  const T = R + 1;
  for (let g = 0; g < count; g++) {
    const e = e2[g]!;
    let cum = 0;
    for (let r = 0; r <= R; r++) cum += coefAt(g, r) ** 2;
    let acc = Math.max(e - cum, 0);
    for (let r = R; r >= 0; r--) {
      out[g * T + r] = e > 0 ? Math.sqrt(acc / e) : 0;
      acc += coefAt(g, r) ** 2;
    }
  }
  return out;
}

/**
 * The largest off-diagonal |rho_ij| = |Sigma_ij| / sqrt(Sigma_ii Sigma_jj) short of duplicates
 * (below 1 - 1e-9: pairs at |rho| ~ 1 go to the 2-D fallback anyway), reading the lower
 * triangle of the n x n row-major `d`; `isd` holds 1/sqrt(Sigma_ii) (0 for a zero variance).
 * @throws NtkInputError naming `Sigma` for a non-finite off-diagonal entry.
 */
export function largestCorrelation(d: Float64Array, n: number, isd: Float64Array): number {
  let rhoMax = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n, si = isd[i]!;
    let check = 0;
    for (let j = 0; j < i; j++) {
      const c = d[row + j]!;
      check += c;
      const r = Math.abs(c * si * isd[j]!);
      if (r > rhoMax && r < 1 - 1e-9) rhoMax = r;
    }
    // One test per row: a NaN or infinity anywhere in it leaves the sum non-finite (so may
    // an overflow of huge finite entries, hence the search).
    if (!Number.isFinite(check)) {
      for (let j = 0; j < i; j++) {
        if (!Number.isFinite(d[row + j]!)) throw new NtkInputError('Sigma', `entry (${i}, ${j}) is ${d[row + j]}`, 'pass a finite covariance');
      }
    }
  }
  return rhoMax;
}

/**
 * Degree of the coefficient tables: enough terms that `rhoMax^R <= tol` (the factor of the
 * bound that the correlation sets), at least 4 and at most `rcap`.
 */
export function seriesDegree(rhoMax: number, tol: number, rcap: number): number {
  const want = rhoMax > 0 ? Math.ceil(Math.log(tol) / Math.log(rhoMax)) : 4;
  return Math.max(4, Math.min(rcap, want));
}
