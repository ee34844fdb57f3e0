/**
 * Data for the experiments: Gaussian inputs (Section 6) and their row normalization. The check
 * every user data set goes through, {@link toData}, lives with the matrix type in src/matrix.ts
 * (the theory layer below uses it too) and is re-exported here for the network layer.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { toData, type Matrix, type MatrixLike } from '../matrix.js';
import { checkMemory } from '../memory.js';
import { Rng, Streams } from '../random.js';
import { checkElements, checkObject, checkPositiveInt, checkSeed } from '../validate.js';

export { toData };

/** Options of {@link gaussianData}. */
export interface GaussianDataOptions {
  /** Samples (rows). */
  n: number;
  /** Input dimension (columns). */
  d: number;
  /** Seed of the data stream (default 0). */
  seed?: number;
  /**
   * Rescale each row to ||x||^2 = d (Assumption 2). Default false: Section 6 draws
   * x ~ N(0, I_d) without rescaling.
   */
  normalize?: boolean;
}

/**
 * n samples x ~ N(0, I_d) as the rows of an n x d matrix, from the data stream of `seed`
 * (bit-identical on every backend and engine; see src/random.ts).
 * @throws NtkInputError for n or d not positive integers, or a seed not an integer in [0, 2^53).
 * @throws NtkMemoryError when n x d values could not be held by any array (checked before drawing).
 */
export function gaussianData(opts: GaussianDataOptions): Matrix {
  checkObject('opts', opts, '{ n: 500, d: 100, seed: 1 }');
  checkPositiveInt('n', opts.n);
  checkPositiveInt('d', opts.d);
  const { n, d } = opts;
  const seed = opts.seed ?? 0;
  checkSeed('seed', seed);
  checkElements('n', n * d, `X (${n} x ${d})`, 'use fewer samples n or a smaller input dimension d');
  checkMemory({
    parameter: 'n', what: `X (n x ${d})`, size: n, sizeName: 'n', estimate: (k) => ({ js: 8 * k * d * (opts.normalize ? 2 : 1), kernel: 0 }),
    fix: 'use fewer samples n or a smaller input dimension d',
  });
  const rng = new Rng(seed, Streams.data);
  const data = rng.fillGaussian(new Float64Array(n * d));
  const X = { rows: n, cols: d, data };
  return opts.normalize ? normalizeRows(X) : X;
}

/**
 * Rows rescaled to squared norm d (Assumption 2: ||x||^2 = d), as a new matrix.
 * @throws NtkInputError when X is not a finite non-empty matrix, or a row is zero (it cannot be rescaled).
 */
export function normalizeRows(X: Matrix): Matrix {
  X = toData(X);
  const { rows: n, cols: d } = X;
  const out = new Float64Array(X.data);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += out[i * d + j]! ** 2;
    if (s === 0) throw new NtkInputError('X', `row ${i} is zero and cannot be normalized`, 'remove it or do not normalize');
    const f = Math.sqrt(d / s);
    for (let j = 0; j < d; j++) out[i * d + j]! *= f;
  }
  return { rows: n, cols: d, data: out };
}
