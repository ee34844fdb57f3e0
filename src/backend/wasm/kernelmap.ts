/**
 * Wasm wrapper of the infinite-width pair loop (assembly/kernelmap.ts): copy in, split the
 * rows over threads (row i costs i pairs), copy out.
 * @module
 */
import type { KernelMapKernels } from '../types.js';
import { splitRows, type WasmContext } from './context.js';

/** The kernel-map kernels of a wasm backend. */
export function wasmKernelMap(ctx: WasmContext): KernelMapKernels {
  return {
    mehlerPairs(n, nser, nterms, cov, isd, coef, tail, diag, eps, parity, out) {
      const nn = n * n, tab = nser * nterms * n;
      return ctx.frame(nn + n + 2 * tab + nser * n + nser * nn + ctx.threads, 7, 'infinite-width kernel operands', (h) => {
        const pc = h.put(cov.subarray(0, nn));
        const pi = h.put(isd.subarray(0, n));
        const pk = h.put(coef.subarray(0, tab));
        const pt = h.put(tail.subarray(0, tab));
        const pd = h.put(diag.subarray(0, nser * n));
        const po = h.alloc(nser * nn);
        const parts = splitRows(n, ctx.threads, true, 2);
        const pb = h.alloc(parts.length); // per job: how many pairs it left uncertified
        ctx.parallel(parts.map(([i0, i1], t) => ({
          fn: 'mehlerPairs', args: [po, pc, pi, pk, pt, pd, n, nser, nterms, parity, eps, i0, i1, pb + 8 * t],
        })));
        for (let s = 0; s < nser; s++) ctx.ex.mirrorLower(n, po + 8 * s * nn, n);
        h.get(po, out.subarray(0, nser * nn));
        const bad = new Float64Array(parts.length);
        h.get(pb, bad);
        return bad.reduce((a, b) => a + b, 0);
      });
    },
  };
}
