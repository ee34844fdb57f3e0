/**
 * Finite in, finite out for the eigen routines (issue 15 item 3, issue 20 item 7): any finite
 * scale of K, from subnormal numbers to 2^600, gives the spectrum of K scaled exactly (an
 * exact power-of-two scaling inside), on lambdaMin, eigvalsh, eigh and isPositiveDefinite on
 * every backend; and a tridiagonal iteration that does not converge runs a fallback instead of
 * failing.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import { eigh, eigvalsh, isPositiveDefinite, lambdaMin } from '../src/linalg/index.js';
import type { Matrix } from '../src/matrix.js';
import { backendCases } from './helpers/backends.js';
import { withSpectrum } from './helpers/spectra.js';

const scaled = (k: Matrix, s: number): Matrix => ({ rows: k.rows, cols: k.cols, data: k.data.map((x) => x * s) });

/** n = 100 (the Cholesky-Lanczos path), lambda from 0.01 to 3. */
function base(): Matrix {
  const n = 100;
  const d = Array.from({ length: n }, (_, i) => 0.01 + (3 * i * i) / (n * n));
  return { rows: n, cols: n, data: withSpectrum(d, 17) };
}

describe.each(backendCases)('scaled inputs on $name', ({ get }) => {
  for (const e of [600, -600, 1000, -1000]) {
    it(`K * 2^${e}: every routine gives the results of K times 2^${e}, exactly`, async () => {
      const backend = await get();
      const k = base();
      const s = 2 ** e;
      const ks = scaled(k, s);
      const w = eigvalsh(k, { backend }), ws = eigvalsh(ks, { backend });
      expect(Array.from(ws)).toEqual(Array.from(w, (x) => x * s));
      const v = eigh(k, { backend }), vs = eigh(ks, { backend });
      expect(Array.from(vs.values)).toEqual(Array.from(v.values, (x) => x * s));
      expect(Array.from(vs.vectors.data)).toEqual(Array.from(v.vectors.data));
      for (const method of ['cholesky', 'tridiagonal'] as const) {
        const l = lambdaMin(k, { backend, method, largest: true }), ls = lambdaMin(ks, { backend, method, largest: true });
        expect(ls.method).toBe(l.method);
        expect(ls.value, method).toBe(l.value * s);
        // The bound scales too, rounded up (never below the exact scaled bound).
        expect(ls.errorBound, method).toBeGreaterThanOrEqual(l.errorBound * s);
        expect(ls.errorBound, method).toBeLessThanOrEqual(l.errorBound * s * (1 + 1e-14) + 2 ** -1073);
        expect(ls.converged).toBe(true);
        expect(ls.largest!.value, method).toBe(l.largest!.value * s);
      }
      expect(isPositiveDefinite(ks, { backend, margin: 0.009 * s })).toBe(true);
      expect(isPositiveDefinite(ks, { backend, margin: 0.011 * s })).toBe(false);
      expect(isPositiveDefinite(ks, { backend, margin: -1e300 })).toBe(true);
      expect(isPositiveDefinite(ks, { backend, margin: 1e300 })).toBe(false);
    });
  }

  it('a matrix of subnormal numbers: finite eigenvalues equal to the exact ones to the subnormal spacing', async () => {
    const backend = await get();
    // [[a, b], [b, c]] * 2^-1074 with small integers: every entry subnormal.
    const a = 6072, b = 2024, c = 4048;
    const u = 2 ** -1074;
    const k = { rows: 2, cols: 2, data: Float64Array.of(a * u, b * u, b * u, c * u) };
    const mid = (a + c) / 2, rad = Math.hypot((a - c) / 2, b);
    const exact = [(mid - rad) * u, (mid + rad) * u];
    const w = eigvalsh(k, { backend });
    for (let i = 0; i < 2; i++) expect(Math.abs(w[i]! - exact[i]!)).toBeLessThanOrEqual(u);
    const e = eigh(k, { backend });
    expect(e.values.every(Number.isFinite) && e.vectors.data.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 2; i++) expect(Math.abs(e.values[i]! - exact[i]!)).toBeLessThanOrEqual(u);
    // The eigenvector of the scaled-up matrix, independent of the scale.
    const v0 = [b, (mid - rad) - a];
    const nv = Math.hypot(v0[0]!, v0[1]!);
    expect(Math.abs(Math.abs(e.vectors.data[0]! * v0[0]! + e.vectors.data[2]! * v0[1]!) / nv - 1)).toBeLessThan(1e-14);
    for (const method of ['auto', 'cholesky', 'tridiagonal'] as const) {
      const r = lambdaMin(k, { backend, method, largest: true });
      expect(Number.isFinite(r.value) && Number.isFinite(r.errorBound)).toBe(true);
      expect(Math.abs(r.value - exact[0]!), method).toBeLessThanOrEqual(r.errorBound);
      expect(r.errorBound, method).toBeGreaterThan(0);
      expect(Math.abs(r.largest!.value - exact[1]!), method).toBeLessThanOrEqual(r.largest!.errorBound);
    }
    expect(isPositiveDefinite(k, { backend })).toBe(true);
    expect(isPositiveDefinite(k, { backend, margin: exact[0]! * 1.5 })).toBe(false);
  });

  it('K * 2^-1060 (n = 100: entries subnormal or nearly): eigenvalues within 1e-12 relative or the subnormal spacing', async () => {
    const backend = await get();
    const k = base();
    const s = 2 ** -1060;
    const ks = scaled(k, s);
    const back = scaled(scaled(ks, 2 ** 530), 2 ** 530); // the stored, rounded matrix, scaled back exactly
    const ref = eigvalsh(back, { backend });
    const w = eigvalsh(ks, { backend });
    for (let i = 0; i < 100; i++) expect(Math.abs(w[i]! - ref[i]! * s)).toBeLessThanOrEqual(1e-12 * ref[99]! * s + 2 ** -1074);
    const r = lambdaMin(ks, { backend });
    expect(Math.abs(r.value - ref[0]! * s)).toBeLessThanOrEqual(r.errorBound);
    const e = eigh(ks, { backend });
    expect(e.vectors.data.every(Number.isFinite)).toBe(true);
    expect(isPositiveDefinite(ks, { backend })).toBe(true);
  });
});

