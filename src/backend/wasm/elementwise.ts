/**
 * Wasm wrappers of the elementwise kernels (assembly/activation.ts, assembly/elementwise.ts).
 * Resident buffers (Backend.allocate) are used in place, without copies.
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
      const h0 = ctx.heap;
      const inPlace = h0.offsetOf(x) >= 0 && (!phi || h0.offsetOf(phi) >= 0) && (!dphi || h0.offsetOf(dphi) >= 0);
      if (inPlace || (ctx.threads > 1 && n >= PARALLEL_MIN)) {
        // Whole arrays (resident ones in place), split over threads when worth it
        // (transcendentals are compute-bound); phi written over the copy of x unless resident.
        // Copies: x unless resident, phi's own buffer when x is resident and phi is not, dphi unless resident.
        const xIn = h0.offsetOf(x) >= 0;
        const need = ctx.copies([x, n], [dphi, dphi ? n : 0]) + (phi && xIn && h0.offsetOf(phi) < 0 ? n : 0);
        ctx.frame(need, 3, 'activation input', (h) => {
          const px = h.input(x);
          const pp = !phi ? 0 : h.offsetOf(phi) >= 0 ? h.offsetOf(phi) : h.offsetOf(x) >= 0 ? h.alloc(n) : px;
          const pd = dphi ? h.output(dphi, n) : 0;
          const parts: [number, number][] = n >= PARALLEL_MIN ? splitRows(n, ctx.threads) : [[0, n]];
          ctx.parallel(parts.map(([i0, i1]) => ({
            fn: 'activation',
            args: [id, px + 8 * i0, pp ? pp + 8 * i0 : 0, pd ? pd + 8 * i0 : 0, i1 - i0],
          })));
          if (dphi) h.get(pd, dphi);
          if (phi) h.get(pp, phi);
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
      ctx.frame(ctx.copies([a, n], [b, n], [out, n]), 3, 'hadamard operands', (h) => {
        const pa = h.input(a.subarray(0, n)), pb = h.input(b.subarray(0, n)), po = h.output(out, n);
        ctx.ex.hadamard(po, pa, pb, n);
        h.get(po, out);
      });
    },
    axpy(y, alpha, x) {
      const n = y.length;
      ctx.frame(ctx.copies([y, n], [x, n]), 2, 'axpy operands', (h) => {
        const py = h.input(y), px = h.input(x.subarray(0, n));
        ctx.ex.axpy(py, alpha, px, n);
        h.get(py, y);
      });
    },
    scaleCols(a, rows, cols, s, alpha) {
      ctx.frame(ctx.copies([a, rows * cols], [null, cols]), 2, 'scaleCols operands', (h) => {
        const pa = h.input(a.subarray(0, rows * cols)), ps = h.put(s.subarray(0, cols));
        ctx.ex.scaleCols(pa, rows, cols, ps, alpha);
        h.get(pa, a.subarray(0, rows * cols));
      });
    },
  };
}
