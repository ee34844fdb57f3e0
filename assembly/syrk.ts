// SYRK and the fused Gram-Hadamard accumulation on the lower triangle, by row ranges so that
// threads can split them (src/backend/wasm/blas.ts), built on the packed GEMM of
// assembly/gemm.ts in its triangular mode; mirrorLower then makes the result exactly
// symmetric.
import { gemmBlocked, GEMM_WORKSPACE_BYTES } from './gemm';
import { WORKSPACE_BYTES, workspacePtr } from './workspace';

// Gram-Hadamard output tiles are GB x GB; two of them (A A^T and B B^T parts) sit in the
// workspace after the GEMM panels.
const GB: i32 = 192;
const TILE1: usize = (GEMM_WORKSPACE_BYTES + 63) & ~<usize>63;
const TILE2: usize = TILE1 + (<usize>GB * <usize>GB << 3);

/** Bytes of workspace the kernels of this file need. */
export const SYRK_WORKSPACE_BYTES: usize = TILE2 + (<usize>GB * <usize>GB << 3);

/**
 * Rows [i0, i1) of the lower triangle of C = alpha*A*A^T + beta*C, A n x k (leading dim
 * lda), C n x n (leading dim ldc). Entries above the diagonal are not touched. With
 * beta == 0 the old C is never read.
 */
export function syrkLower(n: i32, k: i32, alpha: f64, a: usize, lda: i32, beta: f64,
  c: usize, ldc: i32, i0: i32, i1: i32): void {
  i0 = max(i0, 0);
  i1 = min(i1, n);
  if (i1 <= i0) return;
  // Rows i0.. of A times A^T (B = A read transposed), columns 0..i1, triangle offset i0.
  gemmBlocked(0, 1, i1 - i0, i1, k, alpha,
    a + (<usize>i0 * <usize>lda << 3), lda, a, lda, beta,
    c + (<usize>i0 * <usize>ldc << 3), ldc, true, i0);
}

/**
 * Rows [i0, i1) of the lower triangle of K += alpha * (A A^T) o (B B^T) (o: entrywise),
 * A n x ka, B n x kb, K n x n; the hot kernel of the empirical NTK (one term of the layer
 * sum in the proof of Thm 4.1). Works tile by tile: each GB x GB tile of both Gram
 * matrices is computed by the packed GEMM into the workspace, multiplied entrywise and
 * added to K, so no n x n temporary exists.
 */
export function gramHadamardLower(n: i32, ka: i32, a: usize, lda: i32, kb: i32, b: usize, ldb: i32,
  alpha: f64, kk: usize, ldk: i32, i0: i32, i1: i32): void {
  i0 = max(i0, 0);
  i1 = min(i1, n);
  const t1 = workspacePtr + TILE1;
  const t2 = workspacePtr + TILE2;
  for (let ib = i0; ib < i1; ib += GB) {
    const mb = min(GB, i1 - ib);
    for (let jb = 0; jb < ib + mb; jb += GB) {
      const nb = min(GB, ib + mb - jb);
      const off = ib - jb; // tile row r, column s is in the lower triangle iff s <= r + off
      const tri = jb + nb - 1 > ib;
      gemmBlocked(0, 1, mb, nb, ka, 1.0, a + (<usize>ib * <usize>lda << 3), lda,
        a + (<usize>jb * <usize>lda << 3), lda, 0.0, t1, GB, tri, off);
      gemmBlocked(0, 1, mb, nb, kb, 1.0, b + (<usize>ib * <usize>ldb << 3), ldb,
        b + (<usize>jb * <usize>ldb << 3), ldb, 0.0, t2, GB, tri, off);
      for (let r = 0; r < mb; r++) {
        const sEnd = min(nb, r + off + 1);
        const kr = kk + ((<usize>(ib + r) * <usize>ldk + <usize>jb) << 3);
        const o1 = t1 + (<usize>r * <usize>GB << 3);
        const o2 = t2 + (<usize>r * <usize>GB << 3);
        let s = 0;
        if (ASC_FEATURE_SIMD) {
          const va = f64x2.splat(alpha);
          for (; s + 2 <= sEnd; s += 2) {
            const o = <usize>s << 3;
            v128.store(kr + o, f64x2.add(v128.load(kr + o),
              f64x2.mul(f64x2.mul(va, v128.load(o1 + o)), v128.load(o2 + o))));
          }
        }
        for (; s < sEnd; s++) {
          const o = <usize>s << 3;
          store<f64>(kr + o, load<f64>(kr + o) + alpha * load<f64>(o1 + o) * load<f64>(o2 + o));
        }
      }
    }
  }
}

/** Copies the strict lower triangle of the n x n matrix C onto its upper triangle. */
export function mirrorLower(n: i32, c: usize, ldc: i32): void {
  mirrorLowerRows(n, c, ldc, 0, n);
}

/**
 * {@link mirrorLower} for the rows [i0, i1) of the lower triangle: C[j][i] = C[i][j] for
 * i0 <= i < i1, j < i. Row ranges write disjoint columns of the upper triangle, so threads
 * can mirror one range each.
 */
export function mirrorLowerRows(n: i32, c: usize, ldc: i32, i0: i32, i1: i32): void {
  // In 32 x 32 blocks so the column-wise writes of the upper triangle stay in cache.
  const B = 32;
  const ldcB = <usize>ldc << 3;
  i1 = min(i1, n);
  for (let ib = max(i0, 0); ib < i1; ib += B) {
    const ie = min(i1, ib + B);
    for (let jb = 0; jb < ie; jb += B) {
      for (let i = ib; i < ie; i++) {
        const je = min(i, jb + B);
        const src = c + <usize>i * ldcB;
        for (let j = jb; j < je; j++) {
          store<f64>(c + <usize>j * ldcB + (<usize>i << 3), load<f64>(src + (<usize>j << 3)));
        }
      }
    }
  }
}

// The per-thread workspace must hold the GEMM panels and both tiles.
if (SYRK_WORKSPACE_BYTES > WORKSPACE_BYTES) ERROR('WORKSPACE_BYTES is too small for assembly/syrk.ts');
