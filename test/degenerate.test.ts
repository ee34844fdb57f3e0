/**
 * Degenerate inputs give the true answer (or lambda_min of about 0, with the fallback noted),
 * never a crash or a NaN: duplicate rows (singular K), n = 1, d = 1, constant data, a zero row,
 * a saturating sigma0 = 50, and matrices that are not positive definite given to lambdaMin.
 * Each goes through empiricalNtk, lambdaMin, eigvalsh, infiniteWidth, lambda1 and theorem41 on
 * every backend.
 */
import { describe, expect, it } from 'vitest';
import { getActivation, type ActivationName } from '../src/activations.js';
import type { Backend } from '../src/backend/types.js';
import { eigvalsh, lambdaMin } from '../src/linalg/index.js';
import type { Matrix } from '../src/matrix.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { evaluateNetwork } from '../src/network/evaluate.js';
import { cPhi } from '../src/theory/cphi.js';
import { gaussExpectation } from '../src/theory/gauss.js';
import { gaussPairExpectation } from '../src/theory/mehler.js';
import { pairExpectation2d } from '../src/theory/trapezoid-2d.js';
import { infiniteWidth } from '../src/theory/infinite-width.js';
import { lambda1 } from '../src/theory/lambda1.js';
import { theorem41 } from '../src/theory/theorem.js';
import { backendCases } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

const mat = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0]!.length, data: Float64Array.from(rows.flat()) });

/** Every number in a (nested) result, with its path, so a NaN anywhere is named. */
function numbers(v: unknown, path = '', out: [string, number][] = []): [string, number][] {
  if (typeof v === 'number') out.push([path, v]);
  else if (v instanceof Float64Array || Array.isArray(v)) v.forEach((x, i) => numbers(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) numbers(x, `${path}.${k}`, out);
  return out;
}
function expectNoNaN(v: unknown, what: string): void {
  const bad = numbers(v).filter(([, x]) => Number.isNaN(x)).map(([p]) => p);
  expect(bad, `${what}: NaN at`).toEqual([]);
}

interface Outcome { K: Matrix; ev: Float64Array; lmin: number; theta: Matrix; thetaMin: number; l1: number; lmax: number }

/** The whole pipeline on X, with the checks every input must pass (finite, symmetric, PSD within rounding). */
function pipeline(be: Backend, X: Matrix, activation: ActivationName, sigma0 = 1, widths = [16, 16], rmax = 30): Outcome {
  const d = X.cols, n = X.rows;
  const net = createNetwork({ d, widths, activation, sigma0, seed: 5 });
  const r = empiricalNtk(net, X, { backend: be, grams: true });
  const K = r.K;
  expect(K.data.every(Number.isFinite)).toBe(true);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(K.data[i * n + j]).toBe(K.data[j * n + i]);
  const ev = eigvalsh(K, { backend: be });
  const lmax = ev[n - 1]!;
  expect(ev[0]!).toBeGreaterThanOrEqual(-1e-12 * lmax);
  for (const method of ['auto', 'cholesky', 'tridiagonal'] as const) {
    const lm = lambdaMin(K, { backend: be, method });
    expect(Math.abs(lm.value - ev[0]!), method).toBeLessThanOrEqual(lm.errorBound);
    expect(lm.converged, method).toBe(true);
  }
  const iw = infiniteWidth(X, { depth: widths.length, activation, nu0sq: net.nu0sq, sv2: net.sv2, backend: be });
  expectNoNaN(iw, 'infiniteWidth');
  const tmax = Math.max(...iw.thetaDiag);
  expect(iw.lambdaMin!).toBeGreaterThanOrEqual(-1e-12 * tmax);
  const l1 = lambda1(X, activation, net.nu0sq, { backend: be });
  expect(Math.abs(l1 - iw.lambda1!)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(l1)) * tmax);
  const th = theorem41({ activation, sigma0, nu0sq: net.nu0sq, cli: r.cli, lambda1: l1, lambdaMinK: ev[0]!, grams: r.grams, rmax, backend: be });
  expectNoNaN(th, 'theorem41');
  // Never Infinity (issue 15): constants beyond float64 are an error (see the sigma0 = 50 case).
  for (const [p, x] of numbers(th)) expect(Number.isFinite(x), `${p} = ${x}`).toBe(true);
  return { K, ev, lmin: ev[0]!, theta: iw.Theta, thetaMin: iw.lambdaMin!, l1, lmax };
}

