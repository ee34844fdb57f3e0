// Two-stage tridiagonalization for eigenvalues (issue 17), the scheme of LAPACK's
// dsytrd_2stage: the symmetric matrix is reduced to a band of half-width nb by block
// Householder transformations (stage 1: sy2sbPanel, symmRowsCM, sy2sbZ, sy2sbUpdate per
// panel), then the band to tridiagonal form by bulge chasing (stage 2: sb2stSweeps). Why two
// stages: the one-stage reduction (assembly/tridiag.ts) does half its 4/3 n^3 flops as one
// matrix-vector product per column, each reading the whole trailing matrix from memory;
// stage 1 here does all of them as matrix-matrix products (a symmetric product A V and a
// rank-2nb update), which read the trailing matrix once per nb columns and run at GEMM speed
// on every thread. Stage 2 costs O(n^2 nb) and works on nb x nb blocks
// that stay in L1. The reflectors are not kept (LAPACK has no eigenvector back-transformation
// for the two-stage path either): eigh keeps the one-stage reduction.
//
// Same storage as assembly/cholesky.ts: column-major, lower triangle, element (i, j) at
// a + 8*(i + j*lda). Stage 2 works in place in the same n x n array: the bulges it chases
// reach at most 2nb - 1 rows below the diagonal, which stage 1 leaves zero.
import { at, axpyNeg, dot, gemmCM, scale, split, symvColsAdd, syrkRowsCM } from './cholesky';
import { GEMM_WORKSPACE_BYTES } from './gemm';
import { publish, waitAtLeast } from './sync';
import { gemvNeg, gemvT, larfg } from './tridiag';
import { WORKSPACE_BYTES, workspacePtr } from './workspace';

// Diagonal blocks of the symmetric product up to this order are mirrored into a square
// scratch block and multiplied by the GEMM kernel; larger ones are split in halves.
const SYMM_BASE: i32 = 64;
const SYMM_SCRATCH: usize = (GEMM_WORKSPACE_BYTES + 63) & ~<usize>63;
if (SYMM_SCRATCH + (<usize>SYMM_BASE * <usize>SYMM_BASE << 3) > WORKSPACE_BYTES) ERROR('WORKSPACE_BYTES is too small for assembly/band.ts');

/** X += S V for the symmetric n x n S (lower triangle of a read), V and X n x k. */
function symmLowerAdd(n: i32, k: i32, a: usize, lda: i32, v: usize, ldv: i32, x: usize, ldx: i32): void {
  if (n <= 0) return;
  if (n <= SYMM_BASE) {
    const s = workspacePtr + SYMM_SCRATCH;
    for (let j = 0; j < n; j++) {
      for (let i = j; i < n; i++) {
        const val = load<f64>(at(a, lda, i, j));
        store<f64>(at(s, n, i, j), val);
        store<f64>(at(s, n, j, i), val);
      }
    }
    gemmCM(0, 0, n, k, n, 1.0, s, n, v, ldv, 1.0, x, ldx);
    return;
  }
  const n1 = split(n);
  const n2 = n - n1;
  const a21 = at(a, lda, n1, 0);
  symmLowerAdd(n1, k, a, lda, v, ldv, x, ldx);
  gemmCM(1, 0, n1, k, n2, 1.0, a21, lda, at(v, ldv, n1, 0), ldv, 1.0, x, ldx);
  gemmCM(0, 0, n2, k, n1, 1.0, a21, lda, v, ldv, 1.0, at(x, ldx, n1, 0), ldx);
  symmLowerAdd(n2, k, at(a, lda, n1, n1), lda, at(v, ldv, n1, 0), ldv, at(x, ldx, n1, 0), ldx);
}

/**
 * Rows [r0, r1) of X = S V, S the symmetric m x m matrix whose lower triangle is in a, V and
 * X m x k (column-major, leading dimensions ldv, ldx). The rows of X are independent, so
 * threads split one product by row ranges: each reads the block row of S left of its
 * diagonal block (as stored), the diagonal block, and the block column below it (transposed).
 */
