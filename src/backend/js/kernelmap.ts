/**
 * The pair loop of the infinite-width kernels in pure TypeScript, the twin of
 * assembly/kernelmap.ts: the same operations in the same order (and no FMA on either side), so
 * both give bitwise the same numbers. See {@link KernelMapKernels.mehlerPairs}.
 * @module
 */
import type { KernelMapKernels } from '../types.js';

/** Truncated Mehler series over every pair i > j; see {@link KernelMapKernels.mehlerPairs}. */
export const mehlerPairs: KernelMapKernels['mehlerPairs'] = (n, nser, nterms, cov, isd, coef, tail, diag, eps, parity, out) => {
  const ser = nterms * n;
  const nn = n * n;
  const two = nser > 1;
  const par = parity !== 0 && two;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    out[i * n + i] = diag[i]!;
    if (two) out[nn + i * n + i] = diag[n + i]!;
    const si = isd[i]!;
    for (let j = 0; j < i; j++) {
      let rho = cov[i * n + j]! * si * isd[j]!;
      rho = Math.min(Math.max(rho, -1), 1);
      let pw = 1, acc0 = 0, acc1 = 0, done = false;
      for (let r = 0; r < nterms; r++) {
        const p = r * n;
        if (par) {
          // Odd phi: phi's series has only odd terms, phi''s only even ones.
          if (r & 1) acc0 += coef[p + i]! * coef[p + j]! * pw;
          else acc1 += coef[ser + p + i]! * coef[ser + p + j]! * pw;
        } else {
          acc0 += coef[p + i]! * coef[p + j]! * pw;
          if (two) acc1 += coef[ser + p + i]! * coef[ser + p + j]! * pw;
        }
        pw *= rho;
        if ((r & 3) === 3 || r === nterms - 1) {
          const apw = Math.abs(pw);
          let ok = apw * tail[p + i]! * tail[p + j]! <= eps;
          if (two) ok = ok && apw * tail[ser + p + i]! * tail[ser + p + j]! <= eps;
          if (ok) { done = true; break; }
        }
      }
      if (!done) { acc0 = NaN; acc1 = NaN; bad++; }
      out[i * n + j] = acc0;
      if (two) out[nn + i * n + j] = acc1;
    }
  }
  for (let s = 0; s < nser; s++) mirrorLower(out, s * nn, n);
  return bad;
};

/** Copies the strict lower triangle onto the upper one, in 32 x 32 blocks (cache-friendly column writes). */
function mirrorLower(a: Float64Array, off: number, n: number): void {
  const B = 32;
  for (let ib = 0; ib < n; ib += B) {
    const ie = Math.min(n, ib + B);
    for (let jb = 0; jb <= ib; jb += B) {
      for (let i = ib; i < ie; i++) {
        const je = Math.min(i, jb + B);
        for (let j = jb; j < je; j++) a[off + j * n + i] = a[off + i * n + j]!;
      }
    }
  }
}
