/**
 * Wasm wrappers of the elementwise kernels (assembly/activation.ts, assembly/elementwise.ts).
 * Resident buffers (Backend.allocate) are used in place, without copies.
 * @module
 */
import type { ElementwiseKernels } from '../types.js';
import { splitRows, type WasmContext } from './context.js';
import { arg } from './frame.js';

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
      const resident = (a: Float64Array | null) => !a || ctx.heap.offsetOf(a) >= 0;
      if ((resident(x) && resident(phi) && resident(dphi)) || (ctx.threads > 1 && n >= PARALLEL_MIN)) {
        // Whole arrays (resident ones in place), split over threads when worth it
        // (transcendentals are compute-bound); phi written over the copy of x unless resident.
        const xs = arg.in(x);
        ctx.frame('activation input', { px: xs, pd: dphi && arg.out(dphi), pp: phi && arg.out(phi, n, xs) }, ({ px, pd, pp }) => {
          const parts: [number, number][] = n >= PARALLEL_MIN ? splitRows(n, ctx.threads) : [[0, n]];
          ctx.parallel(parts.map(([i0, i1]) => ({
            fn: 'activation',
            args: [id, px + 8 * i0, pp ? pp + 8 * i0 : 0, pd ? pd + 8 * i0 : 0, i1 - i0],
          })));
        });
        return;
      }
      // One thread: stream through chunks small enough to stay in cache, so the copies in and
      // out cost no extra trips to memory (they would cost as much as the kernel).
      const c = Math.min(n, CHUNK);
      ctx.frame('activation chunk', { px: arg.temp(c), pd: dphi && arg.temp(c) }, ({ px, pd }, mem) => {
        const view = mem.view(); // no allocation below, so memory cannot grow under this view
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
      ctx.frame('hadamard operands', { pa: arg.in(a, n), pb: arg.in(b, n), po: arg.out(out) }, ({ po, pa, pb }) => {
        ctx.ex.hadamard(po, pa, pb, n);
      });
    },
    axpy(y, alpha, x) {
      const n = y.length;
      ctx.frame('axpy operands', { py: arg.inout(y), px: arg.in(x, n) }, ({ py, px }) => {
        ctx.ex.axpy(py, alpha, px, n);
      });
    },
    scaleCols(a, rows, cols, s, alpha) {
      // Rows split over threads like rowNorms: the NTK's B_L = phi'(H_L) v^T / sqrt(m_L) is an
      // n x m_L pass (memory-bound) that would otherwise run on one thread of a 2-thread call.
      // Each entry's arithmetic does not depend on the split: the same bits on any thread count.
      const parts: [number, number][] = rows * cols < PARALLEL_MIN ? [[0, rows]] : splitRows(rows, ctx.threads, false, 1);
      ctx.frame('scaleCols operands', { pa: arg.inout(a, rows * cols), ps: arg.in(s, cols) }, ({ pa, ps }) => {
        ctx.parallel(parts.map(([i0, i1]) => ({ fn: 'scaleCols', args: [pa + 8 * i0 * cols, i1 - i0, cols, ps, alpha] })));
      });
    },
    rowNorms(a, rows, cols, out) {
      // Split over threads when worth a wake-up: the NTK's passes over A_l and K (memory-bound,
      // a few % of a 2-thread call when serial).
      const parts: [number, number][] = rows * cols < PARALLEL_MIN ? [[0, rows]] : splitRows(rows, ctx.threads, false, 1);
      ctx.frame('rowNorms operands', { pa: arg.in(a, rows * cols), po: arg.out(out, rows) }, ({ pa, po }) => {
        ctx.parallel(parts.map(([i0, i1]) => ({ fn: 'rowNorms', args: [pa + 8 * i0 * cols, i1 - i0, cols, po + 8 * i0] })));
      });
    },
  };
}
