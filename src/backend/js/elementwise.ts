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
