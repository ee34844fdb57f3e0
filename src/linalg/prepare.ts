/**
 * The one entry check of the symmetric eigen routines: square, finite, symmetric to a
 * tolerance, and scaled by an exact power of two into a safe exponent range.
 * @module
 */
import { getBackend } from '../backend/default.js';
import { NtkInputError } from '../errors.js';
import { isMatrix, isMlMatrix, toMatrix, type Matrix, type MatrixLike } from '../matrix.js';
import type { Backend } from '../backend/types.js';
import { checkMemory, combine, eigMemory, type EigKind } from '../memory.js';
import type { OperatorNorms } from './lanczos-max.js';
import { operatorNorms, scanSymmetric } from './norms.js';

/** Options shared by the eigen routines. */
export interface EigOptions {
  /** Backend to run on (default: the default backend, see `init`). */
  backend?: Backend;
  /**
   * Largest accepted `|K[i][j] - K[j][i]|`, relative to `max |K|` (default 1e-8). Only the
   * lower triangle is used; the check catches matrices that are not symmetric at all.
   * `Infinity` skips it.
   */
  symmetryTol?: number;
  /**
   * Bytes the call may use (default: the memory available, or the CLI's `--max-memory`); a
   * larger estimate is an NtkMemoryError before anything is allocated.
   */
  maxMemory?: number;
}

/** A validated symmetric input, scaled by a power of two into a safe exponent range. */
export interface Prepared {
  n: number;
  /** The (scaled) matrix, row-major; the caller's array itself when no scaling was needed. */
  data: Float64Array;
  /** The data were multiplied by 2^exp (exactly); results in K's units are multiplied by 2^-exp. */
  exp: number;
  /** max |K| of the scaled data. */
  maxAbs: number;
  /** ||data||_F and an upper bound on ||data||_2 (./norms.ts). */
  norms: OperatorNorms;
}

/**
 * x * 2^k without intermediate overflow or underflow for any |k| <= 2200 (2^k itself is not
 * representable beyond 2^1023 or below 2^-1074, so large k goes in two steps).
 */
export function ldexp(x: number, k: number): number {
  if (k === 0) return x;
  if (k > 1000 || k < -1000) {
    const h = Math.trunc(k / 2);
    return x * 2 ** h * 2 ** (k - h);
  }
  return x * 2 ** k;
}

/**
 * The power of two that brings max |K| near 1: entries outside [2^-64, 2^64] would overflow
 * or underflow in the squares of the reflectors and rotations (or are subnormal, where 1/x
 * overflows), so they are scaled; ordinary ones are left alone (results bitwise unchanged).
 * Chosen from the exponent of max |K| alone, so a scaling in either direction is exact, and
 * scaling down loses only parts below 2^-1022 max|K|, far below rounding.
 */
function scaleExponent(maxAbs: number): number {
  if (maxAbs === 0 || (maxAbs >= 2 ** -64 && maxAbs <= 2 ** 64)) return 0;
  // Math.log2 is exact at powers of two and monotone, so this is the exponent of maxAbs (+- 1).
  return -Math.round(Math.log2(maxAbs));
}

/**
 * Checks K (square, finite, symmetric within `symmetryTol`) and scales it, after checking that
 * the solver `kind` fits in memory, in one pass over K (./norms.ts scanSymmetric) that also
 * gives {@link Prepared.norms}.
 * @throws NtkInputError naming `name` when K is not square, not finite or not symmetric.
 * @throws NtkMemoryError naming `name` when the solver's estimate exceeds wasm memory or the
 *   memory available (or `maxMemory`), with the largest n that fits.
 */
export function prepare(k: MatrixLike, opts: EigOptions, kind: EigKind, name = 'K'): Prepared {
  checkEigMemory(k, opts, kind, name);
  const m: Matrix = toMatrix(k, name);
  if (m.rows !== m.cols) {
    throw new NtkInputError(name, `must be square, got ${m.rows} x ${m.cols}`, 'pass an n x n symmetric matrix');
  }
  const n = m.rows;
  const a = m.data;
  const tol = opts.symmetryTol ?? 1e-8;
  if (!(tol >= 0)) throw new NtkInputError('symmetryTol', `must be >= 0, got ${tol}`, 'pass e.g. 1e-8, or Infinity to skip the check');
  const s = scanSymmetric(n, a);
  // Something is wrong: the row-major scans below find the entry to name.
  if (!(s.zero === 0)) throwNonFinite(n, a, name);
  if (tol !== Infinity && s.maxDif > tol * s.maxAbs) throwAsymmetric(n, a, tol * s.maxAbs, tol, name);
  const exp = scaleExponent(s.maxAbs);
  const data = exp === 0 ? a : a.map((x) => ldexp(x, exp));
  // The norms of scaled data in the same pass's order, so they scale exactly with K.
  return { n, data, exp, maxAbs: ldexp(s.maxAbs, exp), norms: exp === 0 ? s.norms : operatorNorms(n, data) };
}

/** Throws for the first non-finite entry of K in row-major order. */
function throwNonFinite(n: number, a: Float64Array, name: string): never {
  const i = a.findIndex((x) => !Number.isFinite(x));
  throw new NtkInputError(name, `has a non-finite entry ${a[i]} at [${Math.floor(i / n)}, ${i % n}]`,
    'remove or replace NaN and Infinity values');
}

/** Throws for the first entry of K's lower triangle (row-major) more than `lim` from its mirror. */
function throwAsymmetric(n: number, a: Float64Array, lim: number, tol: number, name: string): void {
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const dif = Math.abs(a[i * n + j]! - a[j * n + i]!);
      if (dif > lim) {
        throw new NtkInputError(name, `is not symmetric: |K[${i}][${j}] - K[${j}][${i}]| = ${dif.toExponential(3)} > ${tol} * max|K|`,
          'symmetrize it with (K + K^T) / 2, or pass symmetryTol: Infinity to use its lower triangle as is');
      }
    }
  }
}

/** Multiplies every value by 2^-exp in place (results back into the caller's units). */
export function unscaleAll(w: Float64Array, exp: number): void {
  if (exp !== 0) for (let i = 0; i < w.length; i++) w[i] = ldexp(w[i]!, -exp);
}

/**
 * Refuses, before anything is allocated, an eigensolver on an n x n K that cannot fit: its
 * workspace and outputs ({@link eigMemory}) plus the Float64Array copy of K that nested arrays
 * or an ml-matrix are turned into (K itself exists already and is not counted).
 */
function checkEigMemory(k: MatrixLike, opts: EigOptions, kind: EigKind, name: string): void {
  if (!k || typeof k !== 'object') return; // toMatrix names the problem
  const flat = isMatrix(k);
  const n = flat ? k.rows : isMlMatrix(k) ? k.rows : (k as ArrayLike<unknown>).length;
  if (!(Number.isInteger(n) && n > 0)) return;
  checkMemory({
    parameter: name, what: `${kind} of an n x n matrix`, size: n, sizeName: 'n',
    estimate: (q) => combine(eigMemory(q, kind), { js: flat ? 0 : q * q * 8, kernel: 0 }),
    largestArray: (q) => q * q, fix: 'use a smaller matrix',
  }, opts.backend ?? getBackend(), opts.maxMemory);
}
