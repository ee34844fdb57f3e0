import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/backend/js/index.js';
import type { Backend, CholeskyFactor } from '../src/backend/types.js';
import { eigvalsh, lambdaMin } from '../src/linalg/index.js';
import { lanczosInverse } from '../src/linalg/lanczos.js';
import { backendCases } from './helpers/backends.js';
import { frobenius, withSpectrum } from './helpers/spectra.js';

const EPS = 2.220446049250313e-16;

/** Five eigenvalues within 1e-4 relative at 1e-6, the rest log-spaced up to 1 (condition 1e6). */
function clusteredSpectrum(n: number): number[] {
  const d: number[] = [];
  for (let i = 0; i < n; i++) d.push(i < 5 ? 1e-6 * (1 + 2e-5 * i) : 10 ** (-5 + (5 * (i - 5)) / (n - 6)));
  return d;
}

/** max_i K_ii (lambdaMin's lower estimate of lambda_max when it exceeds ||K||_F / sqrt n). */
function maxDiag(a: Float64Array, n: number): number {
  let m = Math.sqrt(a.reduce((s, x) => s + x * x, 0) / n);
  for (let i = 0; i < n; i++) m = Math.max(m, a[i * n + i]!);
  return m;
}

/** be.cholesky with room for 300 Lanczos vectors (lanczosInverse runs on the factor's Krylov basis). */
function factorK<T>(be: Backend, n: number, a: Float64Array, shift: number, keep: boolean, body: (f: CholeskyFactor) => T): T {
  return be.cholesky(n, a, shift, keep, body, 300);
}

/** A factor that counts the vectors it solves for (solves and Lanczos steps of its Krylov basis). */
function counting(f: CholeskyFactor): { f: CholeskyFactor; vectors: () => number } {
  let v = 0;
  const kb = f.krylov!;
  return {
    f: {
      n: f.n, info: f.info, solve: (x, k = 1) => { v += k; f.solve(x, k); }, multiply: (x, y, k) => f.multiply(x, y, k),
      krylov: { capacity: kb.capacity, start: (x) => kb.start(x), step: (k, b, out) => { v++; kb.step(k, b, out); }, combine: (s, m, y) => kb.combine(s, m, y) },
    },
    vectors: () => v,
  };
}

describe.each(backendCases)('lambdaMin on a clustered known spectrum on $name', ({ get }) => {
  it('finds lambda_min within its error bound (cluster of 5 at the bottom, condition 1e6)', async () => {
    const backend = await get();
    const n = 160;
    const d = clusteredSpectrum(n);
    const K = { rows: n, cols: n, data: withSpectrum(d, 21) };
    // At this small n the cost model would take the (cheaper) tridiagonal route: 'cholesky' forces Lanczos.
    const lm = lambdaMin(K, { backend, method: 'cholesky' });
    expect(lm.method, lm.fallback).toBe('cholesky-lanczos');
    // The default tolerance: 1e-14 of lambda_max or twice the rounding level n eps ||K||_F.
    const floor = n * EPS * frobenius(K.data);
    expect(lm.converged).toBe(true);
    expect(lm.tolerance / Math.max(1e-14 * maxDiag(K.data, n), 2 * floor)).toBeCloseTo(1, 12);
    expect(lm.errorBound).toBeLessThanOrEqual(lm.tolerance);
    expect(lm.errorBound).toBeGreaterThanOrEqual(floor);
    // The construction rounds at a few eps sqrt(n) max|d|, below the rounding level in the bound.
    expect(Math.abs(lm.value - 1e-6)).toBeLessThanOrEqual(lm.errorBound);
    // And against the dense path on the very same matrix.
    const ref = eigvalsh(K, { backend });
    expect(Math.abs(lm.value - ref[0]!)).toBeLessThanOrEqual(lm.errorBound);
    expect(lm.iterations).toBeLessThan(n);
  });
});

