// Blocked Cholesky factorization and triangular solves for the lambda_min path (issue 3).
//
// Storage: every routine here reads and writes COLUMN-major matrices, element (i, j) at
// a + 8*(i + j*lda), and only their lower triangle. A row-major symmetric matrix is its own
// column-major view, so callers pass the row-major buffer unchanged (after mirroring the
// triangle they trust onto the other one). Column-major lower keeps each column of L
// contiguous, which is what the SIMD inner loops below stream over.
//
// The factorization is recursive (split in halves): the two O(n^3) parts, the triangular
// solve of the off-diagonal block and the update of the trailing block, become large GEMM
// calls, so nearly all flops run in the packed GEMM kernel.
import { madd, nmadd } from './fma';
import { gemm } from './gemm';
import { publish, waitAtLeast } from './sync';

/** Byte address of element (i, j) of a column-major matrix. */
// @ts-ignore: decorator
@inline export function at(a: usize, ld: i32, i: i32, j: i32): usize {
  return a + ((<usize>j * <usize>ld + <usize>i) << 3);
}

/**
 * Column-major `C = alpha op(A) op(B) + beta C` (C is m x n) on the row-major GEMM: the
 * row-major view of a column-major matrix is its transpose, so C^T = op(B)^T op(A)^T.
 */
export function gemmCM(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  gemm(transB, transA, n, m, k, alpha, b, ldb, a, lda, beta, c, ldc);
}

// Below this size the recursion stops and column loops take over: GEMM packing costs more
// than it saves on blocks this small.
const CHOL_BASE: i32 = 48;
const TRSM_BASE: i32 = 24;
const SYRK_BASE: i32 = 64;

/**
 * In-place Cholesky A = L L^T of the lower triangle of the n x n column-major A.
 * Returns 0 on success, else the 1-based column j whose pivot was not positive (or NaN);
 * columns before j then hold L, the rest is partly updated.
 */
export function potrf(n: i32, a: usize, lda: i32): i32 {
  if (n <= CHOL_BASE) return potf2(n, a, lda);
  const n1 = split(n);
  const n2 = n - n1;
  let info = potrf(n1, a, lda);
  if (info != 0) return info;
  const a21 = at(a, lda, n1, 0);
  const a22 = at(a, lda, n1, n1);
  trsmRightLowerT(n2, n1, a, lda, a21, lda);
  syrkLowerCM(n2, n1, -1.0, a21, lda, a21, lda, a22, lda);
  info = potrf(n2, a22, lda);
  return info != 0 ? info + n1 : 0;
}

/** Half of n rounded to a multiple of 8, so sub-blocks keep SIMD- and tile-friendly sizes. */
// @ts-ignore: decorator
@inline export function split(n: i32): i32 {
  const h = ((n >> 1) + 4) & ~7;
  return h > 0 && h < n ? h : n >> 1;
}

/** Right-looking unblocked Cholesky of a small block (contiguous column updates). */
function potf2(n: i32, a: usize, lda: i32): i32 {
  for (let j = 0; j < n; j++) {
    const pjj = at(a, lda, j, j);
    const djj = load<f64>(pjj);
    if (!(djj > 0.0) || djj == Infinity) return j + 1;
    const d = Math.sqrt(djj);
    store<f64>(pjj, d);
    const s = 1.0 / d;
    const cj = at(a, lda, 0, j);
    for (let i = j + 1; i < n; i++) store<f64>(cj + (<usize>i << 3), load<f64>(cj + (<usize>i << 3)) * s);
    for (let q = j + 1; q < n; q++) {
      const lqj = load<f64>(cj + (<usize>q << 3));
      axpyNeg(n - q, lqj, cj + (<usize>q << 3), at(a, lda, q, q));
    }
  }
  return 0;
}

/** y[0:len] -= alpha * x[0:len]. */
// @ts-ignore: decorator
@inline export function axpyNeg(len: i32, alpha: f64, x: usize, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(alpha);
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 3;
      v128.store(y + o, nmadd(va, v128.load(x + o), v128.load(y + o)));
      v128.store(y + o + 16, nmadd(va, v128.load(x + o + 16), v128.load(y + o + 16)));
    }
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, nmadd(va, v128.load(x + o), v128.load(y + o)));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) - alpha * load<f64>(x + o));
  }
}

