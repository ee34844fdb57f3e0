/**
 * Wasm wrappers of the symmetric eigen- and Cholesky kernels (assembly/cholesky.ts,
 * assembly/tridiag.ts). Each call copies the matrix in once. On one thread the whole blocked
 * algorithm is a single wasm call (GEMM is called from inside wasm). With a thread pool, the
 * GEMM-shaped parts are split between threads from here: the triangular solve and trailing
 * update of the recursive Cholesky (down to blocks of {@link PAR_CHOL_MIN}), the rank-2nb
 * update after each tridiagonalization panel, each panel column's symmetric product (the
 * memory-bound half of the reduction, split by columns from order {@link PAR_SYMV_MIN}; the
 * rest of a panel column, O(nb n) matrix-vector work, stays here) and the back-transformation
 * of eigenvectors (by column ranges). The QL iteration stays on the calling thread.
 * @module
 */
import { BACK_BLOCK, EIG_BLOCK, transposeSquare } from '../common/eig-layout.js';
import { stageClock } from '../common/eig-layout.js';
import { stedc } from '../common/stedc.js';
import type { CholeskyFactor, EigStages, LinalgKernels } from '../types.js';
import { wasmBlas } from './blas.js';
import { splitRows, type WasmContext } from './context.js';
import { arg, type FrameMemory } from './frame.js';

/** Right-hand sides a factor's solve scratch holds at once (larger blocks go in chunks). */
const RHS_BLOCK = 16;
/** Below this order a Cholesky block is factored by one wasm call on one thread. */
const PAR_CHOL_MIN = 640;
/** Below this trailing size a tridiagonalization update runs on one thread. */
const PAR_UPDATE_MIN = 256;
/**
 * From this order on, each column's symmetric product (the memory-bound half of the
 * reduction) is split over threads. It costs a wake-up and a barrier per column (n per
 * reduction, against n / nb for the updates), so it can pay only where one product streams
 * from memory for a millisecond or more (order >= 2048: 16 MiB of lower triangle, past the
 * L3 share of a core). On a loaded machine every barrier waits for the other thread to be
 * scheduled: under a load of 7-9 on 2 cores, 2-thread eigvalsh was 1.3-1.7x slower with the
 * split than without at n = 2000 (split from order 768 on), and 1.13x slower at n = 4000 (from
 * 2048 on). Whether it pays on an idle machine: bench/eigvalsh-stages.mjs, 1T / 2T.
 */
const PAR_SYMV_MIN = 2048;

