/**
 * Pure TypeScript twin of assembly/ormtr.ts: the blocked back-transformation of eigenvectors
 * Z := Q Z, Q from the tridiagonal reduction in ./tridiag.ts.
 * @module
 */
import { gemmCM } from './cholesky.js';

function dot(len: number, x: Float64Array, xo: number, y: Float64Array, yo: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += x[xo + i]! * y[yo + i]!;
  return s;
}

/** Z := Q Z (Z n x ncols) with Q from {@link sytrd}, blocked compact WY (see the assembly twin). */
export function ormtrLeft(n: number, a: Float64Array, ao: number, lda: number, tau: Float64Array,
  z: Float64Array, zo: number, ldz: number, ncols: number, nb: number): void {
  if (n <= 1 || ncols <= 0) return;
  const vb = new Float64Array(n * nb);
  const t = new Float64Array(nb * nb);
  const wb = new Float64Array(nb * ncols);
  const wb2 = new Float64Array(nb * ncols);
  for (let i0 = Math.floor((n - 2) / nb) * nb; i0 >= 0; i0 -= nb) {
    const kb = Math.min(nb, n - 1 - i0);
    const M = n - i0 - 1;
    for (let p = 0; p < kb; p++) {
      const col = p * M;
      vb.fill(0, col, col + p);
      vb[col + p] = 1;
      const src = ao + i0 + p + 2 + (i0 + p) * lda;
      if (M - p - 1 > 0) vb.set(a.subarray(src, src + M - p - 1), col + p + 1);
    }
    t.fill(0, 0, kb * kb);
    for (let p = 0; p < kb; p++) {
      const tp = tau[i0 + p]!;
      for (let q = 0; q < p; q++) t[q + p * kb] = -tp * dot(M - p, vb, p + q * M, vb, p + p * M);
      for (let q = 0; q < p; q++) {
        let s = 0;
        for (let r = q; r < p; r++) s += t[q + r * kb]! * t[r + p * kb]!;
        t[q + p * kb] = s;
      }
      t[p + p * kb] = tp;
    }
    const zs = zo + i0 + 1;
    gemmCM(true, false, kb, ncols, M, 1, vb, 0, M, z, zs, ldz, 0, wb, 0, kb);
    gemmCM(false, false, kb, ncols, kb, 1, t, 0, kb, wb, 0, kb, 0, wb2, 0, kb);
    gemmCM(false, false, M, ncols, kb, -1, vb, 0, M, wb2, 0, kb, 1, z, zs, ldz);
  }
}
