// Closed-form Gaussian expectations carried by the activations (src/closed-forms.ts) against
// independent computations: the Mehler series (erf, sin: to ~1e-13), 1-D quadratures of the
// conditional expectations and the 2-D product trapezoid (relu, which is not smooth), and
// Hermite coefficients by Simpson's rule; and where the library uses them (c_phi, the
// infinite-width NTK, Theorem 4.1's constants for relu).
import { describe, expect, it } from 'vitest';
import { activationNames, getActivation } from '../src/activations.js';
import { erfForms, reluForms, sinForms } from '../src/closed-forms.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { normalCdf, normalPdf } from '../src/special.js';
import { cPhi, nu0sq } from '../src/theory/cphi.js';
import { hermiteCoefficients, orthonormalTrapezoid } from '../src/theory/hermite.js';
import { infiniteWidth, relativeFrobenius } from '../src/theory/infinite-width.js';
import { lambda1 } from '../src/theory/lambda1.js';
import { closedFormKernelMatrices } from '../src/theory/closed-form-kernels.js';
import { gaussKernelMatrices } from '../src/theory/mehler.js';
import { pairExpectation2d } from '../src/theory/trapezoid-2d.js';
import { assumptionsBroken, theorem41 } from '../src/theory/theorem.js';
import { backendCases } from './helpers/backends.js';

/** Composite Simpson of f on [lo, hi] with N (even) intervals. */
function simpson(f: (x: number) => number, lo: number, hi: number, N = 20000): number {
  const h = (hi - lo) / N;
  let s = f(lo) + f(hi);
  for (let k = 1; k < N; k++) s += (k % 2 ? 4 : 2) * f(lo + k * h);
  return (s * h) / 3;
}

/**
 * relu's pair expectations as 1-D integrals over z1 > 0 of the conditional ones
 * (u = sqrt(a) z1, u' = sqrt(b)(rho z1 + c z2)): E[relu(mu + s Z)] = mu Phi(mu/s) + s phi(mu/s),
 * P(mu + s Z > 0) = Phi(mu/s). The integrands are smooth on [0, inf): Simpson reaches ~1e-14.
 */
function reluBySimpson(a: number, b: number, rho: number): { E: number; Ed: number } {
  const c = Math.sqrt(1 - rho * rho), sb = Math.sqrt(b);
  const E = simpson((z) => {
    const mu = sb * rho * z, s = sb * c;
    return normalPdf(z) * Math.sqrt(a) * z * (mu * normalCdf(mu / s) + s * normalPdf(mu / s));
  }, 0, 14);
  const Ed = simpson((z) => normalPdf(z) * normalCdf((rho * z) / c), 0, 14);
  return { E, Ed };
}

/** A covariance nu X X^T / d of Gaussian rows, with two near-duplicate rows (|rho| near 1). */
function covariance(n: number, nu: number): Float64Array {
  const X = gaussianData({ n, d: 6, seed: 3 });
  X.data.set(X.data.subarray(0, 6).map((x, k) => x + 1e-3 * (k + 1)), 6); // row 1 ~ row 0
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < 6; k++) s += X.data[i * 6 + k]! * X.data[j * 6 + k]!;
    S[i * n + j] = (nu * s) / 6;
  }
  return S;
}

describe('activations carry their closed forms', () => {
  it('erf, sin and relu have them; the others do not; relu alone is not smooth', () => {
    expect(activationNames.filter((a) => getActivation(a).closedForms)).toEqual(['erf', 'sin', 'relu']);
    expect(getActivation('erf').closedForms).toBe(erfForms);
    expect(getActivation('sin').closedForms).toBe(sinForms);
    expect(getActivation('relu').closedForms).toBe(reluForms);
    expect(activationNames.filter((a) => !getActivation(a).smooth)).toEqual(['relu']);
  });
});

