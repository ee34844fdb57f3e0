/**
 * Wasm wrappers of the symmetric eigen- and Cholesky kernels (assembly/cholesky.ts,
 * assembly/tridiag.ts): each call copies the matrix in once and runs the whole blocked
 * algorithm in one wasm call (the GEMM kernel is called from inside wasm), single-threaded.
 * @module
 */
import { EIG_BLOCK, transposeSquare } from '../js/linalg.js';
import type { CholeskyFactor, LinalgKernels } from '../types.js';
import type { WasmContext } from './context.js';

/** Right-hand sides a factor's solve scratch holds at once (larger blocks go in chunks). */
const RHS_BLOCK = 16;

/** The linalg kernels of a wasm backend. */
export function wasmLinalg(ctx: WasmContext): LinalgKernels {
  const ex = ctx.ex;
  const nb = EIG_BLOCK;
  return {
    symEigvals(n, a, w) {
      if (n === 0) return 0;
      return ctx.frame(n * n + 3 * n + 3 * n * nb, 5, 'eigvalsh matrix', (h) => {
        const pa = h.put(a.subarray(0, n * n));
        const pd = h.alloc(n), pe = h.alloc(n), pt = h.alloc(n), pw = h.alloc(3 * n * nb);
        ex.symmetrizeShift(n, pa, n, 0);
        const info = ex.symEigvals(n, pa, n, pd, pe, pt, pw, nb);
        const out = w.subarray(0, n);
        h.get(pd, out);
        out.sort();
        return info;
      });
    },
    symEigh(n, a, w, v) {
      if (n === 0) return 0;
      return ctx.frame(2 * n * n + 3 * n + 3 * n * nb + nb * nb, 6, 'eigh matrices', (h) => {
        const pa = h.put(a.subarray(0, n * n));
        const pd = h.alloc(n), pe = h.alloc(n), pt = h.alloc(n);
        const pz = h.alloc(n * n), pw = h.alloc(3 * n * nb + nb * nb);
        ex.symmetrizeShift(n, pa, n, 0);
        const info = ex.symEigh(n, pa, n, pd, pe, pt, pz, n, pw, nb);
        h.get(pd, w.subarray(0, n));
        const z = v.subarray(0, n * n);
        h.get(pz, z);
        transposeSquare(n, z);
        return info;
      });
    },
    cholesky(n, a, shift, keepMatrix, body) {
      const copies = keepMatrix ? 2 : 1;
      return ctx.frame(copies * n * n + 2 * n * RHS_BLOCK, copies + 2, 'cholesky factor', (h) => {
        const pl = h.put(a.subarray(0, n * n));
        const pa = keepMatrix ? h.put(a.subarray(0, n * n)) : 0;
        const px = h.alloc(n * RHS_BLOCK), py = h.alloc(n * RHS_BLOCK);
        ex.symmetrizeShift(n, pl, n, shift);
        if (keepMatrix) ex.symmetrizeShift(n, pa, n, 0);
        const info = n === 0 ? 0 : ex.potrf(n, pl, n);
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
              h.view().set(part, px >>> 3);
              ex.cholSolve(n, pl, n, px, n, k);
              h.get(px, part);
            });
          },
          multiply(x, y, nrhs = 1) {
            if (!keepMatrix) throw new Error('cholesky: multiply needs keepMatrix');
            chunks(nrhs, (r0, k) => {
              h.view().set(x.subarray(r0 * n, (r0 + k) * n), px >>> 3);
              ex.symvLower(n, pa, n, px, py, k);
              h.get(py, y.subarray(r0 * n, (r0 + k) * n));
            });
          },
        };
        return body(f);
      });
    },
  };
}