/** The linalg kernels of a wasm backend. */
export function wasmLinalg(ctx: WasmContext): LinalgKernels {
  const ex = ctx.ex;
  const nb = EIG_BLOCK;
  const T = ctx.threads;
  const blas = wasmBlas(ctx);

  /** Work values of {@link sytrd}: [V | W | V] of n x nb each, and T - 1 partial products. */
  const sytrdWork = (n: number) => 3 * n * nb + (T - 1) * n;

  /** Recursive Cholesky with the O(n^3) parts split over threads (see the assembly twin). */
  function potrf(n: number, p: number, ld: number): number {
    if (T === 1 || n <= PAR_CHOL_MIN) return ex.potrf(n, p, ld);
    const n1 = ((n >> 1) + 4) & ~7;
    const n2 = n - n1;
    let info = potrf(n1, p, ld);
    if (info !== 0) return info;
    const a21 = p + 8 * n1, a22 = p + 8 * (n1 + n1 * ld);
    ctx.parallel(splitRows(n2, T).map(([r0, r1]) => ({ fn: 'trsmRightLowerT', args: [r1 - r0, n1, p, ld, a21 + 8 * r0, ld] })));
    ctx.parallel(splitRows(n2, T, true).map(([r0, r1]) => ({ fn: 'syrkRowsCM', args: [n1, -1, a21, ld, a21, ld, a22, ld, r0, r1] })));
    info = potrf(n2, a22, ld);
    return info !== 0 ? info + n1 : 0;
  }

  /**
   * Blocked tridiagonalization; the trailing updates split over threads. With the opt-in
   * sub-stages in `stages` (see EigStages) the panels and updates are timed apart, which
   * needs one wasm call per panel even on one thread.
   */
  function sytrd(n: number, pa: number, pd: number, pe: number, pt: number, pw: number, mem: FrameMemory, stages?: EigStages): void {
    const timed = stages !== undefined && ('reductionPanel' in stages || 'reductionUpdate' in stages);
    if (!timed && (T === 1 || n <= 2 * PAR_UPDATE_MIN)) {
      ex.sytrd(n, pa, n, pd, pe, pt, pw, nb);
      return;
    }
    let tPanel = 0, tUpdate = 0;
    const parts = pw + 8 * 3 * n * nb; // T - 1 partial products of n values (sytrdWork)
    for (let i = 0; i < n - 1;) {
      const kb = Math.min(nb, n - 1 - i);
      const M = n - i - kb;
      const t0 = timed ? performance.now() : 0;
      if (T > 1 && n - i - 1 >= PAR_SYMV_MIN) {
        // Column by column, each column's symmetric product split by columns of the trailing
        // matrix (equal areas of its lower triangle) and the partial vectors summed.
        for (let j = 0; j < kb; j++) {
          ex.sytrdColumnPre(n, pa, n, pe, pt, pw, i, kb, j);
          const m = n - i - j - 1, c = i + j + 1;
          const a22 = pa + 8 * c * (n + 1), v = pa + 8 * (c + (c - 1) * n), y = pw + 8 * (j + 1 + (kb + j) * n);
          if (m >= PAR_SYMV_MIN) {
            const cols = splitRows(m, T, true).map(([r0, r1]) => [m - r1, m - r0] as const).reverse();
            ctx.parallel(cols.map(([c0, c1], t) => ({ fn: 'symvCols', args: [m, a22, n, v, t === 0 ? y : parts + 8 * (t - 1) * n, c0, c1] })));
            for (let t = 1; t < cols.length; t++) {
              const c0 = cols[t]![0];
              ex.axpy(y + 8 * c0, 1, parts + 8 * ((t - 1) * n + c0), m - c0);
            }
          } else if (m > 0) {
            ex.symvCols(m, a22, n, v, y, 0, m);
          }
          ex.sytrdColumnPost(n, pa, n, pt, pw, i, kb, j);
        }
        ex.sytrdPanelCopy(n, pa, n, pw, i, kb);
      } else {
        ex.sytrdPanel(n, pa, n, pe, pt, pw, i, kb);
      }
      const t1 = timed ? performance.now() : 0;
      const P = pw + 8 * (kb + kb * n), Q = pw + 8 * kb, C = pa + 8 * (i + kb) * (n + 1);
      if (T > 1 && M > PAR_UPDATE_MIN) {
        ctx.parallel(splitRows(M, T, true).map(([r0, r1]) => ({ fn: 'syrkRowsCM', args: [2 * kb, -1, P, n, Q, n, C, n, r0, r1] })));
      } else {
        ex.syrkRowsCM(2 * kb, -1, P, n, Q, n, C, n, 0, M);
      }
      ex.sytrdPanelEnd(pa, n, pd, pe, i, kb);
      if (timed) {
        const t2 = performance.now();
        tPanel += t1 - t0;
        tUpdate += t2 - t1;
      }
      i += kb;
    }
    const v = mem.view();
    v[(pd >>> 3) + n - 1] = v[(pa >>> 3) + (n - 1) * (n + 1)]!;
    if (timed) {
      stages.reductionPanel = (stages.reductionPanel ?? 0) + tPanel / 1000;
      stages.reductionUpdate = (stages.reductionUpdate ?? 0) + tUpdate / 1000;
    }
  }

  return {
    symEigvals(n, a, w, stages) {
      if (n === 0) return 0;
      const info = ctx.frame('eigvalsh matrix', {
        pa: arg.copy(a, n * n), pd: arg.out(w, n), pe: arg.temp(n), pt: arg.temp(n), pw: arg.temp(sytrdWork(n)),
      }, ({ pa, pd, pe, pt, pw }, mem) => {
        ex.symmetrizeShift(n, pa, n, 0);
        const clock = stageClock(stages);
        sytrd(n, pa, pd, pe, pt, pw, mem, stages);
        clock('tridiagonalize');
        const info = ex.tql(n, pd, pe, 0, 0);
        clock('tridiagonal');
        return info;
      });
      w.subarray(0, n).sort();
      return info;
    },
    symTridiagonal(n, a, d, e) {
      if (n === 0) return;
      ctx.frame('tridiagonal matrix', {
        pa: arg.copy(a, n * n), pd: arg.out(d, n), pe: arg.out(e, n), pt: arg.temp(n), pw: arg.temp(sytrdWork(n)),
      }, ({ pa, pd, pe, pt, pw }, mem) => {
        ex.symmetrizeShift(n, pa, n, 0);
        sytrd(n, pa, pd, pe, pt, pw, mem);
      });
      e[n - 1] = 0;
    },
    symEigh(n, a, w, v, stages) {
      if (n === 0) return 0;
      const parts = T === 1 ? [[0, n] as [number, number]] : splitRows(n, T);
      const wsz = (cols: number) => n * BACK_BLOCK + BACK_BLOCK * BACK_BLOCK + 2 * BACK_BLOCK * cols;
      // Three phases, each in its own frame so that the largest (the back-transformation's
      // 2 n^2) bounds the wasm memory, not their sum with the divide and conquer's GEMM
      // operands; reserved once first, so a K that cannot fit fails before any work.
      const clock = stageClock(stages);
      const d = new Float64Array(n), e = new Float64Array(n), tau = new Float64Array(n);
      const reflectors = new Float64Array(n * n);
      const z = v.subarray(0, n * n);
      const back = { pa: arg.in(reflectors), pt: arg.in(tau), pz: arg.inout(z), works: parts.map(([c0, c1]) => arg.temp(wsz(c1 - c0))) };
      ctx.reserve('eigh matrices', back);
      ctx.frame('eigh input', {
        pa: arg.copy(a, n * n, reflectors), pd: arg.out(d), pe: arg.out(e), pt: arg.out(tau), pw: arg.temp(sytrdWork(n)),
      }, ({ pa, pd, pe, pt, pw }, mem) => {
        ex.symmetrizeShift(n, pa, n, 0);
        sytrd(n, pa, pd, pe, pt, pw, mem, stages);
      });
      clock('tridiagonalize');
      // The tridiagonal eigenvectors by divide and conquer: its merges' products on this
      // backend's GEMM (SIMD, threaded), the rest in ../common/stedc.ts.
      const info = stedc(n, d, e, z, (m, nn, k, x, y, c) => blas.gemm(false, false, m, nn, k, 1, x, y, 0, c));
      if (info !== 0) return info;
      clock('tridiagonal');
      ctx.frame('eigh matrices', back, ({ pa, pt, pz, works }) => {
        // Columns of Z are independent under Z := Q Z: each thread takes a range.
        if (T === 1) ex.ormtrLeft(n, pa, n, pt, pz, n, n, works[0]!, BACK_BLOCK);
        else {
          ctx.parallel(parts.map(([c0, c1], t) => ({
            fn: 'ormtrLeft', args: [n, pa, n, pt, pz + 8 * c0 * n, n, c1 - c0, works[t]!, BACK_BLOCK],
          })));
        }
      });
      w.set(d);
      // Z is column-major (columns = eigenvectors); the row-major result wants the transpose.
      transposeSquare(n, z);
      clock('backTransform');
      return 0;
    },
    cholesky(n, a, shift, keepMatrix, body) {
      return ctx.frame('cholesky factor', {
        pl: arg.copy(a, n * n), pa: keepMatrix && arg.copy(a, n * n), px: arg.temp(n * RHS_BLOCK), py: arg.temp(n * RHS_BLOCK),
      }, ({ pl, pa, px, py }, mem) => {
        ex.symmetrizeShift(n, pl, n, shift);
        if (keepMatrix) ex.symmetrizeShift(n, pa, n, 0);
        const info = n === 0 ? 0 : potrf(n, pl, n);
        const chunks = (nrhs: number, fn: (r0: number, k: number) => void) => {
          for (let r0 = 0; r0 < nrhs; r0 += RHS_BLOCK) fn(r0, Math.min(RHS_BLOCK, nrhs - r0));
        };
        const f: CholeskyFactor = {
          n,
          info,
          solve(x, nrhs = 1) {
            if (info !== 0) throw new Error('cholesky: solve with a failed factorization');
            chunks(nrhs, (r0, k) => {
              const part = x.subarray(r0 * n, (r0 + k) * n);
              mem.set(px, part);
              ex.cholSolve(n, pl, n, px, n, k);
              mem.get(px, part);
            });
          },
          multiply(x, y, nrhs = 1) {
            if (!keepMatrix) throw new Error('cholesky: multiply needs keepMatrix');
            chunks(nrhs, (r0, k) => {
              mem.set(px, x.subarray(r0 * n, (r0 + k) * n));
              ex.symvLower(n, pa, n, px, py, k);
              mem.get(py, y.subarray(r0 * n, (r0 + k) * n));
            });
          },
        };
        return body(f);
      });
    },
  };
}
