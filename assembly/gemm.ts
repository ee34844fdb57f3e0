// Packed-panel GEMM, C = alpha*op(A)*op(B) + beta*C, row-major with leading dimensions in
// elements (float64).
//
// Structure (Goto/van de Geijn): the k dimension is cut in KC-deep slices, n in NC-wide
// blocks and m in MC-tall blocks. For each (NC, KC) block, op(B) is packed once into
// 4-column micro-panels (each k step's 4 values contiguous, 32 bytes); for each MC block
// op(A) is packed into 4-row micro-panels the same way. Both transposes are absorbed by the
// packing, so one micro-kernel serves all four cases. The micro-kernel keeps a 4x4 tile of
// C in 8 f64x2 accumulators: per k step it loads 2 vectors of B, splats 4 scalars of A and
// does 8 multiply-adds (assembly/fma.ts: mul + add in the strict build, fused in the relaxed one). No k-unroll and no larger tile: V8/x64 has 16 xmm registers, and
// 12+ accumulators spill, which halves the speed (measured).
//
// Sizes: a packed A block (MC x KC = 256 KiB) stays in L2 while it is swept against each
// B micro-panel (KC x 4 = 8 KiB, in L1); the packed B block (KC x NC = 4 MiB) lives in L3.
//
// Tails: micro-panels are zero-padded to 4 rows / 4 columns, so the kernel always computes
// a whole tile; partial tiles (m or n not multiples of 4) and tiles cut by the diagonal in
// triangular mode go through a 4x4 scratch tile and are merged with scalar code. k needs
// no tail handling (no unroll).
//
// Triangular mode (used by assembly/syrk.ts) computes only the entries with
// global row >= column, where global row = local row + diag: whole blocks and tiles above
// the diagonal are skipped, so SYRK costs half a GEMM.
//
// Epilogues (the empirical NTK's layer steps, src/network/ntk.ts): in the last k slice the
// columns of a block are finished EPI_COLS at a time, and the finished mc x EPI_COLS piece of
// C (64 KiB, still in L2; its last tiles in L1) goes through the epilogue before the next
// piece is computed, instead of a separate pass over the whole m x n result in memory:
//   EPI_ACTIVATION: phi(C) into aux and phi'(C) over C (the forward step: h -> a, phi'(h));
//   EPI_HADAMARD: aux = aux o C (the backward step: B_{l-1} = phi'(H_{l-1}) o (B_l W_l)).
// Both are elementwise, so the result is bitwise the same as the separate pass over C.
//
// The packing buffers live in this instance's workspace (assembly/workspace.ts): bytes
// [0, GEMM_WORKSPACE_BYTES) of it.
import { activation } from './activation';
import { hadamard } from './elementwise';
import { madd } from './fma';
import { workspacePtr } from './workspace';

/** No epilogue: C is the product. */
export const EPI_NONE: i32 = 0;
/** aux = phi(C), C = phi'(C), phi the activation `act` (ids of assembly/activation-ids.ts). */
export const EPI_ACTIVATION: i32 = 1;
/** aux = aux o C (entrywise); C keeps the product. */
export const EPI_HADAMARD: i32 = 2;
// Columns per epilogue piece: mc x 64 values = 64 KiB at MC = 128, and an even count so the
// elementwise kernels' f64x2 loops see whole pairs (same bits as a pass over whole rows).
const EPI_COLS: i32 = 64;

const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 2048;

const PACK_A: usize = 0;
const PACK_B: usize = PACK_A + (<usize>MC * <usize>KC << 3);
const EDGE: usize = PACK_B + (<usize>KC * <usize>NC << 3);

/** Bytes at the start of the workspace that {@link gemmBlocked} uses for its panels. */
export const GEMM_WORKSPACE_BYTES: usize = EDGE + 16 * 8;

/**
 * C = alpha*op(A)*op(B) + beta*C. op(A) is m x k (A is stored k x m when transA != 0),
 * op(B) is k x n (B is stored n x k when transB != 0), C is m x n. Pointers are byte
 * offsets, leading dimensions are in elements. With beta == 0 the old C is never read
 * (NaN-safe); with alpha == 0 or k == 0, A and B are not read.
 */
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32): void {
  gemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, false, 0);
}

/**
 * {@link gemm}, optionally restricted to the lower triangle: with `tri`, only entries
 * (i, j) with i + diag >= j are computed and written (others are not touched).
 */
