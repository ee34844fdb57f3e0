/** Naive references and small utilities shared by the tests. */

/** A deterministic pseudo-random array in [-1, 1) (xorshift; independent of the library's generator). */
export function randomArray(n: number, seed: number): Float64Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** Textbook triple loop for C = alpha op(A) op(B) + beta C. */
export function naiveGemm(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, b: Float64Array, beta: number, c: Float64Array): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (tA ? a[p * m + i]! : a[i * k + p]!) * (tB ? b[j * k + p]! : b[p * n + j]!);
    out[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * n + j]!);
  }
  return out;
}

/** max |x - y| / max |y|. */
export function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < y.length; i++) {
    num = Math.max(num, Math.abs(x[i]! - y[i]!));
    den = Math.max(den, Math.abs(y[i]!));
  }
  return den === 0 ? num : num / den;
}

/** Deterministic points: `count` uniform in [lo, hi) from xorshift32 started at `seed`. */
export function uniformPoints(count: number, lo: number, hi: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out.push(lo + (hi - lo) * (s / 4294967296));
  }
  return out;
}
