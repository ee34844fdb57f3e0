/**
 * What every wasm kernel wrapper needs: the module's exports, the heap, and a way to split a
 * call over threads.
 * @module
 */
import type { WasmExports } from './generated/exports.js';
import type { Heap } from './heap.js';
import type { Job, Pool } from './pool.js';

/** Shared state of one wasm backend instance. */
export class WasmContext {
  constructor(
    readonly ex: WasmExports,
    readonly heap: Heap,
    readonly pool: Pool | null,
  ) {}

  /** Threads available to {@link parallel} (1 without a pool). */
  get threads(): number {
    return this.pool?.size ?? 1;
  }

  /** Runs jobs on the pool (one per thread, at most {@link threads}) or one after another here. */
  parallel(jobs: Job[]): void {
    const self = (j: Job) => (this.ex as unknown as Record<string, (...a: number[]) => void>)[j.fn]!(...j.args);
    if (this.pool && jobs.length > 1) this.pool.run(jobs, self);
    else for (const j of jobs) self(j);
  }

  /**
   * Float64 values a frame must hold for these operands: each `[array, length]` counts unless
   * the array is resident (used in place); `[null, length]` always counts (a temporary).
   */
  copies(...operands: [Float64Array | null, number][]): number {
    let e = 0;
    for (const [a, len] of operands) if (!a || this.heap.offsetOf(a) < 0) e += len;
    return e;
  }

  /**
   * Runs `body` in a heap frame that holds `elements` float64 values in `buffers` buffers:
   * reserves (or refuses) the whole frame first, and always frees it afterwards.
   */
  frame<T>(elements: number, buffers: number, what: string, body: (h: Heap) => T): T {
    const h = this.heap;
    const mark = h.mark();
    try {
      h.reserve(elements, buffers, what);
      return body(h);
    } finally {
      h.release(mark);
    }
  }
}

/**
 * Splits rows [0, n) into at most `parts` contiguous ranges of about equal work. With
 * `triangular`, row i costs i + 1 (lower-triangle kernels), so boundaries follow n*sqrt(t/parts).
 * Boundaries are multiples of `align` (except n) so SIMD tiles stay whole.
 */
export function splitRows(n: number, parts: number, triangular = false, align = 4): [number, number][] {
  const out: [number, number][] = [];
  let prev = 0;
  for (let t = 1; t <= parts; t++) {
    let b = t === parts ? n : Math.round(triangular ? n * Math.sqrt(t / parts) : (n * t) / parts);
    if (b !== n) b = Math.min(n, Math.round(b / align) * align);
    if (b > prev) { out.push([prev, b]); prev = b; }
  }
  return out;
}
