/**
 * lambda_1 of Theorem 4.1: `lambda_min(E_{g~N(0, nu0^2 I_d)}[phi(Xg/sqrt d) phi(Xg/sqrt d)^T])`,
 * computed exactly (pair expectations under `Sigma_1 = nu0^2 X X^T / d`), never by Monte Carlo.
 * @module
 */
import { activationNames, activations } from '../activations.js';
import { getBackend } from '../backend/default.js';
import { NtkInputError } from '../errors.js';
import { lambdaMin } from '../linalg/index.js';
import { toData, type Matrix, type MatrixLike } from '../matrix.js';
import { checkMemory, lambda1Memory } from '../memory.js';
import { checkElements, checkPositive } from '../validate.js';
import { resolvePhi, type PhiInput } from './gauss.js';
import { closedFormKernelMatrices } from './closed-form-kernels.js';
import { gaussKernelMatrices } from './mehler.js';
import type { PairOptions, PairStats } from './pair-options.js';

/**
 * How the pair expectations are computed: `'auto'` uses the activation's closed forms when it
 * carries them (erf, sin, relu), else the Mehler series; `'series'` forces the series (with its
 * 2-D trapezoid fallback); `'closed-form'` requires the closed forms.
 */
export type KernelMethod = 'auto' | 'series' | 'closed-form';

/** Options of {@link lambda1Matrix} and {@link lambda1}. */
export interface Lambda1Options extends PairOptions {
  /** `'auto'` (default), `'series'` or `'closed-form'` (activations with closed forms only). */
  method?: KernelMethod;
  /** Bytes the call may use (default: the available memory; see src/memory.ts). */
  maxMemory?: number;
}

/**
 * `Sigma_1 = nu0sq X X^T / d` (n x n), the covariance of the first pre-activations.
 * @throws NtkInputError for a bad X or nu0sq.
 */
export function sigma1(X: MatrixLike, nu0sq: number, opts: PairOptions = {}): Matrix {
  const x = checkX(X);
  checkPositive('nu0sq', nu0sq);
  const be = opts.backend ?? getBackend();
  const s = new Float64Array(x.rows * x.rows);
  be.syrk(x.rows, x.cols, nu0sq / x.cols, x.data, 0, s);
  return { rows: x.rows, cols: x.rows, data: s };
}

/**
 * The matrix of lambda_1: `E_1[i,j] = E[phi(u_i) phi(u_j)]`, `u ~ N(0, nu0sq X X^T / d)`.
 * @param X n x d data (rows = samples).
 * @throws NtkInputError for bad X, nu0sq, activation or method.
 */
export function lambda1Matrix(X: MatrixLike, activation: PhiInput, nu0sq: number, opts: Lambda1Options = {}): Matrix {
  checkLambda1Memory(X, opts, false);
  return pairKernels(sigma1(X, nu0sq, opts), activation, false, opts.method ?? 'auto', opts).E;
}

/**
 * lambda_1 = lambda_min of {@link lambda1Matrix} (Theorem 4.1).
 * @throws NtkInputError as {@link lambda1Matrix}.
 */
export function lambda1(X: MatrixLike, activation: PhiInput, nu0sq: number, opts: Lambda1Options = {}): number {
  checkLambda1Memory(X, opts, true);
  return lambdaMin(lambda1Matrix(X, activation, nu0sq, opts), { backend: opts.backend }).value;
}

/**
 * E (and Ed with `derivative`) under the covariance S by the method asked for.
 * @internal shared with infinite-width.ts.
 */
export function pairKernels(S: Matrix, activation: PhiInput, derivative: boolean, method: KernelMethod,
  opts: PairOptions): { E: Matrix; Ed: Matrix | null; stats: PairStats | null } {
  if (!['auto', 'series', 'closed-form'].includes(method)) {
    throw new NtkInputError('method', `unknown method ${JSON.stringify(method)}`, 'use auto, series or closed-form');
  }
  const forms = resolvePhi(activation).activation?.closedForms ?? null;
  if (method === 'closed-form' && !forms) {
    const have = activationNames.filter((a) => activations[a].closedForms);
    throw new NtkInputError('method', `closed-form kernels exist only for ${have.join(', ')}`, 'use method "series" or "auto"');
  }
  if (forms && method !== 'series') return { ...closedFormKernelMatrices(S, forms, derivative, opts.out), stats: null };
  return gaussKernelMatrices(S, activation, { ...opts, derivative });
}

/**
 * @throws NtkInputError unless X is a finite n x d matrix with n, d >= 1 whose rows' squared
 *   norms do not overflow; NtkMemoryError when an n x n kernel could not be held by any array.
 */
export function checkX(X: MatrixLike): Matrix {
  const x = toData(X);
  // Every caller builds n x n kernels: refuse before allocating one no array can hold.
  checkElements('X', x.rows * x.rows, `an n x n kernel (n = ${x.rows})`, 'use fewer samples');
  // Finite entries can still overflow in Sigma_1 = nu0^2 X X^T / d: name X, not Sigma.
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0; j < x.cols; j++) s += x.data[i * x.cols + j]! ** 2;
    if (!Number.isFinite(s / x.cols)) {
      throw new NtkInputError('X', `row ${i} is too large: ||x||^2 / d overflows`, 'rescale the data (e.g. rows with ||x||^2 = d)');
    }
  }
  return x;
}

/**
 * Refuses, before any kernel is built, an n whose lambda_1 matrix (and its eigensolver) cannot fit.
 * @throws NtkMemoryError naming `X`; NtkInputError for a bad X.
 */
function checkLambda1Memory(X: MatrixLike, opts: Lambda1Options, spectrum: boolean): void {
  const x = checkX(X);
  checkMemory({
    parameter: 'X', what: `lambda_1's ${x.rows} x ${x.rows} kernel`, size: x.rows, sizeName: 'n',
    estimate: (k) => lambda1Memory(k, x.cols, { spectrum, ...(opts.rmax !== undefined ? { rmax: opts.rmax } : {}) }),
    largestArray: (k) => k * k, fix: 'use fewer samples',
  }, opts.backend ?? getBackend(), opts.maxMemory);
}
