/**
 * The backend's Krylov basis (assembly/lanczos.ts and its js twin, driven through
 * CholeskyFactor.krylov) and the threaded single-vector solve: checked against identities,
 * not against each other alone. The basis must be orthonormal to rounding (full
 * reorthogonalization) and satisfy the Lanczos three-term relation with K^{-1}; the solve on
 * two threads (blocks of columns handed over between the threads) must solve K x = b as the one-thread solve does.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import { backendCases, wasm2Case, wasmCase } from './helpers/backends.js';
import { withSpectrum } from './helpers/spectra.js';

const EPS = 2.220446049250313e-16;

/** Basis vectors q_0..q_{m-1} read back through combine with unit coefficients. */
function basisOf(n: number, m: number, combine: (s: Float64Array, m: number, y: Float64Array) => void): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const s = new Float64Array(m);
    s[j] = 1;
    const y = new Float64Array(n);
    combine(s, m, y);
    out.push(y);
  }
  return out;
}

const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);

describe.each(backendCases)('Krylov basis beside the Cholesky factor on $name', ({ get }) => {
  it('is orthonormal to rounding and satisfies K^{-1} q_j = b_{j-1} q_{j-1} + a_j q_j + b_j q_{j+1}', async () => {
    const be: Backend = await get();
    const n = 150, m = 40;
    // Condition 1e4, eigenvalues spread so that 40 steps do not exhaust an invariant subspace.
    const d = Array.from({ length: n }, (_, i) => 10 ** (-4 + (4 * i) / (n - 1)));
    const a = withSpectrum(d, 7);
    be.cholesky(n, a, 0, true, (f) => {
      const kb = f.krylov!;
      expect(kb.capacity).toBe(m);
      const raw = Float64Array.from({ length: n }, (_, i) => 1 + Math.sin(3 * i));
      const start = raw.map((x) => x / Math.sqrt(dot(raw, raw)));
      kb.start(start);
      const alpha: number[] = [], beta: number[] = [];
      const ab = new Float64Array(2);
      for (let k = 0; k < m - 1; k++) {
        kb.step(k, k > 0 ? beta[k - 1]! : 0, ab);
        alpha.push(ab[0]!);
        beta.push(ab[1]!);
      }
      expect(() => kb.step(m, 0, ab)).toThrow(/step outside the basis/);
      const q = basisOf(n, m, (s, mm, y) => kb.combine(s, mm, y));
      // q_0 is the start.
      for (let i = 0; i < n; i++) expect(q[0]![i]!).toBe(start[i]!);
      let orth = 0;
      for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) orth = Math.max(orth, Math.abs(dot(q[i]!, q[j]!) - (i === j ? 1 : 0)));
      expect(orth).toBeLessThan(10 * n * EPS);
      // The recurrence, checked through K: q_j = K (b_{j-1} q_{j-1} + a_j q_j + b_j q_{j+1}).
      const r = new Float64Array(n), kr = new Float64Array(n);
      for (let j = 0; j < m - 1; j++) {
        for (let i = 0; i < n; i++) r[i] = (j > 0 ? beta[j - 1]! * q[j - 1]![i]! : 0) + alpha[j]! * q[j]![i]! + beta[j]! * q[j + 1]![i]!;
        f.multiply(r, kr);
        let err = 0;
        for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(kr[i]! - q[j]![i]!));
        // K^{-1} has norm 1e4: the solve's backward error times cond(K) = 1e4.
        expect(err, `step ${j}`).toBeLessThan(1e4 * n * EPS);
      }
    }, 40);
  });

  it('is absent without krylov and after a failed factorization', async () => {
    const be: Backend = await get();
    const n = 20;
    const a = withSpectrum(Array.from({ length: n }, (_, i) => i + 1), 3);
    be.cholesky(n, a, 0, false, (f) => expect(f.krylov).toBeUndefined());
    be.cholesky(n, a, 5.5, false, (f) => {
      expect(f.info).toBeGreaterThan(0);
      expect(f.krylov).toBeUndefined();
    }, 10);
  });
});

describe('the single-vector solve split over two threads', () => {
  // Above the split threshold (1024): 1300 ends in a partial block of 20 columns, 1031 in one
  // of 7 (a tail of 3 columns outside the groups of four). 1803 is past WIDE_MIN
  // (assembly/cholesky.ts: eight columns per pass), with an odd row count (the kernels'
  // scalar tails), a last block of 11 columns (8 + 3) and, on one thread, of 3.
  it.each([1300, 1031, 1803])('solves K x = b as the one-thread solve does (n = %i), also for several vectors', async (n) => {
    const [one, two] = [await wasmCase.get(), await wasm2Case.get()];
    // The Kac-Murdock-Szego matrix 0.95^|i-j| (dense, positive definite, cond ~ 1.95 / 0.05 = 39).
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 0.95 ** Math.abs(i - j);
    const b = Float64Array.from({ length: 3 * n }, (_, i) => Math.cos(0.37 * i));
    const solve = (be: Backend, k: number) => be.cholesky(n, a, 0, true, (f) => {
      const x = b.slice(0, k * n);
      f.solve(x, k);
      const kx = new Float64Array(k * n);
      f.multiply(x, kx, k);
      let res = 0, nb = 0;
      for (let i = 0; i < k * n; i++) { res = Math.max(res, Math.abs(kx[i]! - b[i]!)); nb = Math.max(nb, Math.abs(b[i]!)); }
      return { x, rel: res / nb };
    });
    for (const k of [1, 3]) {
      const r1 = solve(one, k), r2 = solve(two, k);
      expect(r1.rel).toBeLessThan(40 * n * EPS);
      expect(r2.rel).toBeLessThan(40 * n * EPS);
      let diff = 0, nx = 0;
      for (let i = 0; i < k * n; i++) { diff = Math.max(diff, Math.abs(r1.x[i]! - r2.x[i]!)); nx = Math.max(nx, Math.abs(r1.x[i]!)); }
      expect(diff / nx, `nrhs ${k}`).toBeLessThan(40 * n * EPS);
    }
  });
});