describe('closed forms against the Mehler series (smooth activations)', () => {
  for (const name of ['erf', 'sin'] as const) {
    it(`${name}: kernel matrices agree to 1e-13 of sqrt(E_ii E_jj), near-duplicate rows included`, () => {
      const n = 14, S = covariance(n, 1.7);
      const forms = getActivation(name).closedForms!;
      const cf = closedFormKernelMatrices({ rows: n, cols: n, data: S }, forms, true);
      const se = gaussKernelMatrices({ rows: n, cols: n, data: S }, name, { derivative: true });
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const q = i * n + j;
        const sE = Math.sqrt(cf.E.data[i * n + i]! * cf.E.data[j * n + j]!);
        const sD = Math.sqrt(cf.Ed!.data[i * n + i]! * cf.Ed!.data[j * n + j]!);
        expect(Math.abs(cf.E.data[q]! - se.E.data[q]!), `E ${i},${j}`).toBeLessThanOrEqual(1e-13 * sE);
        expect(Math.abs(cf.Ed!.data[q]! - se.Ed!.data[q]!), `Ed ${i},${j}`).toBeLessThanOrEqual(1e-13 * sD);
      }
    });

    it(`${name}: the infinite-width NTK and NNGP (L = 3) from the closed forms equal the series path to 1e-13`, () => {
      const X = gaussianData({ n: 10, d: 5, seed: 8 });
      const opts = { depth: 3, activation: name, nu0sq: 1.3, sv2: 0.7, spectrum: false };
      const cf = infiniteWidth(X, { ...opts, method: 'closed-form' });
      const auto = infiniteWidth(X, opts);
      const se = infiniteWidth(X, { ...opts, method: 'series' });
      expect(auto.Theta.data).toEqual(cf.Theta.data); // auto takes the closed forms
      expect(cf.stats.every((s) => s === null)).toBe(true);
      expect(relativeFrobenius(se.Theta, cf.Theta)).toBeLessThan(1e-13);
      expect(relativeFrobenius(se.NNGP, cf.NNGP)).toBeLessThan(1e-13);
    });
  }

  it('sin Hermite coefficients (closed form) equal the trapezoid rule to 1e-15', () => {
    for (const a of [0.3, 1, 2.5, 6]) {
      for (const derivative of [false, true]) {
        const cf = sinForms.hermite!(a, 40, derivative);
        const tr = orthonormalTrapezoid(derivative ? Math.cos : Math.sin, a, 40).b;
        for (let r = 0; r <= 40; r++) expect(Math.abs(cf[r]! - tr[r]!), `a=${a} r=${r}`).toBeLessThanOrEqual(1e-15);
      }
    }
  });

  it('c_phi from the closed forms equals the trapezoid rule (erf, sin)', () => {
    for (const name of ['erf', 'sin']) {
      for (const s of [0.3, 1, 1.7]) {
        const q = cPhi(name, s, { method: 'trapezoid' });
        expect(Math.abs(cPhi(name, s) - q)).toBeLessThanOrEqual(4.5e-16 * Math.max(1, q)); // an ulp or two each
      }
    }
  });
});

