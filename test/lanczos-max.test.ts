// lambda_max of a dense symmetric matrix by Lanczos (src/linalg/lanczos-max.ts), the column
// sweeps get from lambdaMin's `largest` option, checked against ml-matrix's dense EVD.
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { lanczosLargest } from '../src/linalg/lanczos-max.js';
import { operatorNorms } from '../src/linalg/norms.js';

/** lambda_max of the row-major n x n symmetric K, with a plain dense product. */
function lambdaMax(K: Float64Array, n: number) {
  const matvec = (x: Float64Array, y: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += K[i * n + j]! * x[j]!;
      y[i] = s;
    }
  };
  return lanczosLargest(n, matvec, operatorNorms(n, K));
}

describe('lambda_max by Lanczos', () => {
  // The reference is ml-matrix's dense symmetric EVD: independent of this project's eigensolver.
  const spectrum = (K: Float64Array, n: number) => {
    const rows = Array.from({ length: n }, (_, i) => Array.from(K.subarray(i * n, (i + 1) * n)));
    return Float64Array.from(new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true }).realEigenvalues).sort();
  };
  function randomSym(n: number, seed: number, kind: 'gram' | 'indefinite'): Float64Array {
    let s = seed;
    const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
    const k = Math.max(1, Math.floor(n / 2));
    const A = Float64Array.from({ length: n * k }, rnd);
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let v = 0;
        for (let t = 0; t < k; t++) v += A[i * k + t]! * A[j * k + t]!;
        if (kind === 'gram') v += 0.3; // a rank-one spike, as in an NTK
        else v = v - (i === j ? 0.4 : 0) + rnd() * 0.1;
        K[i * n + j] = v; K[j * n + i] = v;
      }
    }
    return K;
  }
  for (const n of [1, 2, 5, 60, 200]) {
    for (const kind of ['gram', 'indefinite'] as const) {
      it(`matches the top of the full spectrum (n = ${n}, ${kind})`, () => {
        const K = { rows: n, cols: n, data: randomSym(n, 7 + n, kind) };
        const ev = spectrum(K.data, n);
        const top = ev[n - 1]!;
        const scale = Math.max(Math.abs(ev[0]!), Math.abs(top));
        const r = lambdaMax(K.data, n);
        // Lanczos stops at a relative residual of 1e-10; the Ritz value's error is about its
        // square over the gap, far below that: measured <= 1.3e-15 scale here.
        expect(Math.abs(r.value - top)).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(r.value - top)).toBeLessThanOrEqual(r.errorBound + 1e-13 * scale);
      });
    }
  }
});
