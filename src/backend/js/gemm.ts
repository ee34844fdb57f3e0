/**
 * Pure TypeScript GEMM, the twin of assembly/gemm.ts. Each entry of C is a dot product of a
 * row of op(A) with a row of op(B)^T, both contiguous (operands are copied into that layout
 * when they are not already in it); entries are computed two rows by two columns at a time
 * so each loaded value serves two multiply-adds and four sums run independently (measured
 * 1.1-1.4x faster in V8 than a cache-blocked i-k-j loop, and simpler).
 * @module
 */
import type { ActivationId } from '../../activations.js';
import { activation } from './activation.js';
import { hadamard } from './elementwise.js';

/** `C = alpha*op(A)*op(B) + beta*C`; see {@link BlasKernels.gemm}. */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
): void {
  if (alpha === 0 || k === 0) {
    if (beta === 0) c.fill(0, 0, m * n);
    else if (beta !== 1) for (let i = 0; i < m * n; i++) c[i]! *= beta;
    return;
  }
  // x: op(A) as m rows of length k; y: op(B)^T as n rows of length k.
  const x = transA ? transpose(a, k, m) : a;
  const y = transB ? b : transpose(b, k, n);
  const put = (i: number, j: number, s: number) => {
    const o = i * n + j;
    c[o] = beta === 0 ? alpha * s : alpha * s + beta * c[o]!;
  };
  for (let i = 0; i < m; i += 2) {
    const two = i + 1 < m;
    const x0 = i * k, x1 = two ? x0 + k : x0;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const y0 = j * k, y1 = y0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < k; p++) {
        const u0 = x[x0 + p]!, u1 = x[x1 + p]!, v0 = y[y0 + p]!, v1 = y[y1 + p]!;
        s00 += u0 * v0; s01 += u0 * v1; s10 += u1 * v0; s11 += u1 * v1;
      }
      put(i, j, s00); put(i, j + 1, s01);
      if (two) { put(i + 1, j, s10); put(i + 1, j + 1, s11); }
    }
    if (j < n) {
      const y0 = j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const v = y[y0 + p]!;
        s0 += x[x0 + p]! * v;
        s1 += x[x1 + p]! * v;
      }
      put(i, j, s0);
      if (two) put(i + 1, j, s1);
    }
  }
}

/** The cols x rows transpose of a rows x cols row-major matrix. */
function transpose(src: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) t[q * rows + r] = src[r * cols + q]!;
  return t;
}

/** GEMM then the activation pass; see {@link BlasKernels.gemmActivation}. */
export function gemmActivation(transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array,
  b: Float64Array, id: ActivationId, phi: Float64Array, dphi: Float64Array): void {
  const h = dphi.subarray(0, m * n);
  gemm(false, transB, m, n, k, alpha, a, b, 0, h);
  activation(id, h, phi.subarray(0, m * n), h);
}

/** GEMM into `tmp`, then `d = d o tmp`; see {@link BlasKernels.gemmHadamard}. */
export function gemmHadamard(transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array,
  b: Float64Array, d: Float64Array, tmp: Float64Array): void {
  const t = tmp.subarray(0, m * n), dd = d.subarray(0, m * n);
  gemm(false, transB, m, n, k, alpha, a, b, 0, t);
  hadamard(dd, dd, t);
}