/** Dot product of x[0:len] and y[0:len]. */
// @ts-ignore: decorator
@inline export function dot(len: i32, x: usize, y: usize): f64 {
  let s: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let v0 = f64x2.splat(0);
    let v1 = f64x2.splat(0);
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 3;
      v0 = madd(v128.load(x + o), v128.load(y + o), v0);
      v1 = madd(v128.load(x + o + 16), v128.load(y + o + 16), v1);
    }
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      v0 = madd(v128.load(x + o), v128.load(y + o), v0);
    }
    v0 = f64x2.add(v0, v1);
    s = f64x2.extract_lane(v0, 0) + f64x2.extract_lane(v0, 1);
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}

/**
 * B := B L^{-T} for B m x n and L n x n lower (both column-major): the off-diagonal block of
 * the Cholesky factor. Recursive so the bulk is GEMM; the base case is forward substitution
 * on whole columns of B.
 */
export function trsmRightLowerT(m: i32, n: i32, l: usize, ldl: i32, b: usize, ldb: i32): void {
  if (n <= TRSM_BASE) {
    for (let j = 0; j < n; j++) {
      const bj = at(b, ldb, 0, j);
      const s = 1.0 / load<f64>(at(l, ldl, j, j));
      scale(m, s, bj);
      for (let q = j + 1; q < n; q++) axpyNeg(m, load<f64>(at(l, ldl, q, j)), bj, at(b, ldb, 0, q));
    }
    return;
  }
  const n1 = split(n);
  const n2 = n - n1;
  trsmRightLowerT(m, n1, l, ldl, b, ldb);
  gemmCM(0, 1, m, n2, n1, -1.0, b, ldb, at(l, ldl, n1, 0), ldl, 1.0, at(b, ldb, 0, n1), ldb);
  trsmRightLowerT(m, n2, at(l, ldl, n1, n1), ldl, at(b, ldb, 0, n1), ldb);
}

/** x[0:len] *= s. */
// @ts-ignore: decorator
@inline export function scale(len: i32, s: f64, x: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f64x2.splat(s);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      v128.store(x + o, f64x2.mul(vs, v128.load(x + o)));
    }
  }
  for (; i < len; i++) store<f64>(x + (<usize>i << 3), load<f64>(x + (<usize>i << 3)) * s);
}

/**
 * Lower triangle of C += alpha * A B^T (C n x n, A and B n x k, column-major). With B = A it
 * is SYRK; with A = [V W], B = [W V] it is the symmetric rank-2k update of tridiagonalization.
 * Off-diagonal blocks are single GEMM calls; small diagonal blocks are computed whole.
 */
export function syrkLowerCM(n: i32, k: i32, alpha: f64, a: usize, lda: i32, b: usize, ldb: i32,
  c: usize, ldc: i32): void {
  if (n <= 0 || k <= 0) return;
  if (n <= SYRK_BASE) {
    gemmCM(0, 1, n, n, k, alpha, a, lda, b, ldb, 1.0, c, ldc);
    return;
  }
  const n1 = split(n);
  const n2 = n - n1;
  syrkLowerCM(n1, k, alpha, a, lda, b, ldb, c, ldc);
  gemmCM(0, 1, n2, n1, k, alpha, at(a, lda, n1, 0), lda, b, ldb, 1.0, at(c, ldc, n1, 0), ldc);
  syrkLowerCM(n2, k, alpha, at(a, lda, n1, 0), lda, at(b, ldb, n1, 0), ldb, at(c, ldc, n1, n1), ldc);
}

/**
 * Rows [r0, r1) of the lower triangle of C += alpha * A B^T (C n x n, A and B n x k,
 * column-major): the piece of {@link syrkLowerCM} one thread computes when the rows are
 * split between threads (a GEMM left of the diagonal block, then the diagonal block).
 */
export function syrkRowsCM(k: i32, alpha: f64, a: usize, lda: i32, b: usize, ldb: i32,
  c: usize, ldc: i32, r0: i32, r1: i32): void {
  if (r1 <= r0) return;
  gemmCM(0, 1, r1 - r0, r0, k, alpha, at(a, lda, r0, 0), lda, b, ldb, 1.0, at(c, ldc, r0, 0), ldc);
  syrkLowerCM(r1 - r0, k, alpha, at(a, lda, r0, 0), lda, at(b, ldb, r0, 0), ldb, at(c, ldc, r0, r0), ldc);
}

