/**
 * One eigenvalue of a symmetric tridiagonal matrix by bisection on Sturm counts (as LAPACK's
 * dstebz): O(n) per halving, so the extreme eigenvalues cost ~100 n operations where QL for all
 * of them costs ~30 n^2. lambdaMin's tridiagonal route needs only lambda_min and lambda_max.
 * @module
 */

const EPS = 2.220446049250313e-16;
const SAFMIN = 2.2250738585072014e-308;

/**
 * How many eigenvalues of T are below x: the negative pivots of the LDL^T factorization of
 * T - x I. A pivot at (or below) `pivmin` in magnitude is replaced by -pivmin (dstebz): the count
 * is then exact for a T perturbed by a few ulps in each entry.
 */
function countBelow(n: number, d: Float64Array, e2: Float64Array, x: number, pivmin: number): number {
  let c = 0;
  let q = d[0]! - x;
  if (Math.abs(q) <= pivmin) q = -pivmin;
  if (q < 0) c++;
  for (let i = 1; i < n; i++) {
    q = d[i]! - x - e2[i - 1]! / q;
    if (Math.abs(q) <= pivmin) q = -pivmin;
    if (q < 0) c++;
  }
  return c;
}

/**
 * The k-th smallest (0-based) eigenvalue of the symmetric tridiagonal T with diagonal d and
 * off-diagonal e (e[i] = T[i+1][i], i < n - 1), to within a few eps ||T|| (the accuracy of the
 * Householder reduction that produced T): bisection of the Gershgorin interval until the
 * interval is a few ulps wide.
 */
export function tridiagEigenvalue(n: number, d: Float64Array, e: Float64Array, k: number): number {
  if (n === 1) return d[0]!;
  const e2 = new Float64Array(n - 1);
  let lo = Infinity, hi = -Infinity, maxE2 = 0;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(e[i - 1]!) : 0) + (i < n - 1 ? Math.abs(e[i]!) : 0);
    lo = Math.min(lo, d[i]! - r);
    hi = Math.max(hi, d[i]! + r);
    if (i < n - 1) { e2[i] = e[i]! * e[i]!; maxE2 = Math.max(maxE2, e2[i]!); }
  }
  const norm = Math.max(Math.abs(lo), Math.abs(hi));
  const pivmin = SAFMIN * Math.max(1, maxE2);
  // Widen a little so that the count at lo is 0 and at hi is n despite rounding.
  lo -= 2 * EPS * norm * n + pivmin;
  hi += 2 * EPS * norm * n + pivmin;
  // Invariant: count(lo) <= k < count(hi).
  for (let it = 0; it < 2200; it++) {
    const mid = 0.5 * (lo + hi);
    if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)) + pivmin || mid === lo || mid === hi) break;
    if (countBelow(n, d, e2, mid, pivmin) > k) hi = mid;
    else lo = mid;
  }
  // A diagonal entry cut off by zero off-diagonals is an eigenvalue exactly (a zero row of K,
  // a diagonal K): return it rather than a point of the interval around it.
  for (let i = 0; i < n; i++) {
    if ((i === 0 || e[i - 1] === 0) && (i === n - 1 || e[i] === 0) && d[i]! > lo && d[i]! <= hi) return d[i]!;
  }
  // A zero pivot counts as negative, so count(x) is the number of eigenvalues <= x and
  // lambda_k lies in (lo, hi]. The counts resolve nothing finer than pivmin: a value within it
  // of zero is zero (a singular K, e.g. a zero row, keeps lambda_min = 0 exactly).
  return Math.abs(hi) <= 2 * pivmin ? 0 : hi;
}
