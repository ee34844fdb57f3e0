/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by divide and conquer (Cuppen;
 * the deflation and the Loewner-formula eigenvectors of Gu and Eisenstat, as in LAPACK's
 * dstedc/dlaed*), shared by both backends: the recursion and the deflation run here; each
 * merge's O(K^2) part (secular equations, the Loewner vectors: assembly/secular.ts and its js
 * twin) and its O(n^3) part, the product of the subproblems' eigenvectors with the merge's,
 * go to the backend ({@link DcKernels}: wasm SIMD on the wasm backend, threaded when it has
 * threads).
 *
 * Why Loewner: eigenvectors computed as z_j / (d_j - lambda_i) from the z of the problem lose
 * orthogonality when eigenvalues are close; recomputing z-hat from the computed roots (so the
 * computed lambda_i are the exact eigenvalues of D + rho z-hat z-hat^T) makes the vectors
 * numerically orthogonal (Gu & Eisenstat 1995).
 * @module
 */
import { tql } from './tql.js';

const EPS = 2.220446049250313e-16;
/** Subproblems of at most this order are solved by QL with accumulated rotations. */
const LEAF = 32;

/** `C = A B` for row-major A (m x k), B (k x n), C (m x n): the backend's GEMM. */
export type GemmRowMajor = (m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array) => void;

/** What a merge asks of the backend: its two O(K^3) and O(K^2) parts. */
export interface DcKernels {
  /** The product of the subproblems' eigenvectors with the merge's (the O(n^3) flops). */
  gemm: GemmRowMajor;
  /**
   * The eigenproblem of D + rho z z^T (d: K values strictly ascending, |z| = 1, rho > 0):
   * eigenvalues into `lambda` (K, ascending) and the unit eigenvectors u_i restricted to the
   * entries each of the merge's two products (top rows, bottom rows) uses: `outs[s]` (K x
   * sets[s].length, row-major) gets u_i[sets[s][t]] at row i, column t (assembly/secular.ts
   * and its js twin).
   */
  secular(K: number, rho: number, d: Float64Array, z: Float64Array, lambda: Float64Array,
    sets: readonly [Int32Array, Int32Array], outs: readonly [Float64Array, Float64Array]): void;
}

/**
 * Eigen-decomposition T = Q diag(d) Q^T of the symmetric tridiagonal T (diagonal d, n values;
 * off-diagonal e, n - 1 values; both overwritten: d with the eigenvalues ascending, those of
 * implicit QL on T, as eigvalsh computes them).
 * @param q n x n column-major output (leading dimension n): column j is the eigenvector of d[j].
 * @param kernels the backend's matrix product and secular-equation solver, used by the merges.
 * @returns 0 (a leaf's QL that does not converge returns its index + 1; not observed).
 */
export function stedc(n: number, d: Float64Array, e: Float64Array, q: Float64Array, kernels: DcKernels): number {
  q.fill(0, 0, n * n);
  if (n === 0) return 0;
  // Scale T to max |entry| ~ 1 by a power of two (exact): the tolerances below are absolute.
  let tmax = 0;
  for (let i = 0; i < n; i++) tmax = Math.max(tmax, Math.abs(d[i]!), i < n - 1 ? Math.abs(e[i]!) : 0);
  if (tmax === 0) {
    for (let i = 0; i < n; i++) q[i * n + i] = 1;
    return 0;
  }
  // The eigenvalues reported are QL's on the same T (O(n^2)), sorted: bitwise those of the
  // backend's eigvalsh, so eigh and eigvalsh agree exactly; they differ from the secular
  // roots the vectors belong to by rounding only (both backward stable).
  const dq = d.slice(0, n), eq = new Float64Array(n);
  eq.set(e.subarray(0, n - 1));
  const s = 2 ** -Math.round(Math.log2(tmax));
  for (let i = 0; i < n; i++) { d[i]! *= s; if (i < n - 1) e[i]! *= s; }
  const info = solve(n, 0, n, d, e, q, kernels);
  if (info) return info;
  if (tql(n, dq, eq, null, 0, 0) === 0) d.set(dq.sort());
  else for (let i = 0; i < n; i++) d[i]! /= s;
  return 0;
}

