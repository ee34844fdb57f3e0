/**
 * Pure TypeScript twin of assembly/lanczos.ts: the O(k n) part of a Lanczos step (three-term
 * recurrence, full reorthogonalization, normalization) and the Ritz vector's combination, on a
 * basis stored column-major in one array (vector j at offset `qo + j*n`).
 * @module
 */

/**
 * Lanczos step k after the solve (w = vector slot k + 1 of q holds the operator applied to
 * q_k): alpha = q_k^T w, w -= alpha q_k + beta q_{k-1}, classical Gram-Schmidt against
 * q_0..q_k (h = Q^T w, w -= Q h) repeated once by the DGKS criterion, then w /= beta when
 * beta = ||w|| > 0. Writes alpha, beta into out[0], out[1]; h is scratch (k + 1 values).
 * @returns beta.
 */
export function lanczosOrth(n: number, q: Float64Array, qo: number, k: number, betaPrev: number,
  h: Float64Array, out: Float64Array): number {
  const qk = qo + k * n, w = qk + n;
  const alpha = dotAt(n, q, qk, w);
  for (let i = 0; i < n; i++) q[w + i]! -= alpha * q[qk + i]!;
  if (k > 0) for (let i = 0; i < n; i++) q[w + i]! -= betaPrev * q[qk - n + i]!;
  let b = Math.sqrt(dotAt(n, q, w, w));
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j <= k; j++) h[j] = dotAt(n, q, qo + j * n, w);
    for (let j = 0; j <= k; j++) {
      const c = qo + j * n, s = h[j]!;
      for (let i = 0; i < n; i++) q[w + i]! -= s * q[c + i]!;
    }
    const b1 = Math.sqrt(dotAt(n, q, w, w));
    const again = b1 < Math.SQRT1_2 * b;
    b = b1;
    if (!again) break;
  }
  if (b > 0) {
    const s = 1 / b;
    for (let i = 0; i < n; i++) q[w + i]! *= s;
  }
  out[0] = alpha;
  out[1] = b;
  return b;
}

/** y = sum_{j<m} s_j q_j (the Ritz vector from the basis and the coefficients s). */
export function lanczosCombine(n: number, q: Float64Array, qo: number, m: number, s: Float64Array, y: Float64Array): void {
  y.fill(0, 0, n);
  for (let j = 0; j < m; j++) {
    const c = qo + j * n, sj = s[j]!;
    for (let i = 0; i < n; i++) y[i]! += sj * q[c + i]!;
  }
}

/** Dot product of q[a : a + n] and q[b : b + n]. */
function dotAt(n: number, q: Float64Array, a: number, b: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += q[a + i]! * q[b + i]!;
  return t;
}