/**
 * X := (L L^T)^{-1} X for the column-major lower factor L (n x n) and `nrhs` right-hand sides
 * (x n x nrhs column-major, leading dimension ldx). Memory-bound: four columns of L are taken
 * per pass over x (the forward sweep subtracts their four-term combination, the backward one
 * forms four dot products at once), so x streams through once per four columns instead of
 * once per column, and the loop carries four independent chains instead of one.
 */
export function cholSolve(n: i32, l: usize, ldl: i32, x: usize, ldx: i32, nrhs: i32): void {
  for (let r = 0; r < nrhs; r++) {
    const xr = x + ((<usize>r * <usize>ldx) << 3);
    forward1(n, l, ldl, xr);
    backward1(n, l, ldl, xr);
  }
}

/** Element i of column c (a column's byte address) as f64. */
// @ts-ignore: decorator
@inline function ld(c: usize, i: i32): f64 {
  return load<f64>(c + (<usize>i << 3));
}

/**
 * y[0:len] -= (s0 c0 + s1 c1) + (s2 c2 + s3 c3): four columns per pass over y (the forward
 * substitution's update, and the Lanczos basis' combinations in ./lanczos.ts).
 */
// @ts-ignore: decorator
@inline export function subComb4(len: i32, c0: usize, c1: usize, c2: usize, c3: usize,
  s0: f64, s1: f64, s2: f64, s3: f64, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v0 = f64x2.splat(s0), v1 = f64x2.splat(s1), v2 = f64x2.splat(s2), v3 = f64x2.splat(s3);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const t = madd(v128.load(c1 + o), v1, f64x2.mul(v128.load(c0 + o), v0));
      const u = madd(v128.load(c3 + o), v3, f64x2.mul(v128.load(c2 + o), v2));
      v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.add(t, u)));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) - ((ld(c0, i) * s0 + ld(c1, i) * s1) + (ld(c2, i) * s2 + ld(c3, i) * s3)));
  }
}

/**
 * Solves with from this order on take eight columns of L per pass over x, not four. The
 * solves stream L and are bound by how many loads are in flight, not by the flops: once L's
 * triangle (4 n^2 bytes) no longer sits in the L3 cache beside K's copy, eight concurrent
 * column streams read it 1.1-1.4x as fast as four (n = 2000-4000, Zen 4). Below, where L
 * comes from the caches, the extra registers cost more than they gain (four were 1.2x faster
 * at n = 1000-1500).
 */
const WIDE_MIN: i32 = 1800;

/**
 * y[0:len] -= sum_k s_k c_k for eight columns c_k = c0 + k * ldc bytes and the scalars s_k at
 * s (eight f64): the forward substitution's update once L streams from memory (see WIDE_MIN).
 */
function subComb8(len: i32, c0: usize, ldc: usize, s: usize, y: usize): void {
  const c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v0 = v128.load64_splat(s), v1 = v128.load64_splat(s + 8), v2 = v128.load64_splat(s + 16), v3 = v128.load64_splat(s + 24);
    const v4 = v128.load64_splat(s + 32), v5 = v128.load64_splat(s + 40), v6 = v128.load64_splat(s + 48), v7 = v128.load64_splat(s + 56);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const t = madd(v128.load(c1 + o), v1, f64x2.mul(v128.load(c0 + o), v0));
      const u = madd(v128.load(c3 + o), v3, f64x2.mul(v128.load(c2 + o), v2));
      const t2 = madd(v128.load(c5 + o), v5, f64x2.mul(v128.load(c4 + o), v4));
      const u2 = madd(v128.load(c7 + o), v7, f64x2.mul(v128.load(c6 + o), v6));
      v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.add(f64x2.add(t, u), f64x2.add(t2, u2))));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    const t = (ld(c0, i) * ld(s, 0) + ld(c1, i) * ld(s, 1)) + (ld(c2, i) * ld(s, 2) + ld(c3, i) * ld(s, 3));
    const u = (ld(c4, i) * ld(s, 4) + ld(c5, i) * ld(s, 5)) + (ld(c6, i) * ld(s, 6) + ld(c7, i) * ld(s, 7));
    store<f64>(y + o, load<f64>(y + o) - (t + u));
  }
}