describe('relu: arc-cosine kernels and Hermite coefficients against quadrature', () => {
  const cases: [number, number][] = [[0.4, 0.9], [2, 2], [1, 5.5]];
  const rhos = [-0.95, -0.6, -0.1, 0, 0.3, 0.75, 0.95];

  it('pair kernels equal 1-D quadratures of the conditional expectations to 1e-13', () => {
    for (const [a, b] of cases) for (const rho of rhos) {
      const s = rho * Math.sqrt(a * b);
      const q = reluBySimpson(a, b, rho);
      const scale = Math.sqrt(a * b) / 2; // sqrt(E[relu(u)^2] E[relu(u')^2])
      expect(Math.abs(reluForms.pair(a, b, s) - q.E), `E a=${a} b=${b} rho=${rho}`).toBeLessThanOrEqual(1e-13 * scale);
      expect(Math.abs(reluForms.pairDerivative(a, b, s) - q.Ed), `Ed a=${a} b=${b} rho=${rho}`).toBeLessThanOrEqual(1e-13);
    }
  });

  it('pair kernels equal the 2-D product trapezoid to what it reaches across the kink, converging as h shrinks', () => {
    // The trapezoid rule is spectrally accurate for smooth integrands only. Across relu's kink
    // its error is O(h^2) (measured 3.2e-5 at the default h = 0.05), across the step's jump
    // O(h) (5.1e-3). Quartering h must cut them by about 16 and 4: the gap is the quadrature's,
    // not the closed forms'.
    const relu = getActivation('relu');
    for (const [a, b] of cases) for (const rho of [-0.6, 0.3, 0.75]) {
      const s = rho * Math.sqrt(a * b);
      const gap = (h: number) => {
        const [p, d] = pairExpectation2d([relu.phi, relu.dphi], a, b, rho, { h });
        return { E: Math.abs(reluForms.pair(a, b, s) - p!) / Math.sqrt(a * b), Ed: Math.abs(reluForms.pairDerivative(a, b, s) - d!) };
      };
      const coarse = gap(0.05), fine = gap(0.0125);
      const at = `a=${a} b=${b} rho=${rho}`;
      expect(coarse.E, at).toBeLessThanOrEqual(5e-5);
      expect(fine.E, at).toBeLessThanOrEqual(coarse.E / 10);
      expect(coarse.Ed, at).toBeLessThanOrEqual(1e-2);
      expect(fine.Ed, at).toBeLessThanOrEqual(coarse.Ed / 3);
    }
  });

  it('stay accurate at rho = +-1, where arccos loses digits, and at variance 0 (phi\'(0) = 0)', () => {
    expect(reluForms.pair(2, 2, 2)).toBe(1); // E[relu(u)^2] = a/2
    expect(reluForms.pairDerivative(3, 3, 3)).toBe(0.5);
    expect(reluForms.pair(2, 8, -4)).toBe(0);
    expect(reluForms.pairDerivative(2, 8, -4)).toBe(0);
    // rho = 1 - delta: theta = arccos(1 - delta) = 2 asin(sqrt(delta/2)) exactly; arccos itself
    // would lose half the digits of theta here.
    const rho = 1 - 1e-12, delta = 1 - rho, th = 2 * Math.asin(Math.sqrt(delta / 2));
    expect(Math.abs(reluForms.pairDerivative(1, 1, rho) - (Math.PI - th) / (2 * Math.PI))).toBeLessThanOrEqual(1.2e-16);
    const sinTh = Math.sin(th);
    expect(Math.abs(reluForms.pair(1, 1, rho) - (sinTh + (Math.PI - th) * rho) / (2 * Math.PI))).toBeLessThanOrEqual(1.2e-16);
    expect(reluForms.pair(0, 3, 0)).toBe(0);
    expect(reluForms.pairDerivative(0, 3, 0)).toBe(0);
    // Rounding past Cauchy-Schwarz is clamped, not NaN.
    expect(reluForms.pair(1, 1, 1 + 1e-15)).toBe(0.5);
  });

  it('Hermite coefficients equal Simpson\'s rule on each side of the kink (relu and its step)', () => {
    for (const a of [0.3, 1, 2.5]) {
      const b = reluForms.hermite!(a, 24, false), bd = reluForms.hermite!(a, 24, true);
      let p0 = 0, p1 = 0;
      for (let r = 0; r <= 24; r++) {
        // p_r = He_r / sqrt(r!) by its recurrence, at each node.
        const pr = (t: number) => { p0 = 1; p1 = t; if (r === 0) return 1; for (let k = 1; k < r; k++) { const p2 = (t * p1 - Math.sqrt(k) * p0) / Math.sqrt(k + 1); p0 = p1; p1 = p2; } return p1; };
        const want = Math.sqrt(a) * simpson((t) => t * pr(t) * normalPdf(t), 0, 14);
        const wantD = simpson((t) => pr(t) * normalPdf(t), 0, 14);
        // Measured up to 1.2e-14 (both sides carry r roundings of the recurrences).
        expect(Math.abs(b[r]! - want), `relu a=${a} r=${r}`).toBeLessThanOrEqual(3e-14);
        expect(Math.abs(bd[r]! - wantD), `step r=${r}`).toBeLessThanOrEqual(3e-14);
      }
      // Parseval: sum b_r^2 -> E[relu^2] = a/2; the tail decays like r^{-3/2}, slowly (the kink).
      const big = reluForms.hermite!(a, 4000, false);
      const sum = big.reduce((s, x) => s + x * x, 0);
      expect(a / 2 - sum).toBeGreaterThan(0);
      expect(a / 2 - sum).toBeLessThan(1e-3 * a);
      const h = hermiteCoefficients('relu', a, { rmax: 10, convention: 'orthonormal' });
      expect(h.method).toBe('closed-form');
      expect(Array.from(h.orthonormal)).toEqual(Array.from(b.subarray(0, 11)));
      expect(h.ePhi2).toBe(a / 2);
    }
  });

  it('the Mehler series on the closed-form coefficients meets the arc-cosine kernels for |rho| <= 0.5 (1e-13)', () => {
    for (const [a, b] of cases) for (const rho of [-0.5, -0.2, 0.1, 0.45]) {
      const s = rho * Math.sqrt(a * b);
      const m = gaussKernelMatrices([[a, s], [s, b]], 'relu', { derivative: true });
      expect(m.stats.fallbackPairs).toBe(0);
      expect(Math.abs(m.E.data[1]! - reluForms.pair(a, b, s))).toBeLessThanOrEqual(1e-13 * Math.sqrt(a * b));
      expect(Math.abs(m.Ed!.data[1]! - reluForms.pairDerivative(a, b, s))).toBeLessThanOrEqual(1e-13);
    }
  });

  it('c_phi = sigma0^2 / 2, so nu0^2 = 2 for every sigma0 (He initialization)', () => {
    for (const s of [0.1, 1, 3]) {
      expect(cPhi('relu', s)).toBe((s * s) / 2);
      expect(nu0sq('relu', s)).toBe(2);
    }
  });
});

