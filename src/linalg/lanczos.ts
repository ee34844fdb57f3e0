/**
 * Block Lanczos on K^{-1} (through a Cholesky factor) for the smallest eigenvalue of a positive
 * definite K, with a residual check against K itself. Shared by both backends: each block step
 * is one multi-vector solve with the backend's factor; the rest (O(m n) reorthogonalization,
 * the small banded projected eigenproblem) is cheap and runs here. The factor may be of
 * K - sigma I (shift and invert, see lambdaMin): the certification always uses K.
 *
 * Why a block is possible: a solve is two triangular sweeps over the whole factor, and the
 * backends' `solve(x, nrhs)` reads the factor once for all nrhs vectors; a block of b >= the
 * multiplicity of a tight cluster at the bottom converges at the rate set by the gap to
 * lambda_{b+1} instead of lambda_2. Why it is NOT the default (block size 1): measured on NTKs
 * (wasm, n = 1000 and 3000, tanh and sigmoid), the bottom of the spectrum is a soft edge
 * (eigenvalues spreading like a density, not a few isolated near-multiples), the solve
 * vectors needed grew like b^(2/3) (tanh n = 3000: 165, 262, > 300 for b = 1, 2, 4), while a
 * b-vector solve costs about 1 + 0.25 (b - 1) single ones (7.9, 9.8, 14.0 ms for b = 1, 2, 4)
 * and the JS reorthogonalization grows with the vectors: b = 2 and 4 were slower. lambdaMin
 * gets its speed from shift and invert instead.
 * @module
 */
import { tql } from '../backend/js/tridiag.js';
import type { CholeskyFactor } from '../backend/types.js';

const EPS = 2.220446049250313e-16;
/** Solve vectors over which the residual must at least halve, or Lanczos is deemed stalled. */
const STALL_WINDOW = 50;
/** Default block size: single-vector Lanczos (see the module comment for the measurements). */
export const DEFAULT_BLOCK_SIZE = 1;

/** What {@link lanczosInverse} found. */
export interface LanczosResult {
  /** True when the error bound reached the tolerance. */
  converged: boolean;
  /** Rayleigh quotient y^T K y of the final Ritz vector (an upper bound on lambda_min up to rounding). */
  value: number;
  /** ||K y - value y|| for the unit Ritz vector y: some eigenvalue of K lies within it of `value`. */
  residual: number;
  /** Lanczos' estimate of lambda_2 (from the second Ritz value; an upper bound, informative only). */
  lambda2: number;
  /** The residual, floored at rounding level (4 eps |value|). */
  errorBound: number;
  /**
   * Solve VECTORS used, i.e. the dimension of the Krylov basis (a block step of size b counts
   * b, although it is one pass over the factor).
   */
  iterations: number;
  /** The unit Ritz vector. */
  vector: Float64Array;
}

/** Options of {@link lanczosInverse}. */
export interface LanczosOptions {
  /** Absolute tolerance on the error bound. */
  tol: number;
  /** Most solve vectors (the Krylov basis never grows beyond min(maxIter, n)). */
  maxIter: number;
  /** Seed of the start block (deterministic, so results are reproducible). */
  seed?: number;
  /** Vectors per block (default {@link DEFAULT_BLOCK_SIZE}; capped at min(maxIter, n)). */
  blockSize?: number;
  /** First start vector (length n) instead of a pseudo-random one, e.g. a Ritz vector of an earlier run. */
  start?: Float64Array;
  /**
   * Called after every block step; returning true ends the run there (the Ritz pair is still
   * checked against K and returned, converged or not). Lets the caller switch strategy, e.g.
   * to a shifted factor once lambda_min is roughly known.
   */
  shouldStop?: (state: LanczosProgress) => boolean;
}

/** Progress of {@link lanczosInverse}, for {@link LanczosOptions.shouldStop}. */
export interface LanczosProgress {
  /** Solve vectors so far. */
  m: number;
  /** Relative K^{-1} residual est / theta1 of the top Ritz pair. */
  rel: number;
  /** Largest and second-largest Ritz values of the inverse (theta2 = -Infinity while m = 1). */
  theta1: number;
  theta2: number;
  /** Predicted error of 1 / theta1 as an eigenvalue of the factored matrix. */
  predicted: number;
}

