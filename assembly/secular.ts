// The O(K^2) part of one divide-and-conquer merge (src/backend/common/stedc.ts, issue 17): the
// K roots of the secular equation 1 + rho sum_j z_j^2 / (d_j - lambda) = 0, the Loewner z-hat
// (Gu & Eisenstat) and the eigenvectors U of D + rho z-hat z-hat^T, as in LAPACK's dlaed4 and
// dlaed3. Each of the three steps is independent across its index (root i, entry j, vector i),
// so threads take index ranges [i0, i1): every step reads only what the previous one wrote.
//
// The sums run two terms per f64x2 (the divisions bound this file's time), so they round
// differently from the js twin's one-term loops: the same algorithm, not the same bits.
//
// Storage: d (K, strictly ascending), z (K, |z| = 1), rho > 0. A root is kept as lambda_i =
// d[origin_i] + tau_i with origin_i the nearer pole (stored as a float64 index), so that
// d_j - lambda_i = (d_j - d_origin) - tau_i is formed without cancellation.

const EPS: f64 = 2.220446049250313e-16;
/** Iterations per root before accepting the bracket's middle (rational steps converge in ~5-10). */
const MAX_SECULAR_ITER: i32 = 200;

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** Sum of both lanes. */
// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * sum_{j in [j0, j1)} w_j / (x_j - t) with w_j = rho z_j^2, and (with `slope`) the sum of the
 * squares of rho z_j / (x_j - t) into *slope: the secular function's terms and derivative.
 * One division per term, two per f64x2 (the divisions bound the root finder).
 */
function secularSum(j0: i32, j1: i32, z: usize, x: usize, rho: f64, t: f64, slope: usize): f64 {
  let j = j0;
  let s: f64 = 0, ds: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    const vr = f64x2.splat(rho), vt = f64x2.splat(t);
    let vs = f64x2.splat(0), vd = f64x2.splat(0);
    for (; j + 2 <= j1; j += 2) {
      const o = <usize>j << 3;
      const zz = v128.load(z + o);
      const q = f64x2.div(f64x2.mul(vr, zz), f64x2.sub(v128.load(x + o), vt));
      vs = f64x2.add(vs, f64x2.mul(zz, q));
      vd = f64x2.add(vd, f64x2.mul(q, q));
    }
    s = hsum(vs);
    ds = hsum(vd);
  }
  for (; j < j1; j++) {
    const zj = ld(z, j);
    const q = (rho * zj) / (ld(x, j) - t);
    s += zj * q;
    ds += q * q;
  }
  if (slope != 0) store<f64>(slope, ds);
  return s;
}

/**
 * Roots i0 .. i1-1 (0-based) of the secular equation: root i lies in (d_i, d_i+1), the last in
 * (d_K-1, d_K-1 + rho). Writes origin (as f64), tau and lambda = d[origin] + tau. Rational
 * two-pole interpolation safeguarded by bisection. `delta` is K + 1 values of scratch (per thread).
 */
export function secularRoots(K: i32, i0: i32, i1: i32, d: usize, z: usize, rho: f64,
  origin: usize, tau: usize, lambda: usize, delta: usize): void {
  for (let i = i0; i < i1; i++) {
    const last = i == K - 1;
    let o = i;
    let lo: f64 = 0, hi: f64 = rho; // last root: f(d_K-1 + rho) >= 0 since |z| = 1
    let dor = ld(d, i);
    for (let j = 0; j < K; j++) st(delta, j, ld(d, j) - dor);
    const slope = delta + (<usize>K << 3);
    if (!last) {
      // f at the middle of the gap decides the nearer pole.
      const mid = (ld(d, i + 1) - dor) / 2;
      if (1 + secularSum(0, K, z, delta, rho, mid, 0) >= 0) hi = mid;
      else {
        o = i + 1;
        lo = -mid;
        hi = 0;
        dor = ld(d, o);
        for (let j = 0; j < K; j++) st(delta, j, ld(d, j) - dor);
      }
    }
    // The poles bounding the root, relative to the origin.
    const pl = ld(delta, i);
    const pr = last ? Infinity : ld(delta, i + 1);
    let t = last ? rho / 2 : (lo + hi) / 2;
    for (let it = 0; it < MAX_SECULAR_ITER; it++) {
      // psi: the poles left of the root (every term < 0), phi: those right of it (> 0), so
      // sum |term| = phi - psi.
      const psi = secularSum(0, i + 1, z, delta, rho, t, slope);
      const dpsi = load<f64>(slope) / rho;
      const phi = secularSum(i + 1, K, z, delta, rho, t, slope);
      const dphi = load<f64>(slope) / rho;
      const erretm = phi - psi;
      const f = 1 + psi + phi;
      if (f == 0 || Math.abs(f) <= 8 * EPS * (1 + erretm) * <f64>K) break;
      if (f < 0) lo = t; else hi = t;
      if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
      // Two-pole model: psi ~ a1 + b1 / (pl - x), phi ~ a2 + b2 / (pr - x), matching values
      // and slopes; the last root (one per merge) is left to bisection.
      let next: f64 = NaN;
      if (!last) {
        const r1 = pl - t;
        const b1 = dpsi * r1 * r1;
        const a1 = psi - b1 / r1;
        const r2 = pr - t;
        const b2 = dphi * r2 * r2;
        const a2 = phi - b2 / r2;
        const c = 1 + a1 + a2;
        // c (pl - x)(pr - x) + b1 (pr - x) + b2 (pl - x) = 0: A x^2 - B x + C = 0.
        const A = c, B = c * (pl + pr) + b1 + b2, C = c * pl * pr + b1 * pr + b2 * pl;
        if (A == 0) next = C / B;
        else {
          const disc = B * B - 4 * A * C;
          if (disc >= 0) {
            const sq = Math.sqrt(disc);
            const qq = B >= 0 ? (B + sq) / 2 : (B - sq) / 2;
            const x1 = qq / A;
            const x2 = qq != 0 ? C / qq : NaN;
            next = x1 > lo && x1 < hi ? x1 : x2;
          }
        }
      }
      t = next > lo && next < hi ? next : (lo + hi) / 2;
    }
    st(origin, i, <f64>o);
    st(tau, i, t);
    st(lambda, i, dor + t);
  }
}