export function gemmBlocked(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, tri: bool, diag: i32,
  epi: i32 = EPI_NONE, act: i32 = 0, aux: usize = 0, ldaux: i32 = 0): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    scaleC(m, n, beta, c, ldc, tri, diag);
    if (epi != EPI_NONE) epilogue(epi, act, c, ldc, aux, ldaux, 0, m, 0, n);
    return;
  }
  const pA = workspacePtr + PACK_A;
  const pB = workspacePtr + PACK_B;
  const edge = workspacePtr + EDGE;
  const ldcB = <usize>ldc << 3;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // Later k slices accumulate onto what the first one wrote.
      const bet: f64 = pc == 0 ? beta : 1.0;
      // The epilogue runs on pieces of the last slice's blocks (file comment).
      const last = epi != EPI_NONE && pc + kc >= k;
      const step = last ? EPI_COLS : nc;
      // B's rows of op(B) are its columns: micro-panel rows run over op(B)'s columns j.
      pack(b, ldb, transB != 0, jc, pc, nc, kc, pB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        if (tri && ic + mc - 1 + diag < jc) continue;
        pack(a, lda, transA == 0, ic, pc, mc, kc, pA);
        for (let j0 = 0; j0 < nc; j0 += step) {
          const j1 = min(nc, j0 + step);
          for (let jr = j0; jr < j1; jr += 4) {
            const nr = min(4, nc - jr);
            const gj = jc + jr;
            const pbj = pB + (<usize>jr * <usize>kc << 3);
            for (let ir = 0; ir < mc; ir += 4) {
              const mr = min(4, mc - ir);
              const gi = ic + ir + diag;
              if (tri && gj > gi + mr - 1) continue;
              const pai = pA + (<usize>ir * <usize>kc << 3);
              const cij = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 3);
              // Whole tiles go straight to C; partial ones through the scratch tile. One call
              // site, so the inlined kernel exists once.
              const full = mr == 4 && nr == 4 && (!tri || gj + 3 <= gi);
              kernel(kc, pai, pbj, full ? cij : edge, full ? ldcB : 32, alpha, full ? bet : 0.0);
              if (!full) merge(edge, cij, ldcB, mr, nr, bet, tri, gi - gj);
            }
          }
          if (last) epilogue(epi, act, c, ldc, aux, ldaux, ic, ic + mc, jc + j0, jc + j1);
        }
      }
    }
  }
}

// The epilogue `epi` on rows [i0, i1) x columns [j0, j1) of C (and the same part of aux).
function epilogue(epi: i32, act: i32, c: usize, ldc: i32, aux: usize, ldaux: i32, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const w = j1 - j0;
  for (let i = i0; i < i1; i++) {
    const ci = c + ((<usize>i * <usize>ldc + <usize>j0) << 3);
    const xi = aux + ((<usize>i * <usize>ldaux + <usize>j0) << 3);
    if (epi == EPI_ACTIVATION) activation(act, ci, xi, ci, w);
    else hadamard(xi, xi, ci, w);
  }
}

/**
 * C = alpha*op(A)*op(B) (m x n), then the epilogue `epi` (EPI_ACTIVATION with activation id
 * `act`, or EPI_HADAMARD) with `aux` (m x n, leading dimension ldaux), fused into the last k
 * slice: see the file comment. The empirical NTK's forward and backward layer steps.
 */
export function gemmEpilogue(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, epi: i32, act: i32, aux: usize, ldaux: i32): void {
  gemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, 0.0, c, ldc, false, 0, epi, act, aux, ldaux);
}

