import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import { NtkInputError, NtkMemoryError } from '../src/errors.js';
import { eigh, eigvalsh, isPositiveDefinite, lambdaMin } from '../src/linalg/index.js';
import type { Matrix } from '../src/matrix.js';
import { backendCases, jsCase, wasm2Case, wasmCase } from './helpers/backends.js';
import { NET_FIXTURE_COUNT, netFixtures } from './helpers/fixtures.js';
import { randomArray } from './helpers/reference.js';

const EPS = 2.220446049250313e-16;

/**
 * Q diag(d) Q^T with Q a product of n random Householder reflectors (applied two-sided, in
 * plain loops independent of the library), so the spectrum is d up to the rounding of the
 * products (a few eps * max|d| * sqrt(n)).
 */
function withSpectrum(d: number[], seed: number, reflectors = d.length): Matrix {
  const n = d.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = d[i]!;
  for (let r = 0; r < reflectors; r++) {
    const v = randomArray(n, seed * 1000 + r);
    let nv = 0;
    for (let i = 0; i < n; i++) nv += v[i]! * v[i]!;
    if (nv === 0) continue;
    // A := H A H, H = I - 2 v v^T / (v^T v).
    const av = new Float64Array(n);
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!; av[i] = s; }
    let vav = 0;
    for (let i = 0; i < n; i++) vav += v[i]! * av[i]!;
    const c = 2 / nv;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        a[i * n + j] = a[i * n + j]! - c * v[i]! * av[j]! - c * av[i]! * v[j]! + c * c * vav * v[i]! * v[j]!;
      }
    }
  }
  // Exactly symmetric, as a caller's matrix would be.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  return { rows: n, cols: n, data: a };
}

function sorted(d: number[]): number[] {
  return [...d].sort((x, y) => x - y);
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** ||A V - V diag(w)||_max and ||V^T V - I||_max, by plain loops. */
function eighResiduals(a: Matrix, w: Float64Array, v: Matrix): { res: number; orth: number } {
  const n = a.rows;
  let res = 0, orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, o = 0;
      for (let k = 0; k < n; k++) {
        s += a.data[i * n + k]! * v.data[k * n + j]!;
        o += v.data[k * n + i]! * v.data[k * n + j]!;
      }
      res = Math.max(res, Math.abs(s - v.data[i * n + j]! * w[j]!));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  return { res, orth };
}

function spectrum(kind: string, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    switch (kind) {
      case 'clustered': out.push(i < n / 2 ? 1 + 1e-11 * i : 2 + 1e-9 * i); break;
      case 'cond1e8': out.push(10 ** (-8 * i / Math.max(1, n - 1))); break;
      case 'singular': out.push(i % 3 === 0 ? 0 : 1 + i); break;
      case 'negative': out.push(-5 + (10 * i) / n); break;
      default: out.push(Math.sin(i * 12.9898 + n) * 43758.5453 % 1);
    }
  }
  return out;
}

