/**
 * Wasm wrappers of the symmetric eigen- and Cholesky kernels (assembly/cholesky.ts,
 * assembly/tridiag.ts). Each call copies the matrix in once. On one thread the whole blocked
 * algorithm is a single wasm call (GEMM is called from inside wasm). With a thread pool, the
 * GEMM-shaped parts are split between threads from here: the triangular solve and trailing
 * update of the recursive Cholesky (down to blocks of {@link PAR_CHOL_MIN}), the rank-2nb
 * update after each tridiagonalization panel, and the back-transformation of eigenvectors
 * (by column ranges). From order PAR_SYMV_MIN, each panel column's matrix-vector product
 * (memory-bound) is shared by two threads that hand it over through counters in shared memory
 * (assembly/sync.ts: microseconds, where a pool call per column cost more than it saved).
 * Eigenvalue-only calls from TWO_STAGE_MIN reduce in two stages (assembly/band.ts): stage 1's
 * products split by rows, stage 2's bulge chasing pipelined over two threads. QL stays on the
 * calling thread.
 * @module
 */
import { BACK_BLOCK, BAND_WIDTH, EIG_BLOCK, TWO_STAGE_MIN, transposeSquare } from '../common/eig-layout.js';
import { stageClock } from '../common/eig-layout.js';
import { stedc } from '../common/stedc.js';
import type { CholeskyFactor, EigStages, KrylovBasis, LinalgKernels } from '../types.js';
import { wasmBlas } from './blas.js';
import { splitRows, type WasmContext } from './context.js';
import { arg, type FrameMemory } from './frame.js';

/** Right-hand sides a factor's solve scratch holds at once (larger blocks go in chunks). */
const RHS_BLOCK = 16;
/**
 * Below this order a Cholesky block is factored by one wasm call on one thread (each level
 * of the recursion above it costs two pool calls; at 640 the one-thread leaves were ~6% of
 * the flops at n = 2000 and capped the two-thread gain at ~1.5x).
 */
const PAR_CHOL_MIN = 192;
/** From this order on a matrix is mirrored (and copied) on all threads. */
const PAR_COPY_MIN = 512;
/**
 * From this order on a single-vector solve runs on two threads (assembly/cholesky.ts
 * cholSolvePair: one pool call per solve, then a handover per block of columns). The solve
 * streams L from the caches or memory, which two cores do ~1.5x as fast as one on Zen 4
 * (best of 50 solves, 2T / 1T: 1.45x at n = 2000, 1.5x at 3000); below this order a solve
 * takes ~0.1-0.2 ms and the worker's wake-up makes the gain anything from 0.8x to 1.3x.
 */
const PAR_SOLVE_MIN = 1024;
/** Columns of L per block of the paired solve (a multiple of 4: the leader solves each block's triangle alone). */
const SOLVE_BLOCK = 64;
/** Below this trailing size a tridiagonalization update runs on one thread. */
const PAR_UPDATE_MIN = 256;
/**
 * From this order on, eigh's one-stage reduction splits each panel column's symmetric product
 * (the memory-bound half of its flops) between two threads that hand it over by spinning on
 * shared counters (assembly/tridiag.ts sytrdPanelPair), while the trailing matrix streams from
 * memory; panels whose trailing matrix is below half this order stay on one thread.
 */
const PAR_SYMV_MIN = 1024;
/**
 * From this order on, the two-stage reduction's bulge chasing runs on two threads (sweeps
 * alternate between them, two steps apart).
 */
const PAR_BULGE_MIN = 256;
/** Below this order a divide-and-conquer merge's secular equations are solved on one thread. */
const PAR_SECULAR_MIN = 96;

/**
 * Throws for two threads of a handover in shared memory whose counters did not reach their
 * ends (a wait in assembly/sync.ts gave up: the other thread failed).
 */
function lost(what: string): never {
  throw new Error(`internal: the ${what} threads lost each other`);
}

