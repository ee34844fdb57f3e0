// Specs of SYRK, the fused Gram-Hadamard accumulation and mirrorLower (assembly/syrk.ts):
// hand-checkable Gram matrices, the lower triangle only (upper entries untouched), row
// ranges that compose to the whole (as threads split them), odd sizes and tile boundaries
// against the textbook triple loop.
import { gramHadamardLower, mirrorLower, syrkLower } from '../syrk';
import { at, buf, copy, ensureWorkspace, fillRandom, fillValue, naiveGemm, resetBuffers, SIZES } from './setup/blas';

function set(p: usize, vals: StaticArray<f64>): void {
  for (let i = 0; i < vals.length; i++) store<f64>(p + (<usize>i << 3), vals[i]);
}

// Relative error over the lower triangle of n x n matrices; -1 if an upper entry of x differs
// from `sentinel` (so a kernel that writes above the diagonal fails).
function lowerErr(x: usize, y: usize, n: i32, sentinel: f64): f64 {
  let num: f64 = 0, den: f64 = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const xv = at(x, i * n + j);
    if (j > i) {
      if (xv != sentinel && !(xv != xv && sentinel != sentinel)) return -1;
      continue;
    }
    const d = Math.abs(xv - at(y, i * n + j));
    num = d != d ? d : Math.max(num, d);
    den = Math.max(den, Math.abs(at(y, i * n + j)));
  }
  return den == 0 ? num : num / den;
}

// syrkLower over [0, n) in the given row pieces vs the triple loop; upper entries hold 7.
function compareSyrk(n: i32, k: i32, alpha: f64, beta: f64, pieces: i32, seed: u32): f64 {
  const a = buf(n * k), c = buf(n * n), r = buf(n * n);
  fillRandom(a, n * k, seed);
  fillRandom(c, n * n, seed + 1);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) store<f64>(c + (<usize>(i * n + j) << 3), 7);
  copy(r, c, n * n);
  for (let t = 0; t < pieces; t++) {
    syrkLower(n, k, alpha, a, k, beta, c, n, n * t / pieces, n * (t + 1) / pieces);
  }
  naiveGemm(0, 1, n, n, k, alpha, a, k, a, k, beta, r, n);
  const e = lowerErr(c, r, n, 7);
  resetBuffers();
  return e;
}

// gramHadamardLower in row pieces vs alpha (A A^T) o (B B^T) + K by the triple loop.
function compareGram(n: i32, ka: i32, kb: i32, alpha: f64, pieces: i32, seed: u32): f64 {
  const a = buf(n * ka), b = buf(n * kb), kk = buf(n * n), ga = buf(n * n), gb = buf(n * n), r = buf(n * n);
  fillRandom(a, n * ka, seed);
  fillRandom(b, n * kb, seed + 1);
  fillRandom(kk, n * n, seed + 2);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) store<f64>(kk + (<usize>(i * n + j) << 3), 7);
  naiveGemm(0, 1, n, n, ka, 1, a, ka, a, ka, 0, ga, n);
  naiveGemm(0, 1, n, n, kb, 1, b, kb, b, kb, 0, gb, n);
  for (let i = 0; i < n * n; i++) {
    store<f64>(r + (<usize>i << 3), at(kk, i) + alpha * at(ga, i) * at(gb, i));
  }
  for (let t = 0; t < pieces; t++) {
    gramHadamardLower(n, ka, a, ka, kb, b, kb, alpha, kk, n, n * t / pieces, n * (t + 1) / pieces);
  }
  const e = lowerErr(kk, r, n, 7);
  resetBuffers();
  return e;
}