describe.each(backendCases)('symmetric eigensolvers on $name', ({ get }) => {
  for (const kind of ['clustered', 'cond1e8', 'singular', 'negative']) {
    for (const n of [1, 2, 3, 33, 67, 130]) {
      it(`eigvalsh and eigh recover a ${kind} spectrum at n = ${n}`, async () => {
        const backend = await get();
        const d = spectrum(kind, n);
        const a = withSpectrum(d, n + kind.length);
        const lmax = maxAbs(d);
        const w = eigvalsh(a, { backend });
        expect(maxDiff(w, sorted(d))).toBeLessThanOrEqual(1e-12 * lmax);
        const e = eigh(a, { backend });
        expect(maxDiff(e.values, sorted(d))).toBeLessThanOrEqual(1e-12 * lmax);
        const { res, orth } = eighResiduals(a, e.values, e.vectors);
        expect(res).toBeLessThanOrEqual(1e-13 * Math.max(lmax, 1) * Math.sqrt(n));
        expect(orth).toBeLessThanOrEqual(1e-13 * Math.sqrt(n));
      });
    }
  }

  it('every n from 1 to 70: eigvalsh, eigh and lambdaMin on random spectra', async () => {
    const backend = await get();
    for (let n = 1; n <= 70; n++) {
      const d = spectrum('random', n);
      const a = withSpectrum(d, 7 * n);
      const lmax = maxAbs(d);
      const want = sorted(d);
      const w = eigvalsh(a, { backend });
      expect(maxDiff(w, want), `n = ${n}`).toBeLessThanOrEqual(1e-12 * lmax);
      const e = eigh(a, { backend });
      const { res, orth } = eighResiduals(a, e.values, e.vectors);
      expect(res, `n = ${n}`).toBeLessThanOrEqual(1e-13 * lmax * Math.sqrt(n));
      expect(orth, `n = ${n}`).toBeLessThanOrEqual(1e-13 * Math.sqrt(n));
      // The spectrum has negative values: Cholesky must fail and fall back, not crash.
      const lm = lambdaMin(a, { backend, method: 'cholesky' });
      expect(Math.abs(lm.value - want[0]!), `n = ${n}`).toBeLessThanOrEqual(1e-12 * lmax);
      if (want[0]! < 0) expect(lm.method).toBe('tridiagonal');
      // Shifted to be positive definite, the Cholesky-Lanczos path answers.
      const shift = 1 - want[0]!;
      const b = { rows: n, cols: n, data: a.data.map((x, i) => (i % (n + 1) === 0 ? x + shift : x)) };
      const lb = lambdaMin(b, { backend, method: 'cholesky' });
      expect(lb.method, `n = ${n}`).toBe('cholesky-lanczos');
      expect(Math.abs(lb.value - (want[0]! + shift)), `n = ${n}`).toBeLessThanOrEqual(1e-12 * (lmax + shift));
    }
  });

  it('matches ml-matrix EVD on random symmetric matrices', async () => {
    const backend = await get();
    for (const n of [10, 50, 97]) {
      const r = randomArray(n * n, n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { a[i * n + j] = r[i * n + j]!; a[j * n + i] = r[i * n + j]!; }
      const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
      const ref = Float64Array.from(new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true }).realEigenvalues).sort();
      const w = eigvalsh({ rows: n, cols: n, data: a }, { backend });
      expect(maxDiff(w, ref)).toBeLessThanOrEqual(1e-12 * maxAbs(ref));
    }
  });

  it('reproduces eigvals_K and lambda_min of every network fixture', async () => {
    const backend = await get();
    const all = netFixtures();
    expect(all).toHaveLength(NET_FIXTURE_COUNT);
    for (const fx of all) {
      const K = fx.expected.K as number[][];
      const want = fx.expected.eigvals_K as number[];
      const lmax = fx.expected.lambda_max as number;
      const w = eigvalsh(K, { backend });
      expect(maxDiff(w, want), fx.file).toBeLessThanOrEqual(1e-12 * lmax);
      for (const method of ['auto', 'cholesky', 'tridiagonal'] as const) {
        const lm = lambdaMin(K, { backend, method });
        if (fx.file.includes('duplicate_rows')) {
          expect(Math.abs(lm.value), `${fx.file} ${method}`).toBeLessThan(1e-12 * lmax);
        } else {
          expect(Math.abs(lm.value - fx.expected.lambda_min), `${fx.file} ${method}`).toBeLessThanOrEqual(1e-12 * lmax);
          expect(Math.abs(lm.value - fx.expected.lambda_min), `${fx.file} ${method}`).toBeLessThanOrEqual(lm.errorBound);
          expect(lm.converged, `${fx.file} ${method}`).toBe(true);
        }
      }
    }
  });

  it('lambdaMin: Cholesky-Lanczos on an NTK-like matrix (Gram + spike, condition ~1e6) with a valid error bound', async () => {
    const backend = await get();
    const n = 200, p = 200;
    const g = randomArray(n * p, 11);
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let q = 0; q < p; q++) s += g[i * p + q]! * g[j * p + q]!;
        const v = s / p + 10 / n + (i === j ? 1e-5 : 0);
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
    }
    const K = { rows: n, cols: n, data: k };
    const ref = eigvalsh(K, { backend });
    const lm = lambdaMin(K, { backend });
    expect(lm.method).toBe('cholesky-lanczos');
    expect(ref[n - 1]! / ref[0]!).toBeGreaterThan(1e5);
    expect(Math.abs(lm.value - ref[0]!)).toBeLessThanOrEqual(1e-12 * ref[n - 1]!);
    expect(Math.abs(lm.value - ref[0]!)).toBeLessThanOrEqual(lm.errorBound);
    expect(lm.converged).toBe(true);
    expect(lm.errorBound).toBeLessThanOrEqual(lm.tolerance);
    // The bound is the residual plus the rounding level n eps ||K||_F of its evaluation.
    let fro = 0;
    for (const x of k) fro += x * x;
    expect(lm.errorBound / (lm.residual! + n * EPS * Math.sqrt(fro))).toBeCloseTo(1, 12);
    expect(lm.iterations).toBeGreaterThan(1);
  });

  it('lambdaMin: an exactly singular (duplicate rows) and an indefinite K never crash', async () => {
    const backend = await get();
    const n = 90;
    const x = randomArray(n * 5, 3);
    for (let j = 0; j < 5; j++) x[1 * 5 + j] = x[0 * 5 + j]!; // rows 0 and 1 equal
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < 5; q++) s += (x[i * 5 + q]! - x[j * 5 + q]!) ** 2;
      k[i * n + j] = Math.exp(-s); // Gaussian kernel: PSD, singular through the duplicate
    }
    const ref = eigvalsh({ rows: n, cols: n, data: k }, { backend });
    for (const method of ['auto', 'cholesky', 'tridiagonal'] as const) {
      const lm = lambdaMin({ rows: n, cols: n, data: k }, { backend, method });
      expect(Math.abs(lm.value)).toBeLessThan(1e-12 * ref[n - 1]!);
    }
    const ind = k.map((v, i) => (i % (n + 1) === 0 ? v - 0.5 : v));
    const li = lambdaMin({ rows: n, cols: n, data: ind }, { backend, method: 'cholesky' });
    expect(li.method).toBe('tridiagonal');
    expect(li.fallback).toMatch(/not numerically positive definite/);
    expect(Math.abs(li.value - (ref[0]! - 0.5))).toBeLessThan(1e-12 * ref[n - 1]!);
  });

  it('lambdaMin: a tolerance below rounding level is run to the rounding level and reported as not met', async () => {
    const backend = await get();
    const n = 150;
    const d = Array.from({ length: n }, (_, i) => 1 + i);
    const a = withSpectrum(d, 4, 8);
    const lm = lambdaMin(a, { backend, method: 'cholesky', tol: 1e-18 });
    expect(lm.method).toBe('cholesky-lanczos');
    expect(lm.converged).toBe(false);
    expect(lm.errorBound).toBeGreaterThan(lm.tolerance);
    expect(lm.iterations).toBeLessThan(n);
    expect(Math.abs(lm.value - 1)).toBeLessThanOrEqual(lm.errorBound);
  });

  it('lambdaMin: Lanczos that stalls on a dense bottom of the spectrum falls back to the exact path', async () => {
    const backend = await get();
    const n = 200;
    // lambda_k = 1 + 1e-3 k^2 / n: the bottom gaps are 5e-6, far below the tolerance 1e-6 * lambda_max asks.
    const d = Array.from({ length: n }, (_, i) => 1 + (1e-3 * i * i) / n);
    const a = withSpectrum(d, 5, 12);
    // Forced onto the Cholesky route, Lanczos runs until the stall detector stops it.
    const lm = lambdaMin(a, { backend, tol: 1e-6, method: 'cholesky' });
    expect(lm.method).toBe('tridiagonal');
    expect(lm.cost?.decision).toBe('stalled');
    const steps = Number(/in (\d+) steps/.exec(lm.fallback ?? '')?.[1]);
    expect(steps).toBeGreaterThan(50);
    expect(steps).toBeLessThan(n);
    expect(lm.converged).toBe(true);
    expect(Math.abs(lm.value - 1)).toBeLessThanOrEqual(lm.errorBound);
    // Left to the cost model, it gives up after the probe, long before the stall shows.
    const auto = lambdaMin(a, { backend, tol: 1e-6 });
    expect(auto.method).toBe('tridiagonal');
    expect(auto.cost?.decision).toBe('tridiagonal');
    const probe = Number(/^cost model: after (\d+) solves/.exec(auto.fallback ?? '')?.[1]);
    expect(probe).toBeGreaterThanOrEqual(16);
    expect(probe).toBeLessThan(steps / 2);
    expect(auto.value).toBe(lm.value);
  });

  it('lambdaMin on 1 x 1 and 2 x 2 matrices', async () => {
    const backend = await get();
    for (const method of ['auto', 'cholesky', 'tridiagonal'] as const) {
      expect(lambdaMin([[3]], { backend, method }).value).toBe(3);
      expect(lambdaMin([[-2]], { backend, method }).value).toBe(-2);
      // [[2, 1], [1, 2]]: eigenvalues 1 and 3.
      expect(Math.abs(lambdaMin([[2, 1], [1, 2]], { backend, method }).value - 1)).toBeLessThan(4 * EPS);
    }
    const w = eigvalsh([[0, 1e-300], [1e-300, 0]], { backend });
    expect(Math.abs(w[0]! + 1e-300)).toBeLessThan(1e-315);
    expect(Math.abs(w[1]! - 1e-300)).toBeLessThan(1e-315);
    const big = eigvalsh([[1e300, 0], [0, -1e300]], { backend });
    expect(Array.from(big)).toEqual([-1e300, 1e300]);
  });

  it('zero, identity, diagonal and scaled matrices', async () => {
    const backend = await get();
    const n = 100;
    const zero = { rows: n, cols: n, data: new Float64Array(n * n) };
    expect(Array.from(eigvalsh(zero, { backend }))).toEqual(new Array(n).fill(0));
    expect(lambdaMin(zero, { backend }).value).toBe(0);
    const eye = { rows: n, cols: n, data: new Float64Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 1 : 0)) };
    const li = lambdaMin(eye, { backend, method: 'cholesky' });
    expect(li.method).toBe('cholesky-lanczos');
    expect(li.value).toBeCloseTo(1, 15);
    expect(li.iterations).toBe(1); // K^-1 v = v: an invariant subspace at once
    const diag = Array.from({ length: n }, (_, i) => ((i * 37) % n) - 40.5);
    const dm = { rows: n, cols: n, data: new Float64Array(n * n) };
    diag.forEach((x, i) => { dm.data[i * n + i] = x; });
    expect(Array.from(eigvalsh(dm, { backend }))).toEqual(sorted(diag));
    // 2^600 and 2^-600 scalings are exact: the spectrum scales exactly with them.
    const a = withSpectrum(spectrum('negative', 40), 3);
    const w = eigvalsh(a, { backend });
    for (const s of [2 ** 600, 2 ** -600]) {
      const ws = eigvalsh({ rows: 40, cols: 40, data: a.data.map((x) => x * s) }, { backend });
      expect(Array.from(ws.map((x) => x / s))).toEqual(Array.from(w));
    }
  });

  it('2^600 and 2^-600 scalings: lambdaMin (both paths), eigh and isPositiveDefinite scale with them exactly', async () => {
    const backend = await get();
    // Positive definite at n = 80 (> 64: Cholesky-Lanczos), and an indefinite one for eigh.
    const d = spectrum('cond1e8', 80).map((x) => x + 1e-3);
    const pd = withSpectrum(d, 17, 4);
    const ind = withSpectrum(spectrum('negative', 40), 3);
    const lmin = sorted(d)[0]!;
    for (const s of [2 ** 600, 2 ** -600]) {
      const scaled = (m: Matrix): Matrix => ({ rows: m.rows, cols: m.cols, data: m.data.map((x) => x * s) });
      for (const method of ['cholesky', 'tridiagonal'] as const) {
        const r = lambdaMin(pd, { backend, method }), rs = lambdaMin(scaled(pd), { backend, method });
        expect(rs.method, `${s} ${method}`).toBe(method === 'cholesky' ? 'cholesky-lanczos' : 'tridiagonal');
        expect(rs.value / s, `${s} ${method}`).toBe(r.value);
        // The bound scales too, rounded up when it is brought back (never below the exact one).
        expect(rs.errorBound / s, `${s} ${method}`).toBeGreaterThanOrEqual(r.errorBound);
        expect(rs.errorBound / s, `${s} ${method}`).toBeLessThanOrEqual(r.errorBound * (1 + 1e-14));
        expect(Math.abs(rs.value / s - lmin)).toBeLessThanOrEqual(1e-12);
      }
      const e = eigh(ind, { backend }), es = eigh(scaled(ind), { backend });
      expect(Array.from(es.values, (x) => x / s)).toEqual(Array.from(e.values));
      expect(Array.from(es.vectors.data)).toEqual(Array.from(e.vectors.data));
      const { res, orth } = eighResiduals(scaled(ind), es.values, es.vectors);
      expect(res / s).toBeLessThanOrEqual(1e-13 * 5 * Math.sqrt(40));
      expect(orth).toBeLessThanOrEqual(1e-13 * Math.sqrt(40));
      expect(isPositiveDefinite(scaled(pd), { backend })).toBe(true);
      expect(isPositiveDefinite(scaled(pd), { backend, margin: 0.9 * lmin * s })).toBe(true);
      expect(isPositiveDefinite(scaled(pd), { backend, margin: 1.1 * lmin * s })).toBe(false);
      expect(isPositiveDefinite(scaled(ind), { backend })).toBe(false);
    }
  });

  it('isPositiveDefinite certifies lambda_min > margin', async () => {
    const backend = await get();
    const d = spectrum('cond1e8', 40).map((x) => x + 1e-3); // lambda_min = 1e-3 + 1e-8
    const a = withSpectrum(d, 5);
    expect(isPositiveDefinite(a, { backend })).toBe(true);
    expect(isPositiveDefinite(a, { backend, margin: 0.9e-3 })).toBe(true);
    expect(isPositiveDefinite(a, { backend, margin: 1.1e-3 })).toBe(false);
    expect(isPositiveDefinite(withSpectrum(spectrum('negative', 30), 2), { backend })).toBe(false);
    expect(isPositiveDefinite([[1, 2], [2, 1]], { backend })).toBe(false);
  });
});

