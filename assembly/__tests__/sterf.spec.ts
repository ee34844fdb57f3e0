// Specs of the eigenvalue-only tridiagonal iteration (assembly/tridiag.ts sterf: root-free
// Pal-Walker-Kahan QL, after LAPACK's dsterf): the 1-2-1 Toeplitz closed form
// 2 - 2 cos(k pi / (n + 1)) at n = 1, 2, 3 and larger, scaled to 1e-300 and 1e300 (where the
// squared off-diagonals underflow or overflow unless the block is scaled), the singular path
// Laplacian (exact zero eigenvalue), zeros on the off-diagonal, Wilkinson's W21- (spectrum
// symmetric about 0), random matrices against tql (an independent formulation with a square
// root per rotation), a large diagonal at either end, and the failure index for non-finite
// input.
import { sterf, tql } from '../tridiag';
import { at, buf, fillRandom, resetBuffers, sortValues } from './setup/blas';

const EPS: f64 = 2.220446049250313e-16;

/** Fills (d, e) with s times the 1-2-1 Toeplitz tridiagonal of order n. */
function toeplitz(n: i32, s: f64, d: usize, e: usize): void {
  for (let i = 0; i < n; i++) {
    store<f64>(d + (<usize>i << 3), 2 * s);
    store<f64>(e + (<usize>i << 3), i < n - 1 ? -s : 0);
  }
}

/** max_k |lambda_k / s - (2 - 2 cos(k pi / (n + 1)))| for sterf on s times the Toeplitz matrix. */
function toeplitzError(n: i32, s: f64): f64 {
  const d = buf(n), e = buf(n);
  toeplitz(n, s, d, e);
  expect(sterf(n, d, e)).toBe(0);
  sortValues(n, d);
  let err: f64 = 0;
  for (let k = 0; k < n; k++) {
    const exact = 2 - 2 * Math.cos(<f64>(k + 1) * Math.PI / <f64>(n + 1));
    err = Math.max(err, Math.abs(at(d, k) / s - exact));
  }
  resetBuffers();
  return err;
}

/** max |sterf - tql| on the same tridiagonal (d, e) (both sorted), over its norm bound. */
function againstTql(n: i32, d: usize, e: usize): f64 {
  const d1 = buf(n), e1 = buf(n);
  memory.copy(d1, d, <usize>n << 3);
  memory.copy(e1, e, <usize>n << 3);
  let nrm: f64 = 0;
  for (let i = 0; i < n; i++) {
    nrm = Math.max(nrm, Math.abs(at(d, i)) + Math.abs(i > 0 ? at(e, i - 1) : 0) + Math.abs(i < n - 1 ? at(e, i) : 0));
  }
  expect(sterf(n, d, e)).toBe(0);
  expect(tql(n, d1, e1, 0, 0)).toBe(0);
  sortValues(n, d);
  sortValues(n, d1);
  let err: f64 = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(at(d, i) - at(d1, i)));
  return err / nrm;
}

