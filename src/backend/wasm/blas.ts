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
import type { Job } from './pool.js';

/** Epilogue codes of assembly/gemm.ts's gemmEpilogue. */
const EPI_ACTIVATION = 1, EPI_HADAMARD = 2;

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
  /**
   * Runs an m x n x k product split over threads: `job(i0, i1, j0, j1, offA, offB)` makes the job
   * for rows [i0, i1) and columns [j0, j1) of C, offA / offB the byte offsets of that part of
   * op(A) / op(B) in A / B. By rows; short and wide products by columns (columns j0..j1 of C
   * need columns j0..j1 of op(B) only), so every thread still gets whole 4-wide tiles.
   */
  const splitGemm = (transA: boolean, transB: boolean, m: number, n: number, k: number,
    job: (i0: number, i1: number, j0: number, j1: number, offA: number, offB: number) => Job) => {
    const threads = threadsFor(m * n * k);
    if (threads > 1 && m < MIN_ROWS_PER_THREAD * threads && n > m) {
      ctx.parallel(splitRows(n, threads).map(([j0, j1]) => job(0, m, j0, j1, 0, 8 * (transB ? j0 * k : j0))));
    } else {
      ctx.parallel(splitRows(m, threads).map(([i0, i1]) => job(i0, i1, 0, n, 8 * (transA ? i0 : i0 * k), 0)));
    }
  };
  return {
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      ctx.frame('gemm operands', {
        pa: arg.in(a, m * k), pb: arg.in(b, k * n), pc: beta === 0 ? arg.out(c, m * n) : arg.inout(c, m * n),
      }, ({ pa, pb, pc }) => {
        splitGemm(transA, transB, m, n, k, (i0, i1, j0, j1, offA, offB) => ({
          fn: 'gemm', args: [+transA, +transB, i1 - i0, j1 - j0, k, alpha, pa + offA, transA ? m : k, pb + offB, transB ? k : n, beta, pc + 8 * (i0 * n + j0), n],
        }));
      });
    },
    gemmActivation(transB, m, n, k, alpha, a, b, id, phi, dphi) {
      ctx.frame('gemmActivation operands', {
        pa: arg.in(a, m * k), pb: arg.in(b, k * n), pd: arg.out(dphi, m * n), pp: arg.out(phi, m * n),
      }, ({ pa, pb, pd, pp }) => {
        splitGemm(false, transB, m, n, k, (i0, i1, j0, j1, offA, offB) => ({
          fn: 'gemmEpilogue', args: [0, +transB, i1 - i0, j1 - j0, k, alpha, pa + offA, k, pb + offB, transB ? k : n,
            pd + 8 * (i0 * n + j0), n, EPI_ACTIVATION, id, pp + 8 * (i0 * n + j0), n],
        }));
      });
    },
    gemmHadamard(transB, m, n, k, alpha, a, b, d, tmp) {
      // tmp is scratch: used in place when resident, else a frame buffer; never copied.
      const scratch = ctx.heap.offsetOf(tmp) >= 0 ? arg.out(tmp, m * n) : arg.temp(m * n);
      ctx.frame('gemmHadamard operands', {
        pa: arg.in(a, m * k), pb: arg.in(b, k * n), pd: arg.inout(d, m * n), pt: scratch,
      }, ({ pa, pb, pd, pt }) => {
        splitGemm(false, transB, m, n, k, (i0, i1, j0, j1, offA, offB) => ({
          fn: 'gemmEpilogue', args: [0, +transB, i1 - i0, j1 - j0, k, alpha, pa + offA, k, pb + offB, transB ? k : n,
            pt + 8 * (i0 * n + j0), n, EPI_HADAMARD, 0, pd + 8 * (i0 * n + j0), n],
        }));
      });
    },
    syrk(n, k, alpha, a, beta, c, lowerOnly = false) {
      // lowerOnly leaves C's upper triangle as it was: a copied (not resident) C goes in and out whole.
      ctx.frame('syrk operands', { pa: arg.in(a, n * k), pc: beta === 0 && !lowerOnly ? arg.out(c, n * n) : arg.inout(c, n * n) }, ({ pa, pc }) => {
        ctx.parallel(splitRows(n, threadsFor((n * n * k) / 2), true).map(([i0, i1]) => ({
          fn: 'syrkLower', args: [n, k, alpha, pa, k, beta, pc, n, i0, i1],
        })));
        if (!lowerOnly) mirror(n, pc, threadsFor(n * n * 8));
      });
    },
    gramHadamardAcc(n, ka, a, kb, b, alpha, k, lowerOnly = false) {
      ctx.frame('gramHadamardAcc operands', { pa: arg.in(a, n * ka), pb: arg.in(b, n * kb), pk: arg.inout(k, n * n) }, ({ pa, pb, pk }) => {
        ctx.parallel(splitRows(n, threadsFor((n * n * (ka + kb)) / 2), true).map(([i0, i1]) => ({
          fn: 'gramHadamardLower', args: [n, ka, pa, ka, kb, pb, kb, alpha, pk, n, i0, i1],
        })));
        if (!lowerOnly) mirror(n, pk, threadsFor(n * n * 8));
      });
    },
  };
}
