/**
 * Implicit QL for a symmetric tridiagonal matrix, in TypeScript: the js backend's eigenvalue
 * stage (twin of `tql` in assembly/tridiag.ts) and the small Lanczos tridiagonals of
 * src/linalg. Shared by both backends and by the layer above, so neither imports a twin.
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
