// The activation kernel (phi and phi' in one pass) on every backend against a 200-bit BigInt
// reference (test/helpers/bigfloat.ts), known values, closed forms, central differences, the
// special points (0, tiny, saturation, +-Infinity, NaN), every SIMD tail length and aliasing;
// and the activation table's ids and properties against assembly/activation-ids.ts and theory.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniformPoints } from './helpers/reference.js';
import { ActivationIds, activationNames, activations, getActivation, type ActivationName } from '../src/activations.js';
import type { Backend } from '../src/backend/types.js';
import { backendCases, jsCase, wasmCase } from './helpers/backends.js';
import * as B from './helpers/bigfloat.js';

// ---------------------------------------------------------------- reference

const ONE = B.fromInt(1), TWO = B.fromInt(2);
const MIN_NORMAL = 2 ** -1022;

interface Ref { phi: B.BF | number; dphi: B.BF | number; dphiScale?: B.BF }

/**
 * phi(x) and phi'(x) at 200 bits, or the exact double where float64 saturates (a number).
 * `dphiScale` is the size of the terms phi' is a sum of, where they cancel (GELU' near its zero).
 */
function reference(name: ActivationName, x: number): Ref {
  const X = B.bf(x);
  const ax = B.abs(X);
  switch (name) {
    case 'tanh': {
      const em = B.expm1(B.mul(TWO, X));
      const e = B.exp(B.mul(B.fromInt(-2), ax));
      const onePlus = B.add(ONE, e);
      return { phi: B.div(em, B.add(em, TWO)), dphi: B.div(B.mul(B.fromInt(4), e), B.mul(onePlus, onePlus)) };
    }
    case 'sigmoid': case 'softplus': {
      const e = B.exp(B.neg(X));
      const sig = B.div(ONE, B.add(ONE, e));
      const dsig = B.div(e, B.mul(B.add(ONE, e), B.add(ONE, e)));
      if (name === 'sigmoid') return { phi: sig, dphi: dsig };
      // log((1 + e^x)/2) = log1p(expm1(x)/2); for x > 0 as x + log1p(expm1(-x)/2).
      const sp = x <= 0
        ? B.log1p(B.ldexp(B.expm1(X), -1))
        : B.add(X, B.log1p(B.ldexp(B.expm1(B.neg(X)), -1)));
      return { phi: sp, dphi: sig };
    }
    case 'erf': {
      const d = B.div(B.mul(TWO, B.exp(B.neg(B.mul(X, X)))), B.sqrt(B.pi()));
      if (Math.abs(x) > 7) return { phi: Math.sign(x), dphi: d }; // erf = +-1 to 1e-23
      return { phi: B.erfPair(X).erf, dphi: d };
    }
    case 'gelu': {
      if (x > 9) return { phi: x, dphi: 1 }; // 1 - Phi(9) = 1e-19: x Phi(x) rounds to x
      if (x < -39) return { phi: 0, dphi: 0 }; // |x Phi(x)|, |GELU'| < 1e-328: zero in float64
      const cdf = B.normalCdf(X), xpdf = B.mul(X, B.normalPdf(X));
      return { phi: B.mul(X, cdf), dphi: B.add(cdf, xpdf), dphiScale: B.add(B.abs(cdf), B.abs(xpdf)) };
    }
    case 'sin': {
      const { sin, cos } = B.sinCos(X);
      return { phi: sin, dphi: cos };
    }
    case 'relu':
      // Exact in float64; phi'(0) = 0 by the library's convention.
      return { phi: x > 0 ? x : 0, dphi: x > 0 ? 1 : 0 };
  }
}

/**
 * |y - r| / max(|r|, scale): relative, except against the size of the terms that cancel
 * (scale). Results below 2^-1022 have fewer bits and are compared absolutely: 20 units of
 * 2^-1074 (a subnormal Gaussian factor's rounding times |x|/sqrt(2 pi) <= 16 in GELU') count as
 * TOL. Saturated refs (numbers) are compared exactly, -0 and 0 alike.
 */
