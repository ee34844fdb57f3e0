/**
 * Pure TypeScript twin of assembly/secular.ts: the O(K^2) part of one divide-and-conquer merge
 * (secular-equation roots, Loewner z-hat, eigenvectors U): the same three steps and formulas,
 * with one-term loops where the assembly sums two terms per f64x2.
 * @module
 */

const EPS = 2.220446049250313e-16;
/** Iterations per root before accepting the bracket's middle (rational steps converge in ~5-10). */
const MAX_SECULAR_ITER = 200;

/** Roots i0 .. i1-1 (see the assembly twin): origin (nearer pole), tau, lambda = d[origin] + tau. */
function secularRoots(K: number, i0: number, i1: number, d: Float64Array, z: Float64Array, rho: number,
  origin: Int32Array, tau: Float64Array, lambda: Float64Array, delta: Float64Array): void {
  // sum_{j in [j0, j1)} rho z_j^2 / (delta_j - t); the sum of squares of rho z_j / (delta_j - t) into slope[0].
  const slope = new Float64Array(1);
  const sum = (j0: number, j1: number, t: number): number => {
    let s = 0, ds = 0;
    for (let j = j0; j < j1; j++) {
      const q = (rho * z[j]!) / (delta[j]! - t);
      s += z[j]! * q;
      ds += q * q;
    }
    slope[0] = ds;
    return s;
  };
  for (let i = i0; i < i1; i++) {
    const last = i === K - 1;
    let o = i;
    let lo = 0, hi = rho; // last root: f(d_K-1 + rho) >= 0 since |z| = 1
    let dor = d[i]!;
    for (let j = 0; j < K; j++) delta[j] = d[j]! - dor;
    if (!last) {
      const mid = (d[i + 1]! - dor) / 2;
      if (1 + sum(0, K, mid) >= 0) hi = mid;
      else {
        o = i + 1;
        lo = -mid;
        hi = 0;
        dor = d[o]!;
        for (let j = 0; j < K; j++) delta[j] = d[j]! - dor;
      }
    }
    const pl = delta[i]!, pr = last ? Infinity : delta[i + 1]!;
    let t = last ? rho / 2 : (lo + hi) / 2;
    for (let it = 0; it < MAX_SECULAR_ITER; it++) {
      // psi: poles left of the root (terms < 0), phi: right of it (> 0); sum |term| = phi - psi.
      const psi = sum(0, i + 1, t);
      const dpsi = slope[0]! / rho;
      const phi = sum(i + 1, K, t);
      const dphi = slope[0]! / rho;
      const erretm = phi - psi;
      const f = 1 + psi + phi;
      if (f === 0 || Math.abs(f) <= 8 * EPS * (1 + erretm) * K) break;
      if (f < 0) lo = t; else hi = t;
      if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
      let next = NaN;
      if (!last) {
        const r1 = pl - t;
        const b1 = dpsi * r1 * r1;
        const a1 = psi - b1 / r1;
        const r2 = pr - t;
        const b2 = dphi * r2 * r2;
        const a2 = phi - b2 / r2;
        const c = 1 + a1 + a2;
        const A = c, B = c * (pl + pr) + b1 + b2, C = c * pl * pr + b1 * pr + b2 * pl;
        if (A === 0) next = C / B;
        else {
          const disc = B * B - 4 * A * C;
          if (disc >= 0) {
            const sq = Math.sqrt(disc);
            const qq = B >= 0 ? (B + sq) / 2 : (B - sq) / 2;
            const x1 = qq / A, x2 = qq !== 0 ? C / qq : NaN;
            next = x1 > lo && x1 < hi ? x1 : x2;
          }
        }
      }
      t = next > lo && next < hi ? next : (lo + hi) / 2;
    }
    origin[i] = o;
    tau[i] = t;
    lambda[i] = dor + t;
  }
}

/**
 * The eigenproblem of D + rho z z^T (d: K values strictly ascending, |z| = 1, rho > 0):
 * eigenvalues into `lambda` (K, ascending) and the unit eigenvectors u_i, computed from the
 * Loewner z-hat so that they are orthogonal to working precision (see the assembly twin),
 * written restricted to the entries each of a merge's two products uses: `outs[s]` (K x
 * sets[s].length, row-major) gets u_i[sets[s][t]] at row i, column t.
 */
export function secular(K: number, rho: number, d: Float64Array, z: Float64Array, lambda: Float64Array,
  sets: readonly [Int32Array, Int32Array], outs: readonly [Float64Array, Float64Array]): void {
  const origin = new Int32Array(K);
  const tau = new Float64Array(K);
  secularRoots(K, 0, K, d, z, rho, origin, tau, lambda, new Float64Array(K));
  const diff = (j: number, i: number) => (d[j]! - d[origin[i]!]!) - tau[i]!;
  const zhat = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    const dj = d[j]!;
    let w = -diff(j, j) / rho;
    for (let i = 0; i < K; i++) if (i !== j) w *= -diff(j, i) / (d[i]! - dj);
    const s = Math.sqrt(Math.max(w, 0));
    zhat[j] = z[j]! < 0 || Object.is(z[j], -0) ? -s : s;
  }
  const row = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const dor = d[origin[i]!]!, ti = tau[i]!;
    let s2 = 0;
    for (let j = 0; j < K; j++) {
      const v = zhat[j]! / ((d[j]! - dor) - ti);
      row[j] = v;
      s2 += v * v;
    }
    const inv = 1 / Math.sqrt(s2);
    sets.forEach((idx, s) => {
      const out = outs[s]!, L = idx.length;
      for (let t = 0; t < L; t++) out[i * L + t] = row[idx[t]!]! * inv;
    });
  }
}