describe('wasm and js agree', () => {
  it('on eigvalsh, eigh and lambdaMin of a 150 x 150 matrix', async () => {
    const js = await jsCase.get(), wasm = await wasmCase.get();
    const a = withSpectrum(spectrum('cond1e8', 150).map((x) => x + 1e-4), 9);
    const wj = eigvalsh(a, { backend: js }), ww = eigvalsh(a, { backend: wasm });
    expect(maxDiff(wj, ww)).toBeLessThan(1e-14);
    const ej = eigh(a, { backend: js }), ew = eigh(a, { backend: wasm });
    expect(maxDiff(ej.values, ew.values)).toBeLessThan(1e-14);
    // Eigenvectors agree up to sign, to the angle perturbation theory allows: each is within
    // about (backward error) / gap of the exact one (Davis-Kahan), the backward error being
    // a small multiple of eps ||A||.
    const n = 150;
    const lmax = ej.values[n - 1]!;
    for (let j = 0; j < n; j += 17) {
      let s = 0;
      for (let i = 0; i < n; i++) s += ej.vectors.data[i * n + j]! * ew.vectors.data[i * n + j]!;
      let d2 = 0;
      for (let i = 0; i < n; i++) d2 += (ej.vectors.data[i * n + j]! - Math.sign(s) * ew.vectors.data[i * n + j]!) ** 2;
      const angle = 2 * Math.asin(Math.min(1, Math.sqrt(d2) / 2));
      let gap = Infinity;
      for (let k = 0; k < n; k++) if (k !== j) gap = Math.min(gap, Math.abs(ej.values[k]! - ej.values[j]!));
      expect(angle, `column ${j}`).toBeLessThanOrEqual(4 * Math.sqrt(n) * EPS * lmax / gap);
    }
    const lj = lambdaMin(a, { backend: js, method: 'cholesky' }), lw = lambdaMin(a, { backend: wasm, method: 'cholesky' });
    expect(lj.method).toBe('cholesky-lanczos');
    expect(Math.abs(lj.value - lw.value)).toBeLessThan(1e-15);
  });
});

