/**
 * Pure TypeScript twin of assembly/cholesky.ts: recursive blocked Cholesky, triangular solves
 * with the factor, and the symmetric matrix-vector product, on COLUMN-major matrices (element
 * (i, j) of a matrix at offset `o` is `a[o + i + j*ld]`) reading the lower triangle. A
 * row-major symmetric matrix is its own column-major view; see the assembly file for why.
 * @module
 */

/**
 * Column-major `C = alpha op(A) op(B) + beta C` (C m x n) on sub-blocks given by offsets and
 * leading dimensions: the strided GEMM the blocked algorithms below are built on.
 */
export function gemmCM(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number,
  beta: number, c: Float64Array, co: number, ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  for (let j = 0; j < n; j++) {
    const cj = co + j * ldc;
    if (beta === 0) c.fill(0, cj, cj + m);
    else if (beta !== 1) for (let i = 0; i < m; i++) c[cj + i]! *= beta;
  }
  if (k <= 0 || alpha === 0) return;
  if (!transA) {
    // C(:, j) += alpha * sum_p A(:, p) op(B)(p, j): contiguous columns of A and C, four
    // columns of A per pass over C(:, j).
    for (let j = 0; j < n; j++) {
      const cj = co + j * ldc;
      const bAt = (p: number) => alpha * (transB ? b[bo + j + p * ldb]! : b[bo + p + j * ldb]!);
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const b0 = bAt(p), b1 = bAt(p + 1), b2 = bAt(p + 2), b3 = bAt(p + 3);
        const a0 = ao + p * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (let i = 0; i < m; i++) c[cj + i]! += a[a0 + i]! * b0 + a[a1 + i]! * b1 + a[a2 + i]! * b2 + a[a3 + i]! * b3;
      }
      for (; p < k; p++) {
        const bp = bAt(p);
        const ap = ao + p * lda;
        for (let i = 0; i < m; i++) c[cj + i]! += a[ap + i]! * bp;
      }
    }
  } else {
    // op(A)(i, p) = A(p, i): column i of the stored A is contiguous in p, so use dot products,
    // four columns of A against one column of op(B) at a time.
    const bcol = new Float64Array(k);
    for (let j = 0; j < n; j++) {
      const cj = co + j * ldc;
      for (let p = 0; p < k; p++) bcol[p] = transB ? b[bo + j + p * ldb]! : b[bo + p + j * ldb]!;
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = 0; p < k; p++) {
          const bp = bcol[p]!;
          s0 += a[a0 + p]! * bp; s1 += a[a1 + p]! * bp; s2 += a[a2 + p]! * bp; s3 += a[a3 + p]! * bp;
        }
        c[cj + i]! += alpha * s0; c[cj + i + 1]! += alpha * s1; c[cj + i + 2]! += alpha * s2; c[cj + i + 3]! += alpha * s3;
      }
      for (; i < m; i++) {
        const ai = ao + i * lda;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p]! * bcol[p]!;
        c[cj + i]! += alpha * s;
      }
    }
  }
}

const CHOL_BASE = 48;
const TRSM_BASE = 24;
const SYRK_BASE = 64;

/** Half of n rounded to a multiple of 8 (the recursive splits of this file and ./band.ts). */
export function split(n: number): number {
  const h = ((n >> 1) + 4) & ~7;
  return h > 0 && h < n ? h : n >> 1;
}

/**
 * In-place Cholesky A = L L^T of the lower triangle of the n x n column-major A at offset ao.
 * @returns 0 on success, else the 1-based column whose pivot was not positive (or NaN).
 */
export function potrf(n: number, a: Float64Array, ao: number, lda: number): number {
  if (n <= CHOL_BASE) return potf2(n, a, ao, lda);
  const n1 = split(n);
  const n2 = n - n1;
  let info = potrf(n1, a, ao, lda);
  if (info !== 0) return info;
  const a21 = ao + n1;
  const a22 = ao + n1 + n1 * lda;
  trsmRightLowerT(n2, n1, a, ao, lda, a, a21, lda);
  syrkLowerCM(n2, n1, -1, a, a21, lda, a, a21, lda, a, a22, lda);
  info = potrf(n2, a, a22, lda);
  return info !== 0 ? info + n1 : 0;
}

function potf2(n: number, a: Float64Array, ao: number, lda: number): number {
  for (let j = 0; j < n; j++) {
    const cj = ao + j * lda;
    const djj = a[cj + j]!;
    if (!(djj > 0) || djj === Infinity) return j + 1;
    const d = Math.sqrt(djj);
    a[cj + j] = d;
    const s = 1 / d;
    for (let i = j + 1; i < n; i++) a[cj + i]! *= s;
    for (let q = j + 1; q < n; q++) {
      const lqj = a[cj + q]!;
      const cq = ao + q * lda;
      for (let i = q; i < n; i++) a[cq + i]! -= lqj * a[cj + i]!;
    }
  }
  return 0;
}

