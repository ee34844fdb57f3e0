/**
 * The kernel matrices `E[phi(u_i) phi(u_j)]` and `E[phi'(u_i) phi'(u_j)]`, `u ~ N(0, Sigma)`, of
 * an activation with closed forms, entry by entry. The forms themselves live on the activation
 * (src/closed-forms.ts: erf's arcsine kernel, sin's exponential-hyperbolic forms, relu's
 * arc-cosine kernels); this file only applies them to a whole covariance.
 * @module
 */
import { erfForms, type GaussianClosedForms } from '../closed-forms.js';
import { NtkInputError } from '../errors.js';
import type { Matrix, MatrixLike } from '../matrix.js';
import { checkCovariance } from './covariance.js';

/**
 * The erf kernels in closed form (arcsine kernel): `E[erf(u) erf(u')] = (2/pi) asin(2s / sqrt((1+2a)(1+2b)))`
 * and `E[erf'(u) erf'(u')] = (4/pi) / sqrt((1+2a)(1+2b) - 4s^2)`, for every entry of Sigma
 * (an off-diagonal |s| > sqrt(ab) is clamped to sqrt(ab), as the series path clamps rho).
 * `closedFormKernelMatrices` with erf's forms.
 * @param out optional buffer to reuse, as `PairOptions.out`.
 * @throws NtkInputError when Sigma is not square or has a non-finite entry or a negative variance.
 */
export function erfKernelMatrices(Sigma: MatrixLike, derivative: boolean, out?: Float64Array): {
  /** E[phi(u_i) phi(u_j)], n x n. */
  E: Matrix;
  /** E[phi'(u_i) phi'(u_j)], n x n, when requested. */
  Ed: Matrix | null;
} {
  return closedFormKernelMatrices(Sigma, erfForms, derivative, out);
}

/**
 * `E[phi(u_i) phi(u_j)]` (and `E[phi'(u_i) phi'(u_j)]` with `derivative`) for `u ~ N(0, Sigma)`
 * from an activation's closed forms (see the module comment), entry by entry: exact to
 * rounding, and no coefficient tables, series or fallback.
 * @param forms the activation's `closedForms`.
 * @param out optional buffer to reuse, as `PairOptions.out`.
 * @throws NtkInputError when Sigma is not square or has a non-finite entry or a negative variance.
 */
export function closedFormKernelMatrices(Sigma: MatrixLike, forms: GaussianClosedForms, derivative: boolean, out?: Float64Array): {
  /** E[phi(u_i) phi(u_j)], n x n. */
  E: Matrix;
  /** E[phi'(u_i) phi'(u_j)], n x n, when requested. */
  Ed: Matrix | null;
} {
  const S = checkCovariance(Sigma);
  const n = S.rows, d = S.data;
  const nser = derivative ? 2 : 1;
  const buf = out && out.length >= nser * n * n ? out : new Float64Array(nser * n * n);
  const E = buf.subarray(0, n * n), Ed = derivative ? buf.subarray(n * n, 2 * n * n) : null;
  const { pair, pairDerivative } = forms;
  for (let i = 0; i < n; i++) {
    const a = d[i * n + i]!;
    for (let j = 0; j <= i; j++) {
      const s = d[i * n + j]!;
      if (!Number.isFinite(s)) throw new NtkInputError('Sigma', `entry (${i}, ${j}) is ${s}`, 'pass a finite covariance');
      const b = d[j * n + j]!;
      const e = pair(a, b, s);
      E[i * n + j] = e; E[j * n + i] = e;
      if (Ed) {
        const ed = pairDerivative(a, b, s);
        Ed[i * n + j] = ed; Ed[j * n + i] = ed;
      }
    }
  }
  return { E: { rows: n, cols: n, data: E }, Ed: Ed ? { rows: n, cols: n, data: Ed } : null };
}
