import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readFixture } from './helpers/fixtures.js';
import { getActivation } from '../src/activations.js';
import type { Matrix } from '../src/matrix.js';
import {
  assumptionsBroken, cPhi, infiniteWidth, infiniteWidthReport, lambda1, lambda1Matrix, lemma41Layers, lemma42Band,
  nu0sq, sigma0ForNu0sq, theorem41,
} from '../src/theory/index.js';
import { jsCase, wasm2Case } from './helpers/backends.js';

const files = readdirSync(FIXTURES).filter((f) => f.startsWith('net_') && f.endsWith('.json')).sort();
const load = (f: string) => readFixture<any>(f); // eslint-disable-line @typescript-eslint/no-explicit-any

const mat = (rows: number[][]): Matrix => {
  const n = rows.length, m = rows[0]!.length;
  const data = new Float64Array(n * m);
  rows.forEach((r, i) => r.forEach((v, j) => { data[i * m + j] = v; }));
  return { rows: n, cols: m, data };
};
const maxAbs = (a: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!)); return m; };
function expectMatrixClose(got: Float64Array, want: number[][], rel: number): void {
  const flat = want.flat();
  const scale = maxAbs(flat);
  let worst = 0;
  flat.forEach((w, q) => { worst = Math.max(worst, Math.abs(got[q]! - w)); });
  expect(worst).toBeLessThanOrEqual(rel * scale);
}
const close = (got: number, want: number, rel: number, abs = 0) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want) + abs);

/** Independent forward pass: A_l = phi(A_{l-1} W_l^T / sqrt(m_{l-1})), as nested loops. */
function forward(fx: { inputs: { X: number[][]; W: number[][][]; activation: string } }): number[][][] {
  const phi = getActivation(fx.inputs.activation).phi;
  const A: number[][][] = [fx.inputs.X];
  for (const W of fx.inputs.W) {
    const prev = A[A.length - 1]!;
    const m0 = prev[0]!.length;
    A.push(prev.map((row) => W.map((w) => phi(w.reduce((s, wk, k) => s + wk * row[k]!, 0) / Math.sqrt(m0)))));
  }
  return A;
}
function gram(A: number[][]): Matrix {
  const n = A.length, m = A[0]!.length;
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += A[i]![k]! * A[j]![k]!;
    g[i * n + j] = s / m;
  }
  return { rows: n, cols: n, data: g };
}

