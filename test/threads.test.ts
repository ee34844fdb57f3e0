/**
 * More than two threads: the row splitting every parallel wasm kernel uses (splitRows), by
 * its properties, and the wasm backend on 3 and 8 threads (the default goes up to 8) against
 * 1 thread (the same kernels unsplit: equal to the last bit where each output element is
 * computed the same way whatever the split) and against the js backend (an independent twin).
 * Sizes sit just above each kernel's parallel threshold, with n not a multiple of the thread
 * count, so every split has ragged ends.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { splitRows } from '../src/backend/wasm/context.js';
import { createWasmBackend } from '../src/backend/wasm/index.js';
import type { Backend } from '../src/backend/types.js';
import { eigh, eigvalsh, isPositiveDefinite, lambdaMin } from '../src/linalg/index.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { infiniteWidth } from '../src/theory/index.js';
import { jsCase, relaxedCase, wasmCase } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

describe('splitRows: contiguous, complete, aligned, balanced', () => {
  it('covers [0, n) in order with at most `parts` non-empty ranges on aligned boundaries', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), fc.constantFrom(1, 2, 4),
      (n, parts, triangular, align) => {
        const r = splitRows(n, parts, triangular, align);
        expect(r.length).toBeLessThanOrEqual(parts);
        let prev = 0;
        for (const [a, b] of r) {
          expect(a).toBe(prev);
          expect(b).toBeGreaterThan(a);
          if (b !== n) expect(b % align).toBe(0);
          prev = b;
        }
        expect(prev).toBe(n);
      },
    ), { numRuns: 400 });
  });

  it('gives every part about 1/parts of the work (row i costs 1, or i + 1 for triangular kernels)', () => {
    for (const triangular of [false, true]) {
      for (const parts of [2, 3, 5, 8]) {
        for (const n of [97, 256, 700, 1001, 4099]) {
          const cost = (a: number, b: number) => (triangular ? (b * (b + 1) - a * (a + 1)) / 2 : b - a);
          const r = splitRows(n, parts, triangular);
          expect(r).toHaveLength(parts);
          const ideal = cost(0, n) / parts;
          // Rounding each of a part's two boundaries to a multiple of 4 moves it by at most 2
          // rows (of cost <= n each).
          const slack = 4 * (triangular ? n : 1) + 1;
          for (const [a, b] of r) expect(Math.abs(cost(a, b) - ideal), `${n} rows, ${parts} parts, [${a}, ${b})`).toBeLessThanOrEqual(slack);
        }
      }
    }
  });

  it('fewer rows than parts gives one range per aligned block, never an empty one', () => {
    expect(splitRows(3, 8)).toEqual([[0, 3]]);
    expect(splitRows(9, 8)).toEqual([[0, 4], [4, 8], [8, 9]]);
    expect(splitRows(0, 3)).toEqual([]);
    expect(splitRows(10, 1, true)).toEqual([[0, 10]]);
  });
});

const many: Record<string, Promise<Backend>> = {};
// As wasmCase (strict) or relaxedCase, on t threads.
const threaded = (t: number, variant: 'strict' | 'relaxed' = 'strict') => (many[`${variant} ${t}`] ??= createWasmBackend({ threads: t, variant }));
/** Each SIMD build with its 1-thread case: the split must not change the bits of either. */
const builds = [['strict', wasmCase], ['relaxed', relaxedCase]] as const;
afterAll(async () => { for (const p of Object.values(many)) await (await p).dispose(); });

/** The first index where x and y differ (as numbers; -1 when equal to the last bit). */
function firstDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Math.min(x.length, y.length);
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** Largest |x - y| over max |y|. */
function relDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0, m = 0;
  for (let i = 0; i < y.length; i++) { d = Math.max(d, Math.abs(x[i]! - y[i]!)); m = Math.max(m, Math.abs(y[i]!)); }
  return d / m;
}