describe('syrkLower', () => {
  beforeAll(() => { ensureWorkspace(); });

  it('computes a hand-checkable Gram matrix, lower triangle only', () => {
    const a = buf(6), c = buf(9);
    set(a, [1, 2, 3, 4, 5, 6]);
    fillValue(c, 9, -1);
    syrkLower(3, 2, 1, a, 2, 0, c, 3, 0, 3);
    expect(at(c, 0)).toBe(5);
    expect(at(c, 3)).toBe(11); expect(at(c, 4)).toBe(25);
    expect(at(c, 6)).toBe(17); expect(at(c, 7)).toBe(39); expect(at(c, 8)).toBe(61);
    expect(at(c, 1)).toBe(-1); expect(at(c, 2)).toBe(-1); expect(at(c, 5)).toBe(-1);
  });

  it('applies alpha and beta, ignoring NaN in C when beta is 0', () => {
    const a = buf(6), c = buf(9);
    set(a, [1, 2, 3, 4, 5, 6]);
    fillValue(c, 9, 1);
    syrkLower(3, 2, 2, a, 2, -3, c, 3, 0, 3);
    expect(at(c, 0)).toBe(7); expect(at(c, 8)).toBe(119);
    fillValue(c, 9, NaN);
    syrkLower(3, 2, 1, a, 2, 0, c, 3, 0, 3);
    expect(at(c, 7)).toBe(39);
  });

  it('only touches rows [i0, i1)', () => {
    const n = 9, k = 3;
    const a = buf(n * k), c = buf(n * n);
    fillRandom(a, n * k, 9);
    fillValue(c, n * n, 5);
    syrkLower(n, k, 1, a, k, 0, c, n, 4, 7);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const inside = i >= 4 && i < 7 && j <= i;
      if (!inside) expect(at(c, i * n + j)).toBe(5);
      else expect(at(c, i * n + j)).not.toBe(5);
    }
    resetBuffers();
  });

  it('matches the triple loop on odd sizes, in 1 and 3 row pieces', () => {
    let worst: f64 = 0;
    let seed: u32 = 1;
    for (let x = 0; x < SIZES.length; x++) for (let z = 0; z < SIZES.length; z++) {
      const n = SIZES[x], k = SIZES[z];
      const e1 = compareSyrk(n, k, 1.5, 0, 1, seed++);
      const e2 = compareSyrk(n, k, -0.5, 0.25, 3, seed++);
      expect(e1).toBeGreaterThanOrEqual(0); // no write above the diagonal
      expect(e2).toBeGreaterThanOrEqual(0);
      worst = Math.max(worst, Math.max(e1, e2));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('crosses the KC and MC block boundaries', () => {
    const e = compareSyrk(131, 300, 1, 0.5, 2, 77);
    expect(e).toBeGreaterThanOrEqual(0);
    expect(e).toBeLessThan(1e-13);
  });
});

describe('gramHadamardLower', () => {
  beforeAll(() => { ensureWorkspace(); });

  it('adds a hand-checkable alpha (A A^T) o (B B^T)', () => {
    // A A^T = [[5, 11], [11, 25]], B = [[1, 0, 1], [2, 1, 0]]: B B^T = [[2, 2], [2, 5]].
    const a = buf(4), b = buf(6), kk = buf(4);
    set(a, [1, 2, 3, 4]);
    set(b, [1, 0, 1, 2, 1, 0]);
    set(kk, [1, -1, 2, 3]);
    gramHadamardLower(2, 2, a, 2, 3, b, 3, 0.5, kk, 2, 0, 2);
    expect(at(kk, 0)).toBe(6);   // 1 + 0.5*5*2
    expect(at(kk, 2)).toBe(13);  // 2 + 0.5*11*2
    expect(at(kk, 3)).toBe(65.5); // 3 + 0.5*25*5
    expect(at(kk, 1)).toBe(-1);
    resetBuffers();
  });

  it('matches the triple loop on odd sizes, in 1 and 2 row pieces', () => {
    let worst: f64 = 0;
    let seed: u32 = 500;
    for (let x = 0; x < SIZES.length; x++) for (let z = 0; z < SIZES.length; z++) {
      const n = SIZES[x], ka = SIZES[z], kb = SIZES[(z + 3) % SIZES.length];
      const e1 = compareGram(n, ka, kb, 0.5, 1, seed++);
      const e2 = compareGram(n, ka, kb, -2, 2, seed++);
      expect(e1).toBeGreaterThanOrEqual(0);
      expect(e2).toBeGreaterThanOrEqual(0);
      worst = Math.max(worst, Math.max(e1, e2));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('crosses the Gram tile (192) boundary', () => {
    const e = compareGram(200, 9, 4, 1, 3, 900);
    expect(e).toBeGreaterThanOrEqual(0);
    expect(e).toBeLessThan(1e-13);
  });
});

describe('mirrorLower', () => {
  it('copies the strict lower triangle onto the upper one', () => {
    for (let x = 0; x < SIZES.length; x++) {
      const n = SIZES[x];
      const c = buf(n * n);
      fillRandom(c, n * n, 40 + x);
      const lower = buf(n * n);
      copy(lower, c, n * n);
      mirrorLower(n, c, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        expect(at(c, i * n + j)).toBe(at(lower, (j > i ? j * n + i : i * n + j)));
      }
      resetBuffers();
    }
  });
});