// Packs rows [r0, r0+rows) x depth [p0, p0+kc) of a matrix X into 4-row micro-panels at dst:
// panel q holds X[r0+4q+jj][p0+p] at element (q*kc + p)*4 + jj, zero-padded to 4 rows.
// `streams`: X[r][p] = src[r*ld + p] (each row contiguous in p); otherwise
// X[r][p] = src[p*ld + r] (the 4 values of a k step are contiguous).
function pack(src: usize, ld: i32, streams: bool, r0: i32, p0: i32, rows: i32, kc: i32, dst: usize): void {
  const ldB = <usize>ld << 3;
  for (let q = 0; q < rows; q += 4) {
    const w = min(4, rows - q);
    let d = dst + (<usize>q * <usize>kc << 3);
    if (streams) {
      const s0 = src + ((<usize>(r0 + q) * <usize>ld + <usize>p0) << 3);
      if (w == 4) {
        const s1 = s0 + ldB, s2 = s1 + ldB, s3 = s2 + ldB;
        let p = 0;
        if (ASC_FEATURE_SIMD) {
          // Two k steps at a time: a 2x2 transpose of each row pair.
          for (; p + 2 <= kc; p += 2) {
            const o = <usize>p << 3;
            const x0 = v128.load(s0 + o), x1 = v128.load(s1 + o);
            const x2 = v128.load(s2 + o), x3 = v128.load(s3 + o);
            v128.store(d, f64x2.shuffle(x0, x1, 0, 2));
            v128.store(d, f64x2.shuffle(x2, x3, 0, 2), 16);
            v128.store(d, f64x2.shuffle(x0, x1, 1, 3), 32);
            v128.store(d, f64x2.shuffle(x2, x3, 1, 3), 48);
            d += 64;
          }
        }
        for (; p < kc; p++) {
          const o = <usize>p << 3;
          store<f64>(d, load<f64>(s0 + o));
          store<f64>(d, load<f64>(s1 + o), 8);
          store<f64>(d, load<f64>(s2 + o), 16);
          store<f64>(d, load<f64>(s3 + o), 24);
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = <usize>p << 3;
          for (let jj = 0; jj < 4; jj++) {
            store<f64>(d + (<usize>jj << 3), jj < w ? load<f64>(s0 + <usize>jj * ldB + o) : 0.0);
          }
          d += 32;
        }
      }
    } else {
      let s = src + ((<usize>p0 * <usize>ld + <usize>(r0 + q)) << 3);
      if (w == 4) {
        for (let p = 0; p < kc; p++) {
          if (ASC_FEATURE_SIMD) {
            v128.store(d, v128.load(s));
            v128.store(d, v128.load(s, 16), 16);
          } else {
            store<f64>(d, load<f64>(s));
            store<f64>(d, load<f64>(s, 8), 8);
            store<f64>(d, load<f64>(s, 16), 16);
            store<f64>(d, load<f64>(s, 24), 24);
          }
          s += ldB;
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let jj = 0; jj < 4; jj++) {
            store<f64>(d + (<usize>jj << 3), jj < w ? load<f64>(s + (<usize>jj << 3)) : 0.0);
          }
          s += ldB;
          d += 32;
        }
      }
    }
  }
}

