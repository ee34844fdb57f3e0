/**
 * Property tests: on random shapes and values every wasm kernel (SIMD on 1 and 2 threads, and
 * the scalar build) agrees with its js twin, within a rounding bound derived for each kernel
 * (or bitwise where both sides do the same operations in the same order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActivationIds, activationNames } from '../src/activations.js';
import type { Backend } from '../src/backend/types.js';
import { getActivation } from '../src/activations.js';
import { infiniteWidth, type InfiniteWidthResult } from '../src/theory/infinite-width.js';
import { MEHLER_TOL } from '../src/theory/pair-options.js';
import { jsCase, scalarCase, wasm2Case, wasmCase } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

const EPS = 2 ** -52;
const MIN_NORMAL = 2 ** -1022;
/** Enough runs to meet odd sizes, threads and tails, few enough for seconds per file. */
const RUNS = 30;

const dim = (max: number) => fc.integer({ min: 1, max });
const scalar = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });

/**
 * Checks |x - y| <= c * eps * bound + tiny elementwise: two summation orders of the same sum
 * of `terms` products differ by at most ~2 terms eps sum |products| (`bound` holds that sum).
 */
function expectWithin(x: Float64Array, y: Float64Array, bound: Float64Array, terms: number, what: string): void {
  for (let i = 0; i < y.length; i++) {
    const lim = 2 * (terms + 2) * EPS * bound[i]! + MIN_NORMAL;
    if (!(Math.abs(x[i]! - y[i]!) <= lim)) {
      expect.fail(`${what}: entry ${i}: ${x[i]} vs js ${y[i]} (bound ${lim})`);
    }
  }
}

/** sum_p |op(A)_ip| |op(B)_pj| * |alpha| + |beta C_ij|: the scale of each GEMM entry's rounding. */
function gemmScale(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, b: Float64Array, beta: number, c: Float64Array): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += Math.abs(tA ? a[p * m + i]! : a[i * k + p]!) * Math.abs(tB ? b[j * k + p]! : b[p * n + j]!);
    out[i * n + j] = Math.abs(alpha) * s + (beta === 0 ? 0 : Math.abs(beta * c[i * n + j]!));
  }
  return out;
}

function symmetric(n: number, seed: number): Float64Array {
  const k = randomArray(n * n, seed);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) k[j * n + i] = k[i * n + j]!;
  return k;
}

/**
 * sup |phi''| of the activations the infinite-width property draws (Activation carries phi' and
 * sup |phi'| only): tanh 4/(3 sqrt 3), sigmoid 1/(6 sqrt 3), GELU phi(0) 2 (at 0), softplus
 * sigmoid' <= 1/4, sin 1, erf 4 / sqrt(2 pi e) (at 1/sqrt 2).
 */
const SUP_D2: Record<string, number> = {
  tanh: 4 / (3 * Math.sqrt(3)), sigmoid: 1 / (6 * Math.sqrt(3)), gelu: 2 / Math.sqrt(2 * Math.PI),
  softplus: 0.25, sin: 1, erf: 4 / Math.sqrt(2 * Math.PI * Math.E),
};

/**
 * The largest |wasm - js| entry of Theta and the NNGP of {@link infiniteWidth} (depth 1 or 2),
 * with the limit the pair expectations' documented accuracy gives (src/theory/mehler.ts): each
 * backend's off-diagonal E_l and Ed_l are within eps_l sqrt(diag diag) of the exact kernels of
 * its Sigma_l, eps_l = tol (truncation) + nu_l (the Parseval resolution, when a pair of layer
 * l was certified only at tol + nu) + 2 sqrt(R_l + 1) u (the series' summation), the 2-D
 * fallback within less. Depth 1 (entry
 * by entry): Theta = E + sv2 Ed o Theta_1 is then within eps (sqrt(E_ii E_jj) + |Theta_1,ij|
 * sqrt(Ed_ii Ed_jj)), and returned is the entry nearest its limit.
 * Depth 2: layer 1's errors move Sigma_2 = nu0^2 E_1 by nu0^2 eps_1 e_1 (e_1 = max E_1,ii), which
 * moves E_2 and Ed_2 by at most sup|phi'|^2 and sup|phi''|^2 times that (Price's theorem:
 * dE[g(u)h(u')]/ds = E[g'(u)h'(u')]); Theta = E_2 + sv2 Ed_2 o Theta_int adds Ed_2's error times
 * Theta_int <= e_1 + nu0^2 sup|phi'|^2 max ||x||^2/d and Theta_int's own. Twice that for two
 * backends.
 */
