/**
 * Honest convergence of lambdaMin and lambda_max (issue 17 item 4, issue 20 item 1): the error
 * bound decides every assertion here, with no slack added. Loose tolerances (1e-6, 1e-8) keep
 * the bounds far above rounding, so a bound that is too small shows; the shift-and-invert
 * branch, its retry after a failed shifted factorization, and the unconverged cases (a
 * tolerance below rounding, a step cap) are each reached.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, CholeskyFactor } from '../src/backend/types.js';
import { lambdaMin } from '../src/linalg/index.js';
import { lanczosInverse } from '../src/linalg/lanczos.js';
import { lanczosLargest } from '../src/linalg/lanczos-max.js';
import { operatorNorms } from '../src/linalg/norms.js';
import { backendCases, jsCase, wasmCase } from './helpers/backends.js';
import { frobenius, knownSpectrum, toeplitz121, withSpectrum } from './helpers/spectra.js';

const EPS = 2.220446049250313e-16;

/** lambda_min = 1, then a gap, then up to 10. */
function separated(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 1.5 + (8.5 * i) / (n - 1)));
}

/**
 * 30 eigenvalues 1, 1.003, 1.006, ... then log-spaced up to 100: on K^{-1} the top relative gap
 * is 3e-3, so Lanczos at tol 1e-8 is slow enough that a shifted factorization pays off.
 */
function softEdge(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < 30 ? 1 + 0.003 * i : 1.09 * (100 / 1.09) ** ((i - 30) / (n - 31))));
}

/** A backend that records the shift of every factorization and can pretend the first shifted one failed. */
function spying(be: Backend, failFirstShift = false): { backend: Backend; shifts: number[] } {
  const shifts: number[] = [];
  let failed = false;
  const backend: Backend = {
    ...be,
    cholesky(n, a, shift, keep, body, krylov) {
      shifts.push(shift);
      if (failFirstShift && shift !== 0 && !failed) {
        failed = true;
        const broken: CholeskyFactor = {
          n, info: 1, solve: () => { throw new Error('solve with a failed factor'); }, multiply: () => { throw new Error('unused'); },
        };
        return body(broken);
      }
      return be.cholesky(n, a, shift, keep, body, krylov);
    },
  };
  return { backend, shifts };
}

describe.each(backendCases)('lambdaMin meets loose tolerances within its own bound on $name', ({ get }) => {
  for (const tol of [1e-6, 1e-8]) {
    // n = 160: above the order from which the cost model starts the Cholesky route (~130 on
    // wasm, a factorization and MIN_PROBE solves under half the tridiagonal route).
    it(`tol ${tol}: a separated lambda_min = 1 (n = 160)`, async () => {
      const backend = await get();
      const n = 160;
      const K = { rows: n, cols: n, data: withSpectrum(separated(n), 3) };
      const r = lambdaMin(K, { backend, tol });
      expect(r.method).toBe('cholesky-lanczos');
      expect(r.converged).toBe(true);
      expect(r.errorBound).toBeLessThanOrEqual(r.tolerance);
      // Far above rounding: the residual, not the floor, is what the bound is made of.
      expect(r.errorBound).toBeGreaterThan(1e3 * n * EPS * frobenius(K.data));
      expect(Math.abs(r.value - 1)).toBeLessThanOrEqual(r.errorBound);
    });
  }

  it('tol 1e-8: shift and invert runs (a second factorization just below lambda_min) and its result is within the bound', async () => {
    const be = await get();
    const n = 200;
    const K = { rows: n, cols: n, data: withSpectrum(softEdge(n), 5) };
    const { backend, shifts } = spying(be);
    const r = lambdaMin(K, { backend, tol: 1e-8, method: 'cholesky' });
    expect(r.method).toBe('cholesky-lanczos');
    expect(shifts.length).toBe(2);
    expect(shifts[1]!).toBeGreaterThan(0.99);
    expect(shifts[1]!).toBeLessThan(1);
    expect(r.converged).toBe(true);
    expect(r.errorBound).toBeLessThanOrEqual(r.tolerance);
    expect(r.errorBound).toBeGreaterThan(1e3 * n * EPS * frobenius(K.data));
    expect(Math.abs(r.value - 1)).toBeLessThanOrEqual(r.errorBound);
  });

  it('tol 1e-8: when the first shifted factorization fails, the next lower shift is tried and the result still holds', async () => {
    const be = await get();
    const n = 200;
    const K = { rows: n, cols: n, data: withSpectrum(softEdge(n), 5) };
    const { backend, shifts } = spying(be, true);
    const r = lambdaMin(K, { backend, tol: 1e-8, method: 'cholesky' });
    expect(r.method).toBe('cholesky-lanczos');
    expect(shifts.length).toBe(3);
    expect(shifts[2]!).toBeLessThan(shifts[1]!);
    expect(shifts[2]!).toBeGreaterThanOrEqual(0);
    expect(r.converged).toBe(true);
    expect(r.errorBound).toBeLessThanOrEqual(r.tolerance);
    expect(Math.abs(r.value - 1)).toBeLessThanOrEqual(r.errorBound);
  });

  it('a tolerance below rounding is not met and says so, with a bound at the rounding level that holds', async () => {
    const backend = await get();
    const n = 120;
    const K = { rows: n, cols: n, data: withSpectrum(separated(n), 3) };
    const floor = n * EPS * frobenius(K.data);
    for (const method of ['cholesky', 'tridiagonal'] as const) {
      const r = lambdaMin(K, { backend, method, tol: 1e-18 });
      expect(r.method).toBe(method === 'cholesky' ? 'cholesky-lanczos' : 'tridiagonal');
      expect(r.converged, method).toBe(false);
      expect(r.tolerance).toBeLessThan(1e-16);
      expect(r.errorBound, method).toBeGreaterThan(r.tolerance);
      // Never below the rounding level n eps ||K|| (||K||_2 = 10 here, ||K||_F for the Lanczos residual).
      expect(r.errorBound, method).toBeGreaterThanOrEqual(method === 'cholesky' ? floor : n * EPS * 10 * (1 - 1e-12));
      expect(Math.abs(r.value - 1), method).toBeLessThanOrEqual(r.errorBound);
    }
    // The tridiagonal route with a reachable tolerance.
    const t = lambdaMin(K, { backend, method: 'tridiagonal', tol: 1e-8 });
    expect(t.converged).toBe(true);
    expect(Math.abs(t.value - 1)).toBeLessThanOrEqual(t.errorBound);
  });
});

