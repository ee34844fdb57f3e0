/**
 * The infinite-width NTK and NNGP of the paper's network (eq. (1), no biases, W ~ N(0, nu0^2),
 * v ~ N(0, sv2)), as fixed in docs/conventions.md:
 *
 * `Sigma_1 = nu0^2 X X^T / d`, `Theta_1 = X X^T / d`; for l = 1..L, `E_l = E[phi(u) phi(u')]`
 * and `Ed_l = E[phi'(u) phi'(u')]` over the 2x2 blocks of `Sigma_l`; for l < L
 * `Sigma_{l+1} = nu0^2 E_l`, `Theta_{l+1} = E_l + nu0^2 Ed_l o Theta_l`; output
 * `NNGP = sv2 E_L`, `Theta = E_L + sv2 Ed_L o Theta_L`.
 *
 * The empirical NTK K of a width-m network converges to Theta like 1/sqrt(m). This is not
 * neural-tangents' NTK parameterization (there each hidden layer's term carries an extra
 * nu0^2); the NNGP agrees with it.
 * @module
 */
import { getBackend } from '../backend/default.js';
import { NtkInputError } from '../errors.js';
import { lambdaMin } from '../linalg/index.js';
import { checkMemory, infiniteWidthMemory } from '../memory.js';
import type { Matrix, MatrixLike } from '../matrix.js';
import type { PhiInput } from './gauss.js';
import { checkX, pairKernels, type KernelMethod } from './lambda1.js';
import type { PairOptions, PairStats } from './pair-options.js';
import { scratch } from './scratch.js';
import { checkDepth, checkObject, checkPositive } from '../validate.js';

/** Options of {@link infiniteWidth}. */
export interface InfiniteWidthOptions extends PairOptions {
  /** Number of hidden layers L >= 1. */
  depth: number;
  /** The activation (name or Activation; phi' is needed). */
  activation: PhiInput;
  /** Variance of the hidden weights, nu0^2 > 0. */
  nu0sq: number;
  /** Variance of the output weights v (default 1). */
  sv2?: number;
  /** Also compute lambda_min of Theta, of the NNGP and of E_1 (default true). */
  spectrum?: boolean;
  /** Keep E_1, the matrix of lambda_1, in the result (default: as `spectrum`). */
  lambda1Matrix?: boolean;
  /**
   * Arrays (n*n each) to write Theta and the NNGP into instead of new ones, for callers that
   * compute many kernels of one size: fresh memory costs page faults on first touch, which on
   * some virtual machines take longer than the kernels themselves.
   */
  outputs?: {
    /** Array for Theta (n*n). */
    Theta?: Float64Array;
    /** Array for the NNGP (n*n). */
    NNGP?: Float64Array;
  };
  /** `'auto'` (default: erf closed form for erf, series otherwise), `'series'` or `'closed-form'`. */
  method?: KernelMethod;
  /** Bytes the call may use (default: the available memory; see src/memory.ts). */
  maxMemory?: number;
}

/** Result of {@link infiniteWidth}; field names mirror the fixtures' `inf_width` object. */
export interface InfiniteWidthResult {
  /** The infinite-width NTK, n x n. */
  Theta: Matrix;
  /** The NNGP kernel of the output, n x n. */
  NNGP: Matrix;
  /** `E_1`, the matrix of lambda_1 (the first layer's E[phi phi]); null unless kept (see the options). */
  lambda1Matrix: Matrix | null;
  /** lambda_min(Theta) (null without `spectrum`). */
  lambdaMin: number | null;
  /** tr Theta. */
  trace: number;
  /** diag Theta. */
  thetaDiag: Float64Array;
  /** lambda_min(NNGP) (null without `spectrum`). */
  nngpLambdaMin: number | null;
  /** tr NNGP. */
  nngpTrace: number;
  /** lambda_1 = lambda_min(E_1) (null without `spectrum` or without E_1 kept). */
  lambda1: number | null;
  /** diag Sigma_l for l = 1..L (the pre-activation variances of each layer). */
  sigmaDiagByLayer: Float64Array[];
  /** Per layer: how the pair expectations went (null for the erf closed form). */
  stats: (PairStats | null)[];
}

