import { describe, expect, it } from 'vitest';
import { readFixture } from './helpers/fixtures.js';
import { activationNames, getActivation } from '../src/activations.js';
import { createJsBackend } from '../src/backend/js/index.js';
import { erfKernelMatrices } from '../src/theory/closed-form-kernels.js';
import { gaussKernelMatrices, gaussPairExpectation } from '../src/theory/mehler.js';
import { seriesTables } from '../src/theory/series-tables.js';
import { pairExpectation2d } from '../src/theory/trapezoid-2d.js';
import { backendCases, jsCase } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

const fx = readFixture<any>('gauss_kernel_pairs.json');

describe('gauss_kernel_pairs.json', () => {
  for (const act of Object.keys(fx.activations)) {
    for (const c of fx.activations[act] as { a: number; b: number; rho: number; E_phi_phi: number; E_dphi_dphi: number }[]) {
      it(`${act} a=${c.a} b=${c.b} rho=${c.rho}: E[phi phi] and E[phi' phi'] to 1e-12`, () => {
        const r = gaussPairExpectation(act, c.a, c.b, c.rho);
        expect(Math.abs(r.phi - c.E_phi_phi)).toBeLessThanOrEqual(1e-12 * Math.max(1e-3, Math.abs(c.E_phi_phi)));
        expect(Math.abs(r.dphi! - c.E_dphi_dphi)).toBeLessThanOrEqual(1e-12 * Math.abs(c.E_dphi_dphi));
        if (Math.abs(c.rho) === 1) expect(r.method).toBe('trapezoid-2d');
        if (Math.abs(c.rho) <= 0.95) expect(r.method).toBe('mehler');
      });
    }
  }
  it('erf closed forms equal the fixture and the series', () => {
    for (const c of fx.erf_closed_form_check as { a: number; b: number; rho: number; arcsine: number; dphi: number }[]) {
      const s = c.rho * Math.sqrt(c.a * c.b);
      const cf = erfKernelMatrices([[c.a, s], [s, c.b]], true);
      expect(Math.abs(cf.E.data[1]! - c.arcsine)).toBeLessThan(1e-15);
      expect(Math.abs(cf.Ed!.data[1]! - c.dphi)).toBeLessThan(1e-15 * c.dphi);
      const ser = gaussPairExpectation('erf', c.a, c.b, c.rho);
      expect(Math.abs(ser.phi - cf.E.data[1]!)).toBeLessThan(1e-14);
      expect(Math.abs(ser.dphi! - cf.Ed!.data[1]!)).toBeLessThan(1e-14 * c.dphi);
    }
  });
});

