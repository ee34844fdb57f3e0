/**
 * A positive-definiteness certificate by one Cholesky factorization.
 * @module
 */
import { getBackend } from '../backend/default.js';
import { NtkInputError } from '../errors.js';
import type { MatrixLike } from '../matrix.js';
import { ldexp, prepare, type EigOptions } from './prepare.js';

/** Options of {@link isPositiveDefinite}. */
export interface PositiveDefiniteOptions extends EigOptions {
  /** Certify lambda_min > margin (default 0). */
  margin?: number;
}

/**
 * Whether the Cholesky factorization of `K - margin*I` runs to completion with positive
 * pivots: a certificate that lambda_min(K) > margin, up to the factorization's backward error
 * (a perturbation of K of norm about n * eps * max|K|; choose `margin` above that to be sure).
 * Costs one Cholesky (n^3 / 3 flops), about a tenth of `eigvalsh`. Any finite scale of K
 * (subnormal to 1e308) is handled by an exact power-of-two scaling.
 * @throws NtkInputError when K is not square, not finite or not symmetric, or margin is not finite.
 */
export function isPositiveDefinite(k: MatrixLike, opts: PositiveDefiniteOptions = {}): boolean {
  const margin = opts.margin ?? 0;
  if (!Number.isFinite(margin)) throw new NtkInputError('margin', `must be a finite number, got ${margin}`, 'pass e.g. 0 or 1e-8');
  const p = prepare(k, opts, 'lambdaMin');
  if (p.n === 0) return true;
  const be = opts.backend ?? getBackend();
  // A margin that overflows when scaled is far above every eigenvalue (|lambda| <= n max|K|).
  const shift = ldexp(margin, p.exp);
  if (!Number.isFinite(shift)) return margin < 0;
  return be.cholesky(p.n, p.data, shift, false, (f) => f.info === 0);
}