/**
 * Smallest eigenvalue of K from the largest Ritz value theta of K^{-1}: block Lanczos with
 * full reorthogonalization (twice, so the basis stays orthonormal to rounding), Rayleigh-Ritz
 * on the block-tridiagonal projection T = Q^T K^{-1} Q (banded, bandwidth b).
 *
 * Stopping: the Ritz estimate for K^{-1}, est = ||W s_last|| (W the next block before its QR,
 * s_last the Ritz vector's entries on the current block), predicts the eigenvalue error
 * est^2 / ((theta_1 - theta_2) theta_1^2); once that is below `tol`, the Ritz vector y is
 * formed and checked against K itself: rho = y^T K y, r = ||K y - rho y||, until r <= tol.
 * Then some eigenvalue of K lies in [rho - r, rho + r] (Weyl) and lambda_min <= rho
 * (Rayleigh); Lanczos from a random start finds the extreme eigenvalue of K^{-1} first, which
 * is why that eigenvalue is lambda_min. Each check costs a product with K (a full pass over
 * it), so after a failed one the next waits until est has fallen as far as r must
 * (r is proportional to est for a converging Ritz vector: r ~ ||K r_inv|| / theta). A run
 * whose relative K^{-1} residual does not halve over {@link STALL_WINDOW} solve vectors stops
 * unconverged, for the caller to fall back.
 */
export function lanczosInverse(f: CholeskyFactor, opts: LanczosOptions): LanczosResult {
  const n = f.n;
  const limit = Math.max(1, Math.min(opts.maxIter, n));
  const bw = Math.max(1, Math.min(Math.floor(opts.blockSize ?? DEFAULT_BLOCK_SIZE), limit));
  const seed = opts.seed ?? 1;
  const ld = bw + 1; // row length of the band storage of T: T(i, j) = tb[i * ld + i - j], j <= i
  let cap = Math.min(limit, 8 * bw);
  let basis = new Float64Array(cap * n); // q_j at basis[j * n ...]
  let tb = new Float64Array(cap * ld);
  const x = new Float64Array(bw * n); // the block being solved, then W
  const a = new Float64Array(bw * bw);
  const coef = new Float64Array(bw);
  const ky = new Float64Array(n);
  const ensure = (m: number) => {
    if (m <= cap) return;
    cap = Math.min(limit, Math.max(m, 2 * cap));
    const nb = new Float64Array(cap * n); nb.set(basis); basis = nb;
    const nt = new Float64Array(cap * ld); nt.set(tb); tb = nt;
  };
  // Start block: deterministic pseudo-random columns, orthonormalized.
  for (let c = 0; c < bw; c++) x.set(c === 0 && opts.start ? opts.start : startVector(n, seed + 40503 * c), c * n);
  let s = blockQr(x, bw, n, basis, 0, bw, 0, new Float64Array(bw * bw), 0, bw);
  let o = 0; // offset of the current block in the basis
  let prevS = 0; // size of the previous block
  let rPrev = new Float64Array(bw * bw); // R of the previous QR: T(o + i, o - prevS + j) = rPrev[i * prevS + j]
  let best: LanczosResult | null = null;
  let ratio = 0; // r / (est / theta) at the last failed check (0: no check yet)
  const hist: number[] = []; // best est / theta so far, per block step
  const histM: number[] = [];
  const ritz = new RitzSolver();
  for (;;) {
    const m = o + s;
    x.set(basis.subarray(o * n, m * n));
    f.solve(x, s);
    // A = Q_j^T K^{-1} Q_j (symmetrized), into T.
    for (let i = 0; i < s; i++) {
      for (let j = 0; j <= i; j++) {
        const v = 0.5 * (dotAt(basis, (o + i) * n, x, j * n, n) + dotAt(basis, (o + j) * n, x, i * n, n));
        a[i * s + j] = v; a[j * s + i] = v;
        tb[(o + i) * ld + i - j] = v;
      }
    }
    // W = K^{-1} Q_j - Q_j A - Q_{j-1} R_prev^T (three-term block recurrence).
    for (let c = 0; c < s; c++) {
      for (let i = 0; i < s; i++) axpyAt(x, c * n, -a[i * s + c]!, basis, (o + i) * n, n);
      for (let p = 0; p < prevS; p++) axpyAt(x, c * n, -rPrev[c * prevS + p]!, basis, (o - prevS + p) * n, n);
    }
    // Full reorthogonalization against the whole basis, twice ("twice is enough").
    for (let pass = 0; pass < 2; pass++) orthogonalize(x, s, n, basis, m, coef);
    const rz = ritz.solve(tb, m, bw);
    const theta = rz.theta1;
    // K^{-1} residual of the top Ritz pair: || W s_last ||.
    const est = ritzResidual(x, s, n, rz.s, o, ky);
    // Next block: QR of W, deflating dependent columns, truncated to the room left.
    const room = Math.min(s, limit - m);
    let next = 0;
    const rNext = new Float64Array(bw * bw);
    if (room > 0) {
      ensure(m + room);
      next = blockQr(x, s, n, basis, m, room, 64 * EPS * Math.sqrt(n) * Math.abs(theta), rNext, m, s);
      // The coupling K^{-1}-block (next, current) of T is R (upper trapezoidal, so in the band).
      for (let k = 0; k < next; k++) {
        for (let c = k; c < s; c++) tb[(m + k) * ld + s + k - c] = rNext[k * s + c]!;
      }
    }
    // An invariant subspace (no new direction) or the whole space: the Ritz values are exact.
    const invariant = next === 0;
    const rel = est / Math.abs(theta);
    // Best relative residual so far: in a wide cluster the top Ritz pair's residual oscillates
    // (the Ritz vector moves between cluster members), so only the best one must keep falling.
    hist.push(Math.min(rel, hist.length > 0 ? hist[hist.length - 1]! : Infinity));
    histM.push(m);
    let ref = -1;
    for (let h = hist.length - 1; h >= 0; h--) if (histM[h]! <= m - STALL_WINDOW) { ref = h; break; }
    const stalled = ref >= 0 && hist[hist.length - 1]! > 0.5 * hist[ref]!;
    const gapInv = rz.theta2 > -Infinity ? theta - rz.theta2 : theta;
    const predicted = gapInv > 0 ? (est * est) / (gapInv * theta * theta) : Infinity;
    const last = invariant || stalled ||
      (opts.shouldStop?.({ m, rel, theta1: theta, theta2: rz.theta2, predicted }) ?? false);
    if (last || (predicted <= opts.tol && ratio * rel <= opts.tol)) {
      const y = new Float64Array(n);
      for (let j = 0; j < m; j++) axpyAt(y, 0, rz.s[j]!, basis, j * n, n);
      const ny = Math.sqrt(dotAt(y, 0, y, 0, n));
      for (let i = 0; i < n; i++) y[i]! /= ny;
      f.multiply(y, ky);
      const rho = dotAt(y, 0, ky, 0, n);
      axpyAt(ky, 0, -rho, y, 0, n);
      const res = Math.sqrt(dotAt(ky, 0, ky, 0, n));
      const lambda2 = rz.theta2 > 0 ? 1 / rz.theta2 : Infinity;
      // The Kato-Temple bound r^2 / (lambda_2 - rho) would be far smaller, but it needs a
      // lower bound on lambda_2 that Lanczos cannot give (a near-double lambda_1 is invisible
      // to it): only the residual bound is reported and required.
      const bound = Math.max(res, 4 * EPS * Math.abs(rho));
      const out: LanczosResult = {
        converged: bound <= opts.tol, value: rho, residual: res, lambda2, errorBound: bound,
        iterations: m, vector: y,
      };
      if (!best || out.errorBound < best.errorBound) best = out;
      if (out.converged || last) return best;
      // r falls in proportion to est from here: wait until est has fallen far enough.
      ratio = rel > 0 ? res / rel : Infinity;
    }
    o = m;
    prevS = s;
    s = next;
    rPrev = rNext;
  }
}

