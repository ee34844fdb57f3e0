/**
 * The pair loop of the infinite-width kernels in pure TypeScript, the twin of
 * assembly/kernelmap.ts: the same operations in the same order (and no FMA on either side), so
 * both give bitwise the same numbers. See {@link KernelMapKernels.mehlerPairs}.
 * @module
 */
import type { KernelMapKernels } from '../types.js';

/** Truncated Mehler series over every pair i > j; see {@link KernelMapKernels.mehlerPairs}. */
export const mehlerPairs: KernelMapKernels['mehlerPairs'] = (n, nser, nterms, cov, isd, coef, tail, eps, out) => {
  const ser = nterms * n;
  const nn = n * n;
  const two = nser > 1;
  for (let i = 0; i < n; i++) {
    const si = isd[i]!;
    for (let j = 0; j < i; j++) {
      let rho = cov[i * n + j]! * si * isd[j]!;
      rho = Math.min(Math.max(rho, -1), 1);
      let pw = 1, acc0 = 0, acc1 = 0, done = false;
      for (let r = 0; r < nterms; r++) {
        const p = r * n;
        acc0 += coef[p + i]! * coef[p + j]! * pw;
        if (two) acc1 += coef[ser + p + i]! * coef[ser + p + j]! * pw;
        pw *= rho;
        if ((r & 3) === 3 || r === nterms - 1) {
          const apw = Math.abs(pw);
          let ok = apw * tail[p + i]! * tail[p + j]! <= eps;
          if (two) ok = ok && apw * tail[ser + p + i]! * tail[ser + p + j]! <= eps;
          if (ok) { done = true; break; }
        }
      }
      if (!done) { acc0 = NaN; acc1 = NaN; }
      out[i * n + j] = acc0;
      out[j * n + i] = acc0;
      if (two) {
        out[nn + i * n + j] = acc1;
        out[nn + j * n + i] = acc1;
      }
    }
  }
};
