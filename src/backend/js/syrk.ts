/**
 * Pure TypeScript SYRK and the fused Gram-Hadamard accumulation, twins of assembly/syrk.ts.
 * @module
 */

/** `C = alpha*A*A^T + beta*C` with the lower triangle computed and mirrored. */
export function syrk(n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ai = i * k;
    for (let j = 0; j <= i; j++) {
      const aj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p]! * a[aj + p]!;
      const old = beta === 0 ? 0 : beta * c[i * n + j]!;
      const v = alpha * s + old;
      c[i * n + j] = v;
      c[j * n + i] = v;
    }
  }
}

/** `K += alpha * (A*A^T) o (B*B^T)`; A is n x ka, B is n x kb. */
export function gramHadamardAcc(n: number, ka: number, a: Float64Array, kb: number, b: Float64Array,
  alpha: number, k: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sa = 0;
      for (let p = 0; p < ka; p++) sa += a[i * ka + p]! * a[j * ka + p]!;
      let sb = 0;
      for (let p = 0; p < kb; p++) sb += b[i * kb + p]! * b[j * kb + p]!;
      const v = k[i * n + j]! + alpha * sa * sb;
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
}