function errorOf(y: number, r: B.BF | number, scale?: B.BF): number {
  if (typeof r === 'number') return y === r ? 0 : Infinity;
  if (!Number.isFinite(y)) return Infinity;
  const d = B.toNumber(B.abs(B.sub(B.bf(y), r, 80)));
  const den = Math.max(Math.abs(B.toNumber(r)), scale ? B.toNumber(scale) : 0);
  if (den < MIN_NORMAL) return (d / (20 * 2 ** -1074)) * TOL;
  return d / den;
}

const uniform = uniformPoints;

// 37.55-37.7: Phi, then x Phi(x), then GELU' leave the normal range.
const SPECIAL = [0, 1e-300, 1e-8, 0.3, 0.5, 0.625, 0.7071, 0.7518, 1, 2, 3, 5.9, 20, 26.5, 37, 37.55, 37.6, 37.65, 37.7, 40, 354.6, 700, 708.5, 745]
  .flatMap((v) => (v === 0 ? [0] : [v, -v]));
// Around 330 points per activation: uniform on [-8, 8] and [-40, 40], where GELU underflows,
// and the special points.
const POINTS = Float64Array.from([...uniform(240, -8, 8, 21), ...uniform(40, -40, 40, 22), ...uniform(10, -37.8, -37.5, 23), ...SPECIAL]);
const refs = new Map<ActivationName, Ref[]>();

beforeAll(() => {
  for (const name of activationNames) refs.set(name, Array.from(POINTS, (x) => reference(name, x)));
}, 120_000);

/** Relative accuracy asked of every backend where the function is well conditioned. */
const TOL = 1e-15;

function run(be: Backend, name: ActivationName, x: Float64Array): { phi: Float64Array; dphi: Float64Array } {
  const phi = new Float64Array(x.length), dphi = new Float64Array(x.length);
  be.activation(ActivationIds[name], x, phi, dphi);
  return { phi, dphi };
}

// ---------------------------------------------------------------- per backend

