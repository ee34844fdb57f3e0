// Specs of the packed GEMM (assembly/gemm.ts): hand-checkable products, every transpose and
// beta case against the textbook triple loop on the odd sizes that exercise each tail and
// edge tile, leading dimensions wider than the operands, and cache-block boundaries.
import { gemm } from '../gemm';
import { at, buf, copy, ensureWorkspace, fillRandom, fillValue, naiveGemm, relErr, resetBuffers, SIZES } from './setup/blas';

function set(p: usize, vals: StaticArray<f64>): void {
  for (let i = 0; i < vals.length; i++) store<f64>(p + (<usize>i << 3), vals[i]);
}

// Runs gemm and the reference on the same random operands; returns the relative error.
function compare(tA: i32, tB: i32, m: i32, n: i32, k: i32, alpha: f64, beta: f64,
  lda: i32, ldb: i32, ldc: i32, seed: u32): f64 {
  const ar = tA ? k : m, br = tB ? n : k;
  const a = buf(ar * lda), b = buf(br * ldb), c = buf(m * ldc), r = buf(m * ldc);
  fillRandom(a, ar * lda, seed);
  fillRandom(b, br * ldb, seed + 1);
  fillRandom(c, m * ldc, seed + 2);
  copy(r, c, m * ldc);
  gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  naiveGemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, r, ldc);
  const e = relErr(c, r, m, ldc, ldc); // also checks the columns past n were left alone
  resetBuffers();
  return e;
}

describe('gemm', () => {
  beforeAll(() => { ensureWorkspace(); });

  it('multiplies a hand-checkable 2x3 by 3x2', () => {
    const a = buf(6), b = buf(6), c = buf(4);
    set(a, [1, 2, 3, 4, 5, 6]);
    set(b, [7, 8, 9, 10, 11, 12]);
    gemm(0, 0, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2);
    expect(at(c, 0)).toBe(58); expect(at(c, 1)).toBe(64);
    expect(at(c, 2)).toBe(139); expect(at(c, 3)).toBe(154);
  });

  it('reads transposed operands: A^T B^T with A 3x2, B 2x3 stored', () => {
    // op(A) = [[1,2,3],[4,5,6]] stored transposed; op(B) = [[7,8],[9,10],[11,12]] likewise.
    const a = buf(6), b = buf(6), c = buf(4);
    set(a, [1, 4, 2, 5, 3, 6]);
    set(b, [7, 9, 11, 8, 10, 12]);
    gemm(1, 1, 2, 2, 3, 1, a, 2, b, 3, 0, c, 2);
    expect(at(c, 0)).toBe(58); expect(at(c, 1)).toBe(64);
    expect(at(c, 2)).toBe(139); expect(at(c, 3)).toBe(154);
  });

  it('applies alpha and beta: 2*A*B - C', () => {
    const a = buf(6), b = buf(6), c = buf(4);
    set(a, [1, 2, 3, 4, 5, 6]);
    set(b, [7, 8, 9, 10, 11, 12]);
    set(c, [1, 2, 3, 4]);
    gemm(0, 0, 2, 2, 3, 2, a, 3, b, 2, -1, c, 2);
    expect(at(c, 0)).toBe(115); expect(at(c, 1)).toBe(126);
    expect(at(c, 2)).toBe(275); expect(at(c, 3)).toBe(304);
  });

  it('ignores NaN in C when beta is 0, on full and edge tiles', () => {
    const m = 6, n = 7, k = 5;
    const a = buf(m * k), b = buf(k * n), c = buf(m * n), r = buf(m * n);
    fillRandom(a, m * k, 3); fillRandom(b, k * n, 4);
    fillValue(c, m * n, NaN);
    gemm(0, 0, m, n, k, 1.5, a, k, b, n, 0, c, n);
    naiveGemm(0, 0, m, n, k, 1.5, a, k, b, n, 0, r, n);
    expect(relErr(c, r, m, n, n)).toBeLessThan(1e-14);
  });

  it('with k = 0 sets C = beta*C (and 0 for beta = 0 even over NaN)', () => {
    const c = buf(6);
    set(c, [1, 2, 3, 4, 5, 6]);
    gemm(0, 0, 2, 3, 0, 1, 0, 1, 0, 1, 3, c, 3);
    expect(at(c, 5)).toBe(18);
    fillValue(c, 6, NaN);
    gemm(0, 0, 2, 3, 0, 1, 0, 1, 0, 1, 0, c, 3);
    expect(at(c, 0)).toBe(0); expect(at(c, 5)).toBe(0);
  });

  it('matches the triple loop on every odd size, transpose and beta', () => {
    let worst: f64 = 0;
    let seed: u32 = 1;
    for (let x = 0; x < SIZES.length; x++) for (let y = 0; y < SIZES.length; y++) for (let z = 0; z < SIZES.length; z++) {
      const m = SIZES[x], n = SIZES[y], k = SIZES[z];
      for (let t = 0; t < 4; t++) {
        const tA = t & 1, tB = t >> 1;
        const lda = tA ? m : k, ldb = tB ? k : n;
        worst = Math.max(worst, compare(tA, tB, m, n, k, 0.75, 0, lda, ldb, n, seed++));
        worst = Math.max(worst, compare(tA, tB, m, n, k, -1.25, 0.5, lda, ldb, n, seed++));
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('honours leading dimensions wider than the operands', () => {
    for (let t = 0; t < 4; t++) {
      const tA = t & 1, tB = t >> 1;
      const m = 17, n = 13, k = 9;
      const lda = (tA ? m : k) + 3, ldb = (tB ? k : n) + 5, ldc = n + 2;
      expect(compare(tA, tB, m, n, k, 1, 0.5, lda, ldb, ldc, 100 + t)).toBeLessThan(1e-13);
    }
  });

  it('crosses the KC, MC and NC block boundaries', () => {
    // KC = 256, MC = 128, NC = 2048 in assembly/gemm.ts.
    expect(compare(0, 0, 131, 9, 515, 1, 0.25, 515, 9, 9, 200)).toBeLessThan(1e-13);
    expect(compare(1, 1, 130, 6, 257, 1, 0, 130, 257, 6, 201)).toBeLessThan(1e-13);
    expect(compare(0, 1, 3, 2051, 5, 1, 0, 5, 5, 2051, 202)).toBeLessThan(1e-13);
    expect(compare(1, 0, 2, 2050, 260, 0.5, 2, 2, 2050, 2050, 203)).toBeLessThan(1e-13);
  });
});
