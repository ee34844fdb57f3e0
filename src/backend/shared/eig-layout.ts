/**
 * What the js and wasm eigen kernels share: the panel width of the blocked reduction and the
 * transpose from their column-major eigenvectors to the row-major results.
 * @module
 */

/** Panel width of the blocked Householder reduction and back-transformation (both backends). */
export const EIG_BLOCK = 32;

/** Transposes the n x n matrix in place. */
export function transposeSquare(n: number, v: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const t = v[i * n + j]!;
      v[i * n + j] = v[j * n + i]!;
      v[j * n + i] = t;
    }
  }
}
