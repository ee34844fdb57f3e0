/**
 * Property tests of the eigen routines and of K itself: eigvalsh against ml-matrix's
 * symmetric EVD (an independent implementation) on random symmetric matrices, lambdaMin
 * against eigvalsh (on small or singular matrices, and on positive definite ones with n > 64,
 * where it takes the Cholesky + Lanczos path, with isPositiveDefinite's certificate), and the empirical NTK of random networks and data symmetric and positive
 * semidefinite within rounding (lambda_min >= -1e-12 lambda_max), on every backend.
 */
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { activationNames } from '../src/activations.js';
import { eigvalsh, isPositiveDefinite, lambdaMin } from '../src/linalg/index.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { backendCases } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

const RUNS = 20;

/** A random symmetric matrix with a chosen spread of magnitudes (and exact repeats sometimes). */
const symmetricMatrix = fc.record({
  n: fc.integer({ min: 1, max: 48 }),
  seed: fc.nat(),
  scale: fc.constantFrom(1, 1e-8, 1e8),
  rank: fc.option(fc.integer({ min: 1, max: 6 })),
}).map(({ n, seed, scale, rank }) => {
  const a = new Float64Array(n * n);
  if (rank === null) {
    const r = randomArray(n * n, seed);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = scale * r[i * n + j]!;
  } else {
    // Low rank: a cluster of exact zero eigenvalues (K of duplicate rows looks like this).
    const b = randomArray(n * rank, seed);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < rank; p++) s += b[i * rank + p]! * b[j * rank + p]!;
      a[i * n + j] = a[j * n + i] = scale * s;
    }
  }
  return { rows: n, cols: n, data: a };
});

/**
 * A well-conditioned positive definite matrix with n from 65 to 150 (above lambdaMin's
 * n = 64 switch, so 'auto' takes the Cholesky + Lanczos path): c I + R with R symmetric,
 * entries uniform in [-1, 1] / sqrt(n) (spectrum within about [-2, 2] / sqrt(3)), c in
 * [2, 8], all times a scale; sometimes a rank-one spike as in an NTK.
 */
const positiveDefinite = fc.record({
  n: fc.integer({ min: 65, max: 150 }),
  seed: fc.nat(),
  shift: fc.double({ min: 2, max: 8, noNaN: true }),
  spike: fc.constantFrom(0, 0, 10),
  scale: fc.constantFrom(1, 1e-8, 1e8),
}).map(({ n, seed, shift, spike, scale }) => {
  const r = randomArray(n * n, seed);
  const a = new Float64Array(n * n);
  const s = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = scale * (s * r[i * n + j]! + spike / n + (i === j ? shift : 0));
  }
  return { rows: n, cols: n, data: a };
});

function mlEigenvalues(m: { rows: number; data: Float64Array }): number[] {
  const n = m.rows;
  const rows = Array.from({ length: n }, (_, i) => Array.from(m.data.subarray(i * n, (i + 1) * n)));
  return [...new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true }).realEigenvalues].sort((x, y) => x - y);
}

describe.each(backendCases)('eigen routines on random symmetric matrices ($name)', ({ get }) => {
  it('eigvalsh equals ml-matrix\'s EVD within 1e-13 max|lambda| (ascending)', async () => {
    const backend = await get();
    fc.assert(fc.property(symmetricMatrix, (K) => {
      const w = eigvalsh(K, { backend });
      const ref = mlEigenvalues(K);
      const big = Math.max(Math.abs(ref[0]!), Math.abs(ref[ref.length - 1]!));
      for (let i = 0; i < K.rows; i++) {
        expect(Math.abs(w[i]! - ref[i]!), `lambda_${i} of ${K.rows}`).toBeLessThanOrEqual(1e-13 * big + 1e-300);
        if (i > 0) expect(w[i]!).toBeGreaterThanOrEqual(w[i - 1]!);
      }
    }), { numRuns: RUNS });
  });

  it('lambdaMin agrees with the smallest eigvalsh within its own error bound (every method)', async () => {
    const backend = await get();
    fc.assert(fc.property(symmetricMatrix, fc.constantFrom('auto', 'cholesky', 'tridiagonal' as const), (K, method) => {
      const w = eigvalsh(K, { backend });
      const big = Math.max(Math.abs(w[0]!), Math.abs(w[K.rows - 1]!));
      const r = lambdaMin(K, { backend, method });
      expect(Number.isFinite(r.value)).toBe(true);
      // Both are approximations: their distance is within the sum of their error bounds,
      // lambdaMin's own and eigvalsh's backward-stable n eps max|lambda| (e.g. a 3 x 3 case where
      // lambdaMin is 5e-16 and eigvalsh 4e-16 from the exact value, on opposite sides, against a
      // bound of 8.2e-16 for lambdaMin).
      expect(Math.abs(r.value - w[0]!)).toBeLessThanOrEqual(r.errorBound + K.rows * 2.220446049250313e-16 * big);
      expect(r.converged).toBe(true);
      expect(r.errorBound).toBeGreaterThanOrEqual(K.rows * 2.220446049250313e-16 * big);
    }), { numRuns: RUNS });
  });
});

