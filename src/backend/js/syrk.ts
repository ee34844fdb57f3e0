/**
 * Pure TypeScript SYRK and the fused Gram-Hadamard accumulation, twins of assembly/syrk.ts.
 * Both walk the lower triangle two rows at a time through {@link gramRowPair}: dot products
 * of rows of A (contiguous), two rows by two rows so each loaded value serves two
 * multiply-adds. Temporaries are O(n), never n x n.
 * @module
 */

/**
 * Dot products of rows i and i + 1 of A (n x k) with rows 0..i (resp. 0..i+1): `g0[j] =
 * A_i . A_j` for j <= i and, when i + 1 < n, `g1[j] = A_{i+1} . A_j` for j <= i + 1.
 * `i` must be even.
 */
export function gramRowPair(n: number, k: number, a: Float64Array, i: number, g0: Float64Array, g1: Float64Array): void {
  const two = i + 1 < n;
  const ai = i * k, ai1 = two ? ai + k : ai;
  let j = 0;
  for (; j + 1 < i; j += 2) {
    const aj = j * k, aj1 = aj + k;
    let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
    for (let p = 0; p < k; p++) {
      const x0 = a[ai + p]!, x1 = a[ai1 + p]!, y0 = a[aj + p]!, y1 = a[aj1 + p]!;
      s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
    }
    g0[j] = s00; g0[j + 1] = s01;
    g1[j] = s10; g1[j + 1] = s11;
  }
  // The columns left: j = i (and i + 1 for a pair).
  for (; j <= (two ? i + 1 : i); j++) {
    const aj = j * k;
    let s0 = 0, s1 = 0;
    for (let p = 0; p < k; p++) {
      const y = a[aj + p]!;
      s0 += a[ai + p]! * y;
      s1 += a[ai1 + p]! * y;
    }
    if (j <= i) g0[j] = s0;
    g1[j] = s1;
  }
}

/** `C = alpha*A*A^T + beta*C` with the lower triangle computed and mirrored (unless `lowerOnly`). */
export function syrk(n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array, lowerOnly = false): void {
  const g0 = new Float64Array(n), g1 = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    gramRowPair(n, k, a, i, g0, g1);
    for (let r = i; r < Math.min(n, i + 2); r++) {
      const g = r === i ? g0 : g1;
      for (let j = 0; j <= r; j++) {
        const v = alpha * g[j]! + (beta === 0 ? 0 : beta * c[r * n + j]!);
        c[r * n + j] = v;
        if (!lowerOnly) c[j * n + r] = v;
      }
    }
  }
}

/** `K += alpha * (A*A^T) o (B*B^T)`; A is n x ka, B is n x kb; K's lower triangle only with `lowerOnly`. */
export function gramHadamardAcc(n: number, ka: number, a: Float64Array, kb: number, b: Float64Array,
  alpha: number, k: Float64Array, lowerOnly = false): void {
  const ga0 = new Float64Array(n), ga1 = new Float64Array(n);
  const gb0 = new Float64Array(n), gb1 = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    gramRowPair(n, ka, a, i, ga0, ga1);
    gramRowPair(n, kb, b, i, gb0, gb1);
    for (let r = i; r < Math.min(n, i + 2); r++) {
      const ga = r === i ? ga0 : ga1, gb = r === i ? gb0 : gb1;
      for (let j = 0; j <= r; j++) {
        const v = k[r * n + j]! + alpha * ga[j]! * gb[j]!;
        k[r * n + j] = v;
        if (!lowerOnly) k[j * n + r] = v;
      }
    }
  }
}