/** L y = x in place (forward substitution): per block of columns, its triangle, then the rows below. */
function forward1(n: i32, l: usize, ldl: i32, x: usize): void {
  const wide = n >= WIDE_MIN;
  const w = wide ? 8 : 4;
  for (let j = 0; j < n; j += w) {
    const j1 = min(n, j + w);
    for (let c = j; c < j1; c++) {
      const cc = at(l, ldl, 0, c);
      const yc = ld(x, c) / ld(cc, c);
      store<f64>(x + (<usize>c << 3), yc);
      for (let i = c + 1; i < j1; i++) store<f64>(x + (<usize>i << 3), ld(x, i) - ld(cc, i) * yc);
    }
    forwardRows(l, ldl, x, j, j1, j1, n, wide);
  }
}

/**
 * Four dot products in one pass over x[i0:n]: t_k = sum_i c_k[i] x[i] for the columns c0..c3
 * (f64x2 pairs, then the scalar tail). Stored at out + 8k, or, with `sub`, subtracted from
 * what is there (out[k] - t_k, rounded as the expression would be). One loop for the backward
 * solve (which subtracts from x's next four entries) and Lanczos' Q^T w (which stores).
 */
// @ts-ignore: decorator
@inline export function dots4(i0: i32, n: i32, c0: usize, c1: usize, c2: usize, c3: usize, x: usize, out: usize, sub: bool): void {
  let t0: f64 = 0, t1: f64 = 0, t2: f64 = 0, t3: f64 = 0;
  let i = i0;
  if (ASC_FEATURE_SIMD) {
    let d0 = f64x2.splat(0), d1 = f64x2.splat(0), d2 = f64x2.splat(0), d3 = f64x2.splat(0);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const xv = v128.load(x + o);
      d0 = madd(v128.load(c0 + o), xv, d0);
      d1 = madd(v128.load(c1 + o), xv, d1);
      d2 = madd(v128.load(c2 + o), xv, d2);
      d3 = madd(v128.load(c3 + o), xv, d3);
    }
    t0 = f64x2.extract_lane(d0, 0) + f64x2.extract_lane(d0, 1);
    t1 = f64x2.extract_lane(d1, 0) + f64x2.extract_lane(d1, 1);
    t2 = f64x2.extract_lane(d2, 0) + f64x2.extract_lane(d2, 1);
    t3 = f64x2.extract_lane(d3, 0) + f64x2.extract_lane(d3, 1);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    t0 += load<f64>(c0 + o) * xi; t1 += load<f64>(c1 + o) * xi; t2 += load<f64>(c2 + o) * xi; t3 += load<f64>(c3 + o) * xi;
  }
  if (sub) {
    store<f64>(out, load<f64>(out) - t0); store<f64>(out, load<f64>(out, 8) - t1, 8);
    store<f64>(out, load<f64>(out, 16) - t2, 16); store<f64>(out, load<f64>(out, 24) - t3, 24);
  } else {
    store<f64>(out, t0); store<f64>(out, t1, 8); store<f64>(out, t2, 16); store<f64>(out, t3, 24);
  }
}

/**
 * Eight dot products in one pass over x[i0:n] with the columns c_k = c0 + k * ldc bytes,
 * stored at out + 8k or (with `sub`) subtracted from what is there: the backward solve's
 * partial sums once L streams from memory (see WIDE_MIN).
 */
