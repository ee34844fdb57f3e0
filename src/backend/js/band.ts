/**
 * Pure TypeScript twin of assembly/band.ts: the two-stage reduction to tridiagonal form for
 * eigenvalues (dense to band by block Householder transformations, band to tridiagonal by
 * bulge chasing; see the assembly file for why), on column-major matrices (lower triangle),
 * element (i, j) at `a[o + i + j*ld]`.
 * @module
 */
import { gemmCM, split, symv1, syrkLowerCM } from './cholesky.js';
import { dot, gemvNeg, larfg } from './tridiag.js';

/** Diagonal blocks of the symmetric product up to this order are multiplied column by column. */
const SYMM_BASE = 64;

/** X += S V for the symmetric n x n S (lower triangle at ao), V and X n x k. */
function symmLowerAdd(n: number, k: number, a: Float64Array, ao: number, lda: number,
  v: Float64Array, vo: number, ldv: number, x: Float64Array, xo: number, ldx: number): void {
  if (n <= 0) return;
  if (n <= SYMM_BASE) {
    for (let c = 0; c < k; c++) symv1(n, a, ao, lda, v, vo + c * ldv, x, xo + c * ldx);
    return;
  }
  const n1 = split(n);
  const n2 = n - n1;
  symmLowerAdd(n1, k, a, ao, lda, v, vo, ldv, x, xo, ldx);
  gemmCM(true, false, n1, k, n2, 1, a, ao + n1, lda, v, vo + n1, ldv, 1, x, xo, ldx);
  gemmCM(false, false, n2, k, n1, 1, a, ao + n1, lda, v, vo, ldv, 1, x, xo + n1, ldx);
  symmLowerAdd(n2, k, a, ao + n1 + n1 * lda, lda, v, vo + n1, ldv, x, xo + n1, ldx);
}

/** X = S V (S m x m symmetric, lower triangle at ao; V, X m x k column-major). */
export function symmLowerCM(m: number, k: number, a: Float64Array, ao: number, lda: number,
  v: Float64Array, vo: number, ldv: number, x: Float64Array, xo: number, ldx: number): void {
  for (let c = 0; c < k; c++) x.fill(0, xo + c * ldx, xo + c * ldx + m);
  symmLowerAdd(m, k, a, ao, lda, v, vo, ldv, x, xo, ldx);
}

/**
 * Panel step of stage 1 at column k (see the assembly twin): QR of the M x nb block below the
 * band, V to work blocks 0 and 2 of [V | Z | V | X] (leading dimension ldw), zeros in its
 * place in A, T (nb x nb, leading dimension nb) into t. Returns pk = min(nb, M).
 */
export function sy2sbPanel(n: number, a: Float64Array, ao: number, lda: number, k: number, nb: number,
  tau: Float64Array, t: Float64Array, work: Float64Array, ldw: number): number {
  const M = n - k - nb;
  if (M <= 0) return 0;
  const pk = Math.min(nb, M);
  const p0 = ao + k + nb + k * lda;
  for (let j = 0; j < pk; j++) {
    const ajj = p0 + j + j * lda;
    const len = M - j;
    const tj = larfg(len, a, ajj, ajj + 1);
    tau[j] = tj;
    if (tj !== 0) {
      const beta = a[ajj]!;
      a[ajj] = 1;
      for (let c = j + 1; c < nb; c++) {
        const col = p0 + j + c * lda;
        const s = tj * dot(len, a, ajj, a, col);
        for (let i = 0; i < len; i++) a[col + i]! -= s * a[ajj + i]!;
      }
      a[ajj] = beta;
    }
  }
  t.fill(0, 0, nb * nb);
  const tmp = new Float64Array(nb);
  for (let j = 0; j < pk; j++) {
    const tj = tau[j]!;
    t[j + j * nb] = tj;
    for (let i = 0; i < j; i++) tmp[i] = a[p0 + j + i * lda]! + dot(M - j - 1, a, p0 + j + 1 + i * lda, a, p0 + j + 1 + j * lda);
    for (let i = 0; i < j; i++) {
      let s = 0;
      for (let l = i; l < j; l++) s += t[i + l * nb]! * tmp[l]!;
      t[i + j * nb] = -tj * s;
    }
  }
  for (let j = 0; j < pk; j++) {
    const dst = j * ldw;
    work.fill(0, dst, dst + j);
    work[dst + j] = 1;
    const src = p0 + j + 1 + j * lda;
    work.set(a.subarray(src, src + M - j - 1), dst + j + 1);
    work.copyWithin((2 * pk + j) * ldw, dst, dst + M);
    a.fill(0, src, src + M - j - 1);
  }
  return pk;
}