describe('memory pressure', () => {
  it('lambdaMin goes on without the copy of K when the factor and the copy do not both fit', async () => {
    const js = await jsCase.get();
    const tight: Backend = {
      ...js,
      cholesky(n, a, shift, keep, body, krylov) {
        if (keep) throw new NtkMemoryError('cholesky factor', 2 * n * n * 8, n * n * 8, 'use less');
        return js.cholesky(n, a, shift, keep, body, krylov);
      },
    };
    const d = spectrum('cond1e8', 80).map((x) => x + 1e-3);
    const a = withSpectrum(d, 13);
    const r = lambdaMin(a, { backend: tight, method: 'cholesky' });
    expect(r.method).toBe('cholesky-lanczos');
    expect(Math.abs(r.value - sorted(d)[0]!)).toBeLessThanOrEqual(r.errorBound);
    expect(r.converged).toBe(true);
    expect(r.errorBound).toBeLessThanOrEqual(r.tolerance);
  });
});

describe('input checks', () => {
  it('name the parameter and the fix', () => {
    expect(() => eigvalsh([[1, 2, 3], [4, 5, 6]])).toThrow(NtkInputError);
    expect(() => eigvalsh([[1, 2, 3], [4, 5, 6]])).toThrow(/square/);
    expect(() => eigvalsh([[1, NaN], [NaN, 1]])).toThrow(/non-finite/);
    expect(() => eigvalsh([[1, 2], [3, 1]])).toThrow(/not symmetric/);
    expect(Array.from(eigvalsh([[1, 2], [3, 1]], { symmetryTol: Infinity }))).toEqual(Array.from(eigvalsh([[1, 3], [3, 1]])));
    expect(() => lambdaMin([[1]], { method: 'qr' as 'auto' })).toThrow(/unknown method/);
    expect(() => lambdaMin([[1]], { tol: 0 })).toThrow(/tol/);
    expect(() => lambdaMin([[1]], { maxIter: 0 })).toThrow(/maxIter/);
    expect(() => isPositiveDefinite([[1]], { margin: NaN })).toThrow(/margin/);
    expect(eigvalsh({ rows: 0, cols: 0, data: new Float64Array(0) }).length).toBe(0);
  });
});