/** B := B L^{-T} (B m x n, L n x n lower, column-major), recursive on GEMM. */
export function trsmRightLowerT(m: number, n: number, l: Float64Array, lo: number, ldl: number,
  b: Float64Array, bo: number, ldb: number): void {
  if (n <= TRSM_BASE) {
    for (let j = 0; j < n; j++) {
      const bj = bo + j * ldb;
      const s = 1 / l[lo + j + j * ldl]!;
      for (let i = 0; i < m; i++) b[bj + i]! *= s;
      for (let q = j + 1; q < n; q++) {
        const lqj = l[lo + q + j * ldl]!;
        const bq = bo + q * ldb;
        for (let i = 0; i < m; i++) b[bq + i]! -= lqj * b[bj + i]!;
      }
    }
    return;
  }
  const n1 = split(n);
  const n2 = n - n1;
  trsmRightLowerT(m, n1, l, lo, ldl, b, bo, ldb);
  gemmCM(false, true, m, n2, n1, -1, b, bo, ldb, l, lo + n1, ldl, 1, b, bo + n1 * ldb, ldb);
  trsmRightLowerT(m, n2, l, lo + n1 + n1 * ldl, ldl, b, bo + n1 * ldb, ldb);
}

/** Lower triangle of C += alpha A B^T (C n x n, A, B n x k; column-major). */
export function syrkLowerCM(n: number, k: number, alpha: number, a: Float64Array, ao: number, lda: number,
  b: Float64Array, bo: number, ldb: number, c: Float64Array, co: number, ldc: number): void {
  if (n <= 0 || k <= 0) return;
  if (n <= SYRK_BASE) {
    gemmCM(false, true, n, n, k, alpha, a, ao, lda, b, bo, ldb, 1, c, co, ldc);
    return;
  }
  const n1 = split(n);
  const n2 = n - n1;
  syrkLowerCM(n1, k, alpha, a, ao, lda, b, bo, ldb, c, co, ldc);
  gemmCM(false, true, n2, n1, k, alpha, a, ao + n1, lda, b, bo, ldb, 1, c, co + n1, ldc);
  syrkLowerCM(n2, k, alpha, a, ao + n1, lda, b, bo + n1, ldb, c, co + n1 + n1 * ldc, ldc);
}

/**
 * Solves (L L^T) X = B in place for `nrhs` right-hand sides (x: n x nrhs column-major with
 * leading dimension ldx) with the factor from {@link potrf}.
 */
export function cholSolve(n: number, l: Float64Array, lo: number, ldl: number,
  x: Float64Array, xo: number, ldx: number, nrhs: number): void {
  for (let j = 0; j < n; j++) {
    const cj = lo + j * ldl;
    const s = 1 / l[cj + j]!;
    for (let r = 0; r < nrhs; r++) {
      const xr = xo + r * ldx;
      const yj = x[xr + j]! * s;
      x[xr + j] = yj;
      if (yj !== 0) for (let i = j + 1; i < n; i++) x[xr + i]! -= yj * l[cj + i]!;
    }
  }
  for (let j = n - 1; j >= 0; j--) {
    const cj = lo + j * ldl;
    const s = 1 / l[cj + j]!;
    for (let r = 0; r < nrhs; r++) {
      const xr = xo + r * ldx;
      let t = 0;
      for (let i = j + 1; i < n; i++) t += l[cj + i]! * x[xr + i]!;
      x[xr + j] = (x[xr + j]! - t) * s;
    }
  }
}

/** y = A x for `nrhs` vectors (x, y: n x nrhs column-major, leading dimension n), lower triangle of A read. */
export function symvLower(n: number, a: Float64Array, ao: number, lda: number,
  x: Float64Array, xo: number, y: Float64Array, yo: number, nrhs: number): void {
  for (let r = 0; r < nrhs; r++) {
    y.fill(0, yo + r * n, yo + (r + 1) * n);
    symv1(n, a, ao, lda, x, xo + r * n, y, yo + r * n);
  }
}

/** y += A x (lower triangle of A read), one vector. */
export function symv1(n: number, a: Float64Array, ao: number, lda: number,
  x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let j = 0; j < n; j++) {
    const cj = ao + j * lda;
    const xj = x[xo + j]!;
    let t = a[cj + j]! * xj;
    for (let i = j + 1; i < n; i++) {
      const aij = a[cj + i]!;
      y[yo + i]! += aij * xj;
      t += aij * x[xo + i]!;
    }
    y[yo + j]! += t;
  }
}

/**
 * Copies the lower triangle of the row-major n x n matrix onto its upper triangle and
 * subtracts `shift` from the diagonal (see the assembly twin).
 */
export function symmetrizeShift(n: number, a: Float64Array, ao: number, lda: number, shift: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) a[ao + j * lda + i] = a[ao + i * lda + j]!;
    a[ao + i * lda + i]! -= shift;
  }
}
