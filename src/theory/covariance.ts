/**
 * The one check of a covariance matrix Sigma that the pair expectations take (mehler.ts,
 * closed-form-kernels.ts): square, with finite non-negative variances on its diagonal.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../matrix.js';

/**
 * Sigma as a checked n x n matrix (its off-diagonal entries are checked where they are read).
 * @throws NtkInputError naming `Sigma` when it is not square or has a non-finite or negative
 *   diagonal entry.
 */
export function checkCovariance(Sigma: MatrixLike): Matrix {
  const S = toMatrix(Sigma, 'Sigma');
  const n = S.rows;
  if (S.cols !== n) throw new NtkInputError('Sigma', `is ${S.rows} x ${S.cols}, not square`, 'pass a covariance matrix');
  for (let i = 0; i < n; i++) {
    const v = S.data[i * n + i]!;
    if (!Number.isFinite(v) || v < 0) throw new NtkInputError('Sigma', `diagonal entry ${i} is ${v}`, 'pass a covariance with finite non-negative variances');
  }
  return S;
}