/** d_j - lambda_i, accurately: (d_j - d_origin(i)) - tau_i. */
// @ts-ignore: decorator
@inline function diff(d: usize, origin: usize, tau: usize, j: i32, i: i32): f64 {
  return (ld(d, j) - ld(d, <i32>ld(origin, i))) - ld(tau, i);
}

/**
 * Loewner z-hat for entries j0 .. j1-1: z-hat_j^2 = (lambda_j - d_j) / rho *
 * prod_{i != j} (lambda_i - d_j) / (d_i - d_j), with the sign of z_j. With z-hat the computed
 * roots are the exact eigenvalues of D + rho z-hat z-hat^T, so the vectors below are
 * orthogonal to working precision however close the roots are.
 */
export function secularLoewner(K: i32, j0: i32, j1: i32, d: usize, z: usize, rho: f64,
  origin: usize, tau: usize, zhat: usize): void {
  for (let j = j0; j < j1; j++) {
    const dj = ld(d, j);
    let w = -diff(d, origin, tau, j, j) / rho;
    for (let i = 0; i < K; i++) if (i != j) w *= -diff(d, origin, tau, j, i) / (ld(d, i) - dj);
    st(zhat, j, copysign<f64>(Math.sqrt(Math.max(w, 0)), ld(z, j)));
  }
}

/** out[i*len + t] = row[idx[t]] * scale for t < len: vector i's entries that one GEMM uses. */
function gatherRow(row: usize, scale: f64, idx: usize, len: i32, out: usize): void {
  for (let t = 0; t < len; t++) st(out, t, ld(row, <i32>ld(idx, t)) * scale);
}

/**
 * Eigenvectors i0 .. i1-1 of D + rho z-hat z-hat^T: u_i = z-hat / (d - lambda_i), normalized.
 * Each is written as row i of two row-major outputs, restricted to the entries a merge's two
 * products use: out0 (K x len0) gets u_i[idx0[t]], out1 (K x len1) u_i[idx1[t]] (indices
 * stored as f64; a len of 0 skips that output). `row` is K values of scratch (per thread).
 */
export function secularVectors(K: i32, i0: i32, i1: i32, d: usize, origin: usize, tau: usize,
  zhat: usize, row: usize, idx0: usize, len0: i32, out0: usize, idx1: usize, len1: i32, out1: usize): void {
  for (let i = i0; i < i1; i++) {
    const dor = ld(d, <i32>ld(origin, i));
    const ti = ld(tau, i);
    let s2: f64 = 0;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const vo = f64x2.splat(dor), vt = f64x2.splat(ti);
      let vs = f64x2.splat(0);
      for (; j + 2 <= K; j += 2) {
        const o = <usize>j << 3;
        const v = f64x2.div(v128.load(zhat + o), f64x2.sub(f64x2.sub(v128.load(d + o), vo), vt));
        v128.store(row + o, v);
        vs = f64x2.add(vs, f64x2.mul(v, v));
      }
      s2 = hsum(vs);
    }
    for (; j < K; j++) {
      const v = ld(zhat, j) / ((ld(d, j) - dor) - ti);
      st(row, j, v);
      s2 += v * v;
    }
    const inv = 1 / Math.sqrt(s2);
    gatherRow(row, inv, idx0, len0, out0 + ((<usize>i * <usize>len0) << 3));
    gatherRow(row, inv, idx1, len1, out1 + ((<usize>i * <usize>len1) << 3));
  }
}