describe.each([3, 8])('the wasm backend on %i threads', (threads) => {
  it('runs with that many threads', async () => {
    expect((await threaded(threads)).threads).toBe(threads);
  });

  it.each(builds)('GEMM split by rows and by columns, SYRK and the Gram-Hadamard update equal 1 thread bit for bit (%s)', async (variant, oneCase) => {
    const be = await threaded(threads, variant), one = await oneCase.get(), js = await jsCase.get();
    // Tall (rows split) and short-and-wide (columns split: fewer than 32 rows per thread).
    for (const [m, n, k] of [[301, 203, 67], [37, 1201, 61]] as const) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = randomArray(m * k, m + k), b = randomArray(k * n, n + k), c0 = randomArray(m * n, m * n);
        const out = (x: Backend) => { const c = c0.slice(); x.gemm(tA, tB, m, n, k, 0.7, a, b, -0.3, c); return c; };
        const want = out(one);
        expect(firstDiff(out(be), want), `gemm ${m}x${n}x${k} ${tA} ${tB}`).toBe(-1);
        expect(relDiff(out(js), want)).toBeLessThan(1e-14);
      }
    }
    const n = 333, k = 45;
    const a = randomArray(n * k, 5), b = randomArray(n * 17, 6);
    const syrk = (x: Backend) => { const c = new Float64Array(n * n); x.syrk(n, k, 1.5, a, 0, c); return c; };
    expect(firstDiff(syrk(be), syrk(one))).toBe(-1);
    expect(relDiff(syrk(js), syrk(one))).toBeLessThan(1e-14);
    const gh = (x: Backend) => { const c = randomArray(n * n, 9); for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) c[j * n + i] = c[i * n + j]!; x.gramHadamardAcc(n, k, a, 17, b, 0.5, c); return c; };
    expect(firstDiff(gh(be), gh(one))).toBe(-1);
    expect(relDiff(gh(js), gh(one))).toBeLessThan(1e-14);
  });

  it('eigvalsh, eigh, lambdaMin and isPositiveDefinite above the parallel thresholds (n = 701) agree with 1 thread and K v = lambda v', async () => {
    const be = await threaded(threads), one = await wasmCase.get();
    const n = 701, p = 760;
    // A well-conditioned Gram matrix + I: positive definite, so Cholesky (parallel above
    // n = 640) and Lanczos answer, and the tridiagonalization (parallel above 512) too.
    const g = randomArray(n * p, 3);
    const K = { rows: n, cols: n, data: new Float64Array(n * n) };
    one.syrk(n, p, 1 / p, g, 0, K.data);
    for (let i = 0; i < n; i++) K.data[i * n + i]! += 1;
    const w1 = eigvalsh(K, { backend: one }), wt = eigvalsh(K, { backend: be });
    const big = w1[n - 1]!;
    expect(relDiff(wt, w1)).toBeLessThanOrEqual(4e-15);
    const e = eigh(K, { backend: be });
    expect(relDiff(e.values, w1)).toBeLessThanOrEqual(4e-15);
    // K v = lambda v for a few columns.
    for (const j of [0, 350, n - 1]) {
      let res = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let q = 0; q < n; q++) s += K.data[i * n + q]! * e.vectors.data[q * n + j]!;
        res = Math.max(res, Math.abs(s - e.values[j]! * e.vectors.data[i * n + j]!));
      }
      expect(res, `column ${j}`).toBeLessThan(1e-13 * big);
    }
    const lt = lambdaMin(K, { backend: be, method: 'cholesky' });
    expect(lt.method, lt.fallback).toBe('cholesky-lanczos');
    expect(Math.abs(lt.value - w1[0]!)).toBeLessThanOrEqual(1e-13 * big);
    expect(isPositiveDefinite(K, { backend: be, margin: 0.999 * w1[0]! })).toBe(true);
    expect(isPositiveDefinite(K, { backend: be, margin: 1.001 * w1[0]! })).toBe(false);
  });

  it.each(builds)('the empirical NTK and the infinite-width kernel equal 1 thread\'s (%s)', async (variant, oneCase) => {
    const be = await threaded(threads, variant), one = await oneCase.get();
    const X = gaussianData({ n: 203, d: 30, seed: 4 });
    const net = createNetwork({ d: 30, widths: [257, 131], activation: 'tanh', sigma0: 1, seed: 2 });
    const nt = empiricalNtk(net, X, { backend: be }), n1 = empiricalNtk(net, X, { backend: one });
    expect(firstDiff(nt.K.data, n1.K.data)).toBe(-1);
    expect(firstDiff(nt.f, n1.f)).toBe(-1);
    nt.cli.forEach((c, l) => expect(firstDiff(c, n1.cli[l]!), `cli[${l}]`).toBe(-1));
    const o = { depth: 2, activation: 'tanh', nu0sq: 1.5, spectrum: false } as const;
    const it = infiniteWidth(X, { ...o, backend: be }), i1 = infiniteWidth(X, { ...o, backend: one });
    expect(firstDiff(it.Theta.data, i1.Theta.data)).toBe(-1);
    expect(firstDiff(it.NNGP.data, i1.NNGP.data)).toBe(-1);
  });
});