describe('Mehler series against the 2-D trapezoid', () => {
  // Smooth activations (relu: test/closed-forms.test.ts).
  for (const name of activationNames.filter((a) => getActivation(a).smooth)) {
    it(`${name}: series and 2-D trapezoid agree to 1e-14 over variances and correlations`, () => {
      const act = getActivation(name);
      for (const [a, b] of [[0.4, 0.9], [2.5, 3.1], [1, 1]]) for (const rho of [-0.85, -0.3, 0.05, 0.5, 0.8]) {
        const m = gaussPairExpectation(name, a!, b!, rho);
        expect(m.method).toBe('mehler');
        const [p, d] = pairExpectation2d([act.phi, act.dphi], a!, b!, rho);
        const sp = Math.sqrt(pairExpectation2d([act.phi], a!, a!, 1)[0]! * pairExpectation2d([act.phi], b!, b!, 1)[0]!);
        expect(Math.abs(m.phi - p!)).toBeLessThanOrEqual(1e-14 * sp);
        expect(Math.abs(m.dphi! - d!)).toBeLessThanOrEqual(1e-14);
      }
    });
  }
  it('sin and cos pair closed forms: E[sin u sin u\'] = e^{-(a+b)/2} sinh(s), E[cos u cos u\'] = e^{-(a+b)/2} cosh(s)', () => {
    for (const [a, b, rho] of [[0.5, 2, 0.3], [3, 1.5, -0.7], [1, 1, 0.95]]) {
      const s = rho! * Math.sqrt(a! * b!);
      const r = gaussPairExpectation('sin', a!, b!, rho!);
      expect(Math.abs(r.phi - Math.exp(-(a! + b!) / 2) * Math.sinh(s))).toBeLessThan(1e-15);
      expect(Math.abs(r.dphi! - Math.exp(-(a! + b!) / 2) * Math.cosh(s))).toBeLessThan(1e-15);
    }
  });
  it('a user function without phi\' works for E[phi phi] and is refused for the derivative', () => {
    const f = (x: number) => Math.tanh(x);
    const u = gaussKernelMatrices([[2.5, 1], [1, 2]], f);
    const b = gaussKernelMatrices([[2.5, 1], [1, 2]], 'tanh');
    expect(Math.abs(u.E.data[1]! - b.E.data[1]!)).toBeLessThan(1e-16);
    expect(() => gaussKernelMatrices([[1, 0], [0, 1]], f, { derivative: true })).toThrow(/phi'/);
  });
  it('the odd-activation shortcut (half the evaluations, vanishing coefficients skipped) equals the generic path', () => {
    const generic = { ...getActivation('tanh'), odd: false }; // a copy: evaluated in JS, no symmetry used
    const S = { rows: 9, cols: 9, data: hardCovariance(9, 4, 3) };
    const a = gaussKernelMatrices(S, generic, { derivative: true });
    const b = gaussKernelMatrices(S, 'tanh', { derivative: true });
    for (let q = 0; q < 81; q++) {
      expect(Math.abs(a.E.data[q]! - b.E.data[q]!)).toBeLessThan(1e-15);
      expect(Math.abs(a.Ed!.data[q]! - b.Ed!.data[q]!)).toBeLessThan(1e-15);
    }
  });
  it('coefficient tables computed in chunks of variances equal the one-chunk tables', () => {
    const n = 30;
    const S = { rows: n, cols: n, data: hardCovariance(n, 6, 21) };
    for (const act of ['tanh', 'softplus']) {
      const a = gaussKernelMatrices(S, act, { derivative: true });
      const b = gaussKernelMatrices(S, act, { derivative: true, chunkElements: 1000 });
      for (let q = 0; q < n * n; q++) {
        expect(Math.abs(a.E.data[q]! - b.E.data[q]!)).toBeLessThan(1e-16 * 8);
        expect(Math.abs(a.Ed!.data[q]! - b.Ed!.data[q]!)).toBeLessThan(1e-16 * 8);
      }
    }
  });
  it('large variances: a clear error instead of hours of 2-D fallbacks, and beyond 1e6 at once', () => {
    // tanh at variance 1e4 has coefficients that barely decay: correlated pairs cannot be certified.
    const S = [[1e4, 0.999e4, 0.998e4], [0.999e4, 1e4, 0.997e4], [0.998e4, 0.997e4, 1e4]];
    expect(() => gaussKernelMatrices(S, 'tanh', { fallbackBudget: 1e8 })).toThrow(/Sigma: 3 pairs.*2-D fallback would need/);
    expect(() => gaussKernelMatrices([[2e6, 0], [0, 1]], 'tanh')).toThrow(/normalize the data/);
  });
  it('rejects bad covariances', () => {
    expect(() => gaussKernelMatrices([[1, 0]], 'tanh')).toThrow(/square/);
    expect(() => gaussKernelMatrices([[-1, 0], [0, 1]], 'tanh')).toThrow(/diagonal/);
    expect(() => gaussKernelMatrices([[1, NaN], [NaN, 1]], 'tanh')).toThrow(/entry/);
    expect(() => gaussPairExpectation('tanh', 1, 1, 1.5)).toThrow(/rho/);
  });
});

/** A random covariance with unequal variances, some correlations near +-1, a duplicate and a zero variance. */
function hardCovariance(n: number, d: number, seed: number): Float64Array {
  const x = randomArray(n * d, seed);
  for (let k = 0; k < d; k++) x[3 * d + k] = x[1 * d + k]!; // rows 1 and 3 identical
  for (let k = 0; k < d; k++) x[5 * d + k] = -0.7 * x[2 * d + k]!; // rho = -1 with different variances
  for (let k = 0; k < d; k++) x[6 * d + k] = x[4 * d + k]! + 0.01 * x[7 * d + k]!; // rho near 1
  for (let k = 0; k < d; k++) x[8 * d + k] = 0; // zero variance
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let k = 0; k < d; k++) acc += x[i * d + k]! * x[j * d + k]!;
    s[i * n + j] = (2.5 * acc) / d * 3;
  }
  return s;
}