// The 4x4 micro-kernel: tile = sum_p pa[p][0..3]^T pb[p][0..3] over kc steps, then
// C (4 rows at c, row stride ldcB bytes) = alpha*tile + beta*C, never reading C if beta == 0.
// Inlined into the macro loop: V8 runs the inlined loop about 20% faster than the same loop
// in a function of its own (measured at n = 2000).
// @ts-ignore: decorator
@inline function kernel(kc: i32, pa: usize, pb: usize, c: usize, ldcB: usize, alpha: f64, beta: f64): void {
  if (ASC_FEATURE_SIMD) {
    let c00 = f64x2.splat(0), c01 = c00, c10 = c00, c11 = c00;
    let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    // Two pointers, each stepped: one induction variable with pb = pa + d cost an address add
    // per step and ran 25-30% slower in V8 (measured at kc = 256 on Zen 4).
    const end = pa + (<usize>kc << 5);
    while (pa < end) {
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      let x = v128.load64_splat(pa);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load64_splat(pa, 8);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load64_splat(pa, 16);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load64_splat(pa, 24);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      pa += 32;
      pb += 32;
    }
    const va = f64x2.splat(alpha);
    if (beta == 0) {
      v128.store(c, f64x2.mul(va, c00)); v128.store(c, f64x2.mul(va, c01), 16); c += ldcB;
      v128.store(c, f64x2.mul(va, c10)); v128.store(c, f64x2.mul(va, c11), 16); c += ldcB;
      v128.store(c, f64x2.mul(va, c20)); v128.store(c, f64x2.mul(va, c21), 16); c += ldcB;
      v128.store(c, f64x2.mul(va, c30)); v128.store(c, f64x2.mul(va, c31), 16);
    } else {
      const vb = f64x2.splat(beta);
      v128.store(c, f64x2.add(f64x2.mul(va, c00), f64x2.mul(vb, v128.load(c))));
      v128.store(c, f64x2.add(f64x2.mul(va, c01), f64x2.mul(vb, v128.load(c, 16))), 16);
      c += ldcB;
      v128.store(c, f64x2.add(f64x2.mul(va, c10), f64x2.mul(vb, v128.load(c))));
      v128.store(c, f64x2.add(f64x2.mul(va, c11), f64x2.mul(vb, v128.load(c, 16))), 16);
      c += ldcB;
      v128.store(c, f64x2.add(f64x2.mul(va, c20), f64x2.mul(vb, v128.load(c))));
      v128.store(c, f64x2.add(f64x2.mul(va, c21), f64x2.mul(vb, v128.load(c, 16))), 16);
      c += ldcB;
      v128.store(c, f64x2.add(f64x2.mul(va, c30), f64x2.mul(vb, v128.load(c))));
      v128.store(c, f64x2.add(f64x2.mul(va, c31), f64x2.mul(vb, v128.load(c, 16))), 16);
    }
  } else {
    let c00: f64 = 0, c01: f64 = 0, c02: f64 = 0, c03: f64 = 0;
    let c10: f64 = 0, c11: f64 = 0, c12: f64 = 0, c13: f64 = 0;
    let c20: f64 = 0, c21: f64 = 0, c22: f64 = 0, c23: f64 = 0;
    let c30: f64 = 0, c31: f64 = 0, c32: f64 = 0, c33: f64 = 0;
    for (let p = 0; p < kc; p++) {
      const b0 = load<f64>(pb), b1 = load<f64>(pb, 8), b2 = load<f64>(pb, 16), b3 = load<f64>(pb, 24);
      let x = load<f64>(pa);
      c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
      x = load<f64>(pa, 8);
      c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
      x = load<f64>(pa, 16);
      c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
      x = load<f64>(pa, 24);
      c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
      pa += 32;
      pb += 32;
    }
    storeRow(c, alpha, beta, c00, c01, c02, c03); c += ldcB;
    storeRow(c, alpha, beta, c10, c11, c12, c13); c += ldcB;
    storeRow(c, alpha, beta, c20, c21, c22, c23); c += ldcB;
    storeRow(c, alpha, beta, c30, c31, c32, c33);
  }
}

// @ts-ignore: decorator
@inline function storeRow(c: usize, alpha: f64, beta: f64, x0: f64, x1: f64, x2: f64, x3: f64): void {
  if (beta == 0) {
    store<f64>(c, alpha * x0); store<f64>(c, alpha * x1, 8);
    store<f64>(c, alpha * x2, 16); store<f64>(c, alpha * x3, 24);
  } else {
    store<f64>(c, alpha * x0 + beta * load<f64>(c));
    store<f64>(c, alpha * x1 + beta * load<f64>(c, 8), 8);
    store<f64>(c, alpha * x2 + beta * load<f64>(c, 16), 16);
    store<f64>(c, alpha * x3 + beta * load<f64>(c, 24), 24);
  }
}

// Merges the valid mr x nr part of a scratch tile (already scaled by alpha, row stride 32
// bytes) into C; in triangular mode only entries with j <= i + off (row >= column).
// Rounds exactly like the kernel's direct store: alpha*acc, then + beta*C.
function merge(t: usize, c: usize, ldcB: usize, mr: i32, nr: i32, beta: f64, tri: bool, off: i32): void {
  for (let i = 0; i < mr; i++) {
    const jEnd = tri ? min(nr, i + off + 1) : nr;
    const ci = c + <usize>i * ldcB;
    const ti = t + (<usize>i << 5);
    for (let j = 0; j < jEnd; j++) {
      const o = <usize>j << 3;
      const v = load<f64>(ti + o);
      store<f64>(ci + o, beta == 0 ? v : v + beta * load<f64>(ci + o));
    }
  }
}

// C = beta*C over the (triangular) region, when there is no product to add.
function scaleC(m: i32, n: i32, beta: f64, c: usize, ldc: i32, tri: bool, diag: i32): void {
  if (beta == 1) return;
  for (let i = 0; i < m; i++) {
    const jEnd = tri ? min(n, i + diag + 1) : n;
    const ci = c + (<usize>i * <usize>ldc << 3);
    for (let j = 0; j < jEnd; j++) {
      const o = <usize>j << 3;
      store<f64>(ci + o, beta == 0 ? 0.0 : beta * load<f64>(ci + o));
    }
  }
}
