// The eigenvalue-only tridiagonal iteration (sterf: root-free Pal-Walker-Kahan QL, after
// LAPACK's dsterf) against closed forms and identities, and against tql (implicit QL with a
// square root per rotation, an independent formulation). The js twin is called directly; every
// backend runs it as the eigenvalue stage of symEigvals, fed here a dense tridiagonal matrix,
// whose Householder reduction is the identity (every reflector has tau = 0), so that backend
// sees exactly (d, e) and must give the js twin's eigenvalues bit for bit (same operations in
// the same order; no fused multiply-add in either).
import { describe, expect, it } from 'vitest';
import { sterf, tql } from '../src/backend/common/tql.js';
import { backendCases, jsCase } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

const EPS = 2.220446049250313e-16;

interface Tri { d: number[]; e: number[] }

/** sterf's eigenvalues, ascending, after checking that it converged. */
function eigs(t: Tri): Float64Array {
  const n = t.d.length;
  const d = Float64Array.from(t.d), e = new Float64Array(n);
  e.set(t.e.slice(0, n - 1));
  expect(sterf(n, d, e)).toBe(0);
  return d.sort();
}

/** tql's eigenvalues, ascending. */
function eigsTql(t: Tri): Float64Array {
  const n = t.d.length;
  const d = Float64Array.from(t.d), e = new Float64Array(n);
  e.set(t.e.slice(0, n - 1));
  expect(tql(n, d, e, null, 0, 0)).toBe(0);
  return d.sort();
}

/** max_i (|d_i| + |e_i-1| + |e_i|), a bound on ||T||_2. */
function norm(t: Tri): number {
  let m = 0;
  for (let i = 0; i < t.d.length; i++) m = Math.max(m, Math.abs(t.d[i]!) + Math.abs(t.e[i - 1] ?? 0) + Math.abs(t.e[i] ?? 0));
  return m;
}

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let err = 0;
  for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(x[i]! - y[i]!));
  return err;
}

/** The 1-2-1 Toeplitz tridiagonal times s and its eigenvalues s (2 - 2 cos(k pi / (n + 1))). */
function toeplitz(n: number, s = 1): Tri & { exact: number[] } {
  return {
    d: Array<number>(n).fill(2 * s), e: Array<number>(Math.max(n - 1, 0)).fill(-s),
    exact: Array.from({ length: n }, (_, k) => s * (2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)))).sort((a, b) => a - b),
  };
}

/** The path graph's Laplacian (singular): eigenvalues 2 - 2 cos(k pi / n), k = 0..n-1. */
function pathLaplacian(n: number): Tri & { exact: number[] } {
  const d = Array<number>(n).fill(2);
  d[0] = d[n - 1] = 1;
  return {
    d, e: Array<number>(n - 1).fill(-1),
    exact: Array.from({ length: n }, (_, k) => (k === 0 ? 0 : 2 - 2 * Math.cos((k * Math.PI) / n))).sort((a, b) => a - b),
  };
}

/** Wilkinson's W_n^+ (d_i = |m - i|, n = 2m + 1) or W_n^- (d_i = i - m), unit off-diagonal. */
function wilkinson(n: number, plus: boolean): Tri {
  const m = (n - 1) / 2;
  return { d: Array.from({ length: n }, (_, i) => (plus ? Math.abs(m - i) : i - m)), e: Array<number>(n - 1).fill(1) };
}

/** A random tridiagonal matrix with entries in [-1, 1). */
function random(n: number, seed: number): Tri {
  return { d: Array.from(randomArray(n, seed)), e: Array.from(randomArray(n - 1, seed + 1)) };
}

/** Reverses the order of rows and columns (a permutation similarity: the same spectrum). */
function reversed(t: Tri): Tri {
  return { d: [...t.d].reverse(), e: [...t.e].reverse() };
}

/**
 * Every eigenvalue of t by bisection on the Sturm count (the number of negative pivots of
 * T - x I), to the last bit of the interval: an independent route.
 */
function bisection(t: Tri): Float64Array {
  const n = t.d.length;
  const count = (x: number) => {
    let c = 0, q = 1;
    for (let i = 0; i < n; i++) {
      q = t.d[i]! - x - (i > 0 ? (t.e[i - 1]! * t.e[i - 1]!) / q : 0);
      if (q === 0) q = -Number.MIN_VALUE;
      if (q < 0) c++;
    }
    return c;
  };
  const r = norm(t);
  return Float64Array.from({ length: n }, (_, k) => {
    let lo = -r, hi = r;
    for (;;) {
      const mid = (lo + hi) / 2;
      if (mid <= lo || mid >= hi) return mid;
      if (count(mid) > k) hi = mid;
      else lo = mid;
    }
  });
}

/** Dense row-major n x n matrix of the tridiagonal t. */
function dense(t: Tri): Float64Array {
  const n = t.d.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = t.d[i]!;
    if (i + 1 < n) a[i * n + i + 1] = a[(i + 1) * n + i] = t.e[i]!;
  }
  return a;
}

