// Specs of the two-stage reduction (assembly/band.ts). The symmetric product symmRowsCM
// against the textbook double loop over the full matrix built from the lower triangle (the
// upper triangle holds garbage the kernel must not read), whole and in row pieces as threads
// split it, with unaligned columns. Stage 1 (its steps as the wrapper calls them) and stage 2
// (sb2stSweeps on one thread) at orders and band widths that reach their edge cases (a last panel narrower than the band, by 1 and by 2
// rows; one panel; n below 2 nb): stage 1 leaves exact zeros below the band, both stages keep
// the trace and the Frobenius norm (orthogonal similarities), and the tridiagonal matrix has
// the eigenvalues the one-stage reduction (assembly/tridiag.ts, an independent route) gives.
import { sb2stSweeps, sy2sbPanel, sy2sbUpdate, sy2sbZ, symmRowsCM, tridiagonalOf } from '../band';
import { sytrd, tql } from '../tridiag';
import { buf, ensureWorkspace, fillRandom, resetBuffers, sortValues } from './setup/blas';

function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

function at(a: usize, lda: i32, i: i32, j: i32): usize {
  return a + (<usize>(i + j * lda) << 3);
}

// Stage 1 on one thread: the steps src/backend/wasm/linalg.ts calls per panel (there with the
// products split over threads). work: n * 4 nb values, t nb^2, y 2 nb^2, tau and tmp nb each.
function sy2sb(n: i32, a: usize, nb: i32, work: usize, t: usize, y: usize, tau: usize, tmp: usize): void {
  for (let k = 0; k + nb < n - 1; k += nb) {
    const M = n - k - nb;
    const pk = sy2sbPanel(n, a, n, k, nb, tau, t, work, n, tmp);
    const S = at(a, n, k + nb, k + nb);
    symmRowsCM(M, pk, S, n, work, n, at(work, n, 0, 3 * pk), n, 0, M);
    sy2sbZ(M, pk, nb, work, n, t, y);
    sy2sbUpdate(M, pk, work, n, S, n, 0, M);
  }
}

// max |X - S V| / max |S V| with X from `pieces` row ranges of symmRowsCM.
function compareSymm(m: i32, k: i32, lda: i32, pieces: i32, seed: u32): f64 {
  ensureWorkspace();
  const a = buf(lda * m + 1) + 8, v = buf(m * k), x = buf(lda * k), r = buf(m * k);
  fillRandom(a, lda * m, seed);
  fillRandom(v, m * k, seed + 1);
  fillRandom(x, lda * k, seed + 2); // the kernel overwrites its rows
  for (let j = 0; j < m; j++) for (let i = 0; i < j; i++) store<f64>(at(a, lda, i, j), 1e6);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < m; i++) {
      let s: f64 = 0;
      for (let j = 0; j < m; j++) s += load<f64>(i >= j ? at(a, lda, i, j) : at(a, lda, j, i)) * load<f64>(at(v, m, j, c));
      store<f64>(at(r, m, i, c), s);
    }
  }
  for (let t = 0; t < pieces; t++) symmRowsCM(m, k, a, lda, v, m, x, lda, m * t / pieces, m * (t + 1) / pieces);
  let num: f64 = 0, den: f64 = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < m; i++) {
      num = Math.max(num, Math.abs(load<f64>(at(x, lda, i, c)) - load<f64>(at(r, m, i, c))));
      den = Math.max(den, Math.abs(load<f64>(at(r, m, i, c))));
    }
  }
  resetBuffers();
  return num / den;
}

// Reduces a random symmetric n x n matrix in two stages (band half-width nb) and checks it;
// returns max |eigenvalue difference| to the one-stage route / ||A||_F.
function twoStage(n: i32, nb: i32, seed: u32): f64 {
  ensureWorkspace();
  const a = buf(n * n), b = buf(n * n);
  fillRandom(a, n * n, seed);
  let trace: f64 = 0, frob2: f64 = 0;
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      const x = ld(a, i + j * n);
      store<f64>(at(a, n, j, i), x); // symmetric, so the one-stage reduction sees the same matrix
      frob2 += i == j ? x * x : 2 * x * x;
      if (i == j) trace += x;
    }
  }
  memory.copy(b, a, <usize>(n * n) << 3);
  const work = buf(4 * nb * n), t = buf(nb * nb), y = buf(2 * nb * nb), tau = buf(nb), tmp = buf(nb);
  sy2sb(n, a, nb, work, t, y, tau, tmp);
  let outside: f64 = 0;
  for (let j = 0; j < n; j++) for (let i = j + nb + 1; i < n; i++) outside = Math.max(outside, Math.abs(ld(a, i + j * n)));
  expect(outside).toBe(0);
  const d = buf(n), e = buf(n), work2 = buf(3 * nb);
  sb2stSweeps(n, a, n, nb, work2, 0, 1, 0);
  tridiagonalOf(n, a, n, d, e);
  let td: f64 = 0, f2: f64 = 0;
  for (let i = 0; i < n; i++) {
    td += ld(d, i);
    f2 += ld(d, i) * ld(d, i) + (i + 1 < n ? 2 * ld(e, i) * ld(e, i) : 0);
  }
  const frob = Math.sqrt(frob2);
  expect(Math.abs(td - trace)).toBeLessThan(1e-13 * <f64>n * frob);
  expect(Math.abs(f2 - frob2)).toBeLessThan(1e-13 * <f64>n * frob2);
  // The one-stage route on the copy.
  const d1 = buf(n), e1 = buf(n), tau1 = buf(n), w1 = buf(3 * n * 8);
  sytrd(n, b, n, d1, e1, tau1, w1, 8);
  expect(tql(n, d1, e1, 0, 0)).toBe(0);
  expect(tql(n, d, e, 0, 0)).toBe(0);
  sortValues(n, d);
  sortValues(n, d1);
  let err: f64 = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(ld(d, i) - ld(d1, i)));
  resetBuffers();
  return err / frob;
}

describe('symmRowsCM', () => {
  it('is X = S V from the lower triangle, whole and in row pieces', () => {
    const sizes: StaticArray<i32> = [1, 2, 5, 31, 64, 65, 130, 201];
    const ks: StaticArray<i32> = [1, 3, 8, 32];
    for (let s = 0; s < sizes.length; s++) {
      for (let q = 0; q < ks.length; q++) {
        const m = sizes[s], k = ks[q];
        for (let pieces = 1; pieces <= 3; pieces++) {
          expect(compareSymm(m, k, m, pieces, 7 + <u32>(s * 4 + q))).toBeLessThan(1e-14);
          expect(compareSymm(m, k, m + 3, pieces, 70 + <u32>(s * 4 + q))).toBeLessThan(1e-14);
        }
      }
    }
  });
});

describe('sy2sb + sb2st', () => {
  it('reduce to a band, then to a tridiagonal matrix with the one-stage eigenvalues', () => {
    // (n - nb) mod nb: 0, 1, 2 and nb - 1; one panel; n < 2 nb; n <= nb + 1 (nothing to do).
    const cases: StaticArray<i32> = [40, 5, 41, 5, 37, 5, 39, 5, 64, 8, 97, 32, 130, 32, 162, 32, 50, 32, 33, 32, 3, 2, 2, 1];
    for (let c = 0; c < cases.length; c += 2) {
      expect(twoStage(cases[c], cases[c + 1], 100 + <u32>c)).toBeLessThan(1e-14);
    }
  });
});
