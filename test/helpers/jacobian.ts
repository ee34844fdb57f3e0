/**
 * The NTK K = J J^T from an explicit Jacobian J (n x p) of f(x) = v . alpha_L / sqrt(m_L) with
 * alpha_l = phi(W_l alpha_{l-1} / sqrt(m_{l-1})), alpha_0 = x, written out sample by sample and
 * parameter by parameter (W_1, ..., W_L row-major, then v): independent of the layerwise
 * Gram-Hadamard formula the library uses (src/network/ntk.ts).
 */
import type { Matrix } from '../../src/matrix.js';

/**
 * @param X n x d data.
 * @param W the L weight matrices, W_l of m_l x m_{l-1} (rows = output units).
 * @param v output weights, length m_L.
 * @param phi the activation and `dphi` its derivative (phi'(0) as the library takes it).
 */
export function jacobianNtk(X: Matrix, W: readonly Matrix[], v: ArrayLike<number>,
  phi: (x: number) => number, dphi: (x: number) => number): Matrix {
  const n = X.rows, d = X.cols, L = W.length;
  const dims = [d, ...W.map((w) => w.rows)];
  const p = W.reduce((s, w) => s + w.rows * w.cols, 0) + dims[L]!;
  const J = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    // Forward: alpha[0..L], h[1..L].
    const alpha: number[][] = [Array.from(X.data.subarray(i * d, (i + 1) * d))];
    const h: number[][] = [[]];
    for (let l = 1; l <= L; l++) {
      const w = W[l - 1]!, mp = dims[l - 1]!;
      const hl = Array.from({ length: dims[l]! }, (_, j) => {
        let s = 0;
        for (let k = 0; k < mp; k++) s += w.data[j * mp + k]! * alpha[l - 1]![k]!;
        return s / Math.sqrt(mp);
      });
      h.push(hl);
      alpha.push(hl.map(phi));
    }
    // Backward: g[l] = df/dh_l.
    const g: number[][] = new Array(L + 1);
    g[L] = h[L]!.map((x, k) => (v[k]! / Math.sqrt(dims[L]!)) * dphi(x));
    for (let l = L - 1; l >= 1; l--) {
      const w = W[l]!, m = dims[l]!, mn = dims[l + 1]!;
      g[l] = h[l]!.map((x, j) => {
        let s = 0;
        for (let k = 0; k < mn; k++) s += g[l + 1]![k]! * w.data[k * m + j]!;
        return (s / Math.sqrt(m)) * dphi(x);
      });
    }
    const row = J.subarray(i * p, (i + 1) * p);
    let o = 0;
    for (let l = 1; l <= L; l++) {
      const mp = dims[l - 1]!;
      for (let j = 0; j < dims[l]!; j++) for (let k = 0; k < mp; k++) row[o++] = (g[l]![j]! * alpha[l - 1]![k]!) / Math.sqrt(mp);
    }
    for (let k = 0; k < dims[L]!; k++) row[o++] = alpha[L]![k]! / Math.sqrt(dims[L]!);
  }
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += J[i * p + k]! * J[j * p + k]!;
      K[i * n + j] = K[j * n + i] = s;
    }
  }
  return { rows: n, cols: n, data: K };
}
