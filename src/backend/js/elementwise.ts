/**
 * Pure TypeScript elementwise kernels, twins of assembly/elementwise.ts.
 * @module
 */

/** `out = a o b`. */
export function hadamard(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! * b[i]!;
}

/** `y += alpha x`. */
export function axpy(y: Float64Array, alpha: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

/** `a[i, j] *= alpha * s[j]`. */
export function scaleCols(a: Float64Array, rows: number, cols: number, s: Float64Array, alpha: number): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) a[r + j]! *= alpha * s[j]!;
  }
}

/** `out[i] = sqrt(sum_j a[i, j]^2 / cols)`, summed in assembly/elementwise.ts's order (same bits). */
export function rowNorms(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    let s0 = 0, s1 = 0, j = 0;
    for (; j + 2 <= cols; j += 2) {
      const x0 = a[r + j]!, x1 = a[r + j + 1]!;
      s0 += x0 * x0;
      s1 += x1 * x1;
    }
    let s = s0 + s1;
    if (j < cols) s += a[r + j]! * a[r + j]!;
    out[i] = Math.sqrt(s / cols);
  }
}
