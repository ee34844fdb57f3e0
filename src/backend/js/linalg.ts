/**
 * The js backend's {@link LinalgKernels}: copies the input (the kernels work in place on a
 * column-major view) and runs the twins in ./cholesky.ts, ./tridiag.ts and ./band.ts.
 * @module
 */
import type { CholeskyFactor, KrylovBasis, LinalgKernels } from '../types.js';
import { cholSolve, potrf, symmetrizeShift, symvLower } from './cholesky.js';
import { lanczosCombine, lanczosOrth } from './lanczos.js';
import { BAND_WIDTH, EIG_BLOCK, TWO_STAGE_MIN, transposeSquare } from '../common/eig-layout.js';
import { tql } from '../common/tql.js';
import { sb2st, sy2sb } from './band.js';
import { symEigh, sytrd } from './tridiag.js';

/**
 * The tridiagonal form (d, e) of the n x n column-major c (destroyed) for eigenvalues: in two
 * stages through a band matrix from {@link TWO_STAGE_MIN} on, as the wasm backend does.
 */
function reduce(n: number, c: Float64Array, d: Float64Array, e: Float64Array): void {
  if (n >= TWO_STAGE_MIN) {
    sy2sb(n, c, 0, n, BAND_WIDTH);
    sb2st(n, c, 0, n, BAND_WIDTH, d, e);
  } else {
    sytrd(n, c, 0, n, d, e, new Float64Array(n), new Float64Array(3 * n * EIG_BLOCK), EIG_BLOCK);
  }
}

/** The linalg kernels of the js backend. */
export function jsLinalg(): LinalgKernels {
  return {
    symEigvals(n, a, w) {
      if (n === 0) return 0;
      const c = a.slice(0, n * n);
      symmetrizeShift(n, c, 0, n, 0);
      const d = new Float64Array(n), e = new Float64Array(n);
      reduce(n, c, d, e);
      const info = tql(n, d, e, null, 0, 0);
      d.sort();
      w.set(d);
      return info;
    },
    symTridiagonal(n, a, d, e) {
      if (n === 0) return;
      const c = a.slice(0, n * n);
      symmetrizeShift(n, c, 0, n, 0);
      reduce(n, c, d, e);
      e[n - 1] = 0;
    },
    symEigh(n, a, w, v, stages) {
      if (n === 0) return 0;
      const c = a.slice(0, n * n);
      symmetrizeShift(n, c, 0, n, 0);
      const d = new Float64Array(n), e = new Float64Array(n), tau = new Float64Array(n);
      const z = v.subarray(0, n * n);
      const info = symEigh(n, c, n, d, e, tau, z, n, EIG_BLOCK, stages);
      // Z is column-major (columns = eigenvectors); the row-major result wants the transpose.
      transposeSquare(n, z);
      w.set(d);
      return info;
    },
    cholesky(n, a, shift, keepMatrix, body, krylov = 0) {
      const l = a.slice(0, n * n);
      symmetrizeShift(n, l, 0, n, shift);
      const orig = keepMatrix ? a.slice(0, n * n) : null;
      if (orig) symmetrizeShift(n, orig, 0, n, 0);
      const info = potrf(n, l, 0, n);
      const cap = Math.min(krylov, n);
      // The Lanczos basis: vector j at offset j n of q; slot k + 1 receives the solve of q_k.
      const q = cap > 0 && info === 0 ? new Float64Array(n * (cap + 1)) : null;
      const h = new Float64Array(cap + 1);
      const basis: KrylovBasis | undefined = q ? {
        capacity: cap,
        start(v) {
          q.set(v.subarray(0, n));
        },
        step(k, betaPrev, out) {
          if (!(k >= 0 && k < cap)) throw new Error('krylov: step outside the basis');
          q.copyWithin((k + 1) * n, k * n, (k + 1) * n);
          cholSolve(n, l, 0, n, q, (k + 1) * n, n, 1);
          lanczosOrth(n, q, 0, k, betaPrev, h, out);
        },
        combine(s, m, y) {
          lanczosCombine(n, q, 0, m, s, y);
        },
      } : undefined;
      const f: CholeskyFactor = {
        n,
        info,
        krylov: basis,
        solve(x, nrhs = 1) {
          if (info !== 0) throw new Error('cholesky: solve with a failed factorization');
          cholSolve(n, l, 0, n, x, 0, n, nrhs);
        },
        multiply(x, y, nrhs = 1) {
          if (!orig) throw new Error('cholesky: multiply needs keepMatrix');
          symvLower(n, orig, 0, n, x, 0, y, 0, nrhs);
        },
      };
      return body(f);
    },
  };
}
