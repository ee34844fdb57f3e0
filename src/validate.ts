/**
 * Argument checks shared by the public API. Each throws an {@link NtkInputError} that names
 * the parameter and the fix.
 * @module
 */
import { NtkInputError } from './errors.js';
import type { Matrix } from './matrix.js';

/** Throws unless `x` is an integer >= 1. */
export function checkPositiveInt(name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) {
    throw new NtkInputError(name, `must be a positive integer, got ${JSON.stringify(x)}`, `pass an integer >= 1 for ${name}`);
  }
}

/** Throws unless `x` is a finite number > 0. */
export function checkPositive(name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
    throw new NtkInputError(name, `must be a finite number > 0, got ${JSON.stringify(x)}`, `pass a positive ${name}`);
  }
}

/** Throws at the first NaN or +-Infinity of `m`, giving its position. */
export function checkFinite(name: string, m: Matrix | Float64Array): void {
  const data = m instanceof Float64Array ? m : m.data;
  const cols = m instanceof Float64Array ? data.length : m.cols;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const where = m instanceof Float64Array ? `[${i}]` : `[${Math.floor(i / cols)}, ${i % cols}]`;
      throw new NtkInputError(name, `has a non-finite entry ${data[i]} at ${where}`, 'remove or replace NaN and Infinity values');
    }
  }
}
