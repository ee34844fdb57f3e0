/**
 * Pure TypeScript GEMM, the twin of assembly/gemm.ts. Loops are ordered so the innermost
 * one runs along a contiguous row of B and C (i-k-j), which is what V8 optimizes best.
 * @module
 */

/** `C = alpha*op(A)*op(B) + beta*C`; see {@link BlasKernels.gemm}. */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
): void {
  if (beta === 0) c.fill(0, 0, m * n);
  else if (beta !== 1) for (let i = 0; i < m * n; i++) c[i]! *= beta;
  if (alpha === 0 || k === 0) return;
  // op(B) as a row-major k x n array, so the inner loop is contiguous.
  let bk = b;
  if (transB) {
    bk = new Float64Array(k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bk[p * n + j] = b[j * k + p]!;
  }
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = alpha * (transA ? a[p * m + i]! : a[i * k + p]!);
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += aip * bk[bp + j]!;
    }
  }
}