/** Z = X T - (1/2) V (T^T V^T X T) in work block 1, from X in block 3 (see the assembly twin). */
export function sy2sbZ(M: number, pk: number, nb: number, work: Float64Array, ldw: number, t: Float64Array): void {
  const Z = pk * ldw, X = 3 * pk * ldw;
  const y = new Float64Array(nb * nb), y2 = new Float64Array(nb * nb);
  gemmCM(false, false, M, pk, pk, 1, work, X, ldw, t, 0, nb, 0, work, Z, ldw);
  gemmCM(true, false, pk, pk, M, 1, work, 0, ldw, work, Z, ldw, 0, y, 0, nb);
  gemmCM(true, false, pk, pk, pk, 1, t, 0, nb, y, 0, nb, 0, y2, 0, nb);
  gemmCM(false, false, M, pk, pk, -0.5, work, 0, ldw, y2, 0, nb, 1, work, Z, ldw);
}

/**
 * Stage 1: A := Q^T A Q banded with half-width nb, zeros below the band (the n x n
 * column-major A at ao, lower triangle).
 */
export function sy2sb(n: number, a: Float64Array, ao: number, lda: number, nb: number): void {
  const ldw = n;
  const work = new Float64Array(4 * nb * n), t = new Float64Array(nb * nb), tau = new Float64Array(nb);
  for (let k = 0; k + nb < n - 1; k += nb) {
    const M = n - k - nb;
    const pk = sy2sbPanel(n, a, ao, lda, k, nb, tau, t, work, ldw);
    const S = ao + (k + nb) * (lda + 1);
    symmLowerCM(M, pk, a, S, lda, work, 0, ldw, work, 3 * pk * ldw, ldw);
    sy2sbZ(M, pk, nb, work, ldw, t);
    // lower(S) -= [Z V] [V Z]^T
    syrkLowerCM(M, 2 * pk, -1, work, pk * ldw, ldw, work, 0, ldw, a, S, lda);
  }
}

/** S := H S H (S m x m symmetric, lower triangle at so), H = I - tau v v^T. */
function twoSided(m: number, a: Float64Array, so: number, lda: number, v: Float64Array, vo: number, tau: number, w: Float64Array): void {
  if (tau === 0) return;
  w.fill(0, 0, m);
  symv1(m, a, so, lda, v, vo, w, 0);
  for (let i = 0; i < m; i++) w[i]! *= tau;
  const alpha = 0.5 * tau * dot(m, w, 0, v, vo);
  for (let i = 0; i < m; i++) w[i]! -= alpha * v[vo + i]!;
  for (let c = 0; c < m; c++) {
    const col = so + c * lda;
    const vc = v[vo + c]!, wc = w[c]!;
    for (let i = c; i < m; i++) a[col + i]! -= v[vo + i]! * wc + w[i]! * vc;
  }
}

/**
 * Stage 2: the band matrix (half-width nb, zeros below the band) to tridiagonal form by
 * bulge chasing, in place (see the assembly twin); diagonal to d, subdiagonal to e.
 */
export function sb2st(n: number, a: Float64Array, ao: number, lda: number, nb: number, d: Float64Array, e: Float64Array): void {
  let vc = new Float64Array(nb), vn = new Float64Array(nb);
  const w = new Float64Array(nb);
  const at = (i: number, j: number) => ao + i + j * lda;
  const take = (m: number, col: number, v: Float64Array) => {
    v[0] = 1;
    for (let i = 1; i < m; i++) { v[i] = a[col + i]!; a[col + i] = 0; }
  };
  for (let s = 0; s < n - 2; s++) {
    let st = s + 1;
    let ed = Math.min(s + nb, n - 1);
    const col = at(st, s);
    const lm = ed - st + 1;
    let tau = larfg(lm, a, col, col + 1);
    take(lm, col, vc);
    twoSided(lm, a, at(st, st), lda, vc, 0, tau, w);
    while (ed + 1 < n) {
      const j1 = ed + 1, j2 = Math.min(ed + nb, n - 1);
      const mb = j2 - j1 + 1, ln = ed - st + 1;
      const b = at(j1, st);
      if (tau !== 0) {
        // B := B H: w = -B v, then B(:, c) -= tau v_c (B v).
        w.fill(0, 0, mb);
        gemvNeg(mb, ln, a, b, lda, vc, 0, w, 0);
        for (let c = 0; c < ln; c++) {
          const f = tau * vc[c]!, bc = b + c * lda;
          for (let i = 0; i < mb; i++) a[bc + i]! += f * w[i]!;
        }
      }
      const tau2 = larfg(mb, a, b, b + 1);
      take(mb, b, vn);
      if (tau2 !== 0) {
        // B(:, 1:) := H2 B(:, 1:).
        for (let c = 1; c < ln; c++) {
          const bc = b + c * lda;
          const f = tau2 * dot(mb, vn, 0, a, bc);
          for (let i = 0; i < mb; i++) a[bc + i]! -= f * vn[i]!;
        }
      }
      twoSided(mb, a, at(j1, j1), lda, vn, 0, tau2, w);
      st = j1;
      ed = j2;
      tau = tau2;
      const sw = vc; vc = vn; vn = sw;
    }
  }
  for (let i = 0; i < n; i++) {
    d[i] = a[at(i, i)]!;
    if (i + 1 < n) e[i] = a[at(i + 1, i)]!;
  }
}