/**
 * QR of the `s` columns of x (n each, already orthogonal to the basis) into basis columns
 * from `at` on: at most `room` new orthonormal vectors, R (kept x s, row-major with row
 * length `rld`) into `r`. A column whose remainder is at most `thr` (or, when thr is 0, at most
 * 64 eps sqrt(n) times its own norm) depends on the others and is dropped (deflation). Returns
 * the number of vectors kept.
 * @internal
 */
function blockQr(x: Float64Array, s: number, n: number, basis: Float64Array, at: number, room: number,
  thr: number, r: Float64Array, reorthUpTo: number, rld: number): number {
  let kept = 0;
  for (let c = 0; c < s && kept < room; c++) {
    const xo = c * n;
    const before = Math.sqrt(dotAt(x, xo, x, xo, n));
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < kept; k++) {
        const d = dotAt(basis, (at + k) * n, x, xo, n);
        axpyAt(x, xo, -d, basis, (at + k) * n, n);
        r[k * rld + c]! += d;
      }
    }
    let nrm = Math.sqrt(dotAt(x, xo, x, xo, n));
    const t = thr > 0 ? thr : 64 * EPS * Math.sqrt(n) * before;
    if (nrm <= t) continue;
    if (nrm < 0.5 * before && reorthUpTo > 0) {
      // Cancellation inside the block: its remainder's rounding-level components along the
      // old basis are no longer negligible relative to it.
      const c1 = new Float64Array(1);
      const col = x.subarray(xo, xo + n);
      for (let pass = 0; pass < 2; pass++) orthogonalize(col, 1, n, basis, reorthUpTo, c1);
      for (let k = 0; k < kept; k++) axpyAt(x, xo, -dotAt(basis, (at + k) * n, x, xo, n), basis, (at + k) * n, n);
      nrm = Math.sqrt(dotAt(x, xo, x, xo, n));
      if (nrm <= t) continue;
    }
    const q = (at + kept) * n;
    const inv = 1 / nrm;
    for (let i = 0; i < n; i++) basis[q + i] = x[xo + i]! * inv;
    r[kept * rld + c] = nrm;
    kept++;
    if (kept === room) {
      // No room for more vectors: the remaining columns only contribute their couplings.
      for (let c2 = c + 1; c2 < s; c2++) {
        for (let k = 0; k < kept; k++) r[k * rld + c2] = dotAt(basis, (at + k) * n, x, c2 * n, n);
      }
    }
  }
  return kept;
}

