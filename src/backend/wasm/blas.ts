/**
 * Wasm wrappers of the BLAS-3 kernels (assembly/gemm.ts, assembly/syrk.ts): copy in, split the
 * rows of the output over threads, copy out.
 * @module
 */
import type { BlasKernels } from '../types.js';
import { splitRows, type WasmContext } from './context.js';

/** The BLAS-3 kernels of a wasm backend. */
export function wasmBlas(ctx: WasmContext): BlasKernels {
  return {
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      ctx.frame(m * k + k * n + m * n, 3, 'gemm operands', (h) => {
        const pa = h.put(a.subarray(0, m * k));
        const pb = h.put(b.subarray(0, k * n));
        const pc = beta === 0 ? h.alloc(m * n) : h.put(c.subarray(0, m * n));
        const lda = transA ? m : k, ldb = transB ? k : n;
        ctx.parallel(splitRows(m, ctx.threads).map(([i0, i1]) => ({
          fn: 'gemm',
          args: [+transA, +transB, i1 - i0, n, k, alpha, pa + 8 * (transA ? i0 : i0 * k), lda, pb, ldb, beta, pc + 8 * i0 * n, n],
        })));
        h.get(pc, c.subarray(0, m * n));
      });
    },
    syrk(n, k, alpha, a, beta, c) {
      ctx.frame(n * k + n * n, 2, 'syrk operands', (h) => {
        const pa = h.put(a.subarray(0, n * k));
        const pc = beta === 0 ? h.alloc(n * n) : h.put(c.subarray(0, n * n));
        ctx.parallel(splitRows(n, ctx.threads, true).map(([i0, i1]) => ({
          fn: 'syrkLower', args: [n, k, alpha, pa, k, beta, pc, n, i0, i1],
        })));
        ctx.ex.mirrorLower(n, pc, n);
        h.get(pc, c.subarray(0, n * n));
      });
    },
    gramHadamardAcc(n, ka, a, kb, b, alpha, k) {
      ctx.frame(n * ka + n * kb + n * n, 3, 'gramHadamardAcc operands', (h) => {
        const pa = h.put(a.subarray(0, n * ka));
        const pb = h.put(b.subarray(0, n * kb));
        const pk = h.put(k.subarray(0, n * n));
        ctx.parallel(splitRows(n, ctx.threads, true).map(([i0, i1]) => ({
          fn: 'gramHadamardLower', args: [n, ka, pa, ka, kb, pb, kb, alpha, pk, n, i0, i1],
        })));
        ctx.ex.mirrorLower(n, pk, n);
        h.get(pk, k.subarray(0, n * n));
      });
    },
  };
}
