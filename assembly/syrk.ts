// SYRK and the fused Gram-Hadamard accumulation on the lower triangle, by row ranges so that
// threads can split them; mirrorLower makes the result exactly symmetric.

// Rows [i0, i1) of the lower triangle of C = alpha*A*A^T + beta*C (A is n x k, leading dim lda).
export function syrkLower(n: i32, k: i32, alpha: f64, a: usize, lda: i32, beta: f64,
  c: usize, ldc: i32, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) {
    const ai = a + ((<usize>i * lda) << 3);
    for (let j = 0; j <= i; j++) {
      const aj = a + ((<usize>j * lda) << 3);
      let s: f64 = 0;
      for (let p = 0; p < k; p++) s += load<f64>(ai + (<usize>p << 3)) * load<f64>(aj + (<usize>p << 3));
      const pc = c + ((<usize>i * ldc + j) << 3);
      store<f64>(pc, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(pc));
    }
  }
}

// Rows [i0, i1) of the lower triangle of K += alpha * (A A^T) o (B B^T).
export function gramHadamardLower(n: i32, ka: i32, a: usize, lda: i32, kb: i32, b: usize, ldb: i32,
  alpha: f64, kk: usize, ldk: i32, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) {
    for (let j = 0; j <= i; j++) {
      let sa: f64 = 0;
      for (let p = 0; p < ka; p++) sa += load<f64>(a + ((<usize>i * lda + p) << 3)) * load<f64>(a + ((<usize>j * lda + p) << 3));
      let sb: f64 = 0;
      for (let p = 0; p < kb; p++) sb += load<f64>(b + ((<usize>i * ldb + p) << 3)) * load<f64>(b + ((<usize>j * ldb + p) << 3));
      const pk = kk + ((<usize>i * ldk + j) << 3);
      store<f64>(pk, load<f64>(pk) + alpha * sa * sb);
    }
  }
}

// Copies the strict lower triangle of the n x n matrix C onto its upper triangle.
export function mirrorLower(n: i32, c: usize, ldc: i32): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      store<f64>(c + ((<usize>j * ldc + i) << 3), load<f64>(c + ((<usize>i * ldc + j) << 3)));
    }
  }
}