describe('sterf (js twin) against closed forms', () => {
  it('gives the 1-2-1 Toeplitz eigenvalues 2 - 2 cos(k pi / (n + 1)) at n = 1, 2, 3, 10, 100, 500', () => {
    for (const n of [1, 2, 3, 10, 100, 500]) {
      const t = toeplitz(n);
      expect(maxDiff(eigs(t), t.exact)).toBeLessThanOrEqual(n * EPS * norm(t));
    }
  });

  it('scales blocks near underflow and overflow: the Toeplitz matrix times 1e-305 ... 1e305 to relative accuracy', () => {
    // Unscaled, e^2 underflows below ~1e-154 (every block would split at once, leaving the
    // diagonal) and overflows above ~1e154.
    for (const s of [1e-305, 1e-200, 1e-150, 1e-100, 1e100, 1e150, 1e200, 1e305]) {
      const t = toeplitz(60, s);
      expect(maxDiff(eigs(t), t.exact)).toBeLessThanOrEqual(60 * EPS * norm(t));
    }
  });

  it('finds the exact zero of a singular matrix (the path Laplacian) and the rest of its spectrum', () => {
    for (const n of [2, 3, 7, 64, 301]) {
      const t = pathLaplacian(n);
      const w = eigs(t);
      expect(maxDiff(w, t.exact)).toBeLessThanOrEqual(n * EPS * norm(t));
    }
  });

  it('solves the 2 x 2 case in closed form: [[a, b], [b, c]]', () => {
    const cases: [number, number, number][] = [[1, 2, -1], [3, 1e-200, 3], [0, 1, 0], [1e-30, 1, 1e30], [-4, 0.5, -4.5], [2, 1e-9, 2 + 1e-12]];
    for (const [a, b, c] of cases) {
      const mid = (a + c) / 2, rad = Math.hypot((a - c) / 2, b);
      const w = eigs({ d: [a, c], e: [b] });
      const tol = 2 * EPS * Math.max(Math.abs(a), Math.abs(c), Math.abs(b));
      expect(Math.abs(w[0]! - (mid - rad))).toBeLessThanOrEqual(tol);
      expect(Math.abs(w[1]! - (mid + rad))).toBeLessThanOrEqual(tol);
    }
  });

  it('splits at zeros on the off-diagonal: the union of the blocks\' closed forms', () => {
    const sizes = [1, 2, 3, 5, 1, 8];
    const d: number[] = [], e: number[] = [], exact: number[] = [];
    sizes.forEach((k, b) => {
      const t = toeplitz(k, b + 1);
      d.push(...t.d);
      e.push(...t.e, 0);
      exact.push(...t.exact);
    });
    const t = { d, e: e.slice(0, -1) };
    expect(maxDiff(eigs(t), exact.sort((x, y) => x - y))).toBeLessThanOrEqual(d.length * EPS * norm(t));
  });

  it('keeps a tiny block glued to a unit one accurate to its own scale (each block scaled apart)', () => {
    // Coupling 1e-160: negligible next to both blocks (it moves eigenvalues by ~1e-320), so the
    // tiny block's eigenvalues must come out to ~n eps relative, not to eps of the whole matrix.
    const big = toeplitz(20), tiny = toeplitz(15, 1e-150);
    const t = { d: [...big.d, ...tiny.d], e: [...big.e, 1e-160, ...tiny.e] };
    const w = eigs(t);
    const lo = w.slice(0, 15), hi = w.slice(15);
    for (let k = 0; k < 15; k++) expect(Math.abs(lo[k]! - tiny.exact[k]!)).toBeLessThanOrEqual(15 * EPS * 4e-150);
    expect(maxDiff(hi, big.exact)).toBeLessThanOrEqual(20 * EPS * 4);
  });
});

