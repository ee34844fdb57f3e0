/**
 * What every wasm kernel wrapper needs: the module's exports, the heap, and a way to split a
 * call over threads.
 * @module
 */
import type { WasmExports } from './generated/exports.js';
import { reserveFrame, runFrame, type Addresses, type FrameMemory, type FrameSpec } from './frame.js';
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
   * Runs `body` in a heap frame holding the arguments `spec` declares (./frame.ts: what each one
   * is, not where it lands), with their byte addresses under the same names; the whole frame is
   * reserved (or refused, naming `what`) first, outputs are copied back after `body`, and the
   * frame is always freed.
   */
  frame<S extends FrameSpec, T>(what: string, spec: S, body: (p: Addresses<S>, mem: FrameMemory) => T): T {
    return runFrame(this.heap, what, spec, body);
  }

  /** Reserves (or refuses, naming `what`) the frame `spec` would need, allocating nothing. */
  reserve(what: string, spec: FrameSpec): void {
    reserveFrame(this.heap, what, spec);
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
