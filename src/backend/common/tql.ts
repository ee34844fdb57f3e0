/**
 * Symmetric tridiagonal eigenvalue iterations in TypeScript, twins of assembly/tridiag.ts:
 * implicit QL with optional rotation of vectors (`tql`: divide and conquer's leaves and the
 * small Lanczos tridiagonals of src/linalg) and the root-free QL for eigenvalues only
 * (`sterf`: the js backend's eigvalsh). Shared by both backends and by the layer above, so
 * neither imports a twin.
 * @module
 */

const EPS = 2.220446049250313e-16;
/** Sweeps per eigenvalue before {@link tql} gives up (the caller then runs a fallback). */
const MAX_SWEEPS = 60;

/** sqrt(a^2 + b^2) without overflow or harmful underflow. */
export function hypot(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  if (a < b) { const t = a; a = b; b = t; }
  if (a === 0) return 0;
  const r = b / a;
  return a * Math.sqrt(1 + r * r);
}

/**
 * Implicit QL on the tridiagonal (d, e) (e: n values, the last one spare), eigenvalues into
 * d unsorted; with `z` the rotations also update the columns of the n x n column-major Z.
 * @returns 0, or l + 1 when eigenvalue l did not converge.
 */
export function tql(n: number, d: Float64Array, e: Float64Array, z: Float64Array | null, zo: number, ldz: number): number {
  if (n <= 1) return 0;
  e[n - 1] = 0;
  // An off-diagonal also counts as negligible below EPS * ||T|| (absolute accuracy, what a
  // backward-stable method promises): the test relative to |d_m| + |d_m+1| alone never
  // passes around eigenvalues that are exactly 0 (low-rank K, duplicate rows).
  let tnorm = 0;
  for (let i = 0; i < n; i++) tnorm = Math.max(tnorm, Math.abs(d[i]!) + Math.abs(e[i]!));
  const small = EPS * tnorm;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        const em = Math.abs(e[m]!);
        if (em <= EPS * dd || em <= small) break;
      }
      if (m === l) break;
      if (++iter > MAX_SWEEPS) return l + 1;
      const dl = d[l]!, el = e[l]!;
      let g = (d[l + 1]! - dl) / (2 * el);
      let r = hypot(g, 1);
      g = d[m]! - dl + el / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let deflated = false;
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        const q = f * f + g * g;
        r = q > 1e-290 && q < 1e290 ? Math.sqrt(q) : hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1]! -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        const rinv = 1 / r;
        s = f * rinv;
        c = g * rinv;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (z) {
          const xi = zo + i * ldz, yi = zo + (i + 1) * ldz;
          for (let k = 0; k < n; k++) {
            const xv = z[xi + k]!, yv = z[yi + k]!;
            z[yi + k] = s * xv + c * yv;
            z[xi + k] = c * xv - s * yv;
          }
        }
      }
      if (deflated) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return 0;
}

// Block scaling bounds of sterf, powers of two so that scaling and unscaling are exact. A block
// whose max-norm exceeds SSF_MAX is scaled down to at most SSF_MAX: then every eigenvalue is
// below 3 SSF_MAX (Gershgorin) and products of two diagonals or squares of off-diagonals stay
// below 9 SSF_MAX^2 < 2^1022 (no overflow). A block below SSF_MIN = sqrt(2^-1022) / EPS^2 is
// scaled up to it: then EPS^2 |d_m d_m+1| (the deflation test on squared off-diagonals) is
// still a normal number, where it would underflow to 0 and never let the block split.
const SSF_MAX = 1.6759759912428246e153; // 2^509
const SSF_MIN = 3.02546243347603e-123; // 2^-407
const EPS2 = EPS * EPS;

/**
 * Eigenvalues of the symmetric tridiagonal matrix (d, e), unsorted, into d, by the
 * Pal-Walker-Kahan QL iteration (LAPACK's dsterf, what numpy's eigvalsh runs): the sweep
 * works with squared off-diagonals e_i^2 and needs no square root per rotation ({@link tql}
 * needs one, and its latency sits on the sweep's dependency chain). Twin of `sterf` in
 * assembly/tridiag.ts, operation for operation (the same bits). e holds the n - 1
 * off-diagonal values (n slots, the last one unread) and is destroyed. Per unreduced block:
 * scaled by a power of two into [SSF_MIN, SSF_MAX] when its norm is outside, then QL sweeps
 * (deflating at the top). Always QL, where dsterf runs QR (deflating at the bottom) on blocks
 * whose bottom diagonal is the smaller: that choice keeps graded matrices' small eigenvalues
 * to relative accuracy only under a purely relative deflation test, and we also deflate below
 * EPS * ||block|| (normwise accuracy, what the dense reduction gives anyway). On the matrices
 * eigvalsh gets (a Householder reduction is Lanczos from e_1: the extreme eigenvalues are
 * resolved at the top) QL finds the extreme eigenvalues first and came out 2-3x closer to
 * bisection than QR on NTK-like Gram matrices, n = 337..1600 (QR ran on all of them).
 * @returns 0, or l + 1 when eigenvalue l was not found within 30 n sweeps in all (or d_l or e_l
 * is not finite); the caller then runs a fallback.
 */