describe.each(backendCases)('relu networks on $name', ({ get }) => {
  it('the empirical NTK approaches the arc-cosine infinite-width NTK like 1/sqrt(m)', async () => {
    const be = await get();
    const X = gaussianData({ n: 6, d: 5, seed: 2 });
    const theta = infiniteWidth(X, { depth: 2, activation: 'relu', nu0sq: 2, backend: be, spectrum: false }).Theta;
    const err = (m: number) => {
      // Mean of K over 8 fixed seeds (deterministic): the error shrinks like 1/sqrt(8 m).
      const K = new Float64Array(36);
      for (let seed = 0; seed < 8; seed++) {
        const net = createNetwork({ d: 5, widths: [m, m], activation: 'relu', sigma0: 1, seed });
        empiricalNtk(net, X, { backend: be }).K.data.forEach((v, q) => { K[q]! += v / 8; });
      }
      return relativeFrobenius({ rows: 6, cols: 6, data: K }, theta);
    };
    // Measured: 0.19 at m = 50, 0.015 at m = 3200 (erf's kernels behave alike).
    const e50 = err(50), e3200 = err(3200);
    expect(e3200).toBeLessThan(0.03);
    expect(e3200).toBeLessThan(0.25 * e50); // 64 times the width: about an eighth
  });

  it('Theorem 4.1\'s constants are computed for relu, and the report says which assumption it breaks', async () => {
    const be = await get();
    const X = gaussianData({ n: 8, d: 5, seed: 4 });
    const net = createNetwork({ d: 5, widths: [40, 40], activation: 'relu', sigma0: 1, seed: 1 });
    const { cli } = empiricalNtk(net, X, { backend: be });
    const l1 = lambda1(X, 'relu', 2, { backend: be });
    expect(l1).toBeGreaterThan(0);
    const t = theorem41({ activation: 'relu', sigma0: 1, cli, lambda1: l1, backend: be });
    expect(t.c).toBe(0.5);
    expect(t.nu0sq).toBe(2);
    // relu's odd coefficients beyond r = 1 vanish, the even ones do not.
    expect(t.bound_expand.mu0sq_by_r[3]).toBe(0);
    expect(t.bound_expand.mu0sq_by_r[2]).toBeGreaterThan(0);
    expect(t.bound_expand.c0).toBeGreaterThan(0);
    expect(t.assumptions_broken.join(' ')).toMatch(/not smooth/);
    expect(assumptionsBroken('tanh').join(' ')).not.toMatch(/smooth/);
  });
});
