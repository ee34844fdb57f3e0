// Back-transformation of eigenvectors (issue 17): Z := Q Z with Q the orthogonal factor of
// the tridiagonal reduction in assembly/tridiag.ts (reflectors below its subdiagonal), applied
// as blocked compact WY transforms on the GEMM kernel. Same column-major storage as
// assembly/cholesky.ts.
import { at, dot, gemmCM } from './cholesky';

/**
 * Z := Q Z for Q = H(0) ... H(n-2) from {@link sytrd} (reflectors in a, factors in tau) and Z
 * n x ncols column-major: blocks of nb reflectors as compact WY transforms I - V T V^T, applied
 * last block first, so the work is three GEMM calls per block. Columns are independent, so
 * threads may take column ranges (each with its own work). `work` holds
 * n*nb + nb*nb + 2*nb*ncols float64 values.
 */
export function ormtrLeft(n: i32, a: usize, lda: i32, tau: usize, z: usize, ldz: i32, ncols: i32, work: usize, nb: i32): void {
  if (n <= 1 || ncols <= 0) return;
  const vb = work;
  const t = vb + ((<usize>n * <usize>nb) << 3);
  const wb = t + ((<usize>nb * <usize>nb) << 3);
  const wb2 = wb + ((<usize>nb * <usize>ncols) << 3);
  let i0 = ((n - 2) / nb) * nb;
  for (; i0 >= 0; i0 -= nb) {
    const kb = min(nb, n - 1 - i0);
    const M = n - i0 - 1;
    // V: M x kb, unit lower trapezoidal, explicit zeros above the unit diagonal.
    for (let p = 0; p < kb; p++) {
      const col = at(vb, M, 0, p);
      memory.fill(col, 0, <usize>p << 3);
      store<f64>(col + (<usize>p << 3), 1.0);
      if (M - p - 1 > 0) memory.copy(col + (<usize>(p + 1) << 3), at(a, lda, i0 + p + 2, i0 + p), <usize>(M - p - 1) << 3);
    }
    // T (kb x kb upper): T(p, p) = tau_p, T(0:p, p) = -tau_p T(0:p, 0:p) V(:, 0:p)^T v_p.
    memory.fill(t, 0, <usize>(kb * kb) << 3);
    for (let p = 0; p < kb; p++) {
      const tp = load<f64>(tau + (<usize>(i0 + p) << 3));
      const vp = at(vb, M, 0, p);
      for (let q = 0; q < p; q++) {
        // v_q is zero above row q, v_p above row p > q: the dot starts at row p.
        store<f64>(at(t, kb, q, p), -tp * dot(M - p, at(vb, M, p, q), vp + (<usize>p << 3)));
      }
      // T(0:p, p) = T(0:p, 0:p) * T(0:p, p), upper triangular times vector, in place top-down.
      for (let q = 0; q < p; q++) {
        let s: f64 = 0;
        for (let r = q; r < p; r++) s += load<f64>(at(t, kb, q, r)) * load<f64>(at(t, kb, r, p));
        store<f64>(at(t, kb, q, p), s);
      }
      store<f64>(at(t, kb, p, p), tp);
    }
    const zs = at(z, ldz, i0 + 1, 0);
    gemmCM(1, 0, kb, ncols, M, 1.0, vb, M, zs, ldz, 0.0, wb, kb);     // W = V^T Z
    gemmCM(0, 0, kb, ncols, kb, 1.0, t, kb, wb, kb, 0.0, wb2, kb);    // W2 = T W
    gemmCM(0, 0, M, ncols, kb, -1.0, vb, M, wb2, kb, 1.0, zs, ldz);   // Z -= V W2
  }
}
