// Hadamard product, scaled add and column scaling on every backend: each output element is one
// or two roundings of the textbook expression, evaluated in the same order, so every backend
// must agree with the naive loop bit for bit, at every SIMD tail length and with aliasing.
// Row norms (the NTK's c_{l,i}, and its scan of K for NaN and infinities) too.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import { backendCases, jsCase } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

const LENGTHS = [0, 1, 2, 3, 5, 17, 63, 65];

describe.each(backendCases)('elementwise kernels on $name', ({ get }) => {
  let be: Backend;
  beforeAll(async () => { be = await get(); });

  it.each(LENGTHS)('hadamard, length %i', (n) => {
    const a = randomArray(n, 1 + n), b = randomArray(n, 2 + n);
    const want = a.map((v, i) => v * b[i]!);
    const out = new Float64Array(n).fill(NaN);
    be.hadamard(out, a, b);
    expect(out).toEqual(want);
    // out aliasing a, then b.
    const a2 = a.slice();
    be.hadamard(a2, a2, b);
    expect(a2).toEqual(want);
    const b2 = b.slice();
    be.hadamard(b2, a, b2);
    expect(b2).toEqual(want);
    // Squares: all three the same array.
    const c = a.slice();
    be.hadamard(c, c, c);
    expect(c).toEqual(a.map((v) => v * v));
  });

  it.each(LENGTHS)('axpy, length %i', (n) => {
    const x = randomArray(n, 3 + n), y0 = randomArray(n, 4 + n);
    for (const alpha of [0.37, -2, 0, 1]) {
      const y = y0.slice();
      be.axpy(y, alpha, x);
      expect(y).toEqual(y0.map((v, i) => v + alpha * x[i]!));
    }
    // y += alpha y (x aliasing y).
    const y = y0.slice();
    be.axpy(y, 0.5, y);
    expect(y).toEqual(y0.map((v) => v + 0.5 * v));
  });

  // 301 x 257 is large enough to be split over the 2-thread backends' threads (odd rows: unequal parts).
  it.each([[1, 1], [1, 3], [3, 1], [2, 2], [5, 17], [4, 63], [3, 65], [0, 5], [5, 0], [301, 257]])('scaleCols, %i x %i', (rows, cols) => {
    const a0 = randomArray(rows * cols, 5 + rows * 100 + cols), s = randomArray(cols, 6 + cols);
    const alpha = 0.7;
    const a = a0.slice();
    be.scaleCols(a, rows, cols, s, alpha);
    expect(a).toEqual(a0.map((v, k) => v * (alpha * s[k % cols]!)));
  });

  it('scaleCols touches only the first rows x cols entries and reads only cols scales', () => {
    const rows = 3, cols = 5;
    const a = randomArray(rows * cols + 4, 7), s = randomArray(cols + 3, 8);
    const tail = a.slice(rows * cols);
    be.scaleCols(a, rows, cols, s, 2);
    expect(a.slice(rows * cols)).toEqual(tail);
  });

  // Independent of the twins' shared summation order: against the plain sequential sum (the
  // orders differ by a few roundings), and the exact bits of one order where it is forced.
  it.each([[1, 1], [3, 2], [4, 5], [2, 17], [5, 64], [3, 65], [0, 4], [300, 301]])('rowNorms, %i x %i', (rows, cols) => {
    const a = randomArray(rows * cols, 30 + rows * 1000 + cols);
    const out = new Float64Array(rows).fill(NaN);
    be.rowNorms(a, rows, cols, out);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += a[i * cols + j]! ** 2;
      // Two orders of a sum of cols positive terms differ by at most 2 (cols - 1) u of it; the
      // square root halves that.
      expect(Math.abs(out[i]! - Math.sqrt(s / cols))).toBeLessThanOrEqual((cols + 1) * 1.12e-16 * Math.sqrt(s / cols));
    }
    // Squares exact in binary (small integers), so every summation order gives one answer.
    const b = Float64Array.from({ length: rows * cols }, (_, q) => (q % 7) - 3);
    be.rowNorms(b, rows, cols, out);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += b[i * cols + j]! ** 2;
      expect(out[i]).toBe(Math.sqrt(s / cols));
    }
  });

  it('rowNorms: the same bits on every backend (the f64x2 lanes\' order), also split over threads', async () => {
    const js = await jsCase.get();
    for (const [rows, cols] of [[7, 9], [300, 301], [1000, 70]] as const) {
      const a = randomArray(rows * cols, rows + cols);
      const w = new Float64Array(rows), j = new Float64Array(rows);
      be.rowNorms(a, rows, cols, w);
      js.rowNorms(a, rows, cols, j);
      expect(w).toEqual(j);
    }
  });

  it.each([[1, 1], [2, 3], [3, 64], [4, 65], [300, 301]])('rowNorms, %i x %i: a NaN or an infinity anywhere in a row makes its norm non-finite, and only its', (rows, cols) => {
    const a = randomArray(rows * cols, 50 + rows + cols);
    const out = new Float64Array(rows);
    const i = rows - 1;
    // Either f64x2 lane, the odd column's tail, both ends of the row.
    for (const j of [...new Set([0, 1, cols >> 1, cols - 2, cols - 1].filter((q) => q >= 0 && q < cols))]) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const b = a.slice();
        b[i * cols + j] = bad;
        be.rowNorms(b, rows, cols, out);
        expect(Number.isFinite(out[i]!), `${bad} at column ${j}`).toBe(false);
        for (let r = 0; r < i; r++) expect(Number.isFinite(out[r]!)).toBe(true);
      }
    }
  });

  it('propagates NaN and Infinity like the scalar expressions', () => {
    const a = Float64Array.of(NaN, Infinity, -Infinity, 0, 1, NaN, -0);
    const b = Float64Array.of(1, 0, 2, Infinity, -0, 3, 5);
    const out = new Float64Array(7);
    be.hadamard(out, a, b);
    expect(Array.from(out)).toEqual(Array.from(a, (v, i) => v * b[i]!));
    const y = b.slice();
    be.axpy(y, 2, a);
    expect(Array.from(y)).toEqual(Array.from(b, (v, i) => v + 2 * a[i]!));
  });
});
