/**
 * Where the generalized Mehler series `E[g(u) g(u')] = sum_r b_r(a) b_r(b) rho^r` may stop
 * (mehler.ts). By Cauchy-Schwarz the rest after degree R is bounded by
 * `|sum_{r>R} b_r(a) b_r(b) rho^r| <= |rho|^{R+1} sqrt(T_a(R) T_b(R))`, with the Parseval tails
 * `T_a(R) = E[g^2] - sum_{r<=R} b_r(a)^2`.
 *
 * What lies beyond the table's last degree is only known through that difference, and its
 * rounding, `+-nu E` with nu the Parseval resolution ({@link parsevalResolution}, ~1e-14), is
 * not small after the square root: a normalized tail `t = sqrt(T / E)` is only known to within
 * `s = sqrt(nu)` (~1e-7). Ignoring that certified pairs on noise: a sample whose tail is below
 * the resolution (computed as 0 or a few 1e-8) beside one whose tail is still 1e-5 gave a bound
 * of 0 while the rest was 1.5e-13 relative (softplus, variances 4.1 and 9.7, rho = 0.9918,
 * degree 128; the wasm and js coefficients, an ulp apart, fell on either side). So the tails
 * are stored as upper bounds `t + s` (from `sqrt(T + nu E) <= sqrt(T) + sqrt(nu E)`), and a
 * pair is certified once `|rho|^{R+1} (t_a + s)(t_b + s) <= tol`. The `s^2 = nu` term of that
 * product is the one part no tail can resolve: pairs with both tails below the resolution and
 * |rho| near 1 cannot meet tol, so a second pass (resolution-pass.ts) certifies them against
 * `tol + nu` ({@link certificationTol}); their truncation error is at most
 * `(tol + nu) sqrt(E_a E_b)`, every other certified pair's at most `tol sqrt(E_a E_b)`.
 * This file holds the tails, the resolution and the degree the tables need.
 * @module
 */
import { NtkInputError } from '../errors.js';

/** Unit roundoff of float64 (half the machine epsilon). */
const UNIT_ROUNDOFF = 2 ** -53;

/**
 * The Parseval resolution `nu`: a bound, relative to `E[g^2]`, on the rounding of the Parseval
 * difference `E[g^2] - sum_{q<=R} b_q^2` when `E[g^2]` and the coefficients are sums of `terms`
 * products (the quadrature's 2K+1 nodes, or the R+1 closed-form terms).
 *
 * Derivation: the difference is dominated by `2 sum_q b_q db_q` and the error of E, each a sum of
 * `terms` rounded products, whose error is at most `lambda sqrt(terms) u` relative with high
 * probability (probabilistic rounding analysis, Higham and Mary 2019, for independent rounding
 * errors); two such sums with lambda = 2 give `4 sqrt(terms) u`. Measured on converged sets
 * (tanh, sigmoid, GELU, softplus; phi and phi'; js and wasm): at most 30 u at 833 nodes, 59 u
 * at 2401 and 113 u at 12001, i.e. growing like sqrt(nodes) and at most 0.3 of this bound
 * (test/theory-pairs.test.ts checks it).
 */
export function parsevalResolution(terms: number): number {
  return 4 * Math.sqrt(terms) * UNIT_ROUNDOFF;
}

/**
 * The most lenient tolerance the pair loop compares `|rho|^{r+1} tail_a(r) tail_b(r)` with, for
 * tails from {@link parsevalTails} at Parseval resolution `nu`: `tol + nu` (the second pass;
 * see the module comment). A pair that fails it goes to the 2-D fallback.
 */
export function certificationTol(tol: number, nu: number): number {
  return tol + nu;
}

/**
 * Upper bounds `sqrt(T(r) / E) + sqrt(nu)` on the normalized square-root Parseval tails, for
 * r = 0..R of each of `count` coefficient sets, into `out` (count x (R+1), set-major); 0 for a
 * set with `E = 0` (then every coefficient is 0 and there is no tail). `nu` is the Parseval
 * resolution ({@link parsevalResolution}; see the module comment).
 * The tails are summed backwards from the table's end (plus what lies beyond it,
 * `E - sum_{q<=R} b_q^2`): subtracting forwards from E rounds tails far below E to 0, which
 * would certify a pair while the other sample's coefficients are still large (a small-variance
 * sample beside a large-variance one).
 * @param coefAt the coefficient b_r of set g.
 * @param e2 `E[g^2]` of each set.
 */
export function parsevalTails(count: number, R: number, coefAt: (g: number, r: number) => number,
  e2: Float64Array, nu: number, out: Float64Array): Float64Array {
  const T = R + 1, s = Math.sqrt(nu);
  for (let g = 0; g < count; g++) {
    const e = e2[g]!;
    let cum = 0;
    for (let r = 0; r <= R; r++) cum += coefAt(g, r) ** 2;
    let acc = Math.max(e - cum, 0);
    for (let r = R; r >= 0; r--) {
      out[g * T + r] = e > 0 ? Math.sqrt(acc / e) + s : 0;
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