/**
 * Removes from the s columns of x their components along basis vectors 0..m-1 (one pass of
 * Gram-Schmidt, basis vector by basis vector so each is read once for the whole block).
 */
function orthogonalize(x: Float64Array, s: number, n: number, basis: Float64Array, m: number, coef: Float64Array): void {
  for (let j = 0; j < m; j++) {
    const qo = j * n;
    for (let c = 0; c < s; c++) coef[c] = dotAt(basis, qo, x, c * n, n);
    for (let c = 0; c < s; c++) axpyAt(x, c * n, -coef[c]!, basis, qo, n);
  }
}

/** || sum_c sv[o + c] W_c || for the s columns of W (n each); `tmp` (length n) is scratch. */
function ritzResidual(w: Float64Array, s: number, n: number, sv: Float64Array, o: number, tmp: Float64Array): number {
  tmp.fill(0);
  for (let c = 0; c < s; c++) axpyAt(tmp, 0, sv[o + c]!, w, c * n, n);
  return Math.sqrt(dotAt(tmp, 0, tmp, 0, n));
}

/**
 * Top two eigenvalues and the top unit eigenvector of the m x m symmetric band matrix T
 * (bandwidth bw, stored as in {@link lanczosInverse}). Eigenvalues: band reduction to
 * tridiagonal by Givens rotations with bulge chasing (O(m^2 bw), backward stable), then
 * implicit QL. Eigenvector: inverse iteration with the shift just above theta_1, where
 * sigma I - T is positive definite, so a band Cholesky (O(m bw^2)) needs no pivoting.
 * Scratch space is kept between calls (T grows by a block per Lanczos step).
 * @internal
 */
class RitzSolver {
  private dense = new Float64Array(0);

  solve(tb: Float64Array, m: number, bw: number): { theta1: number; theta2: number; s: Float64Array } {
    const ld = bw + 1;
    if (this.dense.length < m * m) this.dense = new Float64Array(Math.max(m * m, 2 * this.dense.length));
    const A = this.dense;
    A.fill(0, 0, m * m);
    let tnorm = 0;
    for (let i = 0; i < m; i++) {
      let row = 0;
      for (let j = Math.max(0, i - bw); j <= i; j++) {
        const v = tb[i * ld + i - j]!;
        A[i * m + j] = v; A[j * m + i] = v;
        row += Math.abs(v);
      }
      for (let j = i + 1; j <= Math.min(m - 1, i + bw); j++) row += Math.abs(tb[j * ld + j - i]!);
      tnorm = Math.max(tnorm, row);
    }
    bandToTridiagonal(A, m, bw);
    const d = new Float64Array(m), e = new Float64Array(m);
    for (let i = 0; i < m; i++) { d[i] = A[i * m + i]!; if (i + 1 < m) e[i] = A[(i + 1) * m + i]!; }
    tql(m, d, e, null, 0, 0);
    let t1 = -Infinity, t2 = -Infinity;
    for (let i = 0; i < m; i++) {
      const v = d[i]!;
      if (v > t1) { t2 = t1; t1 = v; } else if (v > t2) t2 = v;
    }
    return { theta1: t1, theta2: t2, s: topEigvec(tb, m, bw, t1, tnorm) };
  }
}

/**
 * Reduces the full symmetric m x m row-major A of bandwidth bw to tridiagonal form in place
 * (Rutishauser's band reduction: each entry below the first subdiagonal is rotated away and
 * the bulge it creates b rows further down is chased off the end). Only the band (plus the
 * bulge) is touched, so the cost is O(m^2 bw).
 */