describe.each(backendCases)('activation kernel on $name', ({ get }) => {
  let be: Backend;
  beforeAll(async () => { be = await get(); });

  it.each(activationNames.map((n) => [n]))('%s: phi and phi\' within 1e-15 of the 200-bit reference', (name) => {
    const { phi, dphi } = run(be, name, POINTS);
    const r = refs.get(name)!;
    let worstF = 0, worstD = 0, atF = NaN, atD = NaN;
    for (let i = 0; i < POINTS.length; i++) {
      const ef = errorOf(phi[i]!, r[i]!.phi), ed = errorOf(dphi[i]!, r[i]!.dphi, r[i]!.dphiScale);
      if (ef > worstF) { worstF = ef; atF = POINTS[i]!; }
      if (ed > worstD) { worstD = ed; atD = POINTS[i]!; }
    }
    expect(worstF, `phi worst at x = ${atF}`).toBeLessThanOrEqual(TOL);
    expect(worstD, `phi' worst at x = ${atD}`).toBeLessThanOrEqual(TOL);
  });

  it('matches known values of erf and GELU', () => {
    const x = Float64Array.of(0.5, 1, 2, -3);
    const erf = run(be, 'erf', x).phi, gelu = run(be, 'gelu', x).phi;
    const close = (a: number, b: number, tol: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThanOrEqual(tol);
    close(erf[0]!, 0.5204998778130465, 2.3e-16);
    close(erf[1]!, 0.8427007929497149, 2.3e-16);
    close(erf[2]!, 0.9953222650189527, 2.3e-16);
    close(gelu[1]!, 0.8413447460685429, 2.3e-16); // Phi(1)
    // GELU(-3) = -3 Phi(-3), Phi(-3) = 0.0013498980316300946 (tabulated).
    close(gelu[3]!, -3 * 0.0013498980316300946, 4.5e-16);
  });

  it('phi\' matches a central difference of phi (independent, loose)', () => {
    const x = Float64Array.from(uniform(101, -4, 4, 31));
    const h = 2 ** -16;
    const xp = x.map((v) => v + h), xm = x.map((v) => v - h);
    for (const name of activationNames) {
      const d = run(be, name, x).dphi, fp = run(be, name, xp).phi, fm = run(be, name, xm).phi;
      for (let i = 0; i < x.length; i++) {
        // relu's kink: the difference straddling 0 is not its derivative.
        if (!activations[name].smooth && Math.abs(x[i]!) <= h) continue;
        // Truncation h^2 |phi'''| / 6 < 2e-10; rounding 2^-52 * |phi| / h < 5e-11.
        expect(Math.abs((fp[i]! - fm[i]!) / (2 * h) - d[i]!), `${name} at ${x[i]}`).toBeLessThan(1e-9);
      }
    }
  });

  it('phi\' satisfies the closed forms', () => {
    const x = Float64Array.from(uniform(200, -3, 3, 41));
    const t = run(be, 'tanh', x), s = run(be, 'sigmoid', x), sp = run(be, 'softplus', x);
    const sn = run(be, 'sin', x), er = run(be, 'erf', x), g = run(be, 'gelu', x), re = run(be, 'relu', x);
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      // Each side is a few roundings of O(1) numbers (the exp-based ones also carry x^2's
      // rounding, up to 9 ulps at |x| = 3): 1e-15 absolute, or relative where the value is small.
      expect(Math.abs(t.dphi[i]! - (1 - t.phi[i]! ** 2))).toBeLessThanOrEqual(TOL);
      expect(Math.abs(s.dphi[i]! - s.phi[i]! * (1 - s.phi[i]!))).toBeLessThanOrEqual(TOL);
      expect(Math.abs(sp.dphi[i]! - s.phi[i]!) / s.phi[i]!).toBeLessThanOrEqual(TOL); // softplus' = sigmoid
      expect(Math.abs(sn.phi[i]! ** 2 + sn.dphi[i]! ** 2 - 1)).toBeLessThanOrEqual(TOL);
      expect(re.phi[i]! === re.dphi[i]! * v).toBe(true); // relu = x 1{x > 0}, exactly
      expect(Math.abs(er.dphi[i]! - (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v)) / er.dphi[i]!).toBeLessThanOrEqual(3 * TOL);
      if (v !== 0) {
        const cdf = g.phi[i]! / v, pdf = Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
        expect(Math.abs(g.dphi[i]! - (cdf + v * pdf))).toBeLessThanOrEqual(2 * TOL);
      }
    }
  });

  it('gives NaN for NaN and the limits at +-Infinity, never a trap', () => {
    const limits: Record<ActivationName, [number, number, number, number]> = {
      // phi(+inf), phi'(+inf), phi(-inf), phi'(-inf)
      tanh: [1, 0, -1, 0],
      sigmoid: [1, 0, 0, 0],
      erf: [1, 0, -1, 0],
      gelu: [Infinity, 1, 0, 0],
      softplus: [Infinity, 1, -Math.LN2, 0],
      sin: [NaN, NaN, NaN, NaN],
      relu: [Infinity, 1, 0, 0],
    };
    // NaN and infinities at every lane position (pairs and the scalar tail).
    const x = Float64Array.of(NaN, 1, Infinity, -Infinity, NaN, -Infinity, Infinity);
    for (const name of activationNames) {
      const { phi, dphi } = run(be, name, x);
      const [fp, dp, fm, dm] = limits[name];
      for (const i of [0, 4]) {
        expect(phi[i], `${name} phi(NaN)`).toBeNaN();
        expect(dphi[i], `${name} phi'(NaN)`).toBeNaN();
      }
      for (const i of [2, 6]) { expect(phi[i], `${name}(+inf)`).toBe(fp); expect(dphi[i], `${name}'(+inf)`).toBe(dp); }
      for (const i of [3, 5]) {
        // toBe compares with Object.is: NaN is NaN (sin); +-0 are both the limit 0, so compare with ===.
        if (Number.isNaN(fm)) { expect(phi[i]).toBeNaN(); expect(dphi[i]).toBeNaN(); continue; }
        expect(phi[i]! === fm, `${name}(-inf) = ${phi[i]}`).toBe(true);
        expect(dphi[i]! === dm, `${name}'(-inf) = ${dphi[i]}`).toBe(true);
      }
      expect(Number.isFinite(phi[1]!) && Number.isFinite(dphi[1]!)).toBe(true);
    }
  });

  it('odd activations are odd and keep the sign of zero', () => {
    const x = Float64Array.from([...uniform(33, -30, 30, 51), 0, -0, 1e-300]);
    const mx = x.map((v) => -v);
    for (const name of activationNames.filter((n) => activations[n].odd)) {
      const a = run(be, name, x), b = run(be, name, mx);
      for (let i = 0; i < x.length; i++) {
        expect(b.phi[i], `${name}(-${x[i]})`).toBe(-a.phi[i]!);
        expect(b.dphi[i], `${name}'(-${x[i]})`).toBe(a.dphi[i]!);
      }
      expect(Object.is(run(be, name, Float64Array.of(-0)).phi[0], -0), `${name}(-0)`).toBe(true);
    }
  });

  it.each([0, 1, 2, 3, 5, 17, 63, 65])('length %i (every SIMD tail) agrees with the js reference', async (n) => {
    const js = await jsCase.get();
    const x = Float64Array.from(uniform(n, -6, 6, 60 + n));
    for (const name of activationNames) {
      const got = run(be, name, x), want = run(js, name, x);
      for (let i = 0; i < n; i++) {
        expect(errorOf(got.phi[i]!, B.bf(want.phi[i]!)), `${name} phi[${i}] n=${n}`).toBeLessThanOrEqual(TOL);
        expect(errorOf(got.dphi[i]!, B.bf(want.dphi[i]!), name === 'gelu' ? B.fromInt(1) : undefined),
          `${name} dphi[${i}] n=${n}`).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it('long arrays (several chunks, split over threads) agree with the js reference, aliasing included', async () => {
    const js = await jsCase.get();
    const n = 70001; // > 8 chunks of 8192 and above the 2^16 threshold for threads
    const x = Float64Array.from(uniform(n, -10, 10, 80));
    for (const name of activationNames) {
      const want = run(js, name, x);
      const y = x.slice(), d = new Float64Array(n);
      be.activation(ActivationIds[name], y, y, d);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        worst = Math.max(worst, Math.abs(y[i]! - want.phi[i]!) / Math.max(Math.abs(want.phi[i]!), MIN_NORMAL));
        worst = Math.max(worst, Math.abs(d[i]! - want.dphi[i]!) / Math.max(Math.abs(want.dphi[i]!), name === 'gelu' ? 1 : MIN_NORMAL));
      }
      // Both sides within a few ulps of the exact value (checked above), so within 1e-15 of each other.
      expect(worst, name).toBeLessThanOrEqual(TOL);
    }
  });

  it('writes only what is asked for and allows phi or phi\' over x', () => {
    const x0 = Float64Array.from(uniform(37, -5, 5, 70));
    for (const name of activationNames) {
      const full = run(be, name, x0);
      // phi only, phi' only: the other output untouched (null), results identical.
      const p = new Float64Array(37), d = new Float64Array(37);
      be.activation(ActivationIds[name], x0, p, null);
      be.activation(ActivationIds[name], x0, null, d);
      expect(p).toEqual(full.phi);
      expect(d).toEqual(full.dphi);
      // phi written over x, phi' computed from the original x.
      const x = x0.slice(), d2 = new Float64Array(37);
      be.activation(ActivationIds[name], x, x, d2);
      expect(x).toEqual(full.phi);
      expect(d2).toEqual(full.dphi);
      // phi' written over x.
      const y = x0.slice(), p2 = new Float64Array(37);
      be.activation(ActivationIds[name], y, p2, y);
      expect(y).toEqual(full.dphi);
      expect(p2).toEqual(full.phi);
      expect(x0).toEqual(Float64Array.from(uniform(37, -5, 5, 70)));
    }
  });
});

// ---------------------------------------------------------------- ids and properties

describe('activation table', () => {
  it('has the same ids as assembly/activation-ids.ts', () => {
    const src = readFileSync(resolve(process.cwd(), 'assembly/activation-ids.ts'), 'utf8');
    const asIds: Record<string, number> = {};
    for (const m of src.matchAll(/export const ACT_([A-Z0-9_]+)\s*:\s*i32\s*=\s*(\d+)\s*;/g)) asIds[m[1]!.toLowerCase()] = Number(m[2]);
    expect(asIds).toEqual({ ...ActivationIds });
    expect(new Set(Object.values(ActivationIds)).size).toBe(activationNames.length);
  });

  it('dispatches every id of assembly/activation-ids.ts to the class of the same name in assembly/activation.ts', () => {
    const src = readFileSync(resolve(process.cwd(), 'assembly/activation.ts'), 'utf8');
    const dispatched = [...src.matchAll(/id == ACT_([A-Z0-9_]+)\) run<([A-Za-z0-9_]+)>/g)].map((m) => [m[1]!.toLowerCase(), m[2]!.toLowerCase()] as const);
    expect(dispatched.map(([id]) => id).sort()).toEqual([...activationNames].sort());
    for (const [id, cls] of dispatched) expect(cls, `ACT_${id.toUpperCase()}`).toBe(id);
  });

  it('each id makes the wasm kernel compute the activation of that name', async () => {
    // A name's reference and the kernel called with its id must agree; a swapped id would not.
    const be = await wasmCase.get();
    const x = Float64Array.of(-2.5, -0.75, 0.4, 1.7, 3.1);
    for (const name of activationNames) {
      const { phi, dphi } = run(be, name, x);
      for (let i = 0; i < x.length; i++) {
        const r = reference(name, x[i]!);
        expect(errorOf(phi[i]!, r.phi), `${name}(${x[i]})`).toBeLessThanOrEqual(TOL);
        expect(errorOf(dphi[i]!, r.dphi, r.dphiScale), `${name}'(${x[i]})`).toBeLessThanOrEqual(TOL);
      }
      expect(activations[name].id).toBe(ActivationIds[name]);
      expect(getActivation(name)).toBe(activations[name]);
    }
    expect(activationNames).toEqual(['tanh', 'sigmoid', 'erf', 'gelu', 'softplus', 'sin', 'relu']);
  });

  it('states phi(0), oddness and the Lipschitz constant correctly', () => {
    const grid = Array.from({ length: 40001 }, (_, i) => -20 + i * 0.001);
    for (const name of activationNames) {
      const a = activations[name];
      expect(a.phi(0), `${name} phi(0)`).toBe(a.phi0);
      expect(B.toNumber(B.bf(a.phi0)), name).toBe(a.phi0);
      const odd = grid.every((x) => Math.abs(a.phi(-x) + a.phi(x)) <= 1e-15 * (1 + Math.abs(a.phi(x))));
      expect(odd, `${name} odd`).toBe(a.odd);
      // sup |phi'| on a fine grid reaches the stated constant (to the grid's resolution) and
      // never exceeds it.
      const sup = Math.max(...grid.map((x) => Math.abs(a.dphi(x))));
      expect(sup, `${name} sup |phi'|`).toBeLessThanOrEqual(a.lipschitz * (1 + 1e-15));
      expect(sup, `${name} sup |phi'|`).toBeGreaterThan(a.lipschitz * (1 - 1e-6));
    }
    expect(activations.erf.lipschitz).toBeCloseTo(2 / Math.sqrt(Math.PI), 15);
    // GELU' peaks at sqrt 2 (GELU'' = pdf(x)(2 - x^2)): 1.1289...
    expect(activations.gelu.lipschitz).toBeCloseTo(1.1289041451851548, 14);
  });

  it('rejects unknown names with the valid ones in the message', () => {
    expect(() => getActivation('swish')).toThrow(/tanh, sigmoid, erf, gelu, softplus, sin, relu/);
  });
});
