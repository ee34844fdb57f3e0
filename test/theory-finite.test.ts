/**
 * Finite in, finite out for the theory (issue 15, item 3): Hermite coefficients at any accepted
 * order, conventions converted in logarithms with an error past float64, Theorem 4.2's constants
 * for extreme sigma0, and the CLI never printing NaN or Infinity with exit 0.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NtkInputError } from '../src/errors.js';
import { checkPrintable } from '../src/cli/common.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { evaluateNetwork } from '../src/network/evaluate.js';
import { convertCoefficients, hermite, hermiteCoefficients, hermiteSeries, normalizedHermiteTable } from '../src/theory/hermite.js';
import { trapezoidGrid } from '../src/theory/gauss.js';
import { theorem41 } from '../src/theory/theorem.js';
import { jsCase } from './helpers/backends.js';

const CLI = resolve('dist/cli/main.js');

describe('Hermite coefficients at high order', () => {
  it('agree with the unscaled table where it does not overflow, and stay finite where it does', () => {
    // Reference: b_r = sum_k w_k g(s t_k) p_r(t_k) from normalizedHermiteTable (no scaling), at
    // an order where p_r(12) < 1e31 is representable.
    const a = 2.5, R = 120;
    const g = trapezoidGrid(a);
    const P = normalizedHermiteTable(R, g.t);
    const m = g.half + 1, s = Math.sqrt(a);
    const h = hermiteCoefficients('tanh', a, { rmax: R, convention: 'orthonormal' });
    for (let r = 0; r <= R; r++) {
      let ref = 0;
      for (let k = 0; k < m; k++) {
        const wk = g.w[k]! * (k === 0 ? 1 : 1);
        const plus = Math.tanh(s * g.t[k]!), minus = Math.tanh(-s * g.t[k]!);
        ref += k === 0 ? wk * plus * P[r * m + k]! : wk * (plus + (r % 2 ? -minus : minus)) * P[r * m + k]!;
      }
      expect(Math.abs(h.coefficients[r]! - ref), `r = ${r}`).toBeLessThanOrEqual(1e-15);
    }
    // zmax = 60: p_r(60) overflows for r in the hundreds; the sqrt(w)-scaled recurrence does not,
    // and the far nodes add nothing (Cramer: |p_r(t)| e^{-t^2/4} <= 1.09).
    expect(() => normalizedHermiteTable(2000, Float64Array.of(60))).toThrow(NtkInputError);
    const wide = hermiteCoefficients('tanh', a, { rmax: 2000, convention: 'orthonormal', zmax: 60 });
    const std = hermiteCoefficients('tanh', a, { rmax: 2000, convention: 'orthonormal' });
    for (let r = 0; r <= 2000; r++) expect(Math.abs(wide.coefficients[r]! - std.coefficients[r]!), `r = ${r}`).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(std.parsevalResidual)).toBeLessThan(1e-14);
  });

  it('converts to expand/weighted in logarithms: exact where pow is, an error naming r past float64', () => {
    const a = 50;
    const h = hermiteCoefficients('tanh', a, { rmax: 400, convention: 'orthonormal' });
    const e = (() => { try { convertCoefficients(h.orthonormal, a, 'orthonormal', 'expand'); } catch (err) { return err as NtkInputError; } return null; })();
    expect(e).toBeInstanceOf(NtkInputError);
    expect(e!.parameter).toBe('rmax');
    const r0 = Number(/degree (\d+)/.exec(e!.message)![1]);
    expect(e!.message).toMatch(new RegExp(`use rmax <= ${r0 - 1}`));
    const ok = convertCoefficients(h.orthonormal.subarray(0, r0), a, 'orthonormal', 'expand');
    for (let r = 0; r < r0; r++) {
      expect(Number.isFinite(ok[r]!)).toBe(true);
      const want = h.orthonormal[r]! * Math.pow(a, r / 2);
      if (Number.isFinite(want)) expect(Math.abs(ok[r]! - want)).toBeLessThanOrEqual(1e-13 * Math.abs(want));
    }
    // Zeros (odd phi, even r) stay 0 instead of 0 * Infinity = NaN.
    expect(ok[2]).toBe(0);
  });

  it('hermite() and hermiteSeries refuse a value beyond float64 instead of returning Infinity or NaN', () => {
    expect(() => hermite(3000, 1, 60)).toThrow(/exceeds float64/);
    expect(Number.isFinite(hermite(30, 1, 3))).toBe(true);
    expect(() => hermiteSeries(Float64Array.from({ length: 400 }, () => 1), 1, 1e5, 'orthonormal')).toThrow(/overflows/);
  });
});

describe('Theorem 4.2 constants for extreme sigma0', () => {
  const cli = [Float64Array.of(1, 1.1, 0.9), Float64Array.of(0.8, 0.7, 0.75), Float64Array.of(0.6, 0.5, 0.55)];
  it('small sigma0: c0 tiny but finite; large: an error naming sigma0 with its power of ten', async () => {
    const backend = await jsCase.get();
    for (const sigma0 of [1e-6, 1e-3, 0.5, 1, 1.4, 3, 10]) {
      const t = theorem41({ activation: 'tanh', sigma0, cli, lambda1: 0.1, backend });
      for (const b of [t.bound_expand, t.bound_orthonormal, t.bound_weighted_literal]) {
        expect(() => checkPrintable(b), `sigma0 = ${sigma0}`).not.toThrow();
        expect(b.c0).toBeGreaterThanOrEqual(0);
        // c0 is the largest c0^{(l,r)} over r >= 2, computed in logarithms: it matches the product.
        expect(b.c0).toBe(Math.max(...b.c0_by_r.slice(2)));
      }
    }
    const e = (() => { try { theorem41({ activation: 'tanh', sigma0: 300, cli, lambda1: 0.1, backend }); } catch (err) { return err as NtkInputError; } return null; })();
    expect(e).toBeInstanceOf(NtkInputError);
    expect(e!.parameter).toBe('sigma0');
    expect(e!.message).toMatch(/is 10\^\d+\.\d at r = \d+, beyond float64.*vacuous/);
  });

  it('evaluateNetwork with sigma0 = 30 keeps its finite report and says why Theorem 4.1 is left out', async () => {
    const backend = await jsCase.get();
    const net = createNetwork({ d: 4, widths: [16, 16], activation: 'tanh', sigma0: 30, seed: 1 });
    const r = evaluateNetwork(net, gaussianData({ n: 6, d: 4, seed: 2 }), { backend });
    expect(r.theorem41).toBeNull();
    expect(r.notes!.join(' ')).toMatch(/Theorem 4.1 is not evaluated: sigma0: .*beyond float64/);
    expect(() => checkPrintable(r)).not.toThrow();
    expect(r.lemma42!.length).toBe(2);
  });
});

describe('the CLI never prints NaN or Infinity with exit 0', () => {
  it('checkPrintable names the first non-finite field', () => {
    expect(() => checkPrintable({ a: 1, b: { c: [1, NaN] } })).toThrow(/b\.c\[1\] is NaN/);
    expect(() => checkPrintable({ x: Float64Array.of(1, Infinity) })).toThrow(/x\[1\] is Infinity/);
    expect(() => checkPrintable({ a: null, b: 'NaN', c: [0, -1e308] })).not.toThrow();
  });

  it.each([
    ['--rmax', '2000', '--a', '50'], ['--rmax', '10000', '--a', '50', '--convention', 'orthonormal'], ['--rmax', '400', '--a', '0.001', '--convention', 'weighted'],
    ['--rmax', '10000', '--a', '100000'], ['--rmax', '300', '--a', '1e-300', '--json'],
  ])('ntk hermite %s %s %s %s', (...args) => {
    const r = spawnSync(process.execPath, [CLI, 'hermite', ...args], { encoding: 'utf8' });
    if (r.status === 0) expect(r.stdout).not.toMatch(/NaN|Infinity|null/);
    else {
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^ntk: error: rmax: .* beyond float64 \(1\.8e308\); use rmax <= \d+, or the orthonormal convention/);
    }
  });
});
