// The O(k n) part of a Lanczos step on a basis kept resident in wasm memory (lambda_min's
// Lanczos on K^{-1}, src/linalg/lanczos.ts): the three-term recurrence, full
// reorthogonalization against the basis and the normalization of the next basis vector, and
// the Ritz vector's combination of the basis. In plain JS these cost as much as the solve
// itself once the basis holds ~n/20 vectors; here they are GEMV passes over the basis, four
// basis vectors per pass over w.
//
// Layout: the basis is column-major, vector j at q + 8*j*n (n values each, contiguous).
import { axpyNeg, dot, dots4, scale, subComb4 } from './cholesky';

/**
 * Lanczos step k (0-based) after the solve: w, stored at vector slot k + 1 of the basis q,
 * holds the operator applied to q_k. Computes alpha = q_k^T w, w -= alpha q_k + beta q_{k-1}
 * (beta = the previous step's norm; ignored when k = 0), then reorthogonalizes w against
 * q_0..q_k by classical Gram-Schmidt (h = Q^T w, w -= Q h: two GEMV passes), repeated once
 * when the pass cancelled much of w (DGKS: ||w'|| < ||w|| / sqrt 2; "twice is enough"), and
 * scales w to unit length when its norm beta is positive (w is then q_{k+1}).
 * Writes alpha to out[0] and beta to out[1]; h is scratch for k + 1 values.
 */
export function lanczosOrth(n: i32, q: usize, k: i32, betaPrev: f64, h: usize, out: usize): f64 {
  const qk = q + ((<usize>k * <usize>n) << 3);
  const w = qk + (<usize>n << 3);
  const alpha = dot(n, qk, w);
  axpyNeg(n, alpha, qk, w);
  if (k > 0) axpyNeg(n, betaPrev, qk - (<usize>n << 3), w);
  let b = Math.sqrt(dot(n, w, w));
  for (let pass = 0; pass < 2; pass++) {
    gemvT(n, k + 1, q, w, h);
    gemvNSub(n, k + 1, q, h, w);
    const b1 = Math.sqrt(dot(n, w, w));
    const again = b1 < Math.SQRT1_2 * b;
    b = b1;
    if (!again) break;
  }
  if (b > 0) scale(n, 1.0 / b, w);
  store<f64>(out, alpha);
  store<f64>(out + 8, b);
  return b;
}

/** y = sum_{j<m} s_j q_j: the Ritz vector from the basis q (n x m column-major) and coefficients s. */
export function lanczosCombine(n: i32, q: usize, m: i32, s: usize, y: usize): void {
  memory.fill(y, 0, <usize>n << 3);
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const c0 = q + ((<usize>j * <usize>n) << 3), c1 = c0 + (<usize>n << 3), c2 = c1 + (<usize>n << 3), c3 = c2 + (<usize>n << 3);
    const s0 = load<f64>(s + (<usize>j << 3)), s1 = load<f64>(s + (<usize>(j + 1) << 3));
    const s2 = load<f64>(s + (<usize>(j + 2) << 3)), s3 = load<f64>(s + (<usize>(j + 3) << 3));
    // y += sum s_j c_j as y -= sum (-s_j) c_j: negating the coefficients is exact.
    subComb4(n, c0, c1, c2, c3, -s0, -s1, -s2, -s3, y);
  }
  // y += s_j q_j as y -= (-s_j) q_j, as above.
  for (; j < m; j++) axpyNeg(n, -load<f64>(s + (<usize>j << 3)), q + ((<usize>j * <usize>n) << 3), y);
}

/** h = Q^T w for the m basis vectors of q (n x m column-major): four dot products per pass over w. */
function gemvT(n: i32, m: i32, q: usize, w: usize, h: usize): void {
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const c0 = q + ((<usize>j * <usize>n) << 3), c1 = c0 + (<usize>n << 3), c2 = c1 + (<usize>n << 3), c3 = c2 + (<usize>n << 3);
    dots4(0, n, c0, c1, c2, c3, w, h + (<usize>j << 3), false);
  }
  for (; j < m; j++) store<f64>(h + (<usize>j << 3), dot(n, q + ((<usize>j * <usize>n) << 3), w));
}

/** w -= Q h for the m basis vectors of q (n x m column-major): four columns per pass over w. */
function gemvNSub(n: i32, m: i32, q: usize, h: usize, w: usize): void {
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const c0 = q + ((<usize>j * <usize>n) << 3), c1 = c0 + (<usize>n << 3), c2 = c1 + (<usize>n << 3), c3 = c2 + (<usize>n << 3);
    const s0 = load<f64>(h + (<usize>j << 3)), s1 = load<f64>(h + (<usize>(j + 1) << 3));
    const s2 = load<f64>(h + (<usize>(j + 2) << 3)), s3 = load<f64>(h + (<usize>(j + 3) << 3));
    subComb4(n, c0, c1, c2, c3, s0, s1, s2, s3, w);
  }
  for (; j < m; j++) axpyNeg(n, load<f64>(h + (<usize>j << 3)), q + ((<usize>j * <usize>n) << 3), w);
}
