/**
 * Property tests: on random shapes and values every wasm kernel (SIMD on 1 and 2 threads, and
 * the scalar build) agrees with its js twin, within a rounding bound derived for each kernel
 * (or bitwise where both sides do the same operations in the same order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActivationIds, activationNames } from '../src/activations.js';
import type { Backend } from '../src/backend/types.js';
import { infiniteWidth } from '../src/theory/infinite-width.js';
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

  it('mehlerPairs through infiniteWidth: Theta and the NNGP within 1e-14 of js on random data', async () => {
    await both();
    const acts = fc.constantFrom('tanh', 'sigmoid', 'gelu', 'softplus', 'sin', 'erf');
    fc.assert(fc.property(dim(10), dim(5), fc.integer({ min: 1, max: 2 }), acts, fc.double({ min: 0.3, max: 3, noNaN: true }), fc.nat(),
      (n, d, depth, activation, nu0sq, seed) => {
        const X = { rows: n, cols: d, data: randomArray(n * d, seed).map((v) => 2 * v) };
        const opts = { depth, activation, nu0sq, spectrum: false, method: 'series' as const };
        const w = infiniteWidth(X, { ...opts, backend: be }), j = infiniteWidth(X, { ...opts, backend: js });
        let tmax = 0, err = 0, gmax = 0, gerr = 0;
        for (let q = 0; q < n * n; q++) {
          tmax = Math.max(tmax, Math.abs(j.Theta.data[q]!));
          err = Math.max(err, Math.abs(w.Theta.data[q]! - j.Theta.data[q]!));
          gmax = Math.max(gmax, Math.abs(j.NNGP.data[q]!));
          gerr = Math.max(gerr, Math.abs(w.NNGP.data[q]! - j.NNGP.data[q]!));
        }
        expect(err).toBeLessThanOrEqual(1e-14 * tmax);
        expect(gerr).toBeLessThanOrEqual(1e-14 * gmax);
      }), { numRuns: 12 });
  });
});