describe('lanczosInverse', () => {
  const js = createJsBackend();
  const n = 160;
  const d = clusteredSpectrum(n);
  const a = withSpectrum(d, 21);

  it('certified lambda_min with fewer solves than n', () => {
    factorK(js, n, a, 0, true, (f0) => {
      const { f, vectors } = counting(f0);
      const floor = n * EPS * frobenius(a);
      const r = lanczosInverse(f, { tol: 4 * floor, floor, maxIter: 300 });
      expect(r.converged).toBe(true);
      expect(r.errorBound).toBeLessThanOrEqual(4 * floor);
      expect((r.errorBound - r.residual) / floor).toBeCloseTo(1, 12);
      expect(Math.abs(r.value - 1e-6)).toBeLessThanOrEqual(r.errorBound);
      expect(r.iterations).toBe(vectors());
      expect(vectors()).toBeLessThan(n);
      // The vector is a unit Ritz vector whose residual is the one reported.
      const ky = new Float64Array(n);
      f0.multiply(r.vector, ky);
      let yy = 0, res = 0;
      for (let i = 0; i < n; i++) { yy += r.vector[i]! ** 2; res += (ky[i]! - r.value * r.vector[i]!) ** 2; }
      expect(Math.abs(yy - 1)).toBeLessThan(1e-13);
      expect(Math.abs(Math.sqrt(res) - r.residual)).toBeLessThanOrEqual(1e-3 * r.residual + 1e-18);
    });
  });

  it('exhausts small spaces exactly', () => {
    for (const m of [1, 2, 5, 7, 9]) {
      const dm = Array.from({ length: m }, (_, i) => 1 + i * i);
      const am = withSpectrum(dm, 5 + m);
      factorK(js, m, am, 0, true, (f0) => {
        const { f, vectors } = counting(f0);
        const r = lanczosInverse(f, { tol: 1e-13, maxIter: 300 });
        expect(r.converged, `m = ${m}`).toBe(true);
        expect(Math.abs(r.value - 1), `m = ${m}`).toBeLessThanOrEqual(1e-13);
        expect(vectors()).toBeLessThanOrEqual(m);
      });
    }
  });

  it('stops at an invariant subspace and respects maxIter', () => {
    const m = 70;
    const eye = new Float64Array(m * m);
    for (let i = 0; i < m; i++) eye[i * m + i] = 2;
    factorK(js, m, eye, 0, true, (f0) => {
      const { f, vectors } = counting(f0);
      const r = lanczosInverse(f, { tol: 1e-14, maxIter: 300 });
      expect(r.converged).toBe(true);
      expect(r.value).toBeCloseTo(2, 14);
      expect(vectors()).toBe(1); // K^{-1} q = q / 2: the start vector spans an invariant subspace
    });
    factorK(js, n, a, 0, true, (f0) => {
      const { f, vectors } = counting(f0);
      const r = lanczosInverse(f, { tol: 1e-30, maxIter: 10 });
      expect(r.converged).toBe(false);
      expect(vectors()).toBeLessThanOrEqual(10);
      expect(r.iterations).toBeLessThanOrEqual(10);
    });
  });

  it('a start vector near the answer and a shifted factor (shift and invert) converge fast', () => {
    // lambda_min = 1e-6 = the cluster; factor K - sigma I with sigma just below it.
    const sigma = 0.5e-6;
    factorK(js, n, a, sigma, true, (f0) => {
      expect(f0.info).toBe(0);
      const { f, vectors } = counting(f0);
      const floor = n * EPS * frobenius(a);
      const r = lanczosInverse(f, { tol: 4 * floor, floor, maxIter: 300 });
      expect(r.converged).toBe(true);
      // value is the Rayleigh quotient with K itself, not with K - sigma I.
      expect(Math.abs(r.value - 1e-6)).toBeLessThanOrEqual(r.errorBound);
      expect(vectors()).toBeLessThan(40);
    });
  });
});

describe.each(backendCases)('lambdaMin with largest on $name', ({ get }) => {
  it('gives lambda_max of a known spectrum within its bound, on the Cholesky and the tridiagonal path', async () => {
    const backend = await get();
    for (const n of [40, 150]) { // n <= 64: tridiagonal path; larger: Cholesky-Lanczos
      const d = clusteredSpectrum(n);
      d[n - 1] = 3; d[n - 2] = 2.5; // a top eigenvalue with a gap, as the NTK's
      const K = { rows: n, cols: n, data: withSpectrum(d, 11 + n) };
      const r = lambdaMin(K, { backend, largest: true, method: n <= 64 ? 'auto' : 'cholesky' });
      expect(r.method).toBe(n <= 64 ? 'tridiagonal' : 'cholesky-lanczos');
      expect(r.largest).toBeDefined();
      expect(r.largest!.converged).toBe(true);
      expect(Math.abs(r.largest!.value - 3)).toBeLessThanOrEqual(r.largest!.errorBound);
      // Never below the rounding level n eps ||K|| (||K||_2 = lambda_max here).
      expect(r.largest!.errorBound).toBeGreaterThanOrEqual(n * EPS * r.largest!.value);
      expect(r.largest!.errorBound).toBeLessThan(1e-9);
      expect(lambdaMin(K, { backend }).largest).toBeUndefined();
    }
  });
});