/**
 * The infinite-width NTK Theta and NNGP of the L-hidden-layer network on the rows of X.
 * @param X n x d data (rows = samples).
 * @throws NtkInputError for bad X, depth, nu0sq, sv2, activation or method.
 */
export function infiniteWidth(X: MatrixLike, opts: InfiniteWidthOptions): InfiniteWidthResult {
  checkObject('opts', opts, "{ depth: 2, activation: 'tanh', nu0sq: 1 }");
  const x = checkX(X);
  const L = opts.depth;
  checkDepth('depth', L);
  checkPositive('nu0sq', opts.nu0sq);
  const sv2 = opts.sv2 ?? 1;
  if (typeof sv2 !== 'number' || !(sv2 >= 0) || !Number.isFinite(sv2)) throw new NtkInputError('sv2', `must be a finite number >= 0, got ${sv2}`, 'pass e.g. sv2 = 1');
  const be = opts.backend ?? getBackend();
  const method = opts.method ?? 'auto';
  const nu = opts.nu0sq;
  const n = x.rows, nn = n * n;
  const spectrum = opts.spectrum ?? true;
  const keepE1 = opts.lambda1Matrix ?? spectrum;
  const outputs = opts.outputs?.Theta !== undefined && opts.outputs?.NNGP !== undefined;
  checkMemory({
    parameter: 'X', what: `the infinite-width kernels (depth ${L})`, size: n, sizeName: 'n',
    estimate: (k) => infiniteWidthMemory(k, x.cols, { spectrum, keepE1, outputs, ...(opts.rmax !== undefined ? { rmax: opts.rmax } : {}) }),
    largestArray: (k) => 2 * k * k, fix: 'use fewer samples',
  }, be, opts.maxMemory);
  // Fresh n x n arrays are slow to touch on some hosts (page faults), so the recursion reuses
  // them: theta is updated in place, Sigma_{l+1} overwrites Sigma_l, and the kernels' output
  // buffer (scratch, unless E_1 is kept as the matrix of lambda_1) serves every layer.
  // Theta_1 = X X^T / d and Sigma_1 = nu0^2 Theta_1: one SYRK for both.
  const theta = reuse(opts.outputs?.Theta, nn, 'outputs.Theta');
  be.syrk(n, x.cols, 1 / x.cols, x.data, 0, theta);
  const sig = scratch('iw.sigma', nn);
  const isd = new Float64Array(n);
  // Sigma = nu0^2 * base, and the largest off-diagonal correlation of it (below duplicates),
  // in one pass over base; isd[i] = 1/sqrt(Sigma_ii).
  const writeSigma = (base: Float64Array): number => {
    for (let i = 0; i < n; i++) { const v = nu * base[i * n + i]!; isd[i] = v > 0 ? 1 / Math.sqrt(v) : 0; }
    let rhoMax = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n, si = isd[i]!;
      for (let j = 0; j < n; j++) {
        const v = nu * base[row + j]!;
        sig[row + j] = v;
        if (j < i) {
          const r = Math.abs(v * si * isd[j]!);
          if (r > rhoMax && r < 1 - 1e-9) rhoMax = r;
        }
      }
    }
    return rhoMax;
  };
  let rhoMax = writeSigma(theta);
  const S: Matrix = { rows: n, cols: n, data: sig };
  const sigmaDiag: Float64Array[] = [];
  const stats: (PairStats | null)[] = [];
  let E1: Matrix | null = null;
  let buf: Float64Array | undefined;
  const nngp = reuse(opts.outputs?.NNGP, nn, 'outputs.NNGP');
  for (let l = 1; l <= L; l++) {
    const dg = new Float64Array(n);
    for (let i = 0; i < n; i++) dg[i] = sig[i * n + i]!;
    sigmaDiag.push(dg);
    const kept = l === 1 && keepE1;
    const out = kept ? new Float64Array(2 * nn) : (buf ??= scratch('iw.kernels', 2 * nn));
    const k = pairKernels(S, opts.activation, true, method, { ...opts, backend: be, out, rhoMax });
    stats.push(k.stats);
    const E = k.E.data, Ed = k.Ed!.data;
    if (kept) E1 = { rows: n, cols: n, data: E };
    if (l < L) {
      for (let q = 0; q < nn; q++) theta[q] = E[q]! + nu * Ed[q]! * theta[q]!;
      rhoMax = writeSigma(E);
    } else {
      for (let q = 0; q < nn; q++) {
        const e = E[q]!;
        theta[q] = e + sv2 * Ed[q]! * theta[q]!;
        nngp[q] = sv2 * e;
      }
    }
  }
  const Theta: Matrix = { rows: n, cols: n, data: theta };
  const NNGP: Matrix = { rows: n, cols: n, data: nngp };
  const thetaDiag = new Float64Array(n);
  let trace = 0, nngpTrace = 0;
  for (let i = 0; i < n; i++) {
    thetaDiag[i] = theta[i * n + i]!;
    trace += theta[i * n + i]!;
    nngpTrace += nngp[i * n + i]!;
  }
  const lm = (m: Matrix | null) => (spectrum && m ? lambdaMin(m, { backend: be }).value : null);
  return {
    Theta, NNGP, lambda1Matrix: E1,
    lambdaMin: lm(Theta), trace, thetaDiag, nngpLambdaMin: lm(NNGP), nngpTrace, lambda1: lm(E1),
    sigmaDiagByLayer: sigmaDiag, stats,
  };
}