describe.each([jsCase, wasm2Case])('network fixtures: theory fields on $name', ({ get }) => {
  for (const f of files) {
    const fx = load(f);
    const inp = fx.inputs, e = fx.expected;
    const act = inp.activation as string;
    const duplicate = f.includes('duplicate');
    describe(f, () => {
      it('c and nu0sq (or no sigma0 for nu0sq)', () => {
        if (inp.sigma0 === null) {
          expect(e.c).toBeNull();
          expect(sigma0ForNu0sq(act, inp.nu0sq)).toBeNull();
        } else {
          close(cPhi(act, inp.sigma0), e.c, 1e-13);
          close(nu0sq(act, inp.sigma0), e.nu0sq, 1e-13);
          close(e.nu0sq, inp.nu0sq, 1e-15);
        }
      });
      it('lambda_1 and its matrix', async () => {
        const backend = await get();
        const E1 = lambda1Matrix(inp.X, act, inp.nu0sq, { backend });
        if (e.lambda_1_matrix) expectMatrixClose(E1.data, e.lambda_1_matrix, 1e-12);
        const l1 = lambda1(inp.X, act, inp.nu0sq, { backend });
        const lmax = maxAbs(E1.data) * E1.rows;
        if (duplicate) expect(Math.abs(l1)).toBeLessThan(1e-12 * lmax);
        else close(l1, e.lambda_1, 1e-12, 1e-13 * lmax);
      });
      it('infinite-width NTK and NNGP: Theta, NNGP, lambda_min, traces, diagonals, Sigma by layer', async () => {
        const backend = await get();
        const r = infiniteWidth(inp.X, { depth: inp.L, activation: act, nu0sq: inp.nu0sq, sv2: inp.sv2, backend });
        const iw = e.inf_width;
        expectMatrixClose(r.Theta.data, iw.Theta, 1e-12);
        expectMatrixClose(r.NNGP.data, iw.NNGP, 1e-12);
        const lmax = iw.trace;
        if (duplicate) {
          expect(Math.abs(r.lambdaMin!)).toBeLessThan(1e-12 * lmax);
          expect(Math.abs(r.lambda1!)).toBeLessThan(1e-12 * lmax);
        } else {
          close(r.lambdaMin!, iw.lambda_min, 1e-12, 1e-13 * lmax);
          close(r.nngpLambdaMin!, iw.NNGP_lambda_min, 1e-12, 1e-13 * lmax);
          close(r.lambda1!, iw.lambda_1, 1e-12, 1e-13 * lmax);
        }
        close(r.trace, iw.trace, 1e-12);
        close(r.nngpTrace, iw.NNGP_trace, 1e-12);
        (iw.Theta_diag as number[]).forEach((v, i) => close(r.thetaDiag[i]!, v, 1e-12));
        expect(r.sigmaDiagByLayer.length).toBe(inp.L);
        (iw.Sigma_diag_by_layer as number[][]).forEach((row, l) => row.forEach((v, i) => close(r.sigmaDiagByLayer[l]![i]!, v, 1e-12)));
        // The report form and the distance of the fixture's empirical K to Theta.
        if (e.K) {
          const rep = infiniteWidthReport(r, mat(e.K));
          close(rep.rel_fro_err_of_K!, iw.rel_fro_err_of_K, 1e-11);
          expect(rep.Theta_diag.length).toBe(inp.n);
        }
      });
      if (act === 'erf') {
        it('erf: the arcsine closed form and the series give the same kernels', async () => {
          const backend = await get();
          const a = infiniteWidth(inp.X, { depth: inp.L, activation: act, nu0sq: inp.nu0sq, backend, method: 'closed-form', spectrum: false });
          const b = infiniteWidth(inp.X, { depth: inp.L, activation: act, nu0sq: inp.nu0sq, backend, method: 'series', spectrum: false });
          expect(maxAbs(a.Theta.data.map((v, q) => v - b.Theta.data[q]!))).toBeLessThan(1e-14 * maxAbs(a.Theta.data));
          expect(maxAbs(a.NNGP.data.map((v, q) => v - b.NNGP.data[q]!))).toBeLessThan(1e-14 * maxAbs(a.NNGP.data));
        });
      }
      const t = e.theorem41;
      if (t === null || t === undefined) {
        it('has no Theorem 4.1 bound (no sigma0)', () => expect(inp.sigma0).toBeNull());
        return;
      }
      it('Theorem 4.1 constants in three conventions and the r = 0..10 arrays', async () => {
        const backend = await get();
        const rep = theorem41({
          activation: act, sigma0: inp.sigma0, nu0sq: inp.nu0sq, cli: e.c_li, lambda1: t.lambda1,
          lambdaMinK: t.lambda_min_K, backend,
        });
        for (const key of ['bound_expand', 'bound_orthonormal', 'bound_weighted_literal'] as const) {
          const want = t[key], got = rep[key];
          expect(got.r_best).toBe(want.r_best);
          close(got.c0, want.c0, 1e-12);
          close(got.bound_c0_lambda1, want.bound_c0_lambda1, 1e-12, duplicate ? 1e-12 * want.c0 : 0);
          close(got.bound_c0_lambda1_over_4, want.bound_c0_lambda1_over_4, 1e-12, duplicate ? 1e-12 * want.c0 : 0);
          close(got.ratio_lambda_min_over_bound!, want.ratio_lambda_min_over_bound, 1e-12);
          close(got.c0_r1_not_allowed, want.c0_r1_not_allowed, 1e-12);
        }
        const mu = t['mu0sq_by_r_expand_r0..10'] as number[] | undefined;
        const c0 = t['c0_by_r_expand_r0..10'] as number[] | undefined;
        // Entries that vanish in exact arithmetic (even r of odd phi) are rounding noise ~1e-34 on both sides.
        mu?.forEach((v, r) => close(rep['mu0sq_by_r_expand_r0..10'][r]!, v, 1e-12, 1e-30));
        c0?.forEach((v, r) => close(rep['c0_by_r_expand_r0..10'][r]!, v, 1e-12, 1e-30));
        expect(rep.vacuous).toBe(false);
        t.lemma42_cl2_over_c_minmax.forEach(([lo, hi]: [number, number], l: number) => {
          close(rep.lemma42_cl2_over_c_minmax[l]![0], lo, 1e-13);
          close(rep.lemma42_cl2_over_c_minmax[l]![1], hi, 1e-13);
        });
        lemma42Band(e.c_li, e.c).forEach(([lo, hi], l) => {
          close(lo, t.lemma42_cl2_over_c_minmax[l][0], 1e-14);
          close(hi, t.lemma42_cl2_over_c_minmax[l][1], 1e-14);
        });
        expect(rep.assumptions_broken.length).toBe(act === 'tanh' ? 0 : 1);
      });
      it('Lemma 4.1 layers from the Gram matrices of an independent forward pass', async () => {
        const backend = await get();
        const A = forward(fx);
        const grams = A.map(gram);
        const layers = lemma41Layers({ activation: act, nu0sq: inp.nu0sq, grams, backend });
        expect(layers.length).toBe(inp.L);
        (t.lemma41_layers as { l: number; lambda_l: number; lambda_min_AlAlT_over_m: number }[]).forEach((w, k) => {
          const g = layers[k]!;
          expect(g.l).toBe(w.l);
          const scale = Math.max(maxAbs(grams[k]!.data), maxAbs(grams[k + 1]!.data)) * inp.n;
          close(g.lambda_l, w.lambda_l, 1e-11, 1e-13 * scale);
          close(g.lambda_min_AlAlT_over_m, w.lambda_min_AlAlT_over_m, 1e-11, 1e-13 * scale);
        });
        close(layers[inp.L - 1]!.lambda_min_AlAlT_over_m, e['lambda_min_AL_AL^T_over_mL'], 1e-11, 1e-13 * maxAbs(grams[inp.L]!.data) * inp.n);
      });
    });
  }
});

