/**
 * Pure TypeScript twin of assembly/tridiag.ts: blocked Householder tridiagonalization,
 * implicit QL, and the eigendecomposition driver (back-transformation: ./ormtr.ts), on
 * column-major matrices (lower triangle), element (i, j) at `a[o + i + j*ld]`.
 * @module
 */
import type { EigStages } from '../types.js';
import { BACK_BLOCK, stageClock } from '../common/eig-layout.js';
import { stedc } from '../common/stedc.js';
import { hypot } from '../common/tql.js';
import { symv1, syrkLowerCM } from './cholesky.js';
import { gemm } from './gemm.js';
import { ormtrLeft } from './ormtr.js';
import { secular } from './secular.js';

/** x[xo..xo+len) . y[yo..yo+len). */
export function dot(len: number, x: Float64Array, xo: number, y: Float64Array, yo: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += x[xo + i]! * y[yo + i]!;
  return s;
}

function nrm2(len: number, x: Float64Array, xo: number): number {
  const s = dot(len, x, xo, x, xo);
  if (s > 1e-280 && s < 1e280) return Math.sqrt(s);
  let m = 0;
  for (let i = 0; i < len; i++) m = Math.max(m, Math.abs(x[xo + i]!));
  if (m === 0 || !Number.isFinite(m)) return m;
  let t = 0;
  const inv = 1 / m;
  for (let i = 0; i < len; i++) { const v = x[xo + i]! * inv; t += v * v; }
  return m * Math.sqrt(t);
}

/** Householder reflector on [a[ap]; a[xo .. xo+m-2]] (see the assembly twin); returns tau, leaves beta at a[ap]. */
export function larfg(m: number, a: Float64Array, ap: number, xo: number): number {
  if (m <= 1) return 0;
  const xnorm = nrm2(m - 1, a, xo);
  if (xnorm === 0) return 0;
  const alpha = a[ap]!;
  const beta = alpha >= 0 ? -hypot(alpha, xnorm) : hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const s = 1 / (alpha - beta);
  for (let i = 0; i < m - 1; i++) a[xo + i]! *= s;
  a[ap] = beta;
  return tau;
}

/** y[yo..] -= X(:, 0:cols) t, X column-major at xo with leading dimension ldx. */
export function gemvNeg(len: number, cols: number, x: Float64Array, xo: number, ldx: number,
  t: Float64Array, to: number, y: Float64Array, yo: number): void {
  for (let p = 0; p < cols; p++) {
    const tp = t[to + p]!;
    const cp = xo + p * ldx;
    for (let i = 0; i < len; i++) y[yo + i]! -= x[cp + i]! * tp;
  }
}

/** Panel reduction (see the assembly twin); A is the N x N trailing matrix at ao. */
function latrd(N: number, nb: number, a: Float64Array, ao: number, lda: number,
  e: Float64Array, eo: number, tau: Float64Array, to: number, w: Float64Array, wo: number, ldw: number): void {
  for (let j = 0; j < nb; j++) {
    const len = N - j;
    const aj = ao + j + j * lda;
    const t = wo + j * ldw; // rows 0..j-1 of W's column j: scratch
    if (j > 0) {
      for (let p = 0; p < j; p++) w[t + p] = w[wo + j + p * ldw]!;
      gemvNeg(len, j, a, ao + j, lda, w, t, a, aj);
      for (let p = 0; p < j; p++) w[t + p] = a[ao + j + p * lda]!;
      gemvNeg(len, j, w, wo + j, ldw, w, t, a, aj);
    }
    if (j < N - 1) {
      const m = N - j - 1;
      const v = aj + 1;
      const taui = larfg(m, a, v, v + 1);
      e[eo + j] = a[v]!;
      a[v] = 1;
      const wj = wo + j + 1 + j * ldw;
      w.fill(0, wj, wj + m);
      symv1(m, a, ao + j + 1 + (j + 1) * lda, lda, a, v, w, wj);
      if (j > 0) {
        for (let p = 0; p < j; p++) w[t + p] = dot(m, w, wo + j + 1 + p * ldw, a, v);
        gemvNeg(m, j, a, ao + j + 1, lda, w, t, w, wj);
        for (let p = 0; p < j; p++) w[t + p] = dot(m, a, ao + j + 1 + p * lda, a, v);
        gemvNeg(m, j, w, wo + j + 1, ldw, w, t, w, wj);
      }
      for (let i = 0; i < m; i++) w[wj + i]! *= taui;
      const alpha = -0.5 * taui * dot(m, w, wj, a, v);
      for (let i = 0; i < m; i++) w[wj + i]! += alpha * a[v + i]!;
      tau[to + j] = taui;
    }
  }
}

/**
 * Blocked tridiagonalization A = Q T Q^T (see the assembly twin): d (n), e (n - 1), tau
 * (n - 1); `work` holds 3 * n * nb values.
 */
export function sytrd(n: number, a: Float64Array, ao: number, lda: number, d: Float64Array, e: Float64Array,
  tau: Float64Array, work: Float64Array, nb: number): void {
  let i = 0;
  while (i < n - 1) {
    const kb = Math.min(nb, n - 1 - i);
    const N = n - i;
    const M = N - kb;
    latrd(N, kb, a, ao + i + i * lda, lda, e, i, tau, i, work, kb * n, n);
    for (let p = 0; p < kb; p++) {
      const src = ao + i + kb + (i + p) * lda;
      work.set(a.subarray(src, src + M), kb + p * n);
      work.set(a.subarray(src, src + M), kb + (2 * kb + p) * n);
    }
    syrkLowerCM(M, 2 * kb, -1, work, kb + kb * n, n, work, kb, n, a, ao + i + kb + (i + kb) * lda, lda);
    for (let j = i; j < i + kb; j++) {
      a[ao + j + 1 + j * lda] = e[j]!;
      d[j] = a[ao + j + j * lda]!;
    }
    i += kb;
  }
  if (n > 0) d[n - 1] = a[ao + (n - 1) + (n - 1) * lda]!;
}

/**
 * Eigenvalues (ascending, in d) and eigenvectors (columns of the column-major Z): the
 * tridiagonal eigenvectors by divide and conquer (../common/stedc.ts, its products on this
 * backend's GEMM), then the blocked back-transformation.
 */
export function symEigh(n: number, a: Float64Array, lda: number, d: Float64Array, e: Float64Array,
  tau: Float64Array, z: Float64Array, ldz: number, nb: number, stages?: EigStages): number {
  const clock = stageClock(stages);
  const work = new Float64Array(3 * n * nb);
  sytrd(n, a, 0, lda, d, e, tau, work, nb);
  clock('tridiagonalize');
  // Z is n x n with ldz = n (the only layout the backend uses).
  const info = stedc(n, d, e, z, { gemm: (m, nn, k, x, y, c) => gemm(false, false, m, nn, k, 1, x, y, 0, c), secular });
  if (info !== 0) return info;
  clock('tridiagonal');
  ormtrLeft(n, a, 0, lda, tau, z, 0, ldz, n, BACK_BLOCK);
  clock('backTransform');
  return 0;
}