function dots8(i0: i32, n: i32, c0: usize, ldc: usize, x: usize, out: usize, sub: bool): void {
  const c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc;
  let t0: f64 = 0, t1: f64 = 0, t2: f64 = 0, t3: f64 = 0, t4: f64 = 0, t5: f64 = 0, t6: f64 = 0, t7: f64 = 0;
  let i = i0;
  if (ASC_FEATURE_SIMD) {
    let d0 = f64x2.splat(0), d1 = f64x2.splat(0), d2 = f64x2.splat(0), d3 = f64x2.splat(0);
    let d4 = f64x2.splat(0), d5 = f64x2.splat(0), d6 = f64x2.splat(0), d7 = f64x2.splat(0);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const xv = v128.load(x + o);
      d0 = madd(v128.load(c0 + o), xv, d0); d1 = madd(v128.load(c1 + o), xv, d1);
      d2 = madd(v128.load(c2 + o), xv, d2); d3 = madd(v128.load(c3 + o), xv, d3);
      d4 = madd(v128.load(c4 + o), xv, d4); d5 = madd(v128.load(c5 + o), xv, d5);
      d6 = madd(v128.load(c6 + o), xv, d6); d7 = madd(v128.load(c7 + o), xv, d7);
    }
    t0 = f64x2.extract_lane(d0, 0) + f64x2.extract_lane(d0, 1); t1 = f64x2.extract_lane(d1, 0) + f64x2.extract_lane(d1, 1);
    t2 = f64x2.extract_lane(d2, 0) + f64x2.extract_lane(d2, 1); t3 = f64x2.extract_lane(d3, 0) + f64x2.extract_lane(d3, 1);
    t4 = f64x2.extract_lane(d4, 0) + f64x2.extract_lane(d4, 1); t5 = f64x2.extract_lane(d5, 0) + f64x2.extract_lane(d5, 1);
    t6 = f64x2.extract_lane(d6, 0) + f64x2.extract_lane(d6, 1); t7 = f64x2.extract_lane(d7, 0) + f64x2.extract_lane(d7, 1);
  }
  for (; i < n; i++) {
    const xi = ld(x, i);
    t0 += ld(c0, i) * xi; t1 += ld(c1, i) * xi; t2 += ld(c2, i) * xi; t3 += ld(c3, i) * xi;
    t4 += ld(c4, i) * xi; t5 += ld(c5, i) * xi; t6 += ld(c6, i) * xi; t7 += ld(c7, i) * xi;
  }
  if (sub) {
    store<f64>(out, load<f64>(out) - t0); store<f64>(out, load<f64>(out, 8) - t1, 8);
    store<f64>(out, load<f64>(out, 16) - t2, 16); store<f64>(out, load<f64>(out, 24) - t3, 24);
    store<f64>(out, load<f64>(out, 32) - t4, 32); store<f64>(out, load<f64>(out, 40) - t5, 40);
    store<f64>(out, load<f64>(out, 48) - t6, 48); store<f64>(out, load<f64>(out, 56) - t7, 56);
  } else {
    store<f64>(out, t0); store<f64>(out, t1, 8); store<f64>(out, t2, 16); store<f64>(out, t3, 24);
    store<f64>(out, t4, 32); store<f64>(out, t5, 40); store<f64>(out, t6, 48); store<f64>(out, t7, 56);
  }
}

/**
 * L^T z = x in place (backward substitution): per block of columns from the last, the dot
 * products with z below the block, then the block's triangle.
 */
function backward1(n: i32, l: usize, ldl: i32, x: usize): void {
  const wide = n >= WIDE_MIN;
  const w = wide ? 8 : 4;
  for (let j = n % w == 0 ? n - w : n - n % w; j >= 0; j -= w) {
    const j1 = min(n, j + w);
    backwardDots(l, ldl, x, j, j1, j1, n, x + (<usize>j << 3), true, wide);
    for (let c = j1 - 1; c >= j; c--) {
      const cc = at(l, ldl, 0, c);
      let t = ld(x, c);
      for (let i = c + 1; i < j1; i++) t -= ld(cc, i) * ld(x, i);
      store<f64>(x + (<usize>c << 3), t / ld(cc, c));
    }
  }
}

/**
 * y = A x for the symmetric n x n column-major A, reading only its lower triangle; `nrhs`
 * vectors at once (x and y n x nrhs column-major, leading dimension n). Four columns of A are
 * streamed together so each pass over y serves four of them.
 */
export function symvLower(n: i32, a: usize, lda: i32, x: usize, y: usize, nrhs: i32): void {
  for (let r = 0; r < nrhs; r++) {
    const xr = x + ((<usize>r * <usize>n) << 3);
    const yr = y + ((<usize>r * <usize>n) << 3);
    memory.fill(yr, 0, <usize>n << 3);
    symv1(n, a, lda, xr, yr);
  }
}

/** y += A x (lower triangle of A read), one vector. */
export function symv1(n: i32, a: usize, lda: i32, x: usize, y: usize): void {
  symvColsAdd(n, a, lda, x, y, 0, n);
}

/**
 * y += the part of A x (A symmetric m x m column-major, lower triangle read) that the lower
 * triangle's columns [c0, c1) hold: rows c0..m-1 only, so column ranges tiling [0, m) split
 * one product between threads (assembly/tridiag.ts symvCols). Each column's entries are loaded
 * once for both their uses (the axpy into y and the dot with x), four columns per pass over y.
 */
