// Elementwise kernels, f64x2 with scalar tails.

export function hadamard(out: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(out + o, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(out + o, load<f64>(a + o) * load<f64>(b + o));
  }
}

export function axpy(y: usize, alpha: f64, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(alpha);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

// a[i, j] *= alpha * s[j] for a rows x cols row-major matrix.
export function scaleCols(a: usize, rows: i32, cols: i32, s: usize, alpha: f64): void {
  for (let i = 0; i < rows; i++) {
    const r = a + ((<usize>i * cols) << 3);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const va = f64x2.splat(alpha);
      for (; j + 2 <= cols; j += 2) {
        const o = <usize>j << 3;
        v128.store(r + o, f64x2.mul(v128.load(r + o), f64x2.mul(va, v128.load(s + o))));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j << 3;
      store<f64>(r + o, load<f64>(r + o) * (alpha * load<f64>(s + o)));
    }
  }
}

// out[i] = sqrt(sum_j a[i, j]^2 / cols) for a rows x cols row-major matrix (the empirical NTK's
// row norms ||alpha_l(x_i)|| / sqrt(m_l), and its scan of K for NaN and infinities). Two partial
// sums, over even and over odd j, added at the end, then the odd column count's last square: the
// js twin sums in the same order (same bits). Scalar: two add chains keep up with memory (an f64x2
// accumulator would be one chain of the same latency), and the code stays small.
export function rowNorms(a: usize, rows: i32, cols: i32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    let r = a + ((<usize>i * cols) << 3);
    let s0: f64 = 0, s1: f64 = 0;
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const x0 = load<f64>(r), x1 = load<f64>(r, 8);
      s0 += x0 * x0;
      s1 += x1 * x1;
      r += 16;
    }
    let s = s0 + s1;
    if (j < cols) {
      const x = load<f64>(r);
      s += x * x;
    }
    store<f64>(out + (<usize>i << 3), Math.sqrt(s / <f64>cols));
  }
}
