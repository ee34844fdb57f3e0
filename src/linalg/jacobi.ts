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
 * @returns the sweeps taken, or -1 when the off-diagonal did not fall below eps * ||K||_F
 *   (not observed; the caller reports it).
 */
export function jacobiEig(n: number, k: Float64Array, w: Float64Array, v: Float64Array | null): number {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = k[i * n + j]!;
  if (v) { v.fill(0, 0, n * n); for (let i = 0; i < n; i++) v[i * n + i] = 1; }
  let fro = 0;
  for (let i = 0; i < n * n; i++) fro += a[i]! * a[i]!;
  const tiny = (EPS * Math.sqrt(fro)) ** 2;
  let sweeps = -1;
  for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) off += 2 * a[i * n + j]! ** 2;
    if (off <= tiny) { sweeps = sweep - 1; break; }
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!, aqq = a[q * n + q]!;
        // Rutishauser's stable rotation: t = tan(phi) of the smaller angle.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = a[r * n + p]!, arq = a[r * n + q]!;
          a[r * n + p] = c * arp - s * arq;
          a[r * n + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = a[p * n + r]!, aqr = a[q * n + r]!;
          a[p * n + r] = c * apr - s * aqr;
          a[q * n + r] = s * apr + c * aqr;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        if (v) {
          for (let r = 0; r < n; r++) {
            const vrp = v[r * n + p]!, vrq = v[r * n + q]!;
            v[r * n + p] = c * vrp - s * vrq;
            v[r * n + q] = s * vrp + c * vrq;
          }
        }
      }
    }
  }
  for (let i = 0; i < n; i++) w[i] = a[i * n + i]!;
  return sweeps;
}

/** Sorts w ascending, permuting the columns of the row-major n x n `v` alongside. */
export function sortPairs(n: number, w: Float64Array, v: Float64Array | null): void {
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => w[x]! - w[y]!);
  const ws = idx.map((i) => w[i]!);
  w.set(ws);
  if (v) {
    const row = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < n; j++) row[j] = v[r * n + idx[j]!]!;
      v.set(row, r * n);
    }
  }
}