function infiniteWidthDiscrepancy(X: { rows: number; cols: number; data: Float64Array }, opts: { depth: number; activation: string; nu0sq: number },
  w: InfiniteWidthResult, j: InfiniteWidthResult): { theta: { err: number; lim: number }; nngp: { err: number; lim: number } } {
  const n = X.rows, nu = opts.nu0sq, U = 2 ** -53;
  const act = getActivation(opts.activation);
  const d1 = act.lipschitz ** 2, d2 = SUP_D2[opts.activation]! ** 2;
  // nu_l counts only when a backend certified pairs at tol + nu (PairStats.resolutionPairs).
  const eps = j.stats.map((st, l) => {
    const both = [w.stats[l]!, st!];
    const nu = Math.max(...both.map((t) => (t.resolutionPairs > 0 ? t.resolution : 0)));
    return MEHLER_TOL + nu + 2 * Math.sqrt(Math.max(...both.map((t) => t.rmax)) + 1) * U;
  });
  const maxDiag = (a: Float64Array) => { let m = 0; for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i * n + i]!)); return m; };
  const maxErr = (a: Float64Array, b: Float64Array) => { let m = 0; for (let q = 0; q < n * n; q++) m = Math.max(m, Math.abs(a[q]! - b[q]!)); return m; };
  let theta = 0, eL = 0;
  const eLast = maxDiag(j.NNGP.data); // sv2 = 1: NNGP = E_L
  // Rounding of everything else (Gram matrix, Hadamard updates): a few ulps of the largest entry.
  const slack = 16 * U * maxDiag(j.Theta.data);
  if (opts.depth === 1) {
    // Entry by entry: E_ii = NNGP_ii and Ed_ii = (Theta_ii - E_ii) / Theta_1,ii, Theta_1 = X X^T / d.
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let c = 0; c < X.cols; c++) s += X.data[i * X.cols + c]! * X.data[k * X.cols + c]!;
      g[i * n + k] = g[k * n + i] = s / X.cols;
    }
    const E = (i: number) => j.NNGP.data[i * n + i]!;
    const Ed = (i: number) => (g[i * n + i]! > 0 ? Math.max(0, (j.Theta.data[i * n + i]! - E(i)) / g[i * n + i]!) : act.lipschitz ** 2);
    const worst = { theta: { err: 0, lim: 0, r: -1 }, nngp: { err: 0, lim: 0, r: -1 } };
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      const q = i * n + k, se = Math.sqrt(E(i) * E(k));
      const lt = 2 * eps[0]! * (se + Math.abs(g[q]!) * Math.sqrt(Ed(i) * Ed(k))) + slack, ln = 2 * eps[0]! * se + slack;
      const et = Math.abs(w.Theta.data[q]! - j.Theta.data[q]!), en = Math.abs(w.NNGP.data[q]! - j.NNGP.data[q]!);
      if (et / lt > worst.theta.r) worst.theta = { err: et, lim: lt, r: et / lt };
      if (en / ln > worst.nngp.r) worst.nngp = { err: en, lim: ln, r: en / ln };
    }
    return { theta: { err: worst.theta.err, lim: worst.theta.lim }, nngp: { err: worst.nngp.err, lim: worst.nngp.lim } };
  } else {
    let x2 = 0;
    for (let i = 0; i < n; i++) { let s = 0; for (let k = 0; k < X.cols; k++) s += X.data[i * X.cols + k]! ** 2; x2 = Math.max(x2, s / X.cols); }
    const e1 = Math.max(...j.sigmaDiagByLayer[1]!) / nu;
    const thetaInt = e1 + nu * d1 * x2;
    const dS = nu * eps[0]! * e1;
    eL = eps[1]! * eLast + d1 * dS;
    const dEd = eps[1]! * d1 + d2 * dS;
    theta = eL + dEd * thetaInt + d1 * eps[0]! * thetaInt;
  }
  return {
    theta: { err: maxErr(w.Theta.data, j.Theta.data), lim: 2 * theta + slack },
    nngp: { err: maxErr(w.NNGP.data, j.NNGP.data), lim: 2 * eL + slack },
  };
}

