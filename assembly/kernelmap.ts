// The O(n^2) pair loop of the infinite-width kernels: a truncated Mehler series per pair,
// stopped by the Cauchy-Schwarz tail bound (see src/theory/mehler.ts and the js twin
// src/backend/js/kernelmap.ts, which must give bitwise the same numbers: same operation order,
// no FMA, and a SIMD lane that has converged stops accumulating exactly where the scalar loop
// would break).
//
// Layout: cov n x n (row-major, rows i0..i1 and columns < i read), isd[n] = 1/sqrt(cov[i,i])
// (0 for a zero variance), coef and tail are nser tables of nterms x n (term-major, so the
// coefficients of samples j, j+1 for one term are adjacent: the f64x2 lanes are two pairs),
// diag is nser x n, out is nser matrices n x n. For i in [i0, i1) it writes out[s][i,i] =
// diag[s][i] and out[s][i,j] for j < i: the lower triangle only (the wrapper mirrors it in
// cache-sized blocks afterwards; writing column i row by row would miss the cache on every
// pair). A pair whose bound is never met is written as NaN and counted into the f64 at `bad`.
// parity = 1 (odd phi, nser = 2): series 0 (phi) has only odd terms and series 1 (phi') only
// even ones, the others being zero in exact arithmetic, so each term feeds one series.

@inline function scalarPair(cov: usize, isd: usize, coef: usize, tail: usize, out: usize,
  n: i32, nser: i32, nterms: i32, parity: bool, eps: f64, i: i32, j: i32): i32 {
  const stride: usize = <usize>n << 3;
  const ser: usize = <usize>nterms * stride;
  const nn: usize = <usize>n * stride;
  const io: usize = <usize>i << 3, jo: usize = <usize>j << 3;
  let rho = load<f64>(cov + <usize>i * stride + jo) * load<f64>(isd + io) * load<f64>(isd + jo);
  rho = Math.min(Math.max(rho, -1.0), 1.0);
  let pw: f64 = 1, acc0: f64 = 0, acc1: f64 = 0;
  let done = false;
  for (let r = 0; r < nterms; r++) {
    const p = coef + <usize>r * stride;
    if (parity) {
      if (r & 1) acc0 += load<f64>(p + io) * load<f64>(p + jo) * pw;
      else acc1 += load<f64>(p + ser + io) * load<f64>(p + ser + jo) * pw;
    } else {
      acc0 += load<f64>(p + io) * load<f64>(p + jo) * pw;
      if (nser > 1) acc1 += load<f64>(p + ser + io) * load<f64>(p + ser + jo) * pw;
    }
    pw *= rho;
    if ((r & 3) == 3 || r == nterms - 1) {
      const t = tail + <usize>r * stride;
      const apw = Math.abs(pw);
      let ok = apw * load<f64>(t + io) * load<f64>(t + jo) <= eps;
      if (nser > 1) ok = ok && apw * load<f64>(t + ser + io) * load<f64>(t + ser + jo) <= eps;
      if (ok) { done = true; break; }
    }
  }
  if (!done) { acc0 = NaN; acc1 = NaN; }
  store<f64>(out + <usize>i * stride + jo, acc0);
  if (nser > 1) store<f64>(out + nn + <usize>i * stride + jo, acc1);
  return done ? 0 : 1;
}

// One term of one series for lanes (j, j+1): (c_i c_j) pw, zeroed in converged lanes.
@inline function term(p: usize, io: usize, jo: usize, pw: v128, done: v128): v128 {
  return v128.andnot(f64x2.mul(f64x2.mul(f64x2.splat(load<f64>(p + io)), v128.load(p + jo)), pw), done);
}

// Whether the bound holds after the term whose tail row starts at t, per lane.
@inline function bound(t: usize, ser: usize, two: bool, io: usize, jo: usize, apw: v128, epsv: v128): v128 {
  let ok = f64x2.le(f64x2.mul(f64x2.mul(apw, f64x2.splat(load<f64>(t + io))), v128.load(t + jo)), epsv);
  if (two) ok = v128.and(ok, f64x2.le(f64x2.mul(f64x2.mul(apw, f64x2.splat(load<f64>(t + ser + io))), v128.load(t + ser + jo)), epsv));
  return ok;
}

