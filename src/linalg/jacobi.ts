/**
 * Cyclic Jacobi for a dense symmetric matrix: the fallback of the eigen routines when the
 * backend's QL iteration reports that it did not converge. Slower than the tridiagonal route
 * (a few sweeps of ~3 n^3 flops) but it always converges (quadratically once the
 * off-diagonal is small) and it is accurate to a small multiple of eps * ||K||.
 * @module
 */

const EPS = 2.220446049250313e-16;
/** Sweeps before giving up: quadratic convergence makes ~10 typical; 60 is never reached in practice. */
const MAX_SWEEPS = 60;

/**
 * Eigenvalues (unsorted, into `w`) and optionally eigenvectors (columns of the n x n row-major
 * `v`) of the symmetric n x n row-major `k` (lower triangle read; not modified).
 * Stops when the off-diagonal falls below eps * ||K||_F (after at most MAX_SWEEPS sweeps).
 */
export function jacobiEig(n: number, k: Float64Array, w: Float64Array, v: Float64Array | null): void {
  const a = new Float64Array(n * n);
  let fro = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { a[i * n + j] = a[j * n + i] = k[i * n + j]!; fro += 2 * k[i * n + j]! ** 2; }
  if (v) { v.fill(0, 0, n * n); for (let i = 0; i < n; i++) v[i * n + i] = 1; }
  // (x, y) <- (c x - s y, s x + c y) on the entries x = m[o + p * st], y = m[o + q * st], o = r * sr.
  const rot = (m: Float64Array, p: number, q: number, c: number, s: number, st: number, sr: number) => {
    for (let r = 0; r < n; r++) {
      const i = r * sr + p * st, j = r * sr + q * st, x = m[i]!, y = m[j]!;
      m[i] = c * x - s * y;
      m[j] = s * x + c * y;
    }
  };
  for (let sweep = 0; sweep <= MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) off += 2 * a[i * n + j]! ** 2;
    if (off <= EPS * EPS * fro) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        // Rutishauser's stable rotation: t = tan(phi) of the smaller angle.
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        rot(a, p, q, c, s, 1, n); // columns
        rot(a, p, q, c, s, n, 1); // rows
        a[p * n + q] = a[q * n + p] = 0;
        if (v) rot(v, p, q, c, s, 1, n);
      }
    }
  }
  for (let i = 0; i < n; i++) w[i] = a[i * n + i]!;
}

/** Sorts w ascending, permuting the columns of the row-major n x n `v` alongside. */
export function sortPairs(n: number, w: Float64Array, v: Float64Array): void {
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => w[x]! - w[y]!);
  const u = v.slice(0, n * n);
  w.set(idx.map((i) => w[i]!));
  for (let r = 0; r < n; r++) for (let j = 0; j < n; j++) v[r * n + j] = u[r * n + idx[j]!]!;
}
