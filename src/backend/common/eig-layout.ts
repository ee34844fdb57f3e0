import type { EigStages } from '../types.js';

/**
 * What the js and wasm eigen kernels share: the panel width of the blocked reduction and the
 * transpose from their column-major eigenvectors to the row-major results.
 * @module
 */

/** Panel width of the blocked Householder reduction and back-transformation (both backends). */
export const EIG_BLOCK = 32;

/**
 * Half-width of the band in the two-stage reduction for eigenvalues (assembly/band.ts and its
 * js twin): stage 1's products have this inner dimension (rank-2nb updates at GEMM speed), and
 * stage 2's bulge chasing costs ~6 nb n^2 flops on nb x nb blocks that stay in L1.
 */
export const BAND_WIDTH = 32;

/**
 * From this order on, eigenvalue-only reductions (symEigvals, symTridiagonal) go through a
 * band matrix (two stages). Below it the one-stage reduction is as fast or faster: its
 * matrix-vector products read a trailing matrix that still fits in cache (8 MB at n = 1000),
 * and the bulge chasing and the band's panels cost relatively more (measured on Zen 4, 1 and 2
 * threads: two stages 0.82-0.87x as fast at n = 400-800, about even at 1000, 1.1x at 2000, 1.6x
 * (1 thread) and 2.2x (2 threads) at 3000).
 */
export const TWO_STAGE_MIN = 1000;

/**
 * Reflectors per compact WY block of the back-transformation Z := Q Z (both backends): its
 * three GEMMs have this inner dimension, so a wider block than the reduction's panel runs
 * nearer GEMM speed (the T factor costs O(nb^2 n) more).
 */
export const BACK_BLOCK = 64;

/** Transposes the n x n matrix in place. */
export function transposeSquare(n: number, v: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const t = v[i * n + j]!;
      v[i * n + j] = v[j * n + i]!;
      v[j * n + i] = t;
    }
  }
}

/**
 * A stopwatch for a record of seconds per stage ({@link EigStages}, lambdaMin's stages): each
 * call adds the seconds since the previous one to a stage, or with `null` only restarts (time
 * that belongs to no stage); a no-op without `stages`.
 */
export function stageClock<S extends object>(stages: S | undefined): (stage: (keyof S & string) | null) => void {
  if (!stages) return () => {};
  const rec = stages as Record<string, number | undefined>;
  let t = performance.now();
  return (stage) => {
    const now = performance.now();
    if (stage !== null) rec[stage] = (rec[stage] ?? 0) + (now - t) / 1000;
    t = now;
  };
}