function reuse(a: Float64Array | undefined, nn: number, name: string): Float64Array {
  if (a === undefined) return new Float64Array(nn);
  if (!(a instanceof Float64Array) || a.length !== nn) {
    throw new NtkInputError(name, `must be a Float64Array of length n*n = ${nn}`, 'pass an array of the right size or omit it');
  }
  return a;
}

/** The fixtures' `inf_width` fields (snake case, plain arrays), for reports and `ntk evaluate`. */
export interface InfiniteWidthReport {
  /** lambda_min(Theta). */
  lambda_min: number | null;
  /** tr Theta. */
  trace: number;
  /** diag Theta. */
  Theta_diag: number[];
  /** lambda_min of the NNGP kernel. */
  NNGP_lambda_min: number | null;
  /** tr NNGP. */
  NNGP_trace: number;
  /** lambda_1 = lambda_min(E_1) (Theorem 4.1). */
  lambda_1: number | null;
  /** diag Sigma_l for l = 1..L: the pre-activation variances per layer. */
  Sigma_diag_by_layer: number[][];
  /** `||K - Theta||_F / ||Theta||_F` when an empirical K is given. */
  rel_fro_err_of_K?: number;
}

/**
 * The report form of an {@link infiniteWidth} result (no n x n matrices), with the relative
 * Frobenius distance of an empirical NTK K to Theta when K is given.
 * @throws NtkInputError when K's shape differs from Theta's.
 */
export function infiniteWidthReport(r: InfiniteWidthResult, K?: Matrix): InfiniteWidthReport {
  checkObject('r', r, 'the result of infiniteWidth(X, opts)');
  const out: InfiniteWidthReport = {
    lambda_min: r.lambdaMin, trace: r.trace, Theta_diag: Array.from(r.thetaDiag),
    NNGP_lambda_min: r.nngpLambdaMin, NNGP_trace: r.nngpTrace, lambda_1: r.lambda1,
    Sigma_diag_by_layer: r.sigmaDiagByLayer.map((d) => Array.from(d)),
  };
  if (K) out.rel_fro_err_of_K = relativeFrobenius(K, r.Theta);
  return out;
}

/**
 * `||K - Theta||_F / ||Theta||_F`, the distance the empirical NTK closes like 1/sqrt(m).
 * @throws NtkInputError when the shapes differ.
 */
export function relativeFrobenius(K: Matrix, Theta: Matrix): number {
  if (K.rows !== Theta.rows || K.cols !== Theta.cols) {
    throw new NtkInputError('K', `is ${K.rows} x ${K.cols} but Theta is ${Theta.rows} x ${Theta.cols}`, 'compare kernels of the same data');
  }
  let num = 0, den = 0;
  for (let q = 0; q < K.data.length; q++) {
    const t = Theta.data[q]!;
    num += (K.data[q]! - t) ** 2;
    den += t * t;
  }
  // Theta = 0 (e.g. all-zero data with phi(0) = 0): 0 when K is 0 too, else infinitely far; never 0/0.
  if (den === 0) return num === 0 ? 0 : Infinity;
  return Math.sqrt(num / den);
}