export function symmRowsCM(m: i32, k: i32, a: usize, lda: i32, v: usize, ldv: i32, x: usize, ldx: i32,
  r0: i32, r1: i32): void {
  const h = r1 - r0;
  if (h <= 0 || k <= 0) return;
  for (let c = 0; c < k; c++) memory.fill(at(x, ldx, r0, c), 0, <usize>h << 3);
  const xr = at(x, ldx, r0, 0);
  gemmCM(0, 0, h, k, r0, 1.0, at(a, lda, r0, 0), lda, v, ldv, 1.0, xr, ldx);
  symmLowerAdd(h, k, at(a, lda, r0, r0), lda, at(v, ldv, r0, 0), ldv, xr, ldx);
  gemmCM(1, 0, h, k, m - r1, 1.0, at(a, lda, r1, r0), lda, at(v, ldv, r1, 0), ldv, 1.0, xr, ldx);
}

/**
 * Panel step of stage 1 at column k: QR factorization by Householder reflectors of the
 * M x nb block below the band, A(k+nb:n, k:k+nb) (M = n - k - nb, min(M, nb) reflectors),
 * which leaves R (upper triangular, inside the band) in place. The reflectors go to
 * work as V (M x pk, unit diagonal, leading dimension ldw) twice, in the column blocks 0 and
 * 2 of the layout [V | Z | V | X] (each pk columns wide); their entries in A are zeroed, so
 * A is banded left of column k + nb. tau receives the pk factors and t (nb x nb, column-major,
 * leading dimension nb) the upper triangular T of the compact WY form H_0 ... H_{pk-1} =
 * I - V T V^T (LAPACK dlarft, forward and columnwise). `tmp` holds nb values. Returns pk.
 */
export function sy2sbPanel(n: i32, a: usize, lda: i32, k: i32, nb: i32, tau: usize, t: usize,
  work: usize, ldw: i32, tmp: usize): i32 {
  const M = n - k - nb;
  if (M <= 0) return 0;
  const pk = min(nb, M);
  const p0 = at(a, lda, k + nb, k);
  for (let j = 0; j < pk; j++) {
    const ajj = at(p0, lda, j, j);
    const len = M - j;
    const tj = larfg(len, ajj, ajj + 8);
    store<f64>(tau + (<usize>j << 3), tj);
    if (tj != 0 && j + 1 < nb) {
      // H_j on the panel's later columns (all nb of them: when M < nb the columns past pk
      // have no reflector of their own but their rows k+nb.. still turn with the others).
      const beta = load<f64>(ajj);
      store<f64>(ajj, 1.0);
      const cols = nb - j - 1;
      gemvT(len, cols, at(p0, lda, j, j + 1), lda, ajj, tmp);
      for (let c = 0; c < cols; c++) {
        axpyNeg(len, tj * load<f64>(tmp + (<usize>c << 3)), ajj, at(p0, lda, j, j + 1 + c));
      }
      store<f64>(ajj, beta);
    }
  }
  // T column by column: T(0:j, j) = -tau_j T(0:j, 0:j) (V(:, 0:j)^T v_j).
  memory.fill(t, 0, <usize>nb * <usize>nb << 3);
  for (let j = 0; j < pk; j++) {
    const tj = load<f64>(tau + (<usize>j << 3));
    store<f64>(at(t, nb, j, j), tj);
    if (j == 0) continue;
    // Rows below j (v_j's stored tail), then row j (v_j's unit head).
    gemvT(M - j - 1, j, at(p0, lda, j + 1, 0), lda, at(p0, lda, j + 1, j), tmp);
    for (let i = 0; i < j; i++) {
      const o = tmp + (<usize>i << 3);
      store<f64>(o, load<f64>(o) + load<f64>(at(p0, lda, j, i)));
    }
    for (let i = 0; i < j; i++) {
      let s: f64 = 0;
      for (let l = i; l < j; l++) s += load<f64>(at(t, nb, i, l)) * load<f64>(tmp + (<usize>l << 3));
      store<f64>(at(t, nb, i, j), -tj * s);
    }
  }
  // V to work (blocks 0 and 2), and zeros in its place in A.
  for (let j = 0; j < pk; j++) {
    const dst = at(work, ldw, 0, j);
    memory.fill(dst, 0, <usize>j << 3);
    store<f64>(dst + (<usize>j << 3), 1.0);
    const src = at(p0, lda, j + 1, j);
    const tail = <usize>(M - j - 1) << 3;
    memory.copy(dst + (<usize>(j + 1) << 3), src, tail);
    memory.copy(at(work, ldw, 0, 2 * pk + j), dst, <usize>M << 3);
    memory.fill(src, 0, tail);
  }
  return pk;
}