describe.each(backendCases)('mehlerPairs on $name', ({ get }) => {
  it('the kernel gives bitwise the js twin numbers on the same tables, NaN where uncertified', async () => {
    const be = await get();
    const js = await jsCase.get();
    const n = 37;
    const S = hardCovariance(n, 5, 11);
    const variances = new Float64Array(n), isd = new Float64Array(n);
    for (let i = 0; i < n; i++) { variances[i] = S[i * n + i]!; isd[i] = variances[i]! > 0 ? 1 / Math.sqrt(variances[i]!) : 0; }
    for (const [act, nser, R, parity] of [['tanh', 2, 60, 1], ['tanh', 2, 61, 0], ['sigmoid', 1, 33, 0], ['gelu', 2, 9, 0]] as const) {
      const t = seriesTables(act, variances, R, { backend: js, derivative: nser > 1 });
      const ow = new Float64Array(nser * n * n).fill(7), oj = new Float64Array(nser * n * n).fill(7);
      const bw = be.mehlerPairs(n, nser, R + 1, S, isd, t.coef, t.tail, t.diag, 1e-15, parity, ow);
      const bj = js.mehlerPairs(n, nser, R + 1, S, isd, t.coef, t.tail, t.diag, 1e-15, parity, oj);
      let nan = 0;
      for (let q = 0; q < nser * n * n; q++) {
        expect(Object.is(ow[q], oj[q]) || (Number.isNaN(ow[q]!) && Number.isNaN(oj[q]!))).toBe(true);
        if (Number.isNaN(oj[q]!)) nan++;
      }
      expect(nan).toBeGreaterThan(0);
      // The count of uncertified pairs: each NaN pair appears twice (mirrored) in each series.
      expect(bw).toBe(bj);
      expect(bj).toBe(nan / (2 * nser));
      for (let s = 0; s < nser; s++) for (let i = 0; i < n; i++) expect(ow[s * n * n + i * n + i]).toBe(t.diag[s * n + i]);
      if (parity) {
        // Skipping the exactly-vanishing terms changes the sums by rounding only.
        const full = new Float64Array(nser * n * n);
        js.mehlerPairs(n, nser, R + 1, S, isd, t.coef, t.tail, t.diag, 1e-15, 0, full);
        for (let q = 0; q < nser * n * n; q++) {
          if (Number.isNaN(full[q]!) || Number.isNaN(oj[q]!)) continue;
          expect(Math.abs(full[q]! - oj[q]!)).toBeLessThan(1e-15);
        }
      }
    }
  });
  it('full matrices agree with js to 1e-15 (coefficients differ by GEMM rounding) and with the 2-D trapezoid', async () => {
    const be = await get();
    const js = await jsCase.get();
    const n = 37;
    const S = { rows: n, cols: n, data: hardCovariance(n, 5, 11) };
    for (const act of ['tanh', 'sigmoid', 'gelu']) {
      const w = gaussKernelMatrices(S, act, { backend: be, derivative: true });
      const j = gaussKernelMatrices(S, act, { backend: js, derivative: true });
      expect(w.stats.fallbackPairs).toBeGreaterThan(0);
      for (let q = 0; q < n * n; q++) {
        expect(Math.abs(w.E.data[q]! - j.E.data[q]!)).toBeLessThan(1e-15);
        expect(Math.abs(w.Ed!.data[q]! - j.Ed!.data[q]!)).toBeLessThan(1e-15);
      }
      // Spot-check pairs (the duplicate, rho = -1 with unequal variances, rho ~ 1, zero variance) against 2-D.
      const A = getActivation(act);
      for (const [p, q] of [[3, 1], [5, 2], [6, 4], [8, 0], [20, 10], [36, 35]]) {
        const a = S.data[p! * n + p!]!, b = S.data[q! * n + q!]!;
        const rho = a * b > 0 ? Math.max(-1, Math.min(1, S.data[p! * n + q!]! / Math.sqrt(a * b))) : 0;
        const [e, ed] = pairExpectation2d([A.phi, A.dphi], a, b, rho);
        expect(Math.abs(w.E.data[p! * n + q!]! - e!)).toBeLessThan(1e-14);
        expect(Math.abs(w.Ed!.data[p! * n + q!]! - ed!)).toBeLessThan(1e-14);
      }
    }
  });
  it('one series (phi only) agrees with the two-series run', async () => {
    const be = await get();
    const n = 21;
    const S = { rows: n, cols: n, data: hardCovariance(n, 9, 5) };
    const one = gaussKernelMatrices(S, 'erf', { backend: be });
    const two = gaussKernelMatrices(S, 'erf', { backend: createJsBackend(), derivative: true });
    const cf = erfKernelMatrices(S, false);
    for (let q = 0; q < n * n; q++) {
      expect(Math.abs(one.E.data[q]! - two.E.data[q]!)).toBeLessThan(1e-15);
      expect(Math.abs(one.E.data[q]! - cf.E.data[q]!)).toBeLessThan(2e-15);
    }
  });
});