describe.each([wasmCase, wasm2Case, scalarCase])('wasm kernels agree with js on random inputs ($name)', ({ get }) => {
  let js: Backend, be: Backend;
  const both = async () => { js = await jsCase.get(); be = await get(); };

  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`gemm transA=${tA} transB=${tB}`, async () => {
      await both();
      // Sizes up to 90 reach the 2-thread split (2^18 multiply-adds) in some runs.
      fc.assert(fc.property(dim(90), dim(90), dim(90), scalar, fc.constantFrom(0, 0.5, -1), fc.nat(), (m, n, k, alpha, beta, seed) => {
        const a = randomArray(m * k, seed), b = randomArray(k * n, seed + 1), c0 = randomArray(m * n, seed + 2);
        const cw = beta === 0 ? new Float64Array(m * n).fill(NaN) : c0.slice();
        const cj = c0.slice();
        be.gemm(tA, tB, m, n, k, alpha, a, b, beta, cw);
        js.gemm(tA, tB, m, n, k, alpha, a, b, beta, cj);
        expectWithin(cw, cj, gemmScale(tA, tB, m, n, k, alpha, a, b, beta, c0), k, `gemm ${m}x${n}x${k}`);
      }), { numRuns: RUNS });
    });
  }

  it('syrk: agrees with js and is exactly symmetric', async () => {
    await both();
    fc.assert(fc.property(dim(80), dim(80), scalar, fc.constantFrom(0, 0.25), fc.nat(), (n, k, alpha, beta, seed) => {
      const a = randomArray(n * k, seed), c0 = symmetric(n, seed + 1);
      const cw = c0.slice(), cj = c0.slice();
      be.syrk(n, k, alpha, a, beta, cw);
      js.syrk(n, k, alpha, a, beta, cj);
      expectWithin(cw, cj, gemmScale(false, true, n, n, k, alpha, a, a, beta, c0), k, `syrk ${n}x${k}`);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(cw[i * n + j]).toBe(cw[j * n + i]);
    }), { numRuns: RUNS });
  });

  it('gramHadamardAcc: agrees with js and is exactly symmetric', async () => {
    await both();
    fc.assert(fc.property(dim(70), dim(40), dim(40), scalar, fc.nat(), (n, ka, kb, alpha, seed) => {
      const a = randomArray(n * ka, seed), b = randomArray(n * kb, seed + 1), k0 = symmetric(n, seed + 2);
      const kw = k0.slice(), kj = k0.slice();
      be.gramHadamardAcc(n, ka, a, kb, b, alpha, kw);
      js.gramHadamardAcc(n, ka, a, kb, b, alpha, kj);
      // Each entry is alpha (sum_p a a)(sum_q b b) + K0: the product of two sums' rounding.
      const ga = gemmScale(false, true, n, n, ka, 1, a, a, 0, k0), gb = gemmScale(false, true, n, n, kb, 1, b, b, 0, k0);
      const scale = ga.map((g, i) => Math.abs(alpha) * g * gb[i]! + Math.abs(k0[i]!));
      expectWithin(kw, kj, scale, ka + kb, `gramHadamardAcc ${n}x${ka}x${kb}`);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(kw[i * n + j]).toBe(kw[j * n + i]);
    }), { numRuns: RUNS });
  });

  // Values across the whole line: moderate ones, the saturated tails, the edges of float64.
  const special = [0, -0, 1e-310, -1e-310, 1e-300, 20, -20, 40, -40, 700, -700, 750, -750, 1e300, -1e300, Infinity, -Infinity, NaN];
  const xs = fc.array(fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.constantFrom(...special)), { minLength: 1, maxLength: 300 });
  for (const name of activationNames) {
    it(`activation ${name}: phi and phi' within 1e-15 of js (relative), NaN and limits alike`, async () => {
      await both();
      const id = ActivationIds[name];
      fc.assert(fc.property(xs, (list) => {
        const x = Float64Array.from(list);
        const pw = new Float64Array(x.length), dw = new Float64Array(x.length);
        const pj = new Float64Array(x.length), dj = new Float64Array(x.length);
        be.activation(id, x, pw, dw);
        js.activation(id, x, pj, dj);
        for (let i = 0; i < x.length; i++) {
          for (const [w, j, what] of [[pw[i]!, pj[i]!, 'phi'], [dw[i]!, dj[i]!, 'dphi']] as const) {
            if (!Number.isFinite(j) || !Number.isFinite(w)) { expect(Object.is(w, j) || (w === j), `${name} ${what}(${x[i]}): ${w} vs ${j}`).toBe(true); continue; }
            // GELU' changes sign near -0.75: relative to its scale 1 there (as in activations.test.ts).
            const den = Math.max(Math.abs(j), name === 'gelu' && what === 'dphi' ? 1 : MIN_NORMAL);
            expect(Math.abs(w - j) / den, `${name} ${what}(${x[i]}): ${w} vs ${j}`).toBeLessThanOrEqual(1e-15);
          }
        }
      }), { numRuns: RUNS });
    });
  }

  it('hadamard, axpy and scaleCols: bitwise the js results (same operations, no FMA)', async () => {
    await both();
    fc.assert(fc.property(dim(60), dim(60), scalar, fc.nat(), (rows, cols, alpha, seed) => {
      const len = rows * cols;
      const a = randomArray(len, seed), b = randomArray(len, seed + 1), s = randomArray(cols, seed + 2);
      const hw = new Float64Array(len), hj = new Float64Array(len);
      be.hadamard(hw, a, b); js.hadamard(hj, a, b);
      expect(hw).toEqual(hj);
      const yw = b.slice(), yj = b.slice();
      be.axpy(yw, alpha, a); js.axpy(yj, alpha, a);
      expect(yw).toEqual(yj);
      const sw = a.slice(), sj = a.slice();
      be.scaleCols(sw, rows, cols, s, alpha); js.scaleCols(sj, rows, cols, s, alpha);
      expect(sw).toEqual(sj);
    }), { numRuns: RUNS });
  });

  it('cholesky: solves of a random SPD matrix agree with js (to its condition), the residual is small', async () => {
    await both();
    fc.assert(fc.property(dim(90), fc.integer({ min: 1, max: 3 }), fc.nat(), (n, nrhs, seed) => {
      // A = B B^T / n + I: eigenvalues in [1, ~n], so a solve loses at most log10(n) digits.
      const bm = randomArray(n * n, seed);
      const A = new Float64Array(n * n);
      js.syrk(n, n, 1 / n, bm, 0, A);
      for (let i = 0; i < n; i++) A[i * n + i]! += 1;
      const rhs = randomArray(n * nrhs, seed + 1);
      const solve = (b: Backend) => b.cholesky(n, A, 0, true, (f) => {
        expect(f.info).toBe(0);
        const x = rhs.slice();
        f.solve(x, nrhs);
        const y = new Float64Array(n * nrhs);
        f.multiply(x, y, nrhs);
        return { x, y };
      });
      const w = solve(be), j = solve(js);
      let worst = 0, res = 0, xmax = 0;
      for (let i = 0; i < n * nrhs; i++) {
        worst = Math.max(worst, Math.abs(w.x[i]! - j.x[i]!));
        res = Math.max(res, Math.abs(w.y[i]! - rhs[i]!));
        xmax = Math.max(xmax, Math.abs(j.x[i]!));
      }
      expect(worst).toBeLessThanOrEqual(1e-13 * n * xmax);
      expect(res).toBeLessThanOrEqual(1e-13 * n);
    }), { numRuns: RUNS });
  });

  it('cholesky of an indefinite matrix reports the failing pivot, as js does', async () => {
    await both();
    fc.assert(fc.property(dim(40), fc.nat(), (n, seed) => {
      const A = symmetric(n, seed);
      for (let i = 0; i < n; i++) A[i * n + i] = -1 - Math.abs(A[i * n + i]!); // A_00 < 0: pivot 1 fails
      const info = (b: Backend) => b.cholesky(n, A, 0, false, (f) => f.info);
      expect(info(be)).toBe(1);
      expect(info(js)).toBe(1);
    }), { numRuns: 10 });
  });

  it('symEigvals: ascending eigenvalues within 1e-13 max|lambda| of js', async () => {
    await both();
    fc.assert(fc.property(dim(80), fc.nat(), (n, seed) => {
      const A = symmetric(n, seed);
      const ww = new Float64Array(n), wj = new Float64Array(n);
      expect(be.symEigvals(n, A, ww)).toBe(0);
      expect(js.symEigvals(n, A, wj)).toBe(0);
      const big = Math.max(Math.abs(wj[0]!), Math.abs(wj[n - 1]!));
      for (let i = 0; i < n; i++) {
        expect(Math.abs(ww[i]! - wj[i]!)).toBeLessThanOrEqual(1e-13 * big);
        if (i > 0) expect(ww[i]!).toBeGreaterThanOrEqual(ww[i - 1]!);
      }
    }), { numRuns: RUNS });
  });

  it('mehlerPairs: bitwise the js pair loop on random tables (NaN where uncertified)', async () => {
    await both();
    fc.assert(fc.property(dim(30), fc.constantFrom(1, 2), dim(40), fc.constantFrom(0, 1), fc.nat(), (n, nser, nterms, parity, seed) => {
      const cov = symmetric(n, seed);
      const isd = randomArray(n, seed + 1).map((v) => 0.5 + Math.abs(v));
      const coef = randomArray(nser * nterms * n, seed + 2).map((v) => v / 4);
      const tail = randomArray(nser * nterms * n, seed + 3).map((v) => Math.abs(v) / 2);
      const diag = randomArray(nser * n, seed + 4).map((v) => 1 + Math.abs(v));
      const ow = new Float64Array(nser * n * n), oj = new Float64Array(nser * n * n);
      const p = nser === 2 ? parity : 0;
      const bw = be.mehlerPairs(n, nser, nterms, cov, isd, coef, tail, diag, 1e-12, p, ow);
      const bj = js.mehlerPairs(n, nser, nterms, cov, isd, coef, tail, diag, 1e-12, p, oj);
      expect(bw).toBe(bj);
      expect(ow).toEqual(oj);
    }), { numRuns: RUNS });
  });

  it('mehlerPairs through infiniteWidth: Theta and the NNGP within the kernels\' derived accuracy of js on random data', async () => {
    await both();
    const acts = fc.constantFrom('tanh', 'sigmoid', 'gelu', 'softplus', 'sin', 'erf');
    fc.assert(fc.property(dim(10), dim(5), fc.integer({ min: 1, max: 2 }), acts, fc.double({ min: 0.3, max: 3, noNaN: true }), fc.nat(),
      (n, d, depth, activation, nu0sq, seed) => {
        const X = { rows: n, cols: d, data: randomArray(n * d, seed).map((v) => 2 * v) };
        const opts = { depth, activation, nu0sq, spectrum: false, method: 'series' as const };
        const w = infiniteWidth(X, { ...opts, backend: be }), j = infiniteWidth(X, { ...opts, backend: js });
        const c = infiniteWidthDiscrepancy(X, opts, w, j);
        expect(c.theta.err, `Theta: ${c.theta.err} > ${c.theta.lim}`).toBeLessThanOrEqual(c.theta.lim);
        expect(c.nngp.err, `NNGP: ${c.nngp.err} > ${c.nngp.lim}`).toBeLessThanOrEqual(c.nngp.lim);
      }), { numRuns: 12 });
  });

  it('the infiniteWidth tolerance still catches a pair loop that stops early', async () => {
    await both();
    // The pair loop certifying at 1e4 x its tolerance (a wrong truncation bound): the pair at
    // rho = 0.9918 of this case (softplus, variances 4.1 and 9.7) is then off by ~1e-11.
    const early: Backend = { ...js, mehlerPairs: (n, nser, nt, cov, isd, coef, tail, diag, eps, parity, out) => js.mehlerPairs(n, nser, nt, cov, isd, coef, tail, diag, eps * 1e4, parity, out) };
    const X = { rows: 6, cols: 2, data: randomArray(12, 2126004862).map((v) => 2 * v) };
    const opts = { depth: 1, activation: 'softplus', nu0sq: 2.9999874114989797, spectrum: false, method: 'series' as const };
    const c = infiniteWidthDiscrepancy(X, opts, infiniteWidth(X, { ...opts, backend: early }), infiniteWidth(X, { ...opts, backend: be }));
    expect(c.theta.err).toBeGreaterThan(c.theta.lim);
  });
});