/**
 * Middle of a stage-1 step, after X = S V (work block 3, S the trailing matrix): turns X into
 * Z = X T - (1/2) V (T^T V^T X T) in work block 1, so that the trailing matrix's update
 * Q^T S Q (Q = I - V T V^T) is the symmetric rank-2pk update S - V Z^T - Z V^T. `y` holds
 * 2 nb^2 values.
 */
export function sy2sbZ(M: i32, pk: i32, nb: i32, work: usize, ldw: i32, t: usize, y: usize): void {
  const V = work, Z = at(work, ldw, 0, pk), X = at(work, ldw, 0, 3 * pk);
  const y2 = y + (<usize>nb * <usize>nb << 3);
  gemmCM(0, 0, M, pk, pk, 1.0, X, ldw, t, nb, 0.0, Z, ldw);
  gemmCM(1, 0, pk, pk, M, 1.0, V, ldw, Z, ldw, 0.0, y, nb);
  gemmCM(1, 0, pk, pk, pk, 1.0, t, nb, y, nb, 0.0, y2, nb);
  gemmCM(0, 0, M, pk, pk, -0.5, V, ldw, y2, nb, 1.0, Z, ldw);
}

/**
 * Rows [r0, r1) of the stage-1 trailing update lower(S) -= Z V^T + V Z^T (S M x M), from
 * the layout [V | Z | V] in work: the rank-2pk product [Z V] [V Z]^T, split by rows
 * between threads like the one-stage reduction's update.
 */
export function sy2sbUpdate(M: i32, pk: i32, work: usize, ldw: i32, S: usize, lda: i32, r0: i32, r1: i32): void {
  if (r1 > M) r1 = M;
  syrkRowsCM(2 * pk, -1.0, at(work, ldw, 0, pk), ldw, work, ldw, S, lda, r0, r1);
}

/** S := H S H for the symmetric m x m S (lower triangle), H = I - tau v v^T. w: m values. */
function twoSided(m: i32, s: usize, lds: i32, v: usize, tau: f64, w: usize): void {
  if (tau == 0) return;
  memory.fill(w, 0, <usize>m << 3);
  symvColsAdd(m, s, lds, v, w, 0, m);
  scale(m, tau, w);
  // w := tau S v - (tau/2)(v^T tau S v) v, and then S - v w^T - w v^T = H S H.
  axpyNeg(m, 0.5 * tau * dot(m, w, v), v, w);
  for (let c = 0; c < m; c++) {
    const col = at(s, lds, c, c);
    const vc = load<f64>(v + (<usize>c << 3)), wc = load<f64>(w + (<usize>c << 3));
    const len = m - c;
    const vo = v + (<usize>c << 3), wo = w + (<usize>c << 3);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const vvc = f64x2.splat(vc), vwc = f64x2.splat(wc);
      for (; i + 2 <= len; i += 2) {
        const o = <usize>i << 3;
        v128.store(col + o, f64x2.sub(v128.load(col + o),
          f64x2.add(f64x2.mul(v128.load(vo + o), vwc), f64x2.mul(v128.load(wo + o), vvc))));
      }
    }
    for (; i < len; i++) {
      const o = <usize>i << 3;
      store<f64>(col + o, load<f64>(col + o) - (load<f64>(vo + o) * wc + load<f64>(wo + o) * vc));
    }
  }
}

/** B := B H for the m x ln block B (column-major), H = I - tau v v^T (v: ln values). */
function applyRight(m: i32, ln: i32, b: usize, ldb: i32, v: usize, tau: f64, w: usize): void {
  if (tau == 0 || m <= 0) return;
  memory.fill(w, 0, <usize>m << 3);
  gemvNeg(m, ln, b, ldb, v, w); // w = -B v
  for (let c = 0; c < ln; c++) {
    axpyNeg(m, -tau * load<f64>(v + (<usize>c << 3)), w, at(b, ldb, 0, c));
  }
}

/** B := H B for the m x cols block B (column-major), H = I - tau v v^T (v: m values). */
function applyLeft(m: i32, cols: i32, b: usize, ldb: i32, v: usize, tau: f64, w: usize): void {
  if (tau == 0 || cols <= 0) return;
  gemvT(m, cols, b, ldb, v, w);
  for (let c = 0; c < cols; c++) {
    axpyNeg(m, tau * load<f64>(w + (<usize>c << 3)), v, at(b, ldb, 0, c));
  }
}

/**
 * Moves the reflector in column `col` (rows r .. r+m-1 of a) into v (v[0] = 1) and zeros its
 * tail in a, after larfg: the column keeps beta at row r.
 */