describe('Parseval resolution of the coefficient tables', () => {
  it('bounds the rounding of E - sum b_q^2 of converged sets (4 activations, phi and phi\', three grids, js and wasm)', async () => {
    const backends = [await jsCase.get(), await backendCases.find((c) => c.name === 'wasm')!.get()];
    const R = 400, T = R + 1;
    let worst = 0, sets = 0;
    for (const act of ['tanh', 'sigmoid', 'gelu', 'softplus']) {
      // The default grid at variances up to 12 (~830 nodes) and two finer ones (2401, 12001 nodes):
      // the resolution grows like sqrt(nodes).
      for (const [vmax, h] of [[12, undefined], [3, 0.01], [3, 0.002]] as const) {
        const vs = Float64Array.from({ length: 12 }, (_, i) => 0.05 + (i * (vmax - 0.05)) / 11);
        for (const be of backends) {
          const t = seriesTables(act, vs, R, { backend: be, derivative: true, ...(h ? { h } : {}) });
          const n = vs.length;
          for (let s = 0; s < 2; s++) for (let i = 0; i < n; i++) {
            const e = t.diag[s * n + i]!;
            let cum = 0, last = 0;
            for (let r = 0; r <= R; r++) cum += t.coef[(s * T + r) * n + i]! ** 2;
            for (let r = R - 15; r <= R; r++) last += t.coef[(s * T + r) * n + i]! ** 2;
            // Converged: the last 16 coefficients carry < 1e-24 of E, so E - cum is rounding alone.
            if (!(last < 1e-24 * e)) continue;
            sets++;
            worst = Math.max(worst, Math.abs(e - cum) / e / t.resolution);
          }
        }
      }
    }
    expect(sets).toBeGreaterThan(200);
    expect(worst).toBeLessThanOrEqual(1);
  });
});