describe('unconverged Ritz values: the bound is close to the error, and holds', () => {
  it('lanczosInverse stopped after one step from a start 40 degrees between u1 and u2', async () => {
    const js = await jsCase.get();
    const n = 60;
    const d = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 1.01 : 2 + i));
    const { a, q } = knownSpectrum(d, 9);
    const c = Math.cos((40 * Math.PI) / 180), s = Math.sin((40 * Math.PI) / 180);
    const start = new Float64Array(n);
    for (let i = 0; i < n; i++) start[i] = c * q[i * n]! + s * q[i * n + 1]!;
    js.cholesky(n, a, 0, true, (f) => {
      const floor = n * EPS * frobenius(a);
      const r = lanczosInverse(f, { tol: 1e-12, floor, maxIter: 1, start });
      expect(r.converged).toBe(false);
      expect(r.iterations).toBe(1);
      // value = cos^2 * 1 + sin^2 * 1.01, residual = 0.01 sin cos: error / residual = tan 40.
      expect(Math.abs(r.value - (c * c + s * s * 1.01))).toBeLessThan(1e-13);
      expect(r.value - 1).toBeLessThanOrEqual(r.errorBound);
      expect(r.value - 1, 'a tight case: half the bound would not hold').toBeGreaterThan(0.5 * r.errorBound);
    }, 1);
  });

  it('lanczosLargest at its step cap on the 1-2-1 Toeplitz matrix: converged false and |value - lambda_max| <= bound', () => {
    const n = 300;
    const t = toeplitz121(n);
    const exact = 2 + 2 * Math.cos(Math.PI / (n + 1));
    const mv = (x: Float64Array, y: Float64Array) => {
      for (let i = 0; i < n; i++) y[i] = 2 * x[i]! - (i > 0 ? x[i - 1]! : 0) - (i < n - 1 ? x[i + 1]! : 0);
    };
    const r = lanczosLargest(n, mv, operatorNorms(n, t), 1e-10, 40);
    expect(r.converged).toBe(false);
    expect(r.steps).toBe(40);
    expect(exact - r.value).toBeGreaterThan(1e-6);
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(r.errorBound);
    expect(exact - r.value, 'a tight case: half the bound would not hold').toBeGreaterThan(0.5 * r.errorBound);
    // With enough steps it converges, to a bound far smaller and still honest.
    const full = lanczosLargest(n, mv, operatorNorms(n, t), 1e-10, n);
    expect(full.converged).toBe(true);
    expect(Math.abs(full.value - exact)).toBeLessThanOrEqual(full.errorBound);
    expect(full.errorBound).toBeLessThan(1e-9);
    expect(full.errorBound).toBeGreaterThanOrEqual(n * EPS * frobenius(t));
  });

  it('an exactly invariant start gives a bound at the rounding level, not below it', () => {
    const n = 50;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) k[i * n + i] = 3;
    const r = lanczosLargest(n, (x, y) => { for (let i = 0; i < n; i++) y[i] = 3 * x[i]!; }, operatorNorms(n, k));
    expect(r.converged).toBe(true);
    expect(r.value).toBeCloseTo(3, 14);
    expect(r.errorBound).toBeGreaterThanOrEqual(n * EPS * frobenius(k));
    expect(Math.abs(r.value - 3)).toBeLessThanOrEqual(r.errorBound);
  });
});

describe.each([jsCase, wasmCase])('lambdaMin({ largest: true }) on the 1-2-1 Toeplitz matrix of order 1000 on $name', ({ get }) => {
  it('reports that lambda_max did not converge in 300 steps, with a bound that holds; lambda_min converges', async () => {
    const backend = await get();
    const n = 1000;
    const K = { rows: n, cols: n, data: toeplitz121(n) };
    const r = lambdaMin(K, { backend, largest: true });
    const top = 2 + 2 * Math.cos(Math.PI / (n + 1)), bottom = 2 - 2 * Math.cos(Math.PI / (n + 1));
    expect(r.method).toBe('cholesky-lanczos');
    expect(r.converged).toBe(true);
    expect(Math.abs(r.value - bottom)).toBeLessThanOrEqual(r.errorBound);
    expect(r.largest!.converged).toBe(false);
    expect(r.largest!.steps).toBe(300);
    expect(top - r.largest!.value).toBeGreaterThan(1e-5); // the 3.99989 against 3.99999
    expect(Math.abs(r.largest!.value - top)).toBeLessThanOrEqual(r.largest!.errorBound);
    expect(top - r.largest!.value, 'a tight case: half the bound would not hold').toBeGreaterThan(0.5 * r.largest!.errorBound);
  });
});