// @ts-ignore: decorator
@inline function takeReflector(m: i32, col: usize, v: usize): void {
  store<f64>(v, 1.0);
  if (m > 1) {
    memory.copy(v + 8, col + 8, <usize>(m - 1) << 3);
    memory.fill(col + 8, 0, <usize>(m - 1) << 3);
  }
}

/** Completed-step count a sweep publishes when it has run to the end of the band. */
const SWEEP_DONE: i32 = 0x7fffffff;

/**
 * Stage 2: reduces the symmetric band matrix in a (n x n column-major, lower triangle,
 * half-width nb, zeros below the band) to tridiagonal form by Householder bulge chasing, in
 * place, in the serial order of LAPACK's dsytrd_sb2st: sweep s annihilates column s below its
 * subdiagonal with one reflector of length nb (applied on both sides to the next diagonal
 * block), whose right application fills the block below; that block's first column is
 * annihilated by the next reflector, and so on down the band. The fill left in the other
 * columns is what the next sweep's reflectors meet ({@link tridiagonalOf} then reads d and e).
 * This runs the sweeps s0, s0 + stride, ..., so that threads can share them (stride 1, prog 0:
 * all of them on one thread):
 * with `prog` != 0 (n + 1 i32, zeroed, shared: one per sweep and the waiters' count of
 * assembly/sync.ts), sweep s publishes how many steps it has
 * completed, and its step k waits until sweep s - 1 has completed step k + 2, the last of its
 * steps that touches rows and columns step k touches (step j of sweep s works on indices
 * s + 1 + (j - 1) nb .. s + (j + 1) nb). With stride 2 two threads then chase bulges two steps
 * apart, as LAPACK's dsytrd_sb2st does with its task pipeline. Every sweep's operations are
 * those of the serial order, so the result is the same bit for bit. work holds 3 nb values
 * (per thread). Returns 0, or -1 when a wait gave up.
 */
export function sb2stSweeps(n: i32, a: usize, lda: i32, nb: i32, work: usize, s0: i32, stride: i32, prog: usize): i32 {
  let vc = work, vn = work + (<usize>nb << 3);
  const w = work + (<usize>(2 * nb) << 3);
  for (let s = s0; s < n - 2; s += stride) {
    const prev = prog != 0 && s > 0 ? prog + (<usize>(s - 1) << 2) : 0;
    const mine = prog != 0 ? prog + (<usize>s << 2) : 0;
    const sleepers = prog + (<usize>n << 2);
    if (prev != 0 && !waitAtLeast(prev, 3, sleepers)) return -1;
    let st = s + 1;
    let ed = min(s + nb, n - 1);
    const col = at(a, lda, st, s);
    const lm = ed - st + 1;
    let tau = larfg(lm, col, col + 8);
    takeReflector(lm, col, vc);
    twoSided(lm, at(a, lda, st, st), lda, vc, tau, w);
    let k = 0;
    if (mine != 0) publish(mine, 1, sleepers);
    while (ed + 1 < n) {
      k++;
      if (prev != 0 && !waitAtLeast(prev, k + 3, sleepers)) return -1;
      const j1 = ed + 1, j2 = min(ed + nb, n - 1);
      const mb = j2 - j1 + 1, ln = ed - st + 1;
      const b = at(a, lda, j1, st);
      applyRight(mb, ln, b, lda, vc, tau, w);
      const tau2 = larfg(mb, b, b + 8);
      takeReflector(mb, b, vn);
      applyLeft(mb, ln - 1, at(a, lda, j1, st + 1), lda, vn, tau2, w);
      twoSided(mb, at(a, lda, j1, j1), lda, vn, tau2, w);
      st = j1;
      ed = j2;
      tau = tau2;
      const sw = vc; vc = vn; vn = sw;
      if (mine != 0) publish(mine, k + 1, sleepers);
    }
    if (mine != 0) publish(mine, SWEEP_DONE, sleepers);
  }
  return 0;
}

/** The diagonal (d, n values) and subdiagonal (e, n - 1) of the n x n column-major a. */
export function tridiagonalOf(n: i32, a: usize, lda: i32, d: usize, e: usize): void {
  for (let i = 0; i < n; i++) {
    store<f64>(d + (<usize>i << 3), load<f64>(at(a, lda, i, i)));
    if (i + 1 < n) store<f64>(e + (<usize>i << 3), load<f64>(at(a, lda, i + 1, i)));
  }
}