describe('infinite-width edge cases', () => {
  it('a copied activation (evaluated in JS, no odd-symmetry shortcut) gives the built-in kernels', () => {
    const fx = load('net_small_tanh_L2.json');
    const copy = { ...getActivation('tanh'), odd: false };
    const a = infiniteWidth(fx.inputs.X, { depth: 2, activation: copy, nu0sq: fx.inputs.nu0sq, spectrum: false });
    const b = infiniteWidth(fx.inputs.X, { depth: 2, activation: 'tanh', nu0sq: fx.inputs.nu0sq, spectrum: false });
    expect(maxAbs(a.Theta.data.map((v, q) => v - b.Theta.data[q]!))).toBeLessThan(1e-15);
    expect(a.lambda1Matrix).toBeNull();
    expect(a.lambdaMin).toBeNull();
  });
  it('outputs: Theta and the NNGP written into given arrays equal fresh ones; a wrong size is refused', () => {
    const fx = load('net_small_sigmoid_L2_unequal.json');
    const n = fx.inputs.n;
    const outputs = { Theta: new Float64Array(n * n).fill(NaN), NNGP: new Float64Array(n * n).fill(NaN) };
    const o = { depth: 2, activation: 'sigmoid', nu0sq: fx.inputs.nu0sq, spectrum: false };
    const a = infiniteWidth(fx.inputs.X, { ...o, outputs });
    const b = infiniteWidth(fx.inputs.X, o);
    expect(a.Theta.data).toBe(outputs.Theta);
    expect(Array.from(a.Theta.data)).toEqual(Array.from(b.Theta.data));
    expect(Array.from(a.NNGP.data)).toEqual(Array.from(b.NNGP.data));
    expect(() => infiniteWidth(fx.inputs.X, { ...o, outputs: { Theta: new Float64Array(3) } })).toThrow(/outputs.Theta/);
  });
  it('depth 1 with the matrix of lambda_1 kept: NNGP = sv2 E_1 and Theta = E_1 + sv2 Ed_1 o X X^T / d', () => {
    const X = [[1, 0.5], [-0.3, 1.2], [0.7, -0.9]];
    const r = infiniteWidth(X, { depth: 1, activation: 'erf', nu0sq: 1.3, sv2: 0.7, lambda1Matrix: true, spectrum: false });
    const E1 = lambda1Matrix(X, 'erf', 1.3);
    for (let q = 0; q < 9; q++) expect(r.NNGP.data[q]).toBeCloseTo(0.7 * E1.data[q]!, 15);
    expect(r.lambda1Matrix!.data).toEqual(E1.data);
    // Theta, with Ed_1 in closed form for erf (erf' = 2/sqrt(pi) e^{-x^2}): under the
    // covariance S = nu0sq X X^T / d, E[erf'(u) erf'(v)] = (4/pi) / sqrt((1 + 2 S_ii)(1 + 2 S_jj) - 4 S_ij^2).
    const dot = (i: number, j: number) => (X[i]![0]! * X[j]![0]! + X[i]![1]! * X[j]![1]!) / 2;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const S = (p: number, q: number) => 1.3 * dot(p, q);
        const Ed = (4 / Math.PI) / Math.sqrt((1 + 2 * S(i, i)) * (1 + 2 * S(j, j)) - 4 * S(i, j) ** 2);
        const want = E1.data[i * 3 + j]! + 0.7 * Ed * dot(i, j);
        expect(Math.abs(r.Theta.data[i * 3 + j]! - want), `Theta[${i}][${j}]`).toBeLessThanOrEqual(1e-14 * Math.abs(want));
      }
    }
  });
});

