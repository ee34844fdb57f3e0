/**
 * Wasm wrapper of the infinite-width pair loop (assembly/kernelmap.ts): copy in, split the
 * rows over threads (row i costs i pairs), copy out.
 * @module
 */
import type { KernelMapKernels } from '../types.js';
import { splitRows, type WasmContext } from './context.js';
import { arg } from './frame.js';

/** The kernel-map kernels of a wasm backend. */
export function wasmKernelMap(ctx: WasmContext): KernelMapKernels {
  return {
    mehlerPairs(n, nser, nterms, cov, isd, coef, tail, diag, eps, parity, out) {
      const nn = n * n, tab = nser * nterms * n;
      const parts = splitRows(n, ctx.threads, true, 2);
      const bad = new Float64Array(parts.length); // per job: how many pairs it left uncertified
      ctx.frame('infinite-width kernel operands', {
        pc: arg.in(cov, nn), pi: arg.in(isd, n), pk: arg.in(coef, tab), pt: arg.in(tail, tab), pd: arg.in(diag, nser * n),
        po: arg.out(out, nser * nn), pb: arg.out(bad),
      }, ({ pc, pi, pk, pt, pd, po, pb }) => {
        ctx.parallel(parts.map(([i0, i1], t) => ({
          fn: 'mehlerPairs', args: [po, pc, pi, pk, pt, pd, n, nser, nterms, parity, eps, i0, i1, pb + 8 * t],
        })));
        for (let s = 0; s < nser; s++) ctx.ex.mirrorLower(n, po + 8 * s * nn, n);
      });
      return bad.reduce((a, b) => a + b, 0);
    },
  };
}
