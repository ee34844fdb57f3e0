// Symmetric eigenvalues through a tridiagonal matrix (issue 3): blocked Householder
// reduction A = Q T Q^T, implicit QL on T; the back-transformation of T's eigenvectors is in
// assembly/ormtr.ts, the two-stage reduction for eigenvalues in assembly/band.ts (the TS
// wrappers of src/backend/wasm/linalg.ts put the stages together).
//
// Same storage as assembly/cholesky.ts: column-major, lower triangle, element (i, j) at
// a + 8*(i + j*lda). Per panel of nb columns the reduction does the BLAS-2 part (one
// symmetric matrix-vector product per column, against the not yet updated trailing matrix,
// corrected with the panel's earlier reflectors) and then one rank-2nb update of the trailing
// matrix on the GEMM kernel, so half of the 4/3 n^3 flops are GEMM.
import { at, dot, scale, symvColsAdd, syrkLowerCM } from './cholesky';
import { publish, waitAtLeast } from './sync';

/** y[0:len] += alpha * x[0:len]. */
// @ts-ignore: decorator
@inline function axpy(len: i32, alpha: f64, x: usize, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(alpha);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/**
 * y[0:len] -= sum_p X[:, p] * t[p] for the `cols` columns of X (leading dimension ldx): a
 * matrix-vector product that reads and writes y once per four columns.
 */
export function gemvNeg(len: i32, cols: i32, x: usize, ldx: i32, t: usize, y: usize): void {
  let p = 0;
  if (ASC_FEATURE_SIMD) {
    for (; p + 4 <= cols; p += 4) {
      const c0 = at(x, ldx, 0, p), c1 = at(x, ldx, 0, p + 1), c2 = at(x, ldx, 0, p + 2), c3 = at(x, ldx, 0, p + 3);
      const t0 = load<f64>(t + (<usize>p << 3)), t1 = load<f64>(t + (<usize>(p + 1) << 3));
      const t2 = load<f64>(t + (<usize>(p + 2) << 3)), t3 = load<f64>(t + (<usize>(p + 3) << 3));
      const v0 = f64x2.splat(t0), v1 = f64x2.splat(t1), v2 = f64x2.splat(t2), v3 = f64x2.splat(t3);
      let i = 0;
      for (; i + 2 <= len; i += 2) {
        const o = <usize>i << 3;
        const s = f64x2.add(f64x2.add(f64x2.mul(v128.load(c0 + o), v0), f64x2.mul(v128.load(c1 + o), v1)),
          f64x2.add(f64x2.mul(v128.load(c2 + o), v2), f64x2.mul(v128.load(c3 + o), v3)));
        v128.store(y + o, f64x2.sub(v128.load(y + o), s));
      }
      for (; i < len; i++) {
        const o = <usize>i << 3;
        store<f64>(y + o, load<f64>(y + o) -
          ((load<f64>(c0 + o) * t0 + load<f64>(c1 + o) * t1) + (load<f64>(c2 + o) * t2 + load<f64>(c3 + o) * t3)));
      }
    }
  }
  for (; p < cols; p++) axpy(len, -load<f64>(t + (<usize>p << 3)), at(x, ldx, 0, p), y);
}

/**
 * t[p] = X(:, p) . v for the `cols` columns of X (len rows, leading dimension ldx): four dot
 * products per pass over v.
 */
export function gemvT(len: i32, cols: i32, x: usize, ldx: i32, v: usize, t: usize): void {
  let p = 0;
  if (ASC_FEATURE_SIMD) {
    for (; p + 4 <= cols; p += 4) {
      const c0 = at(x, ldx, 0, p), c1 = at(x, ldx, 0, p + 1), c2 = at(x, ldx, 0, p + 2), c3 = at(x, ldx, 0, p + 3);
      let d0 = f64x2.splat(0), d1 = f64x2.splat(0), d2 = f64x2.splat(0), d3 = f64x2.splat(0);
      let i = 0;
      for (; i + 2 <= len; i += 2) {
        const o = <usize>i << 3;
        const vv = v128.load(v + o);
        d0 = f64x2.add(d0, f64x2.mul(v128.load(c0 + o), vv));
        d1 = f64x2.add(d1, f64x2.mul(v128.load(c1 + o), vv));
        d2 = f64x2.add(d2, f64x2.mul(v128.load(c2 + o), vv));
        d3 = f64x2.add(d3, f64x2.mul(v128.load(c3 + o), vv));
      }
      let s0 = f64x2.extract_lane(d0, 0) + f64x2.extract_lane(d0, 1);
      let s1 = f64x2.extract_lane(d1, 0) + f64x2.extract_lane(d1, 1);
      let s2 = f64x2.extract_lane(d2, 0) + f64x2.extract_lane(d2, 1);
      let s3 = f64x2.extract_lane(d3, 0) + f64x2.extract_lane(d3, 1);
      for (; i < len; i++) {
        const o = <usize>i << 3;
        const vi = load<f64>(v + o);
        s0 += load<f64>(c0 + o) * vi; s1 += load<f64>(c1 + o) * vi;
        s2 += load<f64>(c2 + o) * vi; s3 += load<f64>(c3 + o) * vi;
      }
      store<f64>(t + (<usize>p << 3), s0);
      store<f64>(t + (<usize>(p + 1) << 3), s1);
      store<f64>(t + (<usize>(p + 2) << 3), s2);
      store<f64>(t + (<usize>(p + 3) << 3), s3);
    }
  }
  for (; p < cols; p++) store<f64>(t + (<usize>p << 3), dot(len, at(x, ldx, 0, p), v));
}

/** sqrt(a^2 + b^2) without overflow or harmful underflow. */
// @ts-ignore: decorator
@inline function hypot(a: f64, b: f64): f64 {
  a = Math.abs(a);
  b = Math.abs(b);
  if (a < b) { const t = a; a = b; b = t; }
  if (a == 0) return 0;
  const r = b / a;
  return a * Math.sqrt(1.0 + r * r);
}

/** Euclidean norm of x[0:len], rescaled only when the plain sum of squares leaves the safe range. */
function nrm2(len: i32, x: usize): f64 {
  const s = dot(len, x, x);
  if (s > 1e-280 && s < 1e280) return Math.sqrt(s);
  let m: f64 = 0;
  for (let i = 0; i < len; i++) m = Math.max(m, Math.abs(load<f64>(x + (<usize>i << 3))));
  if (m == 0 || !isFinite(m)) return m;
  let t: f64 = 0;
  const inv = 1.0 / m;
  for (let i = 0; i < len; i++) {
    const v = load<f64>(x + (<usize>i << 3)) * inv;
    t += v * v;
  }
  return m * Math.sqrt(t);
}

/**
 * Householder reflector H = I - tau v v^T with H [alpha; x] = [beta; 0], v = [1; x / (alpha -
 * beta)]: overwrites *alphaPtr with beta and x (m - 1 values) with v's tail; returns tau.
 */
export function larfg(m: i32, alphaPtr: usize, x: usize): f64 {
  if (m <= 1) return 0;
  const xnorm = nrm2(m - 1, x);
  if (xnorm == 0) return 0;
  const alpha = load<f64>(alphaPtr);
  const beta = -copysign<f64>(hypot(alpha, xnorm), alpha);
  const tau = (beta - alpha) / beta;
  scale(m - 1, 1.0 / (alpha - beta), x);
  store<f64>(alphaPtr, beta);
  return tau;
}

/**
 * y[c0:m) := the part of A x (A the symmetric m x m column-major matrix, lower triangle read)
 * that the lower triangle's columns [c0, c1) hold: their entries times x[c0:c1) into rows
 * c0..m-1, and their mirrored entries (the rows c0..c1-1 of the upper triangle) times x into
 * y[c0:c1). Columns [0, m) give y = A x; column ranges that tile [0, m) give partial vectors
 * that sum to A x, so threads can split one product by columns (each writes only rows >= its
 * c0). Each column's entries are loaded once for both their uses (the axpy into y and the dot
 * with x), four columns per pass over y: the product is memory-bound at the sizes where it
 * dominates the reduction (the kernel: {@link symvColsAdd}, shared with lambdaMin's products).
 */
export function symvCols(m: i32, a: usize, lda: i32, x: usize, y: usize, c0: i32, c1: i32): void {
  if (c0 >= m) return;
  memory.fill(y + (<usize>c0 << 3), 0, <usize>(m - c0) << 3);
  symvColsAdd(m, a, lda, x, y, c0, c1);
}

/**
 * Column j of a panel ({@link sytrdPanelPair}) up to its symmetric product: brings column j of the N x N trailing
 * matrix A up to date with the panel's earlier reflectors and, below the diagonal, makes its
 * reflector (v with unit head in place of the subdiagonal, which goes to e[j]; factor tau[j]).
 * The product W(j+1:, j) = A(j+1:, j+1:) v comes next ({@link symvCols}), then
 * {@link latrdPost}.
 */
function latrdPre(N: i32, j: i32, a: usize, lda: i32, e: usize, tau: usize, w: usize, ldw: i32): void {
  const len = N - j;
  const aj = at(a, lda, j, j);
  if (j > 0) {
    // A(j:, j) -= A(j:, 0:j) W(j, 0:j)^T + W(j:, 0:j) A(j, 0:j)^T.
    const t = at(w, ldw, 0, j); // rows 0..j-1 of W's column j are free scratch
    for (let p = 0; p < j; p++) store<f64>(t + (<usize>p << 3), load<f64>(at(w, ldw, j, p)));
    gemvNeg(len, j, at(a, lda, j, 0), lda, t, aj);
    for (let p = 0; p < j; p++) store<f64>(t + (<usize>p << 3), load<f64>(at(a, lda, j, p)));
    gemvNeg(len, j, at(w, ldw, j, 0), ldw, t, aj);
  }
  if (j < N - 1) {
    const v = at(a, lda, j + 1, j);
    const taui = larfg(N - j - 1, v, at(a, lda, j + 2, j));
    store<f64>(e + (<usize>j << 3), load<f64>(v));
    store<f64>(v, 1.0);
    store<f64>(tau + (<usize>j << 3), taui);
  }
}

/**
 * Column j of a panel ({@link sytrdPanelPair}) after its symmetric product y = W(j+1:, j) = A(j+1:, j+1:) v:
 * corrects y for the panel's earlier reflectors (A is not updated inside a panel) and turns it
 * into w = tau y - (tau^2 / 2)(y . v) v, so the trailing matrix is A - v w^T - w v^T.
 */
function latrdPost(N: i32, j: i32, a: usize, lda: i32, tau: usize, w: usize, ldw: i32): void {
  if (j >= N - 1) return;
  const m = N - j - 1;
  const v = at(a, lda, j + 1, j);
  const wj = at(w, ldw, j + 1, j);
  const taui = load<f64>(tau + (<usize>j << 3));
  if (j > 0) {
    const t = at(w, ldw, 0, j);
    gemvT(m, j, at(w, ldw, j + 1, 0), ldw, v, t);
    gemvNeg(m, j, at(a, lda, j + 1, 0), lda, t, wj);
    gemvT(m, j, at(a, lda, j + 1, 0), lda, v, t);
    gemvNeg(m, j, at(w, ldw, j + 1, 0), ldw, t, wj);
  }
  scale(m, taui, wj);
  const alpha = -0.5 * taui * dot(m, wj, v);
  axpy(m, alpha, v, wj);
}

/**
 * Blocked Householder tridiagonalization of the symmetric n x n column-major A (lower
 * triangle): A = Q T Q^T with T's diagonal in d (n), its subdiagonal in e (n - 1), and Q =
 * H(0) ... H(n-2) stored as reflectors below the subdiagonal of A with factors in tau (n - 1).
 * `work` must hold 3 * n * nb float64 values.
 */
export function sytrd(n: i32, a: usize, lda: i32, d: usize, e: usize, tau: usize, work: usize, nb: i32): void {
  let i = 0;
  while (i < n - 1) {
    const kb = min(nb, n - 1 - i);
    const M = n - i - kb;
    sytrdPanel(n, a, lda, e, tau, work, i, kb);
    syrkLowerCM(M, 2 * kb, -1.0, at(work, n, kb, kb), n, at(work, n, kb, 0), n, at(a, lda, i + kb, i + kb), lda);
    sytrdPanelEnd(a, lda, d, e, i, kb);
    i += kb;
  }
  if (n > 0) store<f64>(d + (<usize>(n - 1) << 3), load<f64>(at(a, lda, n - 1, n - 1)));
}

/**
 * First half of one step of {@link sytrd}: reduces columns i .. i+kb-1 ({@link sytrdPanelPair}) and lays out
 * work as [V | W | V] (each kb columns, leading dimension n, rows kb .. n-i-1 used), so the
 * trailing update is lower(A(i+kb:, i+kb:)) -= [W V] [V W]^T (see {@link syrkRowsCM}, which
 * threads can split by rows).
 */
export function sytrdPanel(n: i32, a: usize, lda: i32, e: usize, tau: usize, work: usize, i: i32, kb: i32): void {
  sytrdPanelPair(n, a, lda, e, tau, work, i, kb, 0, 0, 0);
}

// Below this trailing order a panel column's symmetric product is not split (the helper
// thread's share would take less time than handing it over).
const PAIR_MIN: i32 = 512;
/**
 * First column (of the m x m trailing matrix) of the helper's share of a split symmetric
 * product: the columns from here on hold half of the lower triangle's entries.
 */
// @ts-ignore: decorator
@inline function pairSplit(m: i32): i32 {
  return <i32>(<f64>m * (1.0 - Math.SQRT1_2)) & ~3;
}

/**
 * {@link sytrdPanel}, alone (sync = 0) or on two threads that share each column's symmetric
 * product (the memory-bound half of the reduction: two threads stream the trailing matrix from
 * memory faster than one). Column by column (LAPACK dlatrd): {@link latrdPre} brings column
 * j up to date and makes its reflector v, the product A v against the not yet updated
 * trailing matrix follows ({@link symvCols}), then {@link latrdPost}; W (N x kb) is such that
 * the trailing matrix is then A - V W^T - W V^T. Both threads call it with the same arguments but `part`:
 * part 0 (the leader) does the whole panel and the columns [0, split) of each product; part 1
 * (the helper) waits for each column's reflector, computes the columns [split, m) into `ybuf`
 * (n values) and hands it back. `sync` (three i32, zeroed) counts the columns whose reflector
 * is ready (leader) and whose share is done (helper), then the waiters of assembly/sync.ts; a product of order below PAIR_MIN is the
 * leader's alone. One handover per column (assembly/sync.ts) costs a few microseconds where a
 * pool call would cost tens. Returns 0, or -1 when a wait gave up (the other thread failed).
 */
export function sytrdPanelPair(n: i32, a: usize, lda: i32, e: usize, tau: usize, work: usize, i: i32, kb: i32,
  part: i32, sync: usize, ybuf: usize): i32 {
  const N = n - i;
  const ai = at(a, lda, i, i), ei = e + (<usize>i << 3), ti = tau + (<usize>i << 3);
  const w = at(work, n, 0, kb), ldw = n;
  const ready = sync, done = sync + 4, sleepers = sync + 8;
  for (let j = 0; j < kb; j++) {
    const m = N - j - 1;
    const shared = sync != 0 && m >= PAIR_MIN;
    if (part == 1) {
      if (!shared) continue;
      if (!waitAtLeast(ready, j + 1, sleepers)) return -1;
      symvCols(m, at(ai, lda, j + 1, j + 1), lda, at(ai, lda, j + 1, j), ybuf, pairSplit(m), m);
      publish(done, j + 1, sleepers);
      continue;
    }
    latrdPre(N, j, ai, lda, ei, ti, w, ldw);
    if (j < N - 1) {
      const A = at(ai, lda, j + 1, j + 1), v = at(ai, lda, j + 1, j), y = at(w, ldw, j + 1, j);
      if (shared) {
        publish(ready, j + 1, sleepers);
        const cs = pairSplit(m);
        symvCols(m, A, lda, v, y, 0, cs);
        if (!waitAtLeast(done, j + 1, sleepers)) return -1;
        for (let r = cs; r < m; r++) {
          const o = <usize>r << 3;
          store<f64>(y + o, load<f64>(y + o) + load<f64>(ybuf + o));
        }
      } else {
        symvCols(m, A, lda, v, y, 0, m);
      }
    }
    latrdPost(N, j, ai, lda, ti, w, ldw);
  }
  if (part == 0) sytrdPanelCopy(n, a, lda, work, i, kb);
  return 0;
}

/** The [V | W | V] layout of work after a panel's columns (see {@link sytrdPanel}). */
function sytrdPanelCopy(n: i32, a: usize, lda: i32, work: usize, i: i32, kb: i32): void {
  const M = n - i - kb;
  for (let p = 0; p < kb; p++) {
    const src = at(a, lda, i + kb, i + p);
    memory.copy(at(work, n, kb, p), src, <usize>M << 3);
    memory.copy(at(work, n, kb, 2 * kb + p), src, <usize>M << 3);
  }
}

/** Last part of one step of {@link sytrd}: puts the subdiagonal back and records the diagonal. */
export function sytrdPanelEnd(a: usize, lda: i32, d: usize, e: usize, i: i32, kb: i32): void {
  for (let j = i; j < i + kb; j++) {
    store<f64>(at(a, lda, j + 1, j), load<f64>(e + (<usize>j << 3)));
    store<f64>(d + (<usize>j << 3), load<f64>(at(a, lda, j, j)));
  }
}

const EPS: f64 = 2.220446049250313e-16;
const MAX_SWEEPS: i32 = 60;

/**
 * Eigenvalues of the symmetric tridiagonal matrix (d, e) by implicit QL with Wilkinson shifts,
 * unsorted, into d. e holds the n - 1 off-diagonal values plus one spare slot (n values) and is
 * destroyed. With `z` != 0 the rotations are also applied to the n x n column-major Z (columns
 * i, i + 1 per rotation: contiguous), so starting from the identity Z ends with T's
 * eigenvectors. Returns 0, or l + 1 when eigenvalue l took more than MAX_SWEEPS sweeps.
 */
export function tql(n: i32, d: usize, e: usize, z: usize, ldz: i32): i32 {
  if (n <= 1) return 0;
  store<f64>(e + (<usize>(n - 1) << 3), 0);
  // An off-diagonal also counts as negligible below EPS * ||T|| (absolute accuracy, what a
  // backward-stable method promises): the test relative to |d_m| + |d_m+1| alone never
  // passes around eigenvalues that are exactly 0 (low-rank K, duplicate rows).
  let tnorm: f64 = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.abs(load<f64>(d + (<usize>i << 3))) + Math.abs(load<f64>(e + (<usize>i << 3)));
    if (t > tnorm) tnorm = t;
  }
  const small = EPS * tnorm;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    while (true) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(load<f64>(d + (<usize>m << 3))) + Math.abs(load<f64>(d + (<usize>(m + 1) << 3)));
        const em = Math.abs(load<f64>(e + (<usize>m << 3)));
        if (em <= EPS * dd || em <= small) break;
      }
      if (m == l) break;
      if (++iter > MAX_SWEEPS) return l + 1;
      const dl = load<f64>(d + (<usize>l << 3));
      const el = load<f64>(e + (<usize>l << 3));
      let g = (load<f64>(d + (<usize>(l + 1) << 3)) - dl) / (2.0 * el);
      let r = hypot(g, 1.0);
      g = load<f64>(d + (<usize>m << 3)) - dl + el / (g + copysign<f64>(r, g));
      let s: f64 = 1, c: f64 = 1, p: f64 = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const ei = load<f64>(e + (<usize>i << 3));
        const f = s * ei;
        const b = c * ei;
        // sqrt(f^2 + g^2) directly when the squares cannot overflow or underflow harmfully.
        const q = f * f + g * g;
        r = q > 1e-290 && q < 1e290 ? Math.sqrt(q) : hypot(f, g);
        store<f64>(e + (<usize>(i + 1) << 3), r);
        if (r == 0) {
          // The rotation vanished: the matrix split at i; restart the sweep on the rest.
          store<f64>(d + (<usize>(i + 1) << 3), load<f64>(d + (<usize>(i + 1) << 3)) - p);
          store<f64>(e + (<usize>m << 3), 0);
          deflated = true;
          break;
        }
        const rinv = 1.0 / r;
        s = f * rinv;
        c = g * rinv;
        g = load<f64>(d + (<usize>(i + 1) << 3)) - p;
        r = (load<f64>(d + (<usize>i << 3)) - g) * s + 2.0 * c * b;
        p = s * r;
        store<f64>(d + (<usize>(i + 1) << 3), g + p);
        g = c * r - b;
        if (z != 0) rot(n, at(z, ldz, 0, i), at(z, ldz, 0, i + 1), c, s);
      }
      if (deflated) continue;
      store<f64>(d + (<usize>l << 3), load<f64>(d + (<usize>l << 3)) - p);
      store<f64>(e + (<usize>l << 3), g);
      store<f64>(e + (<usize>m << 3), 0);
    }
  }
  return 0;
}

/** (x, y) <- (c x - s y, s x + c y) over len values: one Givens rotation of two columns. */
function rot(len: i32, x: usize, y: usize, c: f64, s: f64): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f64x2.splat(c), vs = f64x2.splat(s);
    for (; k + 2 <= len; k += 2) {
      const o = <usize>k << 3;
      const xv = v128.load(x + o), yv = v128.load(y + o);
      v128.store(y + o, f64x2.add(f64x2.mul(vs, xv), f64x2.mul(vc, yv)));
      v128.store(x + o, f64x2.sub(f64x2.mul(vc, xv), f64x2.mul(vs, yv)));
    }
  }
  for (; k < len; k++) {
    const o = <usize>k << 3;
    const xv = load<f64>(x + o), yv = load<f64>(y + o);
    store<f64>(y + o, s * xv + c * yv);
    store<f64>(x + o, c * xv - s * yv);
  }
}