/** Solves the block [lo, hi) of T: eigenvalues ascending into d[lo..hi), vectors into the diagonal block of q. */
function solve(n: number, lo: number, hi: number, d: Float64Array, e: Float64Array, q: Float64Array, kernels: DcKernels): number {
  const N = hi - lo;
  if (N <= LEAF) return leaf(n, lo, N, d, e, q);
  const m = N >> 1;
  const beta = e[lo + m - 1]!;
  const rho = Math.abs(beta);
  // T = diag(T1 - rho e_last e_last^T, T2 - rho e_1 e_1^T) + rho u u^T, u = [e_last; sign(beta) e_1].
  d[lo + m - 1]! -= rho;
  d[lo + m]! -= rho;
  let info = solve(n, lo, lo + m, d, e, q, kernels);
  if (info) return info;
  info = solve(n, lo + m, hi, d, e, q, kernels);
  if (info) return info + m;
  merge(n, lo, m, N, d, q, rho, beta < 0 ? -1 : 1, kernels);
  return 0;
}

/** The indices 0..len-1 ordered by ascending v. */
function argsort(v: Float64Array, len: number): number[] {
  return Array.from({ length: len }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
}

/** QL with accumulated rotations on a small block, then sorted. */
function leaf(n: number, lo: number, N: number, d: Float64Array, e: Float64Array, q: Float64Array): number {
  const dd = d.slice(lo, lo + N);
  const ee = new Float64Array(N);
  for (let i = 0; i < N - 1; i++) ee[i] = e[lo + i]!;
  const z = new Float64Array(N * N);
  for (let i = 0; i < N; i++) z[i * N + i] = 1;
  const info = tql(N, dd, ee, z, 0, N);
  if (info) return info;
  const order = argsort(dd, N);
  for (let j = 0; j < N; j++) {
    const src = order[j]!;
    d[lo + j] = dd[src]!;
    const col = (lo + j) * n + lo;
    for (let i = 0; i < N; i++) q[col + i] = z[src * N + i]!;
  }
  return 0;
}

/**
 * Merges the two solved halves of the block at lo (sizes m and N - m): the eigenproblem of
 * D + rho z z^T with z = [last row of Q1; sign * first row of Q2].
 */
function merge(n: number, lo: number, m: number, N: number, d: Float64Array, q: Float64Array, rho0: number, sign: number, kernels: DcKernels): void {
  // The block's eigenvectors so far are used in place: column j at qb + j * n of q (the
  // deflating rotations update them there; the result overwrites them only after every read).
  const qb = lo * n + lo;
  const z = new Float64Array(N);
  for (let j = 0; j < m; j++) z[j] = q[qb + j * n + m - 1]!;
  for (let j = m; j < N; j++) z[j] = sign * q[qb + j * n + m]!;
  const D = d.slice(lo, lo + N);
  // ||z||^2 = 2 (two unit rows): normalize z, rho absorbs it.
  let zz = 0;
  for (let j = 0; j < N; j++) zz += z[j]! * z[j]!;
  const zn = Math.sqrt(zz);
  for (let j = 0; j < N; j++) z[j]! /= zn;
  const rho = rho0 * zz;
  // Ascending order of D (two sorted halves).
  const perm = argsort(D, N);
  let dmax = 0;
  for (let j = 0; j < N; j++) dmax = Math.max(dmax, Math.abs(D[j]!));
  const tol = 8 * EPS * Math.max(dmax, rho);
  // Deflation: a negligible z_j leaves (D_j, column j) as an eigenpair; two close D values
  // are rotated so that one z vanishes.
  const keep: number[] = [];
  const deflated: number[] = [];
  let prev = -1;
  for (const j of perm) {
    if (rho * Math.abs(z[j]!) <= tol) { deflated.push(j); continue; }
    if (prev >= 0) {
      const zs = z[prev]!, zc = z[j]!;
      const tau = Math.hypot(zc, zs);
      const c = zc / tau, s = zs / tau;
      const t = D[j]! - D[prev]!;
      if (Math.abs(t * c * s) <= tol) {
        // Q G with G = [[c, s], [-s, c]] on (prev, j): z_prev becomes 0, z_j becomes tau.
        const cp = qb + prev * n, cj = qb + j * n;
        for (let i = 0; i < N; i++) {
          const a = q[cp + i]!, b = q[cj + i]!;
          q[cp + i] = c * a - s * b;
          q[cj + i] = s * a + c * b;
        }
        const dp = D[prev]!, dj = D[j]!;
        D[prev] = c * c * dp + s * s * dj;
        D[j] = s * s * dp + c * c * dj;
        z[prev] = 0;
        z[j] = tau;
        deflated.push(prev);
        prev = j;
        continue;
      }
      keep.push(prev);
    }
    prev = j;
  }
  if (prev >= 0) keep.push(prev);
  // The rotations may have moved the kept D values by up to tol: restore their order.
  keep.sort((a, b) => D[a]! - D[b]!);
  const K = keep.length;
  const lam = new Float64Array(K); // eigenvalues of the kept problem
  // The kept problem's vectors by halves of rows: [U^T Q_use^T for the top m rows, for the rest].
  const parts: (Float64Array | null)[] = [null, null];
  if (K > 0) {
    const dk = Float64Array.from(keep, (j) => D[j]!);
    const zk = Float64Array.from(keep, (j) => z[j]!);
    // New vectors = Q(:, keep) U. Before the merge Q is block diagonal, so a kept column is
    // zero in its lower rows (from Q1), its upper rows (from Q2), or neither (mixed by a
    // deflating rotation): the top m rows of the product need only the columns with a top
    // part, the bottom ones only those with a bottom part (half the flops of one product).
    const top: number[] = [], bottom: number[] = [];
    for (let j = 0; j < K; j++) {
      const c = qb + keep[j]! * n;
      let up = false, low = false;
      for (let i = 0; i < m && !up; i++) up = q[c + i] !== 0;
      for (let i = m; i < N && !low; i++) low = q[c + i] !== 0;
      if (up) top.push(j);
      if (low) bottom.push(j);
    }
    const sets = [Int32Array.from(top), Int32Array.from(bottom)] as const;
    // U_use^T (K x L) per half: roots, Loewner z-hat and vectors on the backend (O(K^2)).
    const uas = [new Float64Array(K * top.length), new Float64Array(K * bottom.length)] as const;
    kernels.secular(K, rho, dk, zk, lam, sets, uas);
    for (const [h, r0, r1] of [[0, 0, m], [1, m, N]] as const) {
      // Rows r0..r1-1: (Q_use U_use)^T = U_use^T Q_use^T, one GEMM (zero where use is empty).
      const use = sets[h]!, rows = r1 - r0, L = use.length;
      if (L === 0) continue;
      const qa = new Float64Array(L * rows); // Q_use^T: L x rows
      for (let t = 0; t < L; t++) {
        const c = qb + keep[use[t]!]! * n;
        qa.set(q.subarray(c + r0, c + r1), t * rows);
      }
      const out = new Float64Array(K * rows);
      kernels.gemm(K, rows, L, uas[h]!, qa, out);
      parts[h] = out;
    }
  }
  // Every eigenpair (kept ones first, then deflated) goes to its place in ascending order.
  const total = K + deflated.length;
  const src = new Float64Array(total);
  for (let i = 0; i < K; i++) src[i] = lam[i]!;
  const saved = new Float64Array(deflated.length * N); // deflated vectors, read before the writes
  for (let t = 0; t < deflated.length; t++) {
    const j = deflated[t]!;
    src[K + t] = D[j]!;
    saved.set(q.subarray(qb + j * n, qb + j * n + N), t * N);
  }
  const order = argsort(src, total);
  const vals = new Float64Array(N);
  for (let t = 0; t < total; t++) {
    const o = order[t]!;
    vals[t] = src[o]!;
    const dst = qb + t * n;
    if (o >= K) {
      q.set(saved.subarray((o - K) * N, (o - K + 1) * N), dst);
      continue;
    }
    const [top, bottom] = parts;
    if (top) q.set(top.subarray(o * m, o * m + m), dst);
    else q.fill(0, dst, dst + m);
    if (bottom) q.set(bottom.subarray(o * (N - m), (o + 1) * (N - m)), dst + m);
    else q.fill(0, dst + m, dst + N);
  }
  d.set(vals, lo);
}
