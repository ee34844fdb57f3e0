// Placeholder-free simple GEMM: correct for every shape, to be replaced by the packed-panel kernel.
// C = alpha*op(A)*op(B) + beta*C, row-major with leading dimensions (elements).
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f64 = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? load<f64>(a + ((<usize>p * lda + i) << 3)) : load<f64>(a + ((<usize>i * lda + p) << 3));
        const bv = transB ? load<f64>(b + ((<usize>j * ldb + p) << 3)) : load<f64>(b + ((<usize>p * ldb + j) << 3));
        s += av * bv;
      }
      const pc = c + ((<usize>i * ldc + j) << 3);
      store<f64>(pc, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(pc));
    }
  }
}