export function sterf(n: number, d: Float64Array, e: Float64Array): number {
  if (n <= 1) return 0;
  // Not finite: no block test below may be trusted (an infinite diagonal splits off as an
  // "eigenvalue"), so fail at once and let the caller fall back.
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i]!) || (i < n - 1 && !Number.isFinite(e[i]!))) return i + 1;
  }
  const maxSweeps = 30 * n;
  let sweeps = 0;
  let l1 = 0;
  while (l1 < n) {
    // The next unreduced block l1..m: split where e_m is negligible next to its diagonals.
    let m = l1;
    for (; m < n - 1; m++) {
      if (Math.abs(e[m]!) <= Math.sqrt(Math.abs(d[m]!)) * Math.sqrt(Math.abs(d[m + 1]!)) * EPS) {
        e[m] = 0;
        break;
      }
    }
    const lsv = l1, lendsv = m;
    l1 = m + 1;
    if (lendsv === lsv) continue;
    let anorm = 0;
    for (let i = lsv; i <= lendsv; i++) anorm = Math.max(anorm, Math.abs(d[i]!), i < lendsv ? Math.abs(e[i]!) : 0);
    if (anorm === 0) continue;
    let f = 1;
    while (anorm * f > SSF_MAX) f *= 0.5;
    while (anorm * f < SSF_MIN) f *= 2;
    for (let i = lsv; i <= lendsv; i++) d[i]! *= f;
    for (let i = lsv; i < lendsv; i++) {
      const v = e[i]! * f;
      e[i] = v * v;
    }
    // Also negligible: e_m below EPS * ||block|| (absolute accuracy, what a backward-stable
    // method promises, as tql): the relative test alone is slow to pass next to eigenvalues
    // that are exactly 0 (low-rank K, duplicate rows).
    const small2 = (EPS * anorm * f) * (EPS * anorm * f);
    const info = sterfQL(d, e, lsv, lendsv, small2, maxSweeps - sweeps);
    for (let i = lsv; i <= lendsv; i++) d[i]! /= f;
    if (info < 0) return -info;
    sweeps += info;
  }
  return 0;
}

/**
 * t with p - t and q + t the eigenvalues of the 2 x 2 [[p, b], [b, q]] (b^2 = e2; p - t the
 * one nearer p): p - t is sterf's Wilkinson shift, and both finish a 2 x 2 block, each
 * without cancellation beyond that of its last addition.
 */
function wilkinson(p: number, e2: number, q: number): number {
  const rte = Math.sqrt(e2);
  const g = (q - p) / (2 * rte);
  const r = hypot(g, 1);
  return rte / (g + (g >= 0 ? r : -r));
}

/**
 * sterf's QL iteration on the block l..lend (squared off-diagonals in e, l < lend): finds the
 * eigenvalues at the top one or two at a time.
 * @returns the sweeps it took, or -(l + 1) when it would exceed `budget`.
 */
function sterfQL(d: Float64Array, e: Float64Array, l: number, lend: number, small2: number, budget: number): number {
  let sweeps = 0;
  while (l <= lend) {
    let m = l;
    for (; m < lend; m++) {
      const em = e[m]!;
      if (em <= EPS2 * Math.abs(d[m]! * d[m + 1]!) || em <= small2) break;
    }
    if (m < lend) e[m] = 0;
    if (m === l) {
      l++;
      continue;
    }
    if (m === l + 1) {
      const t = wilkinson(d[l]!, e[l]!, d[l + 1]!);
      d[l]! -= t;
      d[l + 1]! += t;
      e[l] = 0;
      l += 2;
      continue;
    }
    if (sweeps === budget) return -(l + 1);
    sweeps++;
    const sigma = d[l]! - wilkinson(d[l]!, e[l]!, d[l + 1]!);
    // One QL sweep from the bottom in Pal-Walker-Kahan form: c and s are the squared cosine
    // and sine of each rotation, gamma the shifted diagonal carried up, p = gamma^2 / c
    // (= oldc * e^2 when c vanished, the limit of the same quantity).
    let c = 1, s = 0;
    let gamma = d[m]! - sigma;
    let p = gamma * gamma;
    for (let i = m - 1; i >= l; i--) {
      const bb = e[i]!;
      const r = p + bb;
      if (i !== m - 1) e[i + 1] = s * r;
      const oldc = c;
      c = p / r;
      s = bb / r;
      const oldgam = gamma;
      const alpha = d[i]!;
      gamma = c * (alpha - sigma) - s * oldgam;
      d[i + 1] = oldgam + (alpha - gamma);
      p = c !== 0 ? (gamma * gamma) / c : oldc * bb;
    }
    e[l] = s * p;
    d[l] = sigma + gamma;
  }
  return sweeps;
}
