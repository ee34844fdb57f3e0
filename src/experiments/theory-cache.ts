/**
 * The theory values one sweep point shares with others: lambda_1 depends only on the data, the
 * activation and nu0^2; the infinite-width NTK also on the depth and sv2. Neither depends on
 * the weight seed or (for lambda_1) the width, so a sweep computes each once per data set and
 * reuses it, including across a resume (the values are read back from results.jsonl).
 * Browser-safe: no Node imports.
 * @module
 */
import type { PointRecord } from './records.js';

/** Scalars of the infinite-width kernels kept per data set (the n x n matrices are not kept). */
export interface InfiniteScalars {
  /** lambda_min(Theta). */
  lambdaMin: number;
  /** trace(Theta). */
  trace: number;
}

/** Key of lambda_1: the data, the activation and nu0^2 (full precision). */
export function lambda1Key(r: { activation: string; n: number; d: number; dataSeed: number; dataHash?: string | null; normalize: boolean; nu0sq: number }): string {
  return `${r.activation}|n=${r.n}|d=${r.d}|data=${r.dataHash ? `file:${r.dataHash}` : r.dataSeed}|norm=${r.normalize ? 1 : 0}|nu0sq=${r.nu0sq}`;
}

/** Key of the infinite-width kernels: lambda_1's key plus the depth and sv2. */
export function infiniteKey(r: { activation: string; n: number; d: number; dataSeed: number; dataHash?: string | null; normalize: boolean; nu0sq: number; depth: number; sv2: number }): string {
  return `${lambda1Key(r)}|L=${r.depth}|sv2=${r.sv2}`;
}

/** Per-sweep cache of lambda_1 and the infinite-width scalars. */
export class TheoryCache {
  /** lambda_1 by {@link lambda1Key}. */
  readonly lambda1 = new Map<string, number>();
  /** Infinite-width scalars by {@link infiniteKey}. */
  readonly infinite = new Map<string, InfiniteScalars>();

  /** Fills the cache from finished records (a resumed run or shards being merged). */
  addRecords(records: Iterable<PointRecord>): void {
    for (const r of records) {
      const k = { activation: r.activation, n: r.n, d: r.d, dataSeed: r.data_seed, dataHash: r.data_hash ?? null, normalize: r.normalize, nu0sq: r.nu0sq, depth: r.depth, sv2: r.sv2 };
      if (r.lambda_1 !== null && Number.isFinite(r.lambda_1)) this.lambda1.set(lambda1Key(k), r.lambda_1);
      if (r.inf_lambda_min !== null && r.inf_trace !== null) {
        this.infinite.set(infiniteKey(k), { lambdaMin: r.inf_lambda_min, trace: r.inf_trace });
      }
    }
  }
}
