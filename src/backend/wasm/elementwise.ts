/**
 * Wasm wrappers of the elementwise kernels (assembly/activation.ts, assembly/elementwise.ts).
 * @module
 */
import type { ElementwiseKernels } from '../types.js';
import { splitRows, type WasmContext } from './context.js';

/** Elements per chunk of the single-thread activation: 64 KiB per buffer, well inside L2. */
const CHUNK = 8192;
/** Below this many elements one thread is faster than waking the pool. */
const PARALLEL_MIN = 1 << 16;

/** The elementwise kernels of a wasm backend. */
export function wasmElementwise(ctx: WasmContext): ElementwiseKernels {
  return {
    activation(id, x, phi, dphi) {
      const n = x.length;
      if (n === 0 || (!phi && !dphi)) return;
      if (ctx.threads > 1 && n >= PARALLEL_MIN) {
        // Whole arrays in, split over threads (transcendentals are compute-bound), phi written
        // over the copy of x.
        ctx.frame(n * (dphi ? 2 : 1), dphi ? 2 : 1, 'activation input', (h) => {
          const px = h.put(x);
          const pd = dphi ? h.alloc(n) : 0;
          ctx.parallel(splitRows(n, ctx.threads).map(([i0, i1]) => ({
            fn: 'activation',
            args: [id, px + 8 * i0, phi ? px + 8 * i0 : 0, pd ? pd + 8 * i0 : 0, i1 - i0],
          })));
          if (dphi) h.get(pd, dphi);
          if (phi) h.get(px, phi);
        });
        return;
      }
      // One thread: stream through chunks small enough to stay in cache, so the copies in and
      // out cost no extra trips to memory (they would cost as much as the kernel).
      const c = Math.min(n, CHUNK);
      ctx.frame(c * (dphi ? 2 : 1), dphi ? 2 : 1, 'activation chunk', (h) => {
        const px = h.alloc(c);
        const pd = dphi ? h.alloc(c) : 0;
        const view = h.view(); // no allocation below, so memory cannot grow under this view
        const ix = px >>> 3, id8 = pd >>> 3;
        for (let i0 = 0; i0 < n; i0 += c) {
          const m = Math.min(c, n - i0);
          view.set(x.subarray(i0, i0 + m), ix);
          ctx.ex.activation(id, px, phi ? px : 0, pd, m);
          // phi or dphi may alias x: chunk i0 of x has been read, later chunks are untouched.
          if (dphi) dphi.set(view.subarray(id8, id8 + m), i0);
          if (phi) phi.set(view.subarray(ix, ix + m), i0);
        }
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
