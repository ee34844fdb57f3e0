import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendCases, jsCase, relaxed2Case, relaxedCase, wasm2Case, wasmCase } from './helpers/backends.js';
import { naiveGemm, randomArray, relErr } from './helpers/reference.js';
import { activations } from '../src/activations.js';
import type { Backend } from '../src/backend/types.js';

const ACT = { tanh: activations.tanh.id, sigmoid: activations.sigmoid.id };

// The odd sizes that hit every SIMD tail and edge tile of the 4x4 wasm kernel.
const SIZES = [1, 2, 3, 5, 17, 63, 65];
const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

/** Lower and upper triangle mirrored, as the symmetric kernels require of their K input. */
function symmetric(n: number, seed: number): Float64Array {
  const k = randomArray(n * n, seed);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) k[j * n + i] = k[i * n + j]!;
  return k;
}

/** alpha (A A^T) o (B B^T) + K0 by the textbook loops. */
function naiveGramHadamard(n: number, ka: number, a: Float64Array, kb: number, b: Float64Array,
  alpha: number, k0: Float64Array): Float64Array {
  const ga = naiveGemm(false, true, n, n, ka, 1, a, a, 0, new Float64Array(n * n));
  const gb = naiveGemm(false, true, n, n, kb, 1, b, b, 0, new Float64Array(n * n));
  return k0.map((v, i) => v + alpha * ga[i]! * gb[i]!);
}

function expectSymmetric(c: Float64Array, n: number): void {
  let asym = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (c[i * n + j] !== c[j * n + i]) asym++;
  expect(asym).toBe(0);
}