describe('sterf', () => {
  it('gives the 1-2-1 Toeplitz eigenvalues at n = 1, 2, 3, 10, 200', () => {
    const sizes: StaticArray<i32> = [1, 2, 3, 10, 200];
    for (let s = 0; s < sizes.length; s++) {
      const n = sizes[s];
      expect(toeplitzError(n, 1)).toBeLessThanOrEqual(<f64>n * EPS * 4);
    }
  });

  it('scales blocks near underflow and overflow (1e-300 ... 1e300) to relative accuracy', () => {
    const scales: StaticArray<f64> = [1e-300, 1e-160, 1e-150, 1e150, 1e160, 1e300];
    for (let s = 0; s < scales.length; s++) expect(toeplitzError(50, scales[s])).toBeLessThanOrEqual(50 * EPS * 4);
  });

  it('finds the exact zero of the path Laplacian and its other eigenvalues 2 - 2 cos(k pi / n)', () => {
    const n = 41;
    const d = buf(n), e = buf(n);
    for (let i = 0; i < n; i++) {
      store<f64>(d + (<usize>i << 3), i == 0 || i == n - 1 ? 1 : 2);
      store<f64>(e + (<usize>i << 3), -1);
    }
    expect(sterf(n, d, e)).toBe(0);
    sortValues(n, d);
    for (let k = 0; k < n; k++) {
      const exact = k == 0 ? 0 : 2 - 2 * Math.cos(<f64>k * Math.PI / <f64>n);
      expect(Math.abs(at(d, k) - exact)).toBeLessThanOrEqual(<f64>n * EPS * 4);
    }
    resetBuffers();
  });

  it('splits at zeros on the off-diagonal into the blocks\' closed forms', () => {
    // Blocks of order 3 (scale 1) and 4 (scale 5): eigenvalues s (2 - 2 cos(k pi / (m + 1))).
    const n = 7;
    const d = buf(n), e = buf(n);
    toeplitz(3, 1, d, e);
    toeplitz(4, 5, d + 24, e + 24);
    expect(sterf(n, d, e)).toBe(0);
    sortValues(n, d);
    const exact = buf(n);
    for (let k = 0; k < 3; k++) store<f64>(exact + (<usize>k << 3), 2 - 2 * Math.cos(<f64>(k + 1) * Math.PI / 4));
    for (let k = 0; k < 4; k++) store<f64>(exact + (<usize>(3 + k) << 3), 5 * (2 - 2 * Math.cos(<f64>(k + 1) * Math.PI / 5)));
    sortValues(n, exact);
    for (let k = 0; k < n; k++) expect(Math.abs(at(d, k) - at(exact, k))).toBeLessThanOrEqual(<f64>n * EPS * 20);
    resetBuffers();
  });

  it('gives Wilkinson W21- a spectrum symmetric about 0 and tql\'s eigenvalues', () => {
    const n = 21;
    const d = buf(n), e = buf(n), d2 = buf(n), e2 = buf(n);
    for (let i = 0; i < n; i++) {
      store<f64>(d + (<usize>i << 3), <f64>(i - 10));
      store<f64>(e + (<usize>i << 3), 1);
    }
    memory.copy(d2, d, <usize>n << 3);
    memory.copy(e2, e, <usize>n << 3);
    expect(againstTql(n, d2, e2)).toBeLessThanOrEqual(<f64>n * EPS);
    expect(sterf(n, d, e)).toBe(0);
    sortValues(n, d);
    for (let k = 0; k < n; k++) expect(Math.abs(at(d, k) + at(d, n - 1 - k))).toBeLessThanOrEqual(<f64>n * EPS * 12);
    resetBuffers();
  });

  it('agrees with tql on random tridiagonals, a large diagonal at either end', () => {
    const sizes: StaticArray<i32> = [2, 3, 4, 9, 64, 301];
    for (let s = 0; s < sizes.length; s++) {
      const n = sizes[s];
      const d = buf(n), e = buf(n);
      fillRandom(d, n, 11 + <u32>s);
      fillRandom(e, n, 111 + <u32>s);
      // A large diagonal at the top every other size (where dsterf would sweep QR).
      store<f64>(d, s & 1 ? 8.0 : 0.01);
      expect(againstTql(n, d, e)).toBeLessThanOrEqual(<f64>n * EPS);
      resetBuffers();
    }
  });

  it('returns a failure index in 1..n for non-finite input', () => {
    const n = 5;
    const d = buf(n), e = buf(n);
    toeplitz(n, 1, d, e);
    store<f64>(d + 16, NaN);
    const info = sterf(n, d, e);
    expect(info).toBeGreaterThanOrEqual(1);
    expect(info).toBeLessThanOrEqual(n);
    toeplitz(n, 1, d, e);
    store<f64>(e + 8, Infinity);
    const info2 = sterf(n, d, e);
    expect(info2).toBeGreaterThanOrEqual(1);
    expect(info2).toBeLessThanOrEqual(n);
    resetBuffers();
  });
});
