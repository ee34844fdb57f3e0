/**
 * Wasm wrappers of the BLAS-3 kernels (assembly/gemm.ts, assembly/syrk.ts): copy in, split the
 * output over threads, copy out. Operands that are resident buffers (Backend.allocate) are used
 * in place, without the copies.
 *
 * Splitting: each thread computes a contiguous block of rows of C (GEMM) or of the lower
 * triangle (SYRK, Gram-Hadamard; ranges of equal triangular area), packing its own panels in
 * its own workspace. GEMM with few rows and many columns is split by columns instead, so
 * every thread still gets whole 4-wide tiles. Calls too small to repay waking a worker
 * (about 10-50 us) run on the calling thread only.
 * @module
 */
import type { BlasKernels } from '../types.js';
import { splitRows, type WasmContext } from './context.js';
import { arg } from './frame.js';

/** Below this many multiply-adds a call runs on the calling thread only. */
export const PARALLEL_MIN_MACS = 1 << 18;
/** GEMM splits columns instead of rows when each thread would get fewer rows than this. */
const MIN_ROWS_PER_THREAD = 32;

/** The BLAS-3 kernels of a wasm backend. */
export function wasmBlas(ctx: WasmContext): BlasKernels {
  const threadsFor = (macs: number) => (macs < PARALLEL_MIN_MACS ? 1 : ctx.threads);
  // The lower triangle of the n x n matrix at p onto its upper one, rows split over threads.
  const mirror = (n: number, p: number, threads: number) => ctx.parallel(splitRows(n, threads, true).map(([i0, i1]) => ({
    fn: 'mirrorLowerRows', args: [n, p, n, i0, i1],
  })));
  return {
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      ctx.frame('gemm operands', {
        pa: arg.in(a, m * k), pb: arg.in(b, k * n), pc: beta === 0 ? arg.out(c, m * n) : arg.inout(c, m * n),
      }, ({ pa, pb, pc }) => {
        const lda = transA ? m : k, ldb = transB ? k : n;
        const tA = +transA, tB = +transB;
        const threads = threadsFor(m * n * k);
        if (threads > 1 && m < MIN_ROWS_PER_THREAD * threads && n > m) {
          // Short and wide: columns j0..j1 of C need columns j0..j1 of op(B) only.
          ctx.parallel(splitRows(n, threads).map(([j0, j1]) => ({
            fn: 'gemm',
            args: [tA, tB, m, j1 - j0, k, alpha, pa, lda, pb + 8 * (transB ? j0 * k : j0), ldb, beta, pc + 8 * j0, n],
          })));
        } else {
          ctx.parallel(splitRows(m, threads).map(([i0, i1]) => ({
            fn: 'gemm',
            args: [tA, tB, i1 - i0, n, k, alpha, pa + 8 * (transA ? i0 : i0 * k), lda, pb, ldb, beta, pc + 8 * i0 * n, n],
          })));
        }
      });
    },
    syrk(n, k, alpha, a, beta, c) {
      ctx.frame('syrk operands', { pa: arg.in(a, n * k), pc: beta === 0 ? arg.out(c, n * n) : arg.inout(c, n * n) }, ({ pa, pc }) => {
        ctx.parallel(splitRows(n, threadsFor((n * n * k) / 2), true).map(([i0, i1]) => ({
          fn: 'syrkLower', args: [n, k, alpha, pa, k, beta, pc, n, i0, i1],
        })));
        mirror(n, pc, threadsFor(n * n * 8));
      });
    },
    gramHadamardAcc(n, ka, a, kb, b, alpha, k) {
      ctx.frame('gramHadamardAcc operands', { pa: arg.in(a, n * ka), pb: arg.in(b, n * kb), pk: arg.inout(k, n * n) }, ({ pa, pb, pk }) => {
        ctx.parallel(splitRows(n, threadsFor((n * n * (ka + kb)) / 2), true).map(([i0, i1]) => ({
          fn: 'gramHadamardLower', args: [n, ka, pa, ka, kb, pb, kb, alpha, pk, n, i0, i1],
        })));
        mirror(n, pk, threadsFor(n * n * 8));
      });
    },
  };
}
