// Specs of the tridiagonalization's symmetric product (assembly/tridiag.ts symvCols): against
// the textbook double loop over the full symmetric matrix built from the lower triangle (the
// upper triangle holds garbage the kernel must not read), whole and in column pieces that sum
// to the whole (as threads split it), at sizes around the kernel's 4-column and 2-row tiles,
// with the leading dimension larger than the order and odd offsets (unaligned columns).
import { symvCols } from '../tridiag';
import { buf, fillRandom, resetBuffers } from './setup/blas';

function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// max |y - A x| / max |A x| with y from `pieces` column ranges of symvCols (partials summed).
function compareSymv(m: i32, lda: i32, pieces: i32, seed: u32): f64 {
  const a = buf(lda * m + 1) + 8, x = buf(m), y = buf(m), part = buf(m), r = buf(m);
  fillRandom(a, lda * m, seed);
  fillRandom(x, m, seed + 1);
  // Garbage above the diagonal: a kernel that reads it fails.
  for (let j = 0; j < m; j++) for (let i = 0; i < j; i++) store<f64>(a + (<usize>(i + j * lda) << 3), 1e6);
  for (let i = 0; i < m; i++) {
    let s: f64 = 0;
    for (let j = 0; j < m; j++) s += ld(a, i >= j ? i + j * lda : j + i * lda) * ld(x, j);
    store<f64>(r + (<usize>i << 3), s);
  }
  for (let t = 0; t < pieces; t++) {
    const c0 = m * t / pieces, c1 = m * (t + 1) / pieces;
    if (t == 0) {
      symvCols(m, a, lda, x, y, c0, c1);
      continue;
    }
    fillRandom(part, m, seed + 2); // rows below c0 are not the kernel's: garbage stays unread
    symvCols(m, a, lda, x, part, c0, c1);
    for (let i = c0; i < m; i++) store<f64>(y + (<usize>i << 3), ld(y, i) + ld(part, i));
  }
  let num: f64 = 0, den: f64 = 0;
  for (let i = 0; i < m; i++) {
    num = Math.max(num, Math.abs(ld(y, i) - ld(r, i)));
    den = Math.max(den, Math.abs(ld(r, i)));
  }
  resetBuffers();
  return num / den;
}

describe('symvCols', () => {
  it('is y = A x from the lower triangle, whole and in column pieces', () => {
    const sizes: StaticArray<i32> = [1, 2, 3, 4, 5, 7, 8, 9, 13, 31, 64, 101];
    for (let s = 0; s < sizes.length; s++) {
      const m = sizes[s];
      for (let pieces = 1; pieces <= 3; pieces++) {
        expect(compareSymv(m, m, pieces, 7 + <u32>s)).toBeLessThan(1e-14);
        expect(compareSymv(m, m + 3, pieces, 70 + <u32>s)).toBeLessThan(1e-14);
      }
    }
  });

  it('touches no row above its first column', () => {
    const m = 10;
    const a = buf(m * m), x = buf(m), y = buf(m);
    fillRandom(a, m * m, 3);
    fillRandom(x, m, 4);
    for (let i = 0; i < m; i++) store<f64>(y + (<usize>i << 3), -7);
    symvCols(m, a, m, x, y, 6, m);
    for (let i = 0; i < 6; i++) expect(ld(y, i)).toBe(-7);
    expect(ld(y, 6)).not.toBe(-7);
    resetBuffers();
  });
});