export function mehlerPairs(out: usize, cov: usize, isd: usize, coef: usize, tail: usize, diag: usize,
  n: i32, nser: i32, nterms: i32, parity: i32, eps: f64, i0: i32, i1: i32, bad: usize): void {
  const stride: usize = <usize>n << 3;
  const ser: usize = <usize>nterms * stride;
  const nn: usize = <usize>n * stride;
  const two = nser > 1;
  const par = parity != 0 && two;
  let nbad = 0;
  for (let i = i0; i < i1; i++) {
    const io: usize = <usize>i << 3;
    store<f64>(out + <usize>i * stride + io, load<f64>(diag + io));
    if (two) store<f64>(out + nn + <usize>i * stride + io, load<f64>(diag + stride + io));
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const one = f64x2.splat(1.0), neg1 = f64x2.splat(-1.0), zero = f64x2.splat(0.0);
      const epsv = f64x2.splat(eps), nanv = f64x2.splat(NaN);
      const si = f64x2.splat(load<f64>(isd + io));
      const covRow = cov + <usize>i * stride;
      for (; j + 2 <= i; j += 2) {
        const jo: usize = <usize>j << 3;
        let rho = f64x2.mul(f64x2.mul(v128.load(covRow + jo), si), v128.load(isd + jo));
        rho = f64x2.min(f64x2.max(rho, neg1), one);
        let pw = one, acc0 = zero, acc1 = zero, done = zero;
        let r = 0;
        let p = coef;
        // Blocks of four terms, then the bound (as the scalar loop checks after r % 4 == 3).
        while (r + 4 <= nterms) {
          if (par) {
            // r is even here: phi' (series 1) takes r and r + 2, phi (series 0) r + 1 and r + 3.
            acc1 = f64x2.add(acc1, term(p + ser, io, jo, pw, done)); pw = f64x2.mul(pw, rho); p += stride;
            acc0 = f64x2.add(acc0, term(p, io, jo, pw, done)); pw = f64x2.mul(pw, rho); p += stride;
            acc1 = f64x2.add(acc1, term(p + ser, io, jo, pw, done)); pw = f64x2.mul(pw, rho); p += stride;
            acc0 = f64x2.add(acc0, term(p, io, jo, pw, done)); pw = f64x2.mul(pw, rho); p += stride;
          } else {
            for (let q = 0; q < 4; q++) {
              acc0 = f64x2.add(acc0, term(p, io, jo, pw, done));
              if (two) acc1 = f64x2.add(acc1, term(p + ser, io, jo, pw, done));
              pw = f64x2.mul(pw, rho); p += stride;
            }
          }
          r += 4;
          done = v128.or(done, bound(tail + <usize>(r - 1) * stride, ser, two, io, jo, f64x2.abs(pw), epsv));
          if (i64x2.all_true(done)) break;
        }
        if (!i64x2.all_true(done) && r < nterms) {
          // The last < 4 terms, checked after the last one.
          for (; r < nterms; r++) {
            if (par) {
              if (r & 1) acc0 = f64x2.add(acc0, term(p, io, jo, pw, done));
              else acc1 = f64x2.add(acc1, term(p + ser, io, jo, pw, done));
            } else {
              acc0 = f64x2.add(acc0, term(p, io, jo, pw, done));
              if (two) acc1 = f64x2.add(acc1, term(p + ser, io, jo, pw, done));
            }
            pw = f64x2.mul(pw, rho); p += stride;
          }
          done = v128.or(done, bound(tail + <usize>(nterms - 1) * stride, ser, two, io, jo, f64x2.abs(pw), epsv));
        }
        const o0 = out + <usize>i * stride + jo;
        v128.store(o0, v128.bitselect(acc0, nanv, done));
        if (two) v128.store(o0 + nn, v128.bitselect(acc1, nanv, done));
        nbad += 2 - <i32>popcnt(i64x2.bitmask(done));
      }
    }
    for (; j < i; j++) nbad += scalarPair(cov, isd, coef, tail, out, n, nser, nterms, par, eps, i, j);
  }
  store<f64>(bad, <f64>nbad);
}