function bandToTridiagonal(A: Float64Array, m: number, bw: number): void {
  if (bw < 2) return;
  for (let j = 0; j + 2 < m; j++) {
    for (let i0 = Math.min(j + bw, m - 1); i0 >= j + 2; i0--) {
      let row = i0, col = j;
      while (row < m) {
        const xv = A[row * m + col]!;
        if (xv === 0) break;
        const p = row - 1;
        const yv = A[p * m + col]!;
        const h = Math.hypot(yv, xv);
        const c = yv / h, sn = xv / h;
        const lo = Math.max(0, p - bw - 2), hi = Math.min(m - 1, row + bw + 2);
        for (let k = lo; k <= hi; k++) {
          const u = A[p * m + k]!, v = A[row * m + k]!;
          A[p * m + k] = c * u + sn * v;
          A[row * m + k] = c * v - sn * u;
        }
        for (let k = lo; k <= hi; k++) {
          const u = A[k * m + p]!, v = A[k * m + row]!;
          A[k * m + p] = c * u + sn * v;
          A[k * m + row] = c * v - sn * u;
        }
        A[row * m + col] = 0; A[col * m + row] = 0;
        col = p;
        row += bw;
      }
    }
  }
}

/**
 * Unit eigenvector of the band matrix T for its largest eigenvalue theta1: three steps of
 * inverse iteration with sigma I - T, sigma = theta1 + delta (delta raised when the band
 * Cholesky meets a non-positive pivot, i.e. theta1 was computed a little low).
 */
function topEigvec(tb: Float64Array, m: number, bw: number, theta1: number, tnorm: number): Float64Array {
  const ld = bw + 1;
  const L = new Float64Array(m * ld);
  let delta = 8 * EPS * Math.sqrt(m) * (tnorm || 1);
  for (let attempt = 0; ; attempt++) {
    if (bandCholesky(tb, m, bw, theta1 + delta, L) || attempt >= 40) break;
    delta *= 8;
  }
  let xv = new Float64Array(m).fill(1 / Math.sqrt(m));
  for (let it = 0; it < 3; it++) {
    // Forward and back substitution with L L^T.
    for (let i = 0; i < m; i++) {
      let t = xv[i]!;
      for (let k = Math.max(0, i - bw); k < i; k++) t -= L[i * ld + i - k]! * xv[k]!;
      xv[i] = t / L[i * ld]!;
    }
    for (let i = m - 1; i >= 0; i--) {
      let t = xv[i]!;
      for (let k = i + 1; k <= Math.min(m - 1, i + bw); k++) t -= L[k * ld + k - i]! * xv[k]!;
      xv[i] = t / L[i * ld]!;
    }
    let nx = 0;
    for (let i = 0; i < m; i++) nx += xv[i]! * xv[i]!;
    nx = Math.sqrt(nx);
    if (!(nx > 0 && Number.isFinite(nx))) { xv = new Float64Array(m); xv[0] = 1; break; }
    for (let i = 0; i < m; i++) xv[i]! /= nx;
  }
  return xv;
}

/**
 * Band Cholesky L L^T = sigma I - T (L in the same band storage as T). Returns false at a
 * non-positive pivot (sigma not above the spectrum of T).
 */
function bandCholesky(tb: Float64Array, m: number, bw: number, sigma: number, L: Float64Array): boolean {
  const ld = bw + 1;
  for (let i = 0; i < m; i++) {
    const k0 = Math.max(0, i - bw);
    for (let j = k0; j <= i; j++) {
      let t = (i === j ? sigma : 0) - tb[i * ld + i - j]!;
      for (let k = Math.max(k0, j - bw); k < j; k++) t -= L[i * ld + i - k]! * L[j * ld + j - k]!;
      if (j < i) L[i * ld + i - j] = t / L[j * ld]!;
      else if (t > 0) L[i * ld] = Math.sqrt(t);
      else return false;
    }
  }
  return true;
}

function startVector(n: number, seed: number): Float64Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const v = new Float64Array(n);
  let nrm = 0;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    v[i] = s / 4294967296 - 0.5;
    nrm += v[i]! * v[i]!;
  }
  const inv = 1 / Math.sqrt(nrm);
  for (let i = 0; i < n; i++) v[i]! *= inv;
  return v;
}

function dotAt(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += x[xo + i]! * y[yo + i]!;
  return s;
}

function axpyAt(y: Float64Array, yo: number, alpha: number, x: Float64Array, xo: number, len: number): void {
  for (let i = 0; i < len; i++) y[yo + i]! += alpha * x[xo + i]!;
}