describe('sterf (js twin) against tql and identities', () => {
  it('agrees with tql on Wilkinson W21+ (near-double pairs) and W21- (spectrum symmetric about 0)', () => {
    const wp = wilkinson(21, true);
    const w = eigs(wp);
    const tol = 21 * EPS * norm(wp);
    expect(maxDiff(w, eigsTql(wp))).toBeLessThanOrEqual(tol);
    // W21+'s two largest eigenvalues agree to ~1e-14 (a pair that must both be found).
    expect(w[20]! - 10.746194182903393).toBeLessThan(tol);
    expect(w[20]! - w[19]!).toBeLessThan(1e-12);
    expect(Math.abs(w.reduce((s, x) => s + x, 0) - wp.d.reduce((s, x) => s + x, 0))).toBeLessThanOrEqual(tol);
    const wm = wilkinson(21, false);
    const v = eigs(wm);
    expect(maxDiff(v, eigsTql(wm))).toBeLessThanOrEqual(tol);
    for (let k = 0; k < 21; k++) expect(Math.abs(v[k]! + v[20 - k]!)).toBeLessThanOrEqual(tol);
  });

  it('agrees with tql on random matrices and keeps trace and Frobenius norm (sum of lambda and lambda^2)', () => {
    for (const n of [3, 4, 17, 200, 1000]) {
      const t = random(n, 100 + n);
      const w = eigs(t);
      const nt = norm(t);
      expect(maxDiff(w, eigsTql(t))).toBeLessThanOrEqual(n * EPS * nt);
      const trace = t.d.reduce((s, x) => s + x, 0);
      const frob2 = t.d.reduce((s, x) => s + x * x, 0) + 2 * t.e.reduce((s, x) => s + x * x, 0);
      expect(Math.abs(w.reduce((s, x) => s + x, 0) - trace)).toBeLessThanOrEqual(n * EPS * nt);
      // Each lambda^2 is off by about 2 |lambda| times lambda's error (<= n eps ||T||).
      expect(Math.abs(w.reduce((s, x) => s + x * x, 0) - frob2)).toBeLessThanOrEqual(4 * n * EPS * nt * nt);
    }
  });

  it('gives a graded matrix and its reversal (small end on top, then at the bottom) the same spectrum', () => {
    // Graded over 12 orders of magnitude; reversed, the other end is the small one.
    const n = 40;
    const t = { d: Array.from({ length: n }, (_, i) => 10 ** (-12 * i / (n - 1)) * (i % 3 === 0 ? -1 : 1)), e: Array.from({ length: n - 1 }, (_, i) => 0.5 * 10 ** (-12 * (i + 0.5) / (n - 1))) };
    const w = eigs(t), wr = eigs(reversed(t));
    const tol = n * EPS * norm(t);
    expect(maxDiff(w, wr)).toBeLessThanOrEqual(tol);
    expect(maxDiff(w, eigsTql(t))).toBeLessThanOrEqual(tol);
    const s = toeplitz(30);
    s.d[0] = 50; // one large diagonal at the top, then at the bottom
    expect(maxDiff(eigs(s), eigsTql(s))).toBeLessThanOrEqual(30 * EPS * norm(s));
    expect(maxDiff(eigs(s), eigs(reversed(s)))).toBeLessThanOrEqual(30 * EPS * norm(s));
  });

  it('is within 12 eps max|lambda| of bisection on Householder-reduced Gram matrices (what eigvalsh feeds it)', async () => {
    // A Householder tridiagonalization is Lanczos from e_1: the extreme eigenvalues are
    // resolved at the top of T, where QL deflates first. dsterf's QR on these matrices (their
    // bottom diagonal is the smaller) was 13.7 and 33 eps max|lambda| off here, QL 7.3 and 7.9.
    const js = await jsCase.get();
    for (const [n, p, seed, shift] of [[485, 585, 5, 1], [1000, 1050, 10, 1e-3]] as const) {
      const g = randomArray(n * p, seed);
      const k = new Float64Array(n * n);
      js.syrk(n, p, 1 / p, g, 0, k);
      for (let i = 0; i < n; i++) k[i * n + i]! += shift;
      const d = new Float64Array(n), e = new Float64Array(n);
      js.symTridiagonal(n, k, d, e);
      const t = { d: Array.from(d), e: Array.from(e.subarray(0, n - 1)) };
      const w = eigs(t), ref = bisection(t);
      expect(maxDiff(w, ref)).toBeLessThanOrEqual(12 * EPS * Math.abs(ref[n - 1]!));
    }
  });

  it('reports a failure index in 1..n for a matrix that is not finite (the caller falls back)', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const [d, e] of [[[1, 2, bad, 4], [1, 1, 1, 0]], [[1, 2, 3, 4], [1, bad, 1, 0]], [[bad, 2, 3, 4], [0, 0, 0, 0]]]) {
        const info = sterf(4, Float64Array.from(d!), Float64Array.from(e!));
        expect(info).toBeGreaterThanOrEqual(1);
        expect(info).toBeLessThanOrEqual(4);
      }
    }
  });
});

const suite: Tri[] = [
  toeplitz(1), toeplitz(2), toeplitz(3), toeplitz(50), toeplitz(40, 1e-150), toeplitz(40, 1e150), pathLaplacian(33),
  wilkinson(21, true), wilkinson(21, false), random(300, 7), reversed(random(120, 9)),
  { d: [...toeplitz(6).d, ...toeplitz(5, 3).d], e: [...toeplitz(6).e, 0, ...toeplitz(5, 3).e] },
];

describe.each(backendCases)('symEigvals\' eigenvalue stage on $name', ({ get }) => {
  it('gives the js sterf\'s eigenvalues bit for bit on tridiagonal input (closed forms, Wilkinson, scaled, glued, random)', async () => {
    const be = await get();
    for (const t of suite) {
      const n = t.d.length;
      const w = new Float64Array(n);
      expect(be.symEigvals(n, dense(t), w)).toBe(0);
      expect(Array.from(w)).toEqual(Array.from(eigs(t)));
    }
  });
});
