/**
 * Conversions to and from ml-matrix, the one part of the API that needs ml-matrix (an optional
 * dependency: `npm install ml-matrix`). A subpath of its own (`ntk-wasm/ml-matrix`) so the
 * other entries import no bare module specifier and load in a browser without a bundler.
 * Reading an ml-matrix `Matrix` (`fromMl`, and every function taking a `MatrixLike`) needs no
 * import of ml-matrix and is also in the main entry; only {@link toMl} constructs one.
 * @module ml-matrix interop
 */
import type { Matrix as MlMatrix } from 'ml-matrix';
import type { Matrix } from './matrix.js';
import { importOptional } from './optional.js';

export { fromMl, isMlMatrix } from './matrix.js';

// Loaded here, once, so toMl stays synchronous; a missing ml-matrix fails the import of this
// subpath with one line naming the package.
const ml = await importOptional('ntk-wasm/ml-matrix', ['ml-matrix'], () => import('ml-matrix'));

/** Copies a {@link Matrix} (row-major) into a new ml-matrix `Matrix` of the same shape. */
export function toMl(m: Matrix): MlMatrix {
  const out = new ml.Matrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.set(i, j, m.data[i * m.cols + j]!);
  return out;
}