describe.each(backendCases)('BLAS-3 kernels on $name', ({ get }) => {
  for (const [tA, tB] of TRANSPOSES) {
    it(`gemm transA=${tA} transB=${tB} matches the triple loop on every odd size, beta 0 and not`, async () => {
      const be = await get();
      let worst = 0, seed = 1;
      for (const m of SIZES) for (const n of SIZES) for (const k of SIZES) {
        const a = randomArray(m * k, seed++), b = randomArray(k * n, seed++), c0 = randomArray(m * n, seed++);
        for (const [alpha, beta] of [[0.7, 0], [-1.3, 0.6]] as const) {
          const c = beta === 0 ? new Float64Array(m * n).fill(NaN) : c0.slice();
          be.gemm(tA, tB, m, n, k, alpha, a, b, beta, c);
          worst = Math.max(worst, relErr(c, naiveGemm(tA, tB, m, n, k, alpha, a, b, beta, c0)));
        }
      }
      expect(worst).toBeLessThan(1e-13);
    });
  }

  it('gemm crosses cache-block boundaries (300x257x129 and 129x300x257)', async () => {
    const be = await get();
    for (const [m, n, k] of [[300, 257, 129], [129, 300, 257]] as const) {
      for (const [tA, tB] of TRANSPOSES) {
        const a = randomArray(m * k, m), b = randomArray(k * n, n), c0 = randomArray(m * n, k);
        const c = c0.slice();
        be.gemm(tA, tB, m, n, k, 1.1, a, b, 0.3, c);
        expect(relErr(c, naiveGemm(tA, tB, m, n, k, 1.1, a, b, 0.3, c0))).toBeLessThan(1e-13);
      }
    }
  });

  it('gemm of a short, wide product (split by columns on threads)', async () => {
    const be = await get();
    const m = 5, n = 3001, k = 64;
    for (const [tA, tB] of TRANSPOSES) {
      const a = randomArray(m * k, 11), b = randomArray(k * n, 12);
      const c = new Float64Array(m * n);
      be.gemm(tA, tB, m, n, k, 1, a, b, 0, c);
      expect(relErr(c, naiveGemm(tA, tB, m, n, k, 1, a, b, 0, c))).toBeLessThan(1e-13);
    }
  });

  it('gemm takes flat arrays without leading dimensions: longer arrays are read and written only in their first m*k, k*n, m*n', async () => {
    const be = await get();
    const m = 7, n = 6, k = 5;
    const a = randomArray(m * k + 9, 21), b = randomArray(k * n + 4, 22);
    const c = new Float64Array(m * n + 5).fill(42);
    be.gemm(false, false, m, n, k, 1, a, b, 0, c);
    const ref = naiveGemm(false, false, m, n, k, 1, a.subarray(0, m * k), b.subarray(0, k * n), 0, c);
    expect(relErr(c.subarray(0, m * n), ref)).toBeLessThan(1e-13);
    expect(Array.from(c.subarray(m * n))).toEqual([42, 42, 42, 42, 42]);
  });

  it('gemm with alpha = 0 or k = 0 scales C by beta', async () => {
    const be = await get();
    const c = Float64Array.from([1, 2, 3, 4, 5, 6]);
    be.gemm(false, false, 2, 3, 0, 1, new Float64Array(0), new Float64Array(0), 2, c);
    expect(Array.from(c)).toEqual([2, 4, 6, 8, 10, 12]);
    be.gemm(false, false, 2, 3, 4, 0, randomArray(8, 1), randomArray(12, 2), 0, c);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('syrk equals the triple loop A A^T on odd sizes and is exactly symmetric', async () => {
    const be = await get();
    let worst = 0, seed = 100;
    for (const n of SIZES) for (const k of SIZES) {
      const a = randomArray(n * k, seed++), c0 = symmetric(n, seed++);
      for (const [alpha, beta] of [[2, 0], [-0.5, 1.5]] as const) {
        const c = beta === 0 ? new Float64Array(n * n).fill(NaN) : c0.slice();
        be.syrk(n, k, alpha, a, beta, c);
        worst = Math.max(worst, relErr(c, naiveGemm(false, true, n, n, k, alpha, a, a, beta, c0)));
        expectSymmetric(c, n);
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('gramHadamardAcc adds alpha (A A^T) o (B B^T) on odd sizes, exactly symmetric', async () => {
    const be = await get();
    let worst = 0, seed = 300;
    for (const n of SIZES) for (const ka of SIZES) {
      const kb = SIZES[(SIZES.indexOf(ka) + 2) % SIZES.length]!;
      const a = randomArray(n * ka, seed++), b = randomArray(n * kb, seed++), k0 = symmetric(n, seed++);
      const k = k0.slice();
      be.gramHadamardAcc(n, ka, a, kb, b, 0.5, k);
      worst = Math.max(worst, relErr(k, naiveGramHadamard(n, ka, a, kb, b, 0.5, k0)));
      expectSymmetric(k, n);
    }
    expect(worst).toBeLessThan(1e-13);
  });

  // The empirical NTK accumulates its layer terms into K's lower triangle and mirrors once, at
  // the last term: lowerOnly must give the full call's bits below the diagonal, leave the
  // upper triangle alone, and the chain must end exactly as the chain of full calls.
  it('syrk and gramHadamardAcc with lowerOnly: the full call\'s lower triangle, the upper one untouched; a chain mirrored at its end equals the full chain', async () => {
    const be = await get();
    const upper = (c: Float64Array, n: number) => { const u: number[] = []; for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) u.push(c[i * n + j]!); return u; };
    const lower = (c: Float64Array, n: number) => { const u: number[] = []; for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) u.push(c[i * n + j]!); return u; };
    let seed = 500;
    for (const [n, ka, kb] of [[1, 3, 2], [17, 5, 63], [65, 17, 3], [211, 190, 77]] as const) {
      const a = randomArray(n * ka, seed++), b = randomArray(n * kb, seed++);
      const full = new Float64Array(n * n), part = randomArray(n * n, seed++);
      const before = upper(part, n);
      be.syrk(n, ka, 0.5, a, 0, full);
      be.syrk(n, ka, 0.5, a, 0, part, true);
      expect(lower(part, n)).toEqual(lower(full, n));
      expect(upper(part, n)).toEqual(before);
      be.gramHadamardAcc(n, ka, a, kb, b, 0.25, full);
      be.gramHadamardAcc(n, ka, a, kb, b, 0.25, part, true);
      expect(lower(part, n)).toEqual(lower(full, n));
      expect(upper(part, n)).toEqual(before);
      be.gramHadamardAcc(n, kb, b, ka, a, 2, full);
      be.gramHadamardAcc(n, kb, b, ka, a, 2, part);
      expect(part).toEqual(full);
    }
  });

  // The NTK's layer steps: the epilogue is elementwise, so fusing it into the GEMM must not
  // change a bit against the GEMM followed by the elementwise pass (row by row, as the
  // epilogue pairs elements within rows). Shapes cross KC (256), the epilogue's 64-column
  // pieces (odd tails; exactly one piece), MC (128) and NC (2048); k = 0 gives H = 0.
  const EPI_SHAPES: [number, number, number][] = [[300, 257, 129], [129, 131, 300], [20, 64, 65], [5, 2100, 3], [7, 9, 0], [1, 1, 1]];
  it('gemmActivation equals gemm then the activation pass, bitwise; gemmHadamard equals gemm then hadamard', async () => {
    const be = await get();
    for (const [m, n, k] of EPI_SHAPES) {
      for (const transB of [true, false]) {
        const a = randomArray(m * k, m + 1), b = randomArray(k * n, n + 2);
        const h = new Float64Array(m * n), phi = new Float64Array(m * n).fill(NaN), dphi = new Float64Array(m * n).fill(NaN);
        be.gemmActivation(transB, m, n, k, 0.8, a, b, ACT.tanh, phi, dphi);
        be.gemm(false, transB, m, n, k, 0.8, a, b, 0, h);
        expect(relErr(h, naiveGemm(false, transB, m, n, k, 0.8, a, b, 0, h))).toBeLessThan(1e-13);
        const phiRef = new Float64Array(m * n), dRef = new Float64Array(m * n);
        for (let i = 0; i < m; i++) {
          const r = [i * n, (i + 1) * n] as const;
          be.activation(ACT.tanh, h.subarray(...r), phiRef.subarray(...r), dRef.subarray(...r));
        }
        expect(Array.from(phi)).toEqual(Array.from(phiRef));
        expect(Array.from(dphi)).toEqual(Array.from(dRef));

        const d0 = randomArray(m * n, 5), d = d0.slice(), tmp = new Float64Array(m * n).fill(NaN);
        be.gemmHadamard(transB, m, n, k, -1.2, a, b, d, tmp);
        be.gemm(false, transB, m, n, k, -1.2, a, b, 0, h);
        expect(Array.from(d)).toEqual(Array.from(d0.map((x, q) => x * h[q]!)));
      }
    }
  });

  it('syrk and gramHadamardAcc cross block and tile boundaries (n = 300)', async () => {
    const be = await get();
    const n = 300, ka = 257, kb = 129;
    const a = randomArray(n * ka, 31), b = randomArray(n * kb, 32), k0 = symmetric(n, 33);
    const c = new Float64Array(n * n);
    be.syrk(n, ka, 1, a, 0, c);
    expect(relErr(c, naiveGemm(false, true, n, n, ka, 1, a, a, 0, c))).toBeLessThan(1e-13);
    const k = k0.slice();
    be.gramHadamardAcc(n, ka, a, kb, b, -0.25, k);
    expect(relErr(k, naiveGramHadamard(n, ka, a, kb, b, -0.25, k0))).toBeLessThan(1e-13);
  });
});

describe('wasm against js', () => {
  const cases = backendCases.filter((c) => c !== jsCase);
  it.each(cases)('$name agrees with js to 1e-13 on gemm, syrk and gramHadamardAcc', async ({ get }) => {
    const be = await get(), js = await jsCase.get();
    const m = 97, n = 131, k = 270;
    for (const [tA, tB] of TRANSPOSES) {
      const a = randomArray(m * k, 41), b = randomArray(k * n, 42), c0 = randomArray(m * n, 43);
      const cw = c0.slice(), cj = c0.slice();
      be.gemm(tA, tB, m, n, k, 0.9, a, b, -0.4, cw);
      js.gemm(tA, tB, m, n, k, 0.9, a, b, -0.4, cj);
      expect(relErr(cw, cj)).toBeLessThan(1e-13);
    }
    const a = randomArray(n * k, 44), b = randomArray(n * m, 45);
    const sw = new Float64Array(n * n), sj = new Float64Array(n * n);
    be.syrk(n, k, 1, a, 0, sw);
    js.syrk(n, k, 1, a, 0, sj);
    expect(relErr(sw, sj)).toBeLessThan(1e-13);
    const kw = symmetric(n, 46), kj = kw.slice();
    be.gramHadamardAcc(n, k, a, m, b, 0.3, kw);
    js.gramHadamardAcc(n, k, a, m, b, 0.3, kj);
    expect(relErr(kw, kj)).toBeLessThan(1e-13);
  });
});

describe('threads', () => {
  // Work is split by whole rows or columns and every entry is summed in the same order, so
  // the split must not change a single bit.
  it.each([
    { build: 'strict', oneCase: wasmCase, twoCase: wasm2Case },
    { build: 'relaxed', oneCase: relaxedCase, twoCase: relaxed2Case },
  ])('2 threads give bit-identical results to 1 thread ($build build)', async ({ oneCase, twoCase }) => {
    const one = await oneCase.get(), two = await twoCase.get();
    expect(two.threads).toBe(2);
    const shapes: [number, number, number][] = [[203, 150, 300], [6, 2999, 70], [130, 5, 500]];
    for (const [m, n, k] of shapes) {
      for (const [tA, tB] of TRANSPOSES) {
        const a = randomArray(m * k, m + k), b = randomArray(k * n, n + k), c0 = randomArray(m * n, 7);
        const c1 = c0.slice(), c2 = c0.slice();
        one.gemm(tA, tB, m, n, k, 1.5, a, b, 0.5, c1);
        two.gemm(tA, tB, m, n, k, 1.5, a, b, 0.5, c2);
        expect(c2).toEqual(c1);
      }
    }
    // The NTK's fused layer steps, split by rows and (short, wide) by columns.
    for (const [m, n, k] of shapes) {
      const a = randomArray(m * k, 3), b = randomArray(k * n, 4), d0 = randomArray(m * n, 5);
      const run = (be: Backend) => {
        const p = new Float64Array(m * n), dp = new Float64Array(m * n), d = d0.slice(), t = new Float64Array(m * n);
        be.gemmActivation(false, m, n, k, 0.3, a, b, ACT.sigmoid, p, dp);
        be.gemmHadamard(false, m, n, k, 0.3, a, b, d, t);
        return [p, dp, d, t];
      };
      expect(run(two)).toEqual(run(one));
    }
    const n = 211, ka = 190, kb = 77;
    const a = randomArray(n * ka, 8), b = randomArray(n * kb, 9);
    const s1 = new Float64Array(n * n), s2 = new Float64Array(n * n);
    one.syrk(n, ka, 1, a, 0, s1);
    two.syrk(n, ka, 1, a, 0, s2);
    expect(s2).toEqual(s1);
    const k1 = symmetric(n, 10), k2 = k1.slice();
    one.gramHadamardAcc(n, ka, a, kb, b, 0.7, k1);
    two.gramHadamardAcc(n, ka, a, kb, b, 0.7, k2);
    expect(k2).toEqual(k1);
  });
});

describe('the relaxed build', () => {
  it('fuses multiply-adds: its GEMM rounds differently from the strict build, within the same tolerance of js', async () => {
    const strict = await wasmCase.get(), relaxed = await relaxedCase.get(), js = await jsCase.get();
    expect([strict.variant, relaxed.variant]).toEqual(['strict', 'relaxed']);
    const m = 64, n = 64, k = 500;
    const a = randomArray(m * k, 51), b = randomArray(k * n, 52);
    const cs = new Float64Array(m * n), cr = new Float64Array(m * n), cj = new Float64Array(m * n);
    strict.gemm(false, false, m, n, k, 1, a, b, 0, cs);
    relaxed.gemm(false, false, m, n, k, 1, a, b, 0, cr);
    js.gemm(false, false, m, n, k, 1, a, b, 0, cj);
    // relaxed_madd may be fused or not (the spec lets the engine choose); x64 V8 fuses where
    // the CPU has FMA3, so on such CPUs the two builds differ in the last bits somewhere.
    expect(relErr(cr, cj)).toBeLessThan(1e-13);
    expect(relErr(cs, cj)).toBeLessThan(1e-13);
    if (hostHasFma()) expect(Array.from(cr)).not.toEqual(Array.from(cs));
  });
});

/** Whether this CPU has fused multiply-add (x64 Linux: the fma flag; arm64: always). */
function hostHasFma(): boolean {
  if (process.arch === 'arm64') return true;
  try {
    return /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}