describe('threaded wasm paths (n above the parallel thresholds)', () => {
  it('2 threads agree with 1 thread and with the known spectrum at n = 720', async () => {
    const one = await wasmCase.get(), two = await wasm2Case.get();
    expect(two.threads).toBe(2);
    const n = 720;
    // Geometric from 1 down to 1e-8, the bottom one pushed away so Lanczos converges quickly.
    const d = spectrum('cond1e8', n);
    d[n - 1] = 2e-9;
    const a = withSpectrum(d, 21, 6);
    const want = sorted(d);
    const w1 = eigvalsh(a, { backend: one }), w2 = eigvalsh(a, { backend: two });
    expect(maxDiff(w2, want)).toBeLessThanOrEqual(1e-12);
    expect(maxDiff(w1, w2)).toBeLessThanOrEqual(1e-14);
    const e2 = eigh(a, { backend: two });
    expect(maxDiff(e2.values, want)).toBeLessThanOrEqual(1e-12);
    // A v = lambda v and unit norm for a few columns (the full O(n^3) check is too slow here).
    for (const j of [0, 1, 359, 719]) {
      let res = 0, nv = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a.data[i * n + k]! * e2.vectors.data[k * n + j]!;
        res = Math.max(res, Math.abs(s - e2.values[j]! * e2.vectors.data[i * n + j]!));
        nv += e2.vectors.data[i * n + j]! ** 2;
      }
      expect(res).toBeLessThan(1e-13 * Math.sqrt(n));
      expect(Math.abs(nv - 1)).toBeLessThan(1e-13);
    }
    const l1 = lambdaMin(a, { backend: one, method: 'cholesky' }), l2 = lambdaMin(a, { backend: two, method: 'cholesky' });
    expect(l2.method, l2.fallback).toBe('cholesky-lanczos');
    expect(Math.abs(l2.value - want[0]!)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(l1.value - l2.value)).toBeLessThanOrEqual(1e-14);
    expect(isPositiveDefinite(a, { backend: two })).toBe(true);
    expect(isPositiveDefinite(a, { backend: two, margin: 1e-8 })).toBe(false);
  });
});