export function symvColsAdd(m: i32, a: usize, lda: i32, x: usize, y: usize, c0: i32, c1: i32): void {
  let j = c0;
  for (; j + 4 <= c1; j += 4) {
    const c0p = at(a, lda, 0, j), c1p = at(a, lda, 0, j + 1), c2p = at(a, lda, 0, j + 2), c3p = at(a, lda, 0, j + 3);
    const jo = <usize>j << 3;
    const x0 = load<f64>(x + jo), x1 = load<f64>(x + jo, 8), x2 = load<f64>(x + jo, 16), x3 = load<f64>(x + jo, 24);
    // The 4 x 4 diagonal block, lower part only.
    const a00 = load<f64>(c0p + jo), a10 = load<f64>(c0p + jo, 8), a20 = load<f64>(c0p + jo, 16), a30 = load<f64>(c0p + jo, 24);
    const a11 = load<f64>(c1p + jo, 8), a21 = load<f64>(c1p + jo, 16), a31 = load<f64>(c1p + jo, 24);
    const a22 = load<f64>(c2p + jo, 16), a32 = load<f64>(c2p + jo, 24);
    const a33 = load<f64>(c3p + jo, 24);
    let t0 = a00 * x0 + a10 * x1 + a20 * x2 + a30 * x3;
    let t1 = a10 * x0 + a11 * x1 + a21 * x2 + a31 * x3;
    let t2 = a20 * x0 + a21 * x1 + a22 * x2 + a32 * x3;
    let t3 = a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3;
    let i = j + 4;
    if (ASC_FEATURE_SIMD) {
      const vx0 = f64x2.splat(x0), vx1 = f64x2.splat(x1), vx2 = f64x2.splat(x2), vx3 = f64x2.splat(x3);
      let d0 = f64x2.splat(0), d1 = f64x2.splat(0), d2 = f64x2.splat(0), d3 = f64x2.splat(0);
      for (; i + 2 <= m; i += 2) {
        const o = <usize>i << 3;
        const v0 = v128.load(c0p + o), v1 = v128.load(c1p + o), v2 = v128.load(c2p + o), v3 = v128.load(c3p + o);
        const xv = v128.load(x + o);
        const yv = f64x2.add(madd(v1, vx1, f64x2.mul(v0, vx0)), madd(v3, vx3, f64x2.mul(v2, vx2)));
        v128.store(y + o, f64x2.add(v128.load(y + o), yv));
        d0 = madd(v0, xv, d0);
        d1 = madd(v1, xv, d1);
        d2 = madd(v2, xv, d2);
        d3 = madd(v3, xv, d3);
      }
      t0 += f64x2.extract_lane(d0, 0) + f64x2.extract_lane(d0, 1);
      t1 += f64x2.extract_lane(d1, 0) + f64x2.extract_lane(d1, 1);
      t2 += f64x2.extract_lane(d2, 0) + f64x2.extract_lane(d2, 1);
      t3 += f64x2.extract_lane(d3, 0) + f64x2.extract_lane(d3, 1);
    }
    for (; i < m; i++) {
      const o = <usize>i << 3;
      const v0 = load<f64>(c0p + o), v1 = load<f64>(c1p + o), v2 = load<f64>(c2p + o), v3 = load<f64>(c3p + o);
      const xi = load<f64>(x + o);
      store<f64>(y + o, load<f64>(y + o) + v0 * x0 + v1 * x1 + v2 * x2 + v3 * x3);
      t0 += v0 * xi; t1 += v1 * xi; t2 += v2 * xi; t3 += v3 * xi;
    }
    store<f64>(y + jo, load<f64>(y + jo) + t0);
    store<f64>(y + jo, load<f64>(y + jo, 8) + t1, 8);
    store<f64>(y + jo, load<f64>(y + jo, 16) + t2, 16);
    store<f64>(y + jo, load<f64>(y + jo, 24) + t3, 24);
  }
  for (; j < c1; j++) {
    const cj = at(a, lda, 0, j);
    const xj = load<f64>(x + (<usize>j << 3));
    let t = load<f64>(cj + (<usize>j << 3)) * xj;
    for (let i = j + 1; i < m; i++) {
      const o = <usize>i << 3;
      const aij = load<f64>(cj + o);
      store<f64>(y + o, load<f64>(y + o) + aij * xj);
      t += aij * load<f64>(x + o);
    }
    store<f64>(y + (<usize>j << 3), load<f64>(y + (<usize>j << 3)) + t);
  }
}