describe.each(backendCases)('a tridiagonal iteration that does not converge falls back on $name', ({ get }) => {
  it('eigvalsh and eigh answer through cyclic Jacobi, lambdaMin without QL', async () => {
    const be = await get();
    // The kernels report non-convergence (as QL would after its sweep limit).
    const failing: Backend = { ...be, symEigvals: () => 3, symEigh: () => 3 };
    const n = 40;
    const d = Array.from({ length: n }, (_, i) => -2 + 0.1 * i);
    const k = { rows: n, cols: n, data: withSpectrum(d, 23) };
    const w = eigvalsh(k, { backend: failing });
    for (let i = 0; i < n; i++) expect(Math.abs(w[i]! - d[i]!)).toBeLessThanOrEqual(1e-13 * 2);
    const e = eigh(k, { backend: failing });
    let res = 0, orth = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, o = 0;
        for (let p = 0; p < n; p++) {
          s += k.data[i * n + p]! * e.vectors.data[p * n + j]!;
          o += e.vectors.data[p * n + i]! * e.vectors.data[p * n + j]!;
        }
        res = Math.max(res, Math.abs(s - e.values[j]! * e.vectors.data[i * n + j]!));
        orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
      }
    }
    expect(res).toBeLessThan(1e-13 * 2 * n);
    expect(orth).toBeLessThan(1e-13 * n);
    for (let i = 0; i < n; i++) expect(Math.abs(e.values[i]! - d[i]!)).toBeLessThanOrEqual(1e-13 * 2);
    // lambdaMin's tridiagonal route bisects for the extreme eigenvalues: no QL to fail.
    const r = lambdaMin(k, { backend: failing, method: 'tridiagonal', largest: true });
    expect(r.fallback).toBeUndefined();
    expect(Math.abs(r.value - -2)).toBeLessThanOrEqual(r.errorBound);
    expect(Math.abs(r.largest!.value - d[n - 1]!)).toBeLessThanOrEqual(r.largest!.errorBound);
  });
});