describe('Theorem 4.1 edge cases', () => {
  const cli = [[1, 1.1, 0.9], [0.6, 0.7, 0.65], [0.55, 0.6, 0.62]];
  it('sigma0^2 > 2 drives the max over r to rmax and is flagged vacuous', () => {
    const rep = theorem41({ activation: 'tanh', sigma0: 2, cli, lambda1: 0.01, rmax: 30 });
    // tanh is odd: mu_30 = 0, so the max runs to the last odd r.
    expect(rep.bound_expand.r_best).toBe(29);
    expect(rep.vacuous).toBe(true);
    expect(rep.vacuous_reason).toMatch(/sigma0\^2/);
  });
  it('odd activations have mu_2 = 0, so the max sits at r = 3', () => {
    const rep = theorem41({ activation: 'erf', sigma0: 1, cli, lambda1: 0.01 });
    expect(rep.bound_expand.r_best).toBe(3);
    expect(rep.bound_expand.mu0sq_by_r[2]).toBeLessThan(1e-30);
  });
  it('assumptions: sigmoid breaks phi(0) = 0, erf and gelu the 1-Lipschitz assumption, user functions are checked', () => {
    expect(assumptionsBroken('tanh')).toEqual([]);
    expect(assumptionsBroken('sigmoid')[0]).toMatch(/phi\(0\)/);
    expect(assumptionsBroken('erf')[0]).toMatch(/Lipschitz/);
    expect(assumptionsBroken('gelu')[0]).toMatch(/Lipschitz/);
    expect(assumptionsBroken('sin')).toEqual([]);
    expect(assumptionsBroken((x) => 2 * Math.tanh(x) + 0.1)).toHaveLength(2);
  });
  it('rejects bad input with one clear error', () => {
    expect(() => theorem41({ activation: 'tanh', sigma0: -1, cli, lambda1: 0.01 })).toThrow(/sigma0/);
    expect(() => theorem41({ activation: 'tanh', sigma0: 1, cli: [cli[0]!], lambda1: 0.01 })).toThrow(/cli/);
    expect(() => theorem41({ activation: 'tanh', sigma0: 1, cli: [[1, 2], [1]], lambda1: 0.01 })).toThrow(/cli/);
    expect(() => theorem41({ activation: 'tanh', sigma0: 1, cli, lambda1: NaN })).toThrow(/lambda1/);
    expect(() => theorem41({ activation: 'tanh', sigma0: 1, cli, lambda1: 0.1, rmax: 1 })).toThrow(/rmax/);
    expect(() => infiniteWidth([[1, 2]], { depth: 0, activation: 'tanh', nu0sq: 1 })).toThrow(/depth/);
    expect(() => infiniteWidth([[1, NaN]], { depth: 1, activation: 'tanh', nu0sq: 1 })).toThrow(/X/);
    expect(() => infiniteWidth([[1, 2]], { depth: 1, activation: 'tanh', nu0sq: -1 })).toThrow(/nu0sq/);
    expect(() => infiniteWidth([[1, 2]], { depth: 1, activation: 'tanh', nu0sq: 1, method: 'closed-form' })).toThrow(/erf/);
    expect(() => lemma41Layers({ activation: 'tanh', nu0sq: 1, grams: [[[1]]] })).toThrow(/grams/);
  });
});