/**
 * Copies the lower triangle of the row-major n x n matrix a (leading dimension lda) onto its
 * upper triangle and subtracts `shift` from the diagonal, for the rows [r0, r1) of the lower
 * triangle (r0 a multiple of 32), so threads can split it: each range writes its own columns
 * of the upper triangle. The row-major lower triangle is the one callers trust (numpy's
 * UPLO='L'), and the column-major routines read the other. With b (not 0, leading dimension
 * lda), b's upper triangle and diagonal receive the same values without the shift: the
 * unshifted column-major lower triangle a product with the matrix reads ({@link symvLower}),
 * made in the same pass instead of from a second copy. (The js twin's symmetrizeShift is the
 * whole-matrix case without b.)
 */
export function symmetrizeRows(n: i32, a: usize, lda: i32, shift: f64, b: usize, r0: i32, r1: i32): void {
  // 32 x 32 tiles keep both the rows read and the columns written in cache.
  for (let ib = r0; ib < r1; ib += 32) {
    const ie = min(ib + 32, r1);
    for (let jb = 0; jb <= ib; jb += 32) {
      for (let i = ib; i < ie; i++) {
        const je = min(jb + 32, i);
        for (let j = jb; j < je; j++) {
          const v = load<f64>(a + ((<usize>i * lda + j) << 3));
          const o = (<usize>j * lda + i) << 3;
          store<f64>(a + o, v);
          if (b != 0) store<f64>(b + o, v);
        }
      }
    }
  }
  for (let i = r0; i < r1; i++) {
    const o = (<usize>i * lda + i) << 3;
    const v = load<f64>(a + o);
    if (b != 0) store<f64>(b + o, v);
    store<f64>(a + o, v - shift);
  }
}

// The single-vector solve on two threads ({@link cholSolvePair}): both sweeps go by blocks of
// columns of L; each block's small diagonal triangle is solved by the leader, the
// memory-bound rectangle below it is split by rows, and the threads hand each block over
// through counters in shared memory (assembly/sync.ts: microseconds, where the pool call per
// block this replaces cost tens, which made the split solve slower than one thread).

/**
 * Where the leader's rows of a block's rectangle (rows [j1, n)) end: half of them less the
 * diagonal triangle's work (~B/2 rows for B columns) the leader also does, and (forward) at
 * least the next block [j1, j2); a multiple of 4 rows.
 */
// @ts-ignore: decorator
@inline function leaderEnd(n: i32, j1: i32, j2: i32, B: i32): i32 {
  const half = ((n - j1 - (B >> 1)) >> 1) & ~3;
  return min(n, j1 + max(j2 - j1, half));
}

/**
 * Forward update, rows [r0, r1): x[r0:r1] -= L[r0:r1, j0:j1] x[j0:j1], eight (`wide`, see
 * WIDE_MIN) or four columns per pass.
 */
function forwardRows(l: usize, ldl: i32, x: usize, j0: i32, j1: i32, r0: i32, r1: i32, wide: bool): void {
  const len = r1 - r0;
  if (len <= 0) return;
  const xr = x + (<usize>r0 << 3);
  let j = j0;
  if (wide) for (; j + 8 <= j1; j += 8) subComb8(len, at(l, ldl, r0, j), <usize>ldl << 3, x + (<usize>j << 3), xr);
  for (; j + 4 <= j1; j += 4) {
    const c0 = at(l, ldl, r0, j), c1 = at(l, ldl, r0, j + 1), c2 = at(l, ldl, r0, j + 2), c3 = at(l, ldl, r0, j + 3);
    subComb4(len, c0, c1, c2, c3, ld(x, j), ld(x, j + 1), ld(x, j + 2), ld(x, j + 3), xr);
  }
  for (; j < j1; j++) axpyNeg(len, ld(x, j), at(l, ldl, r0, j), xr);
}

/**
 * Backward dot products, rows [r0, r1): out[k] = L[r0:r1, j0 + k] . x[r0:r1] for the columns
 * [j0, j1), or with `sub` out[k] -= that; eight (`wide`) or four columns per pass.
 */