/** The linalg kernels of a wasm backend. */
export function wasmLinalg(ctx: WasmContext): LinalgKernels {
  const ex = ctx.ex;
  const nb = EIG_BLOCK;
  const T = ctx.threads;
  const blas = wasmBlas(ctx);

  /**
   * Mirrors the row-major lower triangle of the n x n matrix at p onto the upper one and
   * subtracts `shift` from the diagonal (assembly symmetrizeRows), with `copy` (a byte
   * address, not 0) also receiving the unshifted column-major lower triangle; split by rows
   * over threads from {@link PAR_COPY_MIN} (memory-bound, so two cores stream it faster).
   */
  function symmetrize(n: number, p: number, shift: number, copy = 0): void {
    const parts = T > 1 && n >= PAR_COPY_MIN ? splitRows(n, T, true, 32) : [[0, n] as [number, number]];
    ctx.parallel(parts.map(([r0, r1]) => ({ fn: 'symmetrizeRows', args: [n, p, n, shift, copy, r0, r1] })));
  }

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
  function sytrd(n: number, pa: number, pd: number, pe: number, pt: number, pw: number, mem: FrameMemory, stages?: EigStages,
    pair = 0): void {
    const timed = stages && 'reductionPanel' in stages;
    const paired = pair !== 0 && T > 1 && n >= PAR_SYMV_MIN;
    if (!timed && !paired && (T === 1 || n <= 2 * PAR_UPDATE_MIN)) {
      ex.sytrd(n, pa, n, pd, pe, pt, pw, nb);
      return;
    }
    let tPanel = 0, tUpdate = 0;
    for (let i = 0; i < n - 1;) {
      const kb = Math.min(nb, n - 1 - i);
      const M = n - i - kb;
      const t0 = performance.now();
      if (paired && n - i - 1 >= PAR_SYMV_MIN / 2) {
        // Leader and helper share each column's product (assembly/tridiag.ts sytrdPanelPair).
        const v = mem.view();
        v.fill(0, pair >>> 3, (pair >>> 3) + 2);
        ctx.parallel([0, 1].map((part) => ({ fn: 'sytrdPanelPair', args: [n, pa, n, pe, pt, pw, i, kb, part, pair, pair + 16] })));
        const counts = new Int32Array(v.buffer, pair, 2);
        if (counts[0] !== counts[1]) lost('paired panel');
      } else {
        ex.sytrdPanel(n, pa, n, pe, pt, pw, i, kb);
      }
      const t1 = performance.now();
      const P = pw + 8 * (kb + kb * n), Q = pw + 8 * kb, C = pa + 8 * (i + kb) * (n + 1);
      if (T > 1 && M > PAR_UPDATE_MIN) {
        ctx.parallel(splitRows(M, T, true).map(([r0, r1]) => ({ fn: 'syrkRowsCM', args: [2 * kb, -1, P, n, Q, n, C, n, r0, r1] })));
      } else {
        ex.syrkRowsCM(2 * kb, -1, P, n, Q, n, C, n, 0, M);
      }
      ex.sytrdPanelEnd(pa, n, pd, pe, i, kb);
      tPanel += t1 - t0;
      tUpdate += performance.now() - t1;
      i += kb;
    }
    const v = mem.view();
    v[(pd >>> 3) + n - 1] = v[(pa >>> 3) + (n - 1) * (n + 1)]!;
    if (timed) {
      stages.reductionPanel = (stages.reductionPanel ?? 0) + tPanel / 1000;
      stages.reductionUpdate = (stages.reductionUpdate ?? 0) + tUpdate / 1000;
    }
  }

  /**
   * Two-stage reduction to tridiagonal form for eigenvalues (assembly/band.ts): stage 1 (to a
   * band of half-width {@link BAND_WIDTH}) with its symmetric product and rank-2nb update
   * split over threads by rows, stage 2 (bulge chasing, O(n^2 nb)) pipelined over two threads
   * from {@link PAR_BULGE_MIN}. `pw` holds {@link reduceWork}(n) values. Fills `band` and
   * `bulge` in `stages`.
   */
  function sytrd2(n: number, pa: number, pd: number, pe: number, pw: number, mem: FrameMemory, stages?: EigStages): void {
    const bw = BAND_WIDTH;
    const work = pw, t = work + 8 * 4 * bw * n, y = t + 8 * bw * bw, tau = y + 8 * 2 * bw * bw, tmp = tau + 8 * bw;
    const clock = stageClock(stages);
    // One wasm call per step, whatever the thread count (the panel and Z on this thread).
    for (let k = 0; k + bw < n - 1; k += bw) {
      const M = n - k - bw;
      const pk = ex.sy2sbPanel(n, pa, n, k, bw, tau, t, work, n, tmp);
      const S = pa + 8 * (k + bw) * (n + 1), X = work + 8 * 3 * pk * n;
      const par = T > 1 && M > PAR_UPDATE_MIN;
      if (par) ctx.parallel(splitRows(M, T).map(([r0, r1]) => ({ fn: 'symmRowsCM', args: [M, pk, S, n, work, n, X, n, r0, r1] })));
      else ex.symmRowsCM(M, pk, S, n, work, n, X, n, 0, M);
      ex.sy2sbZ(M, pk, bw, work, n, t, y);
      if (par) ctx.parallel(splitRows(M, T, true).map(([r0, r1]) => ({ fn: 'sy2sbUpdate', args: [M, pk, work, n, S, n, r0, r1] })));
      else ex.sy2sbUpdate(M, pk, work, n, S, n, 0, M);
    }
    clock('band');
    const wk = tmp + 8 * bw;
    if (T > 1 && n >= PAR_BULGE_MIN) {
      // Two threads take alternate sweeps, each step waiting on the previous sweep's progress
      // (one i32 per sweep, zeroed here); the result is the serial one bit for bit.
      const prog = wk + 8 * 6 * bw;
      mem.view().fill(0, prog >>> 3, (prog >>> 3) + (n >> 1) + 1);
      ctx.parallel([0, 1].map((t) => ({ fn: 'sb2stSweeps', args: [n, pa, n, bw, wk + 8 * 3 * bw * t, t, 2, prog] })));
      const done = new Int32Array(mem.view().buffer, prog, Math.max(n - 2, 0));
      if (done.some((c) => c !== 0x7fffffff)) lost('bulge-chasing');
      ex.tridiagonalOf(n, pa, n, pd, pe);
    } else {
      ex.sb2stSweeps(n, pa, n, bw, wk, 0, 1, 0);
      ex.tridiagonalOf(n, pa, n, pd, pe);
    }
    clock('bulge');
  }

  /** Scratch values of a tridiagonal reduction for eigenvalues at order n (either route). */
  function reduceWork(n: number): number {
    // [V | Z | V | X], T, Y, tau, panel scratch, two threads' bulge vectors, sweep progress.
    return n >= TWO_STAGE_MIN ? 4 * BAND_WIDTH * n + 3 * BAND_WIDTH * BAND_WIDTH + 8 * BAND_WIDTH + (n >> 1) + 1 : 3 * n * nb;
  }

  /** The tridiagonal form for eigenvalues by the route its order calls for (see TWO_STAGE_MIN). */
  function reduce(n: number, pa: number, pd: number, pe: number, pt: number, pw: number, mem: FrameMemory, stages?: EigStages): void {
    const clock = stageClock(stages);
    if (n >= TWO_STAGE_MIN) sytrd2(n, pa, pd, pe, pw, mem, stages);
    else sytrd(n, pa, pd, pe, pt, pw, mem, stages);
    clock('tridiagonalize');
  }

  /**
   * One merge's eigenproblem D + rho z z^T (assembly/secular.ts): roots, Loewner z-hat and
   * vectors (restricted to the entries of `sets`), each step split over threads by index ranges.
   */
  function secular(K: number, rho: number, d: Float64Array, z: Float64Array, lambda: Float64Array,
    sets: readonly [Int32Array, Int32Array], outs: readonly [Float64Array, Float64Array]): void {
    const parts = splitRows(K, K >= PAR_SECULAR_MIN ? T : 1, false, 1);
    const [idx0, idx1] = [Float64Array.from(sets[0]), Float64Array.from(sets[1])]; // indices as f64: frames hold float64
    const [o0, o1] = outs;
    ctx.frame('secular equation', {
      pd: arg.in(d, K), pz: arg.in(z, K), pl: arg.out(lambda, K), po: arg.temp(K), pt: arg.temp(K), ph: arg.temp(K),
      pw: arg.temp((K + 1) * parts.length), px0: idx0.length > 0 && arg.in(idx0), px1: idx1.length > 0 && arg.in(idx1),
      pu0: idx0.length > 0 && arg.out(o0), pu1: idx1.length > 0 && arg.out(o1),
    }, ({ pd, pz, pl, po, pt, ph, pw, px0, px1, pu0, pu1 }) => {
      // pw: per thread, K + 1 values of scratch for the roots, then K for a vector.
      const scratch = (t: number) => pw + 8 * (K + 1) * t;
      ctx.parallel(parts.map(([a, b], t) => ({ fn: 'secularRoots', args: [K, a, b, pd, pz, rho, po, pt, pl, scratch(t)] })));
      ctx.parallel(parts.map(([a, b]) => ({ fn: 'secularLoewner', args: [K, a, b, pd, pz, rho, po, pt, ph] })));
      ctx.parallel(parts.map(([a, b], t) => ({
        fn: 'secularVectors', args: [K, a, b, pd, po, pt, ph, scratch(t), px0, idx0.length, pu0, px1, idx1.length, pu1],
      })));
    });
  }

  return {
    symEigvals(n, a, w, stages) {
      if (n === 0) return 0;
      const info = ctx.frame('eigvalsh matrix', {
        pa: arg.copy(a, n * n), pd: arg.out(w, n), pe: arg.temp(n), pt: arg.temp(n), pw: arg.temp(reduceWork(n)),
      }, ({ pa, pd, pe, pt, pw }, mem) => {
        symmetrize(n, pa, 0);
        reduce(n, pa, pd, pe, pt, pw, mem, stages);
        const clock = stageClock(stages);
        const info = ex.sterf(n, pd, pe);
        clock('tridiagonal');
        return info;
      });
      w.subarray(0, n).sort();
      return info;
    },
    symTridiagonal(n, a, d, e) {
      if (n === 0) return;
      ctx.frame('tridiagonal matrix', {
        pa: arg.copy(a, n * n), pd: arg.out(d, n), pe: arg.out(e, n), pt: arg.temp(n), pw: arg.temp(reduceWork(n)),
      }, ({ pa, pd, pe, pt, pw }, mem) => {
        symmetrize(n, pa, 0);
        reduce(n, pa, pd, pe, pt, pw, mem);
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
        pa: arg.copy(a, n * n, reflectors), pd: arg.out(d), pe: arg.out(e), pt: arg.out(tau), pw: arg.temp(3 * n * nb),
        pp: T > 1 && n >= PAR_SYMV_MIN && arg.temp(n + 2),
      }, ({ pa, pd, pe, pt, pw, pp }, mem) => {
        symmetrize(n, pa, 0);
        sytrd(n, pa, pd, pe, pt, pw, mem, stages, pp || 0);
      });
      clock('tridiagonalize');
      // The tridiagonal eigenvectors by divide and conquer: its merges' products on this
      // backend's GEMM (SIMD, threaded), their secular equations in assembly/secular.ts
      // (threaded), the rest in ../common/stedc.ts.
      const info = stedc(n, d, e, z, { gemm: (m, nn, k, x, y, c) => blas.gemm(false, false, m, nn, k, 1, x, y, 0, c), secular });
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
    cholesky(n, a, shift, keepMatrix, body, krylov = 0) {
      const cap = Math.min(krylov, n);
      const parSolve = T > 1 && n >= PAR_SOLVE_MIN;
      const nbSolve = Math.ceil(n / SOLVE_BLOCK);
      return ctx.frame('cholesky factor', {
        pl: arg.copy(a, n * n), pa: keepMatrix && arg.temp(n * n), px: arg.temp(n * RHS_BLOCK), py: arg.temp(n * RHS_BLOCK),
        pq: cap > 0 && arg.temp(n * (cap + 1)), ph: cap > 0 && arg.temp(cap + 2), pp: parSolve && arg.temp(2 + 2 * SOLVE_BLOCK),
      }, ({ pl, pa, px, py, pq, ph, pp }, mem) => {
        // K's copy for products (keepMatrix) is written in the same pass as the factor's.
        symmetrize(n, pl, shift, pa || 0);
        const info = n === 0 ? 0 : potrf(n, pl, n);
        const chunks = (nrhs: number, fn: (r0: number, k: number) => void) => {
          for (let r0 = 0; r0 < nrhs; r0 += RHS_BLOCK) fn(r0, Math.min(RHS_BLOCK, nrhs - r0));
        };
        /** (L L^T)^{-1} on k vectors at byte address p (n x k), split over threads when that pays. */
        const solveAt = (p: number, k: number) => {
          if (!parSolve) ex.cholSolve(n, pl, n, p, n, k);
          else if (k >= T) {
            // Several right-hand sides: whole vectors per thread, no synchronization.
            ctx.parallel(splitRows(k, T, false, 1).map(([r0, r1]) => ({ fn: 'cholSolve', args: [n, pl, n, p + 8 * r0 * n, n, r1 - r0] })));
          } else for (let r = 0; r < k; r++) solveSplit(p + 8 * r * n);
        };
        /** One vector on two threads handing blocks over in shared memory (assembly/cholesky.ts cholSolvePair). */
        const solveSplit = (x: number) => {
          mem.view().fill(0, pp >>> 3, (pp >>> 3) + 2);
          ctx.parallel([0, 1].map((part) => ({ fn: 'cholSolvePair', args: [n, pl, n, x, part, SOLVE_BLOCK, pp, pp + 16] })));
          const counts = new Int32Array(mem.view().buffer, pp, 2);
          if (counts[0] !== 2 * nbSolve || counts[1] !== 2 * nbSolve - 2) lost('paired solve');
        };
        // The Lanczos basis: vector j at pq + 8 j n; slot k + 1 receives the solve of q_k.
        const basis: KrylovBasis | undefined = cap > 0 && info === 0 ? {
          capacity: cap,
          start(v) {
            mem.set(pq, v.subarray(0, n));
          },
          step(k, betaPrev, out) {
            if (!(k >= 0 && k < cap)) throw new Error('krylov: step outside the basis');
            const src = (pq >>> 3) + k * n;
            mem.view().copyWithin(src + n, src, src + n);
            solveAt(pq + 8 * (k + 1) * n, 1);
            ex.lanczosOrth(n, pq, k, betaPrev, ph, ph + 8 * cap);
            const v = mem.view(), o = (ph >>> 3) + cap;
            out[0] = v[o]!;
            out[1] = v[o + 1]!;
          },
          combine(s, m, y) {
            mem.set(ph, s.subarray(0, m));
            ex.lanczosCombine(n, pq, m, ph, px);
            mem.get(px, y.subarray(0, n));
          },
        } : undefined;
        const f: CholeskyFactor = {
          n,
          info,
          krylov: basis,
          solve(x, nrhs = 1) {
            if (info !== 0) throw new Error('cholesky: solve with a failed factorization');
            chunks(nrhs, (r0, k) => {
              const part = x.subarray(r0 * n, (r0 + k) * n);
              mem.set(px, part);
              solveAt(px, k);
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
