/**
 * Conversion into ml-matrix, the one part of the API that needs ml-matrix loaded. A subpath of
 * its own (`ntk-wasm/ml-matrix`) so the main entry imports no bare module specifier and loads
 * in a browser without a bundler.
 * @module
 */
import { Matrix as MlMatrix } from 'ml-matrix';
import type { Matrix } from './matrix.js';

export { fromMl, isMlMatrix } from './matrix.js';

/** Copies a {@link Matrix} (row-major) into a new ml-matrix `Matrix` of the same shape. */
export function toMl(m: Matrix): MlMatrix {
  const out = new MlMatrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.set(i, j, m.data[i * m.cols + j]!);
  return out;
}
