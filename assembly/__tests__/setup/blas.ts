// Shared helpers of the BLAS-3 specs: raw float64 buffers, a deterministic generator, the
// textbook triple loop as the independent reference, and error measures.
import { setWorkspace, WORKSPACE_BYTES } from '../../workspace';

let wsReady = false;

/** Gives this instance its kernel workspace once (the library's loader does this in JS). */
export function ensureWorkspace(): void {
  if (wsReady) return;
  setWorkspace(heap.alloc(WORKSPACE_BYTES + 64) + 63 & ~<usize>63, WORKSPACE_BYTES);
  wsReady = true;
}

const ARENA_BYTES: usize = 32 << 20;
let arena: usize = 0;
let arenaTop: usize = 0;

/** Frees every {@link buf} at once (buffers come from one arena). */
export function resetBuffers(): void {
  arenaTop = arena;
}

/**
 * A zeroed buffer of `n` float64 values. Every other buffer starts at 8 mod 16, so v128
 * loads and stores see both alignments (JS typed-array copies only guarantee 8).
 */
export function buf(n: i32): usize {
  if (arena == 0) { arena = heap.alloc(ARENA_BYTES) + 15 & ~<usize>15; arenaTop = arena; }
  const bytes = <usize>max(n, 1) << 3;
  const q = arenaTop + (<usize>(n & 1) << 3);
  assert(q + bytes <= arena + ARENA_BYTES - 16, 'test arena exhausted');
  arenaTop = (q + bytes + 15) & ~<usize>15;
  memory.fill(q, 0, bytes);
  return q;
}

let seed: u32 = 12345;

/** Fills n values with deterministic pseudo-random numbers in [-1, 1) (xorshift32). */
export function fillRandom(p: usize, n: i32, s: u32): void {
  seed = s == 0 ? 1 : s;
  for (let i = 0; i < n; i++) {
    seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
    store<f64>(p + (<usize>i << 3), <f64>seed / 4294967296.0 * 2.0 - 1.0);
  }
}

/** Fills n values with v. */
export function fillValue(p: usize, n: i32, v: f64): void {
  for (let i = 0; i < n; i++) store<f64>(p + (<usize>i << 3), v);
}

/** Copies n values. */
export function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 3);
}

/** Element i of a float64 buffer. */
export function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/** Textbook C = alpha*op(A)*op(B) + beta*C (beta == 0 ignores C), leading dims in elements. */
export function naiveGemm(tA: i32, tB: i32, m: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32,
  b: usize, ldb: i32, beta: f64, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f64 = 0;
      for (let p = 0; p < k; p++) {
        const av = tA ? at(a, p * lda + i) : at(a, i * lda + p);
        const bv = tB ? at(b, j * ldb + p) : at(b, p * ldb + j);
        s += av * bv;
      }
      const pc = c + (<usize>(i * ldc + j) << 3);
      store<f64>(pc, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(pc));
    }
  }
}

/**
 * max |x - y| / max |y| over an m x n block with leading dimension ld (absolute when y is 0).
 */
export function relErr(x: usize, y: usize, m: i32, n: i32, ld: i32): f64 {
  let num: f64 = 0, den: f64 = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const xv = at(x, i * ld + j), yv = at(y, i * ld + j);
      const d = Math.abs(xv - yv);
      // NaN must fail the comparison, so propagate it.
      num = d != d ? d : Math.max(num, d);
      den = Math.max(den, Math.abs(yv));
    }
  }
  return den == 0 ? num : num / den;
}

/** Largest |x - y| over n values, NaN if either has a NaN. */
export function maxDiff(x: usize, y: usize, n: i32): f64 {
  let d: f64 = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(at(x, i) - at(y, i));
    d = e != e ? e : Math.max(d, e);
  }
  return d;
}

/** The odd sizes that hit every SIMD tail and edge tile of the 4x4 kernel. */
export const SIZES: StaticArray<i32> = [1, 2, 3, 5, 17, 63, 65];

/** Sorts n float64 values ascending in place (insertion sort: the specs' orders are small). */
export function sortValues(n: i32, d: usize): void {
  for (let i = 1; i < n; i++) {
    const x = load<f64>(d + (<usize>i << 3));
    let j = i - 1;
    while (j >= 0 && load<f64>(d + (<usize>j << 3)) > x) {
      store<f64>(d + (<usize>(j + 1) << 3), load<f64>(d + (<usize>j << 3)));
      j--;
    }
    store<f64>(d + (<usize>(j + 1) << 3), x);
  }
}