describe.each(backendCases)('lambdaMin and isPositiveDefinite on random positive definite matrices, n = 65..150 ($name)', ({ get }) => {
  it('cholesky takes the Cholesky-Lanczos path (auto too, unless its cost model says otherwise) and agrees with eigvalsh within 1e-13 lambda_max', async () => {
    const backend = await get();
    fc.assert(fc.property(positiveDefinite, fc.constantFrom('auto', 'cholesky' as const), (K, method) => {
      const w = eigvalsh(K, { backend });
      const n = K.rows, lmax = w[n - 1]!;
      const r = lambdaMin(K, { backend, method });
      if (method === 'auto' && r.method === 'tridiagonal') {
        // At these small n the tridiagonal route is cheap: the model may not start the Cholesky
        // route (nothing spent) or leave it after its probe.
        expect(r.cost?.decision).toBe('tridiagonal');
        if (r.cost!.spent > 0) expect(r.fallback).toMatch(/^cost model/);
        else expect(r.fallback).toBeUndefined();
      } else {
        expect(r.method, r.fallback).toBe('cholesky-lanczos');
        expect(r.fallback).toBeUndefined();
        expect(r.iterations!).toBeGreaterThanOrEqual(1);
      }
      expect(Math.abs(r.value - w[0]!), `n = ${n}`).toBeLessThanOrEqual(1e-13 * lmax);
      // The certificate: positive definite above 0.99 lambda_min, not above 1.01 lambda_min.
      expect(isPositiveDefinite(K, { backend, margin: 0.99 * w[0]! })).toBe(true);
      expect(isPositiveDefinite(K, { backend, margin: 1.01 * w[0]! })).toBe(false);
    }), { numRuns: 50 });
  });
});

describe.each(backendCases)('the empirical NTK of random networks ($name)', ({ get }) => {
  it('K is exactly symmetric and PSD within rounding: lambda_min >= -1e-12 lambda_max', async () => {
    const backend = await get();
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 24 }),
      d: fc.integer({ min: 1, max: 12 }),
      widths: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }),
      activation: fc.constantFrom(...activationNames),
      sigma0: fc.double({ min: 0.1, max: 8, noNaN: true }),
      seed: fc.nat(),
      dup: fc.boolean(),
    });
    fc.assert(fc.property(arb, ({ n, d, widths, activation, sigma0, seed, dup }) => {
      const net = createNetwork({ d, widths, activation, sigma0, seed });
      const data = randomArray(n * d, seed + 7).map((v) => 2 * v);
      // Sometimes a repeated row: K is then singular, still PSD.
      if (dup && n > 1) data.copyWithin(0, d, 2 * d);
      const { K } = empiricalNtk(net, { rows: n, cols: d, data }, { backend });
      for (let i = 0; i < n; i++) {
        expect(K.data[i * n + i]!).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < i; j++) expect(K.data[i * n + j]).toBe(K.data[j * n + i]);
      }
      const w = eigvalsh(K, { backend });
      const lmax = w[n - 1]!;
      expect(w.every(Number.isFinite)).toBe(true);
      expect(w[0]!).toBeGreaterThanOrEqual(-1e-12 * lmax);
    }), { numRuns: RUNS });
  });
});
