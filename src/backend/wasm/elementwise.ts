/**
 * Wasm wrappers of the elementwise kernels (assembly/activation.ts, assembly/elementwise.ts).
 * @module
 */
import type { ElementwiseKernels } from '../types.js';
import { splitRows, type WasmContext } from './context.js';

/** The elementwise kernels of a wasm backend. */
export function wasmElementwise(ctx: WasmContext): ElementwiseKernels {
  return {
    activation(id, x, phi, dphi) {
      const n = x.length;
      const outs = (phi ? 1 : 0) + (dphi ? 1 : 0);
      ctx.frame(n * (1 + outs), 1 + outs, 'activation input', (h) => {
        const px = h.put(x);
        const pp = phi ? h.alloc(n) : 0;
        const pd = dphi ? h.alloc(n) : 0;
        // Transcendentals are compute-bound: worth splitting over threads.
        ctx.parallel(splitRows(n, ctx.threads).map(([i0, i1]) => ({
          fn: 'activation',
          args: [id, px + 8 * i0, pp ? pp + 8 * i0 : 0, pd ? pd + 8 * i0 : 0, i1 - i0],
        })));
        if (phi) h.get(pp, phi);
        if (dphi) h.get(pd, dphi);
      });
    },
    hadamard(out, a, b) {
      const n = out.length;
      ctx.frame(3 * n, 3, 'hadamard operands', (h) => {
        const pa = h.put(a.subarray(0, n)), pb = h.put(b.subarray(0, n)), po = h.alloc(n);
        ctx.ex.hadamard(po, pa, pb, n);
        h.get(po, out);
      });
    },
    axpy(y, alpha, x) {
      const n = y.length;
      ctx.frame(2 * n, 2, 'axpy operands', (h) => {
        const py = h.put(y), px = h.put(x.subarray(0, n));
        ctx.ex.axpy(py, alpha, px, n);
        h.get(py, y);
      });
    },
    scaleCols(a, rows, cols, s, alpha) {
      ctx.frame(rows * cols + cols, 2, 'scaleCols operands', (h) => {
        const pa = h.put(a.subarray(0, rows * cols)), ps = h.put(s.subarray(0, cols));
        ctx.ex.scaleCols(pa, rows, cols, ps, alpha);
        h.get(pa, a.subarray(0, rows * cols));
      });
    },
  };
}
