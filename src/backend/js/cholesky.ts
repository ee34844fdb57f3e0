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
    // C(:, j) += alpha * sum_p A(:, p) op(B)(p, j): contiguous columns of A and C.
    for (let j = 0; j < n; j++) {
      const cj = co + j * ldc;
      for (let p = 0; p < k; p++) {
        const bpj = alpha * (transB ? b[bo + j + p * ldb]! : b[bo + p + j * ldb]!);
        if (bpj === 0) continue;
        const ap = ao + p * lda;
        for (let i = 0; i < m; i++) c[cj + i]! += a[ap + i]! * bpj;
      }
    }
  } else {
    // op(A)(i, p) = A(p, i): column i of the stored A is contiguous in p, so use dot products.
    for (let j = 0; j < n; j++) {
      const cj = co + j * ldc;
      for (let i = 0; i < m; i++) {
        const ai = ao + i * lda;
        let s = 0;
        if (transB) for (let p = 0; p < k; p++) s += a[ai + p]! * b[bo + j + p * ldb]!;
        else {
          const bj = bo + j * ldb;
          for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        }
        c[cj + i]! += alpha * s;
      }
    }
  }
}

const CHOL_BASE = 48;
const TRSM_BASE = 24;
const SYRK_BASE = 64;

function split(n: number): number {
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
