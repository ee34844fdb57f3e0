/**
 * Accuracy of eigh of LAPACK's class (issue 17 item 2): LAPACK's test ratios (as in its
 * xSYT21 checks) ||K V - V L||_1 / (n eps ||K||_1) and ||V^T V - I||_1 / (n eps) stay small
 * (LAPACK accepts below 30; we ask below 8) on its classic test matrices (the dlatms spectra:
 * one large, one small, geometric, arithmetic, log-uniform; clustered; graded; tiny and huge
 * scale; Wilkinson's W+ and glued Wilkinson; rank-deficient) and on real NTK matrices of all
 * six activations, on every backend; eigvalsh agrees with eigh's values to n eps ||K||.
 */
import { describe, expect, it } from 'vitest';
import { activationNames } from '../src/activations.js';
import { eighAccuracy } from '../src/linalg/accuracy.js';
import { eigh, eigvalsh } from '../src/linalg/index.js';
import type { Matrix } from '../src/matrix.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { backendCases } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';
import { withSpectrum } from './helpers/spectra.js';

const EPS = 2.220446049250313e-16;
/** Ratio accepted for residual and orthogonality (LAPACK's test threshold is 30). */
const RATIO = 8;

const n = 96;
const square = (data: Float64Array): Matrix => ({ rows: Math.round(Math.sqrt(data.length)), cols: Math.round(Math.sqrt(data.length)), data });

/** A symmetric tridiagonal matrix (diagonal d, off-diagonal e) as a dense one. */
function tridiagonal(d: number[], e: number[]): Matrix {
  const m = d.length;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    a[i * m + i] = d[i]!;
    if (i + 1 < m) a[i * m + i + 1] = a[(i + 1) * m + i] = e[i]!;
  }
  return square(a);
}

/** Wilkinson's W+ of order 2k + 1: diagonal |k - i|, off-diagonal 1 (pairs of eigenvalues agreeing to many digits). */
function wilkinsonD(k: number): number[] {
  return Array.from({ length: 2 * k + 1 }, (_, i) => Math.abs(k - i));
}

const cond = 1e12;
const cases: [string, () => Matrix][] = [
  ['dlatms mode 1: one eigenvalue 1, the rest 1/cond', () => square(withSpectrum(Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 1 / cond)), 1))],
  ['dlatms mode 2: one eigenvalue 1/cond, the rest 1', () => square(withSpectrum(Array.from({ length: n }, (_, i) => (i === 0 ? 1 / cond : 1)), 2))],
  ['dlatms mode 3: geometric 1 .. 1/cond', () => square(withSpectrum(Array.from({ length: n }, (_, i) => cond ** (-i / (n - 1))), 3))],
  ['dlatms mode 4: arithmetic 1 .. 1/cond, signs mixed', () => square(withSpectrum(Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (1 - (i / (n - 1)) * (1 - 1 / cond))), 4))],
  ['dlatms mode 5: log-uniform random in [1/cond, 1]', () => square(withSpectrum(Array.from(randomArray(n, 5), (u) => cond ** -(u + 0.5)), 5))],
  ['clustered: 48 eigenvalues within 1e-14, 48 within 1e-10', () => square(withSpectrum(Array.from({ length: n }, (_, i) => (i < 48 ? 1 + 1e-16 * i : 2 + 1e-12 * i)), 6))],
  ['graded: diagonal 10^-k times a random symmetric sign pattern', () => {
    const r = randomArray(n * n, 7);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r[i * n + j]! * 10 ** (-(i + j) / 8);
    return square(a);
  }],
  ['tiny scale (1e-300 times a random spectrum)', () => square(withSpectrum(Array.from(randomArray(n, 8)), 8).map((x) => x * 1e-300))],
  ['huge scale (1e300 times a random spectrum)', () => square(withSpectrum(Array.from(randomArray(n, 9)), 9).map((x) => x * 1e300))],
  ['Wilkinson W+ of order 95', () => tridiagonal(wilkinsonD(47), new Array(94).fill(1))],
  ['glued Wilkinson: 4 copies of W+21 glued by 1e-8 (plus W+ 11)', () => {
    const d: number[] = [], e: number[] = [];
    for (let b = 0; b < 4; b++) { d.push(...wilkinsonD(10)); e.push(...new Array(20).fill(1), 1e-8); }
    d.push(...wilkinsonD(5)); e.push(...new Array(10).fill(1));
    return tridiagonal(d, e);
  }],
  ['rank-deficient: rank 5 (91 zero eigenvalues)', () => {
    const b = randomArray(n * 5, 10);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < 5; p++) s += b[i * 5 + p]! * b[j * 5 + p]!;
      a[i * n + j] = a[j * n + i] = s;
    }
    return square(a);
  }],
  ['the 1-2-1 Toeplitz matrix', () => tridiagonal(new Array(n).fill(2), new Array(n - 1).fill(-1))],
  ['zero matrix', () => square(new Float64Array(n * n))],
];

/** Checks eigh's ratios and eigvalsh against eigh's values. */
function check(backend: Awaited<ReturnType<(typeof backendCases)[number]['get']>>, k: Matrix, what: string): void {
  const e = eigh(k, { backend });
  const acc = eighAccuracy(k, e.values, e.vectors, backend);
  expect(acc.residual, `${what}: residual ratio`).toBeLessThan(RATIO);
  expect(acc.orthogonality, `${what}: orthogonality ratio`).toBeLessThan(RATIO);
  for (let i = 1; i < k.rows; i++) expect(e.values[i]!, what).toBeGreaterThanOrEqual(e.values[i - 1]!);
  const w = eigvalsh(k, { backend });
  const big = Math.max(Math.abs(w[0]!), Math.abs(w[k.rows - 1]!));
  for (let i = 0; i < k.rows; i++) expect(Math.abs(w[i]! - e.values[i]!), `${what}: lambda_${i}`).toBeLessThanOrEqual(k.rows * EPS * big);
}

describe.each(backendCases)('eigh on LAPACK\'s test matrices on $name', ({ get }) => {
  for (const [what, make] of cases) {
    it(what, async () => {
      check(await get(), make(), what);
    });
  }
});

describe.each(backendCases)('eigh on NTK matrices of every activation on $name', ({ get }) => {
  it('every activation (tanh, sigmoid, erf, gelu, softplus, sin, ...): n = 120 samples, widths [64, 64]', async () => {
    const backend = await get();
    for (const a of ['tanh', 'sigmoid', 'erf', 'gelu', 'softplus', 'sin']) expect(activationNames).toContain(a);
    for (const activation of activationNames) {
      const X = gaussianData({ n: 120, d: 8, seed: 3 });
      const net = createNetwork({ d: 8, widths: [64, 64], activation, seed: 11 });
      const { K } = empiricalNtk(net, X, { backend });
      check(backend, K, activation);
    }
  });
});
