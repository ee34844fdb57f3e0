/**
 * Pure TypeScript GEMM, the twin of assembly/gemm.ts. The innermost loop runs along a
 * contiguous row of op(B) and of C (i-k-j order, what V8 optimizes best), four rows of C at a
 * time so each loaded element of B serves four multiply-adds, over blocks of op(B) small
 * enough (KB x NB = 512 KiB) to stay in cache while every row block of C sweeps them.
 * @module
 */

const KB = 128;
const NB = 512;

/** `C = alpha*op(A)*op(B) + beta*C`; see {@link BlasKernels.gemm}. */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
): void {
  if (beta === 0) c.fill(0, 0, m * n);
  else if (beta !== 1) for (let i = 0; i < m * n; i++) c[i]! *= beta;
  if (alpha === 0 || k === 0 || m === 0 || n === 0) return;
  // op(A) scaled by alpha as a row-major m x k array and op(B) as a row-major k x n array.
  const as = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) as[i * k + p] = alpha * (transA ? a[p * m + i]! : a[i * k + p]!);
  }
  let bk = b;
  if (transB) {
    bk = new Float64Array(k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bk[p * n + j] = b[j * k + p]!;
  }
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    for (let p0 = 0; p0 < k; p0 += KB) {
      const p1 = Math.min(k, p0 + KB);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        for (let p = p0; p < p1; p++) {
          const x0 = as[i * k + p]!, x1 = as[(i + 1) * k + p]!, x2 = as[(i + 2) * k + p]!, x3 = as[(i + 3) * k + p]!;
          const bp = p * n;
          for (let j = j0; j < j1; j++) {
            const v = bk[bp + j]!;
            c[c0 + j]! += x0 * v;
            c[c1 + j]! += x1 * v;
            c[c2 + j]! += x2 * v;
            c[c3 + j]! += x3 * v;
          }
        }
      }
      for (; i < m; i++) {
        const ci = i * n;
        for (let p = p0; p < p1; p++) {
          const x = as[i * k + p]!;
          const bp = p * n;
          for (let j = j0; j < j1; j++) c[ci + j]! += x * bk[bp + j]!;
        }
      }
    }
  }
}