function backwardDots(l: usize, ldl: i32, x: usize, j0: i32, j1: i32, r0: i32, r1: i32, out: usize, sub: bool, wide: bool): void {
  let j = j0;
  if (wide) for (; j + 8 <= j1; j += 8) dots8(r0, r1, at(l, ldl, 0, j), <usize>ldl << 3, x, out + (<usize>(j - j0) << 3), sub);
  for (; j + 4 <= j1; j += 4) {
    dots4(r0, r1, at(l, ldl, 0, j), at(l, ldl, 0, j + 1), at(l, ldl, 0, j + 2), at(l, ldl, 0, j + 3), x, out + (<usize>(j - j0) << 3), sub);
  }
  for (; j < j1; j++) {
    const o = out + (<usize>(j - j0) << 3);
    const t = r1 > r0 ? dot(r1 - r0, at(l, ldl, r0, j), x + (<usize>r0 << 3)) : 0;
    store<f64>(o, sub ? load<f64>(o) - t : t);
  }
}

/**
 * x := (L L^T)^{-1} x for one vector on two threads: both call it with the same arguments but
 * `part` (0 the leader, 1 the helper). `B` is the columns per block (a multiple of 4: small,
 * since the diagonal triangles, B/n of a sweep, are the leader's alone), `sync` three zeroed
 * i32 (blocks the leader has solved, blocks the helper has done, and the waiters of
 * assembly/sync.ts), `pbuf` 2 B f64 of scratch.
 *
 * Forward (L y = x), block b = [j0, j1): the leader, once the helper has finished block b - 1,
 * updates the rows [j1, m) with block b's columns, m past the next block, solves that next
 * block's triangle and publishes it; the helper waits for block b's triangle and updates rows
 * [m, n). Backward (L^T z = y), b from the last block down: the two threads form the dot
 * products of block b's columns with z below it over their rows, the leader subtracts both
 * and solves the triangle. (The last bits may differ from {@link cholSolve}'s: the dot
 * products are summed in two parts.)
 * Returns 0, or -1 when a wait gave up (the other thread failed).
 */
export function cholSolvePair(n: i32, l: usize, ldl: i32, x: usize, part: i32, B: i32, sync: usize, pbuf: usize): i32 {
  const ready = sync, done = sync + 4, sleepers = sync + 8;
  const nb = (n + B - 1) / B;
  const pH = pbuf, pL = pbuf + (<usize>B << 3);
  const wide = n >= WIDE_MIN;
  // Forward. `ready` counts solved triangles, `done` the helper's finished blocks.
  if (part == 0) {
    forward1(min(B, n), l, ldl, x);
    publish(ready, 1, sleepers);
  }
  for (let b = 0; b < nb - 1; b++) {
    const j0 = b * B, j1 = j0 + B, j2 = min(n, j1 + B);
    const m = leaderEnd(n, j1, j2, B);
    if (part == 0) {
      // The helper's rows of block b - 1 may be ours in block b.
      if (b > 0 && !waitAtLeast(done, b, sleepers)) return -1;
      forwardRows(l, ldl, x, j0, j1, j1, m, wide);
      forward1(j2 - j1, at(l, ldl, j1, j1), ldl, x + (<usize>j1 << 3));
      publish(ready, b + 2, sleepers);
    } else {
      // Block b's triangle, and with it the leader's rows of block b - 1, are done.
      if (!waitAtLeast(ready, b + 1, sleepers)) return -1;
      forwardRows(l, ldl, x, j0, j1, m, n, wide);
      publish(done, b + 1, sleepers);
    }
  }
  // Backward: the counters go on from nb (leader) and nb - 1 (helper).
  for (let b = nb - 1; b >= 0; b--) {
    const j0 = b * B, j1 = min(n, j0 + B);
    const k = nb - 1 - b;
    const mid = leaderEnd(n, j1, j1, B);
    if (part == 0) {
      if (j1 < n) {
        backwardDots(l, ldl, x, j0, j1, j1, mid, pL, false, wide);
        if (!waitAtLeast(done, nb - 1 + k, sleepers)) return -1;
        for (let j = j0; j < j1; j++) {
          const o = <usize>(j - j0) << 3;
          store<f64>(x + (<usize>j << 3), ld(x, j) - (load<f64>(pL + o) + load<f64>(pH + o)));
        }
      }
      backward1(j1 - j0, at(l, ldl, j0, j0), ldl, x + (<usize>j0 << 3));
      publish(ready, nb + k + 1, sleepers);
    } else if (j1 < n) {
      // Every block below b is solved (and the leader has read the previous partial sums).
      if (!waitAtLeast(ready, nb + k, sleepers)) return -1;
      backwardDots(l, ldl, x, j0, j1, mid, n, pH, false, wide);
      publish(done, nb - 1 + k, sleepers);
    }
  }
  return 0;
}