describe.each(backendCases)('degenerate inputs on $name', ({ get }) => {
  it('duplicate rows: K, Theta and E_1 singular, lambda_min of each about 0 (never negative beyond rounding)', async () => {
    const be = await get();
    const X = mat([[0.3, -1.1, 0.8, 0.2], [1.2, 0.4, -0.5, 0.9], [0.3, -1.1, 0.8, 0.2], [-0.7, 0.6, 0.1, -1.3]]);
    for (const act of ['tanh', 'sigmoid'] as const) {
      const o = pipeline(be, X, act);
      expect(Math.abs(o.lmin)).toBeLessThanOrEqual(1e-12 * o.lmax);
      // Rows 0 and 2 of K are equal (to rounding): e_0 - e_2 is in its null space.
      for (let j = 0; j < 4; j++) expect(Math.abs(o.K.data[j]! - o.K.data[8 + j]!)).toBeLessThanOrEqual(1e-13 * o.lmax);
      expect(Math.abs(o.thetaMin)).toBeLessThanOrEqual(1e-12 * o.theta.data[0]!);
      expect(Math.abs(o.l1)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('n = 1: lambda_min is K itself, and lambda_1 is c_{phi} at the sample\'s variance', async () => {
    const be = await get();
    const X = mat([[0.3, -1.2, 0.5]]);
    for (const act of ['tanh', 'gelu'] as const) {
      const o = pipeline(be, X, act);
      expect(o.K.data[0]!).toBeGreaterThan(0);
      expect(o.lmin).toBe(o.K.data[0]);
      expect(o.thetaMin).toBe(o.theta.data[0]);
      // E_1 is 1 x 1: E[phi(u)^2], u ~ N(0, nu0^2 ||x||^2 / d).
      const net = createNetwork({ d: 3, widths: [16, 16], activation: act, sigma0: 1, seed: 5 });
      const variance = (net.nu0sq * (0.09 + 1.44 + 0.25)) / 3;
      expect(Math.abs(o.l1 - cPhi(act, Math.sqrt(variance)))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('d = 1 (every pair of samples perfectly correlated or anti-correlated)', async () => {
    const be = await get();
    const X = mat([[0.5], [-1], [2], [0.1]]);
    const o = pipeline(be, X, 'tanh');
    expect(o.lmin).toBeGreaterThanOrEqual(-1e-12 * o.lmax);
    // E_1 of collinear samples: rank <= number of distinct |x| patterns; lambda_1 >= 0 within rounding.
    expect(o.l1).toBeGreaterThanOrEqual(-1e-12);
  });

  it('constant data: K and Theta are constant matrices (rank 1), lambda_min about 0 and lambda_max = n K_00', async () => {
    const be = await get();
    const X = mat([[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]]);
    const o = pipeline(be, X, 'tanh');
    for (let q = 0; q < 16; q++) expect(Math.abs(o.K.data[q]! - o.K.data[0]!)).toBeLessThanOrEqual(1e-14 * o.K.data[0]!);
    expect(Math.abs(o.lmin)).toBeLessThanOrEqual(1e-12 * o.lmax);
    expect(Math.abs(o.lmax - 4 * o.K.data[0]!)).toBeLessThanOrEqual(1e-13 * o.lmax);
    expect(Math.abs(o.thetaMin)).toBeLessThanOrEqual(1e-12 * 4 * o.theta.data[0]!);
  });

  it('sigma0 = 50 (saturated tanh and sigmoid): finite and PSD; Theorem 4.1 flagged vacuous', async () => {
    const be = await get();
    // Orthogonal rows: pre-activation variances ~2500 (h ~ 0.002) without pairs near |rho| = 1,
    // whose 2-D quadrature at such variances costs seconds each (see theory/mehler.ts).
    const X = mat([[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]]);
    for (const act of ['tanh', 'sigmoid'] as const) {
      const o = pipeline(be, X, act, 50, [16, 16], 8);
      expect(o.lmax).toBeGreaterThan(0);
      const net = createNetwork({ d: 4, widths: [16, 16], activation: act, sigma0: 50, seed: 5 });
      const r = empiricalNtk(net, X, { backend: be });
      // At rmax = 30 the vacuous bound's c0 is about 10^380: beyond float64, so (issue 15: never a
      // silent Infinity printed as null) an error naming sigma0 that says the bound is vacuous; a
      // lower rmax keeps c0 in range and the report flags it.
      expect(() => theorem41({ activation: act, sigma0: 50, cli: r.cli, lambda1: o.l1, backend: be }))
        .toThrow(/^sigma0: .* beyond float64 .*sigma0\^2\/2 = 1250 > 1 .* the bound is vacuous/);
      const th = theorem41({ activation: act, sigma0: 50, cli: r.cli, lambda1: o.l1, rmax: 8, backend: be });
      expect(th.vacuous).toBe(true);
      expect(th.vacuous_reason).toMatch(/sigma0\^2 = 2500 > 2/);
      expect(Number.isFinite(th.bound_expand.c0)).toBe(true);
    }
  });

  it('a zero row: K has a zero row and column (phi(0) = 0); the report leaves Theorem 4.1 out with a note', async () => {
    const be = await get();
    const X = mat([[0, 0, 0], [1, -0.5, 2], [0.3, 0.7, -1]]);
    const net = createNetwork({ d: 3, widths: [16, 16], activation: 'tanh', seed: 5 });
    const { K } = empiricalNtk(net, X, { backend: be });
    for (let j = 0; j < 3; j++) expect(K.data[j]).toBe(0);
    expect(lambdaMin(K, { backend: be }).value).toBe(0);
    const rep = evaluateNetwork(net, X, { backend: be });
    expectNoNaN(rep, 'evaluateNetwork');
    expect(rep.theorem41).toBeNull();
    expect(rep.notes!.join(' ')).toMatch(/c_\{L-1,i\} = 0/);
    expect(rep.lemma42).not.toBeNull();
  });
});

describe.each(backendCases)('samples of very different norms on $name', ({ get }) => {
  // Found by test/property-kernels.test.ts: the Mehler series used to certify a pair with the
  // Parseval tails T(r) = E[g^2] - sum_{q<=r} b_q^2, which rounding clamps to 0 for the
  // small-variance sample after a few terms (T ~ 1e-20 against E ~ 1e-2), so the series stopped
  // while the other sample's coefficients were still large (errors up to 1e-10 relative). The
  // tails are now summed backwards, sum_{q>r} b_q^2.
  it('pair expectations at variances 0.01 against 2.7 agree with the 2-D quadrature to 1e-14 of sqrt(E_a E_b)', async () => {
    const backend = await get();
    const cases: [ActivationName, number, number, number][] = [
      ['tanh', 0.0168, 2.70, -0.809],
      ['sigmoid', 2.55, 0.0107, 0.901],
      ['softplus', 0.678082112425814, 0.109046212163244, 0.8754355389641686],
      ['sin', 3.22, 0.0327, 0.694],
    ];
    for (const [act, a, b, rho] of cases) {
      const f = getActivation(act);
      const p = gaussPairExpectation(act, a, b, rho, { backend });
      const [E, Ed] = pairExpectation2d([f.phi, f.dphi], a, b, rho, { h: 0.02 });
      const scale = (g: (x: number) => number) => Math.sqrt(gaussExpectation((x) => g(x) ** 2, a) * gaussExpectation((x) => g(x) ** 2, b));
      expect(Math.abs(p.phi - E!) / scale(f.phi), `${act} E`).toBeLessThanOrEqual(1e-14);
      expect(Math.abs(p.dphi! - Ed!) / scale(f.dphi), `${act} E'`).toBeLessThanOrEqual(1e-14);
    }
  });
});

describe.each(backendCases)('lambdaMin of matrices that are not positive definite on $name', ({ get }) => {
  // The tridiagonal QL iteration used to stop without converging on low-rank matrices of
  // order >= ~62 (e.g. all-ones of order 66, b b^T of order 74): its deflation test was
  // relative to the neighbouring diagonal entries only, which never passes around exact zero
  // eigenvalues. K of duplicate-heavy or constant data is such a matrix.
  it('low rank of order > 64 (all ones, b b^T): every eigenvalue, and lambda_min = 0 within rounding', async () => {
    const be = await get();
    const b = randomArray(74, 7);
    const cases: [string, Matrix, number][] = [
      ['ones(66)', { rows: 66, cols: 66, data: new Float64Array(66 * 66).fill(1) }, 66],
      ['b b^T (74)', { rows: 74, cols: 74, data: Float64Array.from({ length: 74 * 74 }, (_, q) => b[Math.floor(q / 74)]! * b[q % 74]!) }, b.reduce((s, x) => s + x * x, 0)],
    ];
    for (const [name, K, top] of cases) {
      const w = eigvalsh(K, { backend: be });
      const n = K.rows;
      // One eigenvalue ||b||^2 (or n), the rest 0.
      expect(Math.abs(w[n - 1]! - top), name).toBeLessThanOrEqual(1e-13 * top);
      for (let i = 0; i < n - 1; i++) expect(Math.abs(w[i]!), `${name} lambda_${i}`).toBeLessThanOrEqual(1e-13 * top);
      for (const method of ['auto', 'cholesky', 'tridiagonal'] as const) {
        expect(Math.abs(lambdaMin(K, { backend: be, method }).value), `${name} ${method}`).toBeLessThanOrEqual(1e-13 * top);
      }
    }
  });

  it('indefinite: the true negative lambda_min by every method; the Cholesky path says why it fell back', async () => {
    const be = await get();
    for (const n of [2, 5, 40, 90]) {
      const a = randomArray(n * n, n);
      const K = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) K[i * n + j] = K[j * n + i] = a[i * n + j]!;
      const ev = eigvalsh({ rows: n, cols: n, data: K }, { backend: be });
      expect(ev[0]!).toBeLessThan(0);
      for (const method of ['auto', 'cholesky', 'tridiagonal'] as const) {
        const r = lambdaMin({ rows: n, cols: n, data: K }, { backend: be, method });
        expect(Math.abs(r.value - ev[0]!)).toBeLessThanOrEqual(1e-13 * Math.max(-ev[0]!, ev[n - 1]!));
        if (method === 'cholesky') expect(r.fallback).toMatch(/not numerically positive definite/);
      }
    }
  });

  it('positive semidefinite and singular (rank 2): lambda_min about 0, with a finite error bound', async () => {
    const be = await get();
    const n = 70;
    const b = randomArray(n * 2, 3);
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) K[i * n + j] = K[j * n + i] = b[2 * i]! * b[2 * j]! + b[2 * i + 1]! * b[2 * j + 1]!;
    const ev = eigvalsh({ rows: n, cols: n, data: K }, { backend: be });
    for (const method of ['auto', 'cholesky', 'tridiagonal'] as const) {
      const r = lambdaMin({ rows: n, cols: n, data: K }, { backend: be, method });
      expect(Math.abs(r.value)).toBeLessThanOrEqual(1e-12 * ev[n - 1]!);
      // lambda_min is 0 (rank 2): the bound holds and is never below the rounding level.
      expect(Math.abs(r.value), method).toBeLessThanOrEqual(r.errorBound);
      expect(r.errorBound, method).toBeGreaterThanOrEqual(n * 2.220446049250313e-16 * ev[n - 1]!);
      expect(r.errorBound, method).toBeLessThanOrEqual(1e-13 * ev[n - 1]!);
    }
  });

  it('the zero matrix and a negative multiple of the identity', async () => {
    const be = await get();
    expect(lambdaMin({ rows: 3, cols: 3, data: new Float64Array(9) }, { backend: be, method: 'cholesky' }).value).toBe(0);
    const neg = { rows: 3, cols: 3, data: Float64Array.of(-2, 0, 0, 0, -2, 0, 0, 0, -2) };
    expect(lambdaMin(neg, { backend: be, method: 'cholesky' }).value).toBeCloseTo(-2, 14);
  });
});
