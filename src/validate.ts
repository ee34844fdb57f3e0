/**
 * Argument checks shared by the public API. Each throws an {@link NtkInputError} that names
 * the parameter and the fix.
 * @module
 */
import { NtkInputError, NtkMemoryError } from './errors.js';

/**
 * Most float64 values one JavaScript array may hold here (as the js backend's `maxElements`):
 * 2^31 - 1, i.e. 16 GiB. Larger requests are refused with an {@link NtkMemoryError} before
 * anything is allocated, instead of V8's bare `RangeError: Invalid typed array length`.
 */
export const MAX_ARRAY_ELEMENTS = 2 ** 31 - 1;

/**
 * A value as it should read in an error message: numbers as JS prints them (`NaN`,
 * `Infinity`, `-1`; JSON would print `null` for the first two), strings quoted, the rest
 * as JSON or its type.
 */
export function describeValue(x: unknown): string {
  if (x === undefined) return 'nothing (it is missing)';
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') return String(x);
  if (typeof x === 'function') return 'a function';
  try {
    const s = JSON.stringify(x);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof x;
  }
}

/** Throws unless `x` is an integer >= 1. */
export function checkPositiveInt(name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) {
    throw new NtkInputError(name, `must be a positive integer, got ${describeValue(x)}`, `pass an integer >= 1 for ${name}`);
  }
}

/**
 * Most hidden layers accepted anywhere (networks, the infinite-width recursion, sweeps): far
 * beyond any experiment (the paper's go to 5), and low enough that a typo such as 1e12 is an
 * error at once, not an array that cannot exist or a loop that does not end.
 */
export const MAX_DEPTH = 10000;

/** Throws unless `x` is an integer in [1, {@link MAX_DEPTH}]. */
export function checkDepth(name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > MAX_DEPTH) {
    throw new NtkInputError(name, `must be an integer in [1, ${MAX_DEPTH}] (hidden layers), got ${describeValue(x)}`, `pass e.g. ${name} = 2`);
  }
}

/**
 * Throws unless `x` is a finite number > 0 (variances, sigma0, c_phi, ...).
 * @param fix what to pass instead (default: `pass a positive <name>`).
 */
export function checkPositive(name: string, x: unknown, fix = `pass a positive ${name}`): asserts x is number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
    throw new NtkInputError(name, `must be a finite number > 0, got ${describeValue(x)}`, fix);
  }
}

/** Throws unless `x` is a finite number. */
export function checkFiniteNumber(name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new NtkInputError(name, `must be a finite number, got ${describeValue(x)}`, `pass a finite number for ${name}`);
  }
}

/**
 * Throws unless `x` is a seed: an integer in [0, 2^53) (src/random.ts uses both 32-bit halves).
 * A NaN or fractional seed would otherwise be folded silently onto some other seed.
 */
export function checkSeed(name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
    throw new NtkInputError(name, `must be an integer in [0, 2^53), got ${describeValue(x)}`, `pass e.g. ${name}: 0`);
  }
}

/** Throws unless `x` is a non-null object (an options bag or a spec), naming `name`. */
export function checkObject(name: string, x: unknown, example: string): asserts x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) {
    throw new NtkInputError(name, `must be an object, got ${describeValue(x)}`, `pass e.g. ${example}`);
  }
}

/**
 * Refuses, before allocating, a float64 array of `elements` values that no JavaScript array
 * can hold ({@link MAX_ARRAY_ELEMENTS}), or more than `limit` when given (e.g. a backend's
 * `maxElements`).
 * @param what how the array is described in the message (`W[1] (100000 x 100000)`).
 * @throws NtkMemoryError naming `name`.
 */
export function checkElements(name: string, elements: number, what: string, fix: string, limit = MAX_ARRAY_ELEMENTS): void {
  const lim = Math.min(limit, MAX_ARRAY_ELEMENTS);
  if (!(elements <= lim)) {
    throw new NtkMemoryError(name, elements * 8, lim * 8, `${what} is too large; ${fix}`);
  }
}
