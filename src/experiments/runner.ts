/**
 * The sweep loop: runs the points of a spec that are not done yet (and belong to this shard),
 * hands each record to the caller the moment it exists, reports progress, and stops cleanly
 * at a point limit or an abort signal. The caller decides where records go (a file in Node, a
 * message from a Web Worker in the browser).
 * Browser-safe: no Node imports.
 * @module
 */
import type { Backend } from '../backend/types.js';
import {
  enumeratePoints, pointCost, shardPoints, validateSpec,
  type Shard, type SweepPoint, type SweepSpec,
} from './grid.js';
import { checkPointMemory, runPoint } from './point.js';
import { checkTheoryCost } from './theory-preflight.js';
import { NtkInputError } from '../errors.js';
import { dataHash } from '../io/data-file.js';
import type { Matrix } from '../matrix.js';
import type { PointRecord } from './records.js';
import { TheoryCache } from './theory-cache.js';

/** A progress report from {@link runSweep}. */
export interface SweepProgress {
  /** `start` before the first point, `point` when a point starts, `done` when it finished, `end` at the end. */
  phase: 'start' | 'point' | 'done' | 'end';
  /** Points this run will compute (after skipping done ones and other shards). */
  total: number;
  /** Points finished in this run so far. */
  finished: number;
  /** Points skipped because they were already done. */
  skipped: number;
  /** Estimated work (arbitrary units, see {@link pointCost}) in total and finished. */
  costTotal: number;
  /** Estimated work of the points finished so far (same units as costTotal). */
  costDone: number;
  /** The point starting or just finished. */
  point?: SweepPoint;
  /** Its record (phase `done`). */
  record?: PointRecord;
}

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Backend for the kernels. */
  backend: Backend;
  /** How the backend is named in records (default: its kind). */
  backendName?: string;
  /** Records already done (from a resumed results.jsonl): their points are skipped and their theory values reused. */
  done?: Iterable<PointRecord>;
  /** Run only this shard's points. */
  shard?: Shard | null;
  /** Stop after this many points (for tests, trials and time-boxed jobs). */
  limit?: number;
  /** Stop before the next point once aborted (the point in progress finishes). */
  signal?: AbortSignal;
  /** Receives each record as soon as it exists (e.g. appends it to results.jsonl); awaited. */
  onRecord: (record: PointRecord) => void | Promise<void>;
  /** Progress reports. */
  onProgress?: (p: SweepProgress) => void;
  /**
   * The user's data when `spec.data` names a file: the parsed matrix (all rows; each point takes
   * the first n). Its hash must equal `spec.data.hash`.
   */
  data?: Matrix;
  /**
   * Most evaluations the infinite-width kernels' 2-D fallback may spend over the sweep (first
   * layer, predicted before the first point; default 2e9, ~a minute): data with many
   * near-duplicate rows beyond it are refused at once.
   */
  fallbackBudget?: number;
  /** Yield to the event loop between points (so a Worker can receive a cancel message). Default true. */
  yieldBetweenPoints?: boolean;
}

/** What {@link runSweep} did. */
export interface RunSweepResult {
  /** Records computed by this run, in order. */
  records: PointRecord[];
  /** `complete`: every point of the shard is done; `limit` or `aborted`: stopped early. */
  status: 'complete' | 'limit' | 'aborted';
  /** Points of the shard still missing. */
  remaining: number;
  /** Points of this shard skipped because they were already done. */
  skipped: number;
}

/**
 * Runs a sweep. Records are produced in grid order; a point already in `done` is never
 * recomputed, so a run interrupted at any moment can be continued by passing what it wrote.
 * @throws NtkInputError for an invalid spec, and whatever a point throws (bad setup, memory).
 */
export async function runSweep(spec: SweepSpec, opts: RunSweepOptions): Promise<RunSweepResult> {
  validateSpec(spec);
  checkData(spec, opts.data);
  const doneList = [...(opts.done ?? [])];
  const doneKeys = new Set(doneList.map((r) => r.key));
  const cache = new TheoryCache();
  cache.addRecords(doneList);
  const mine = shardPoints(enumeratePoints(spec), opts.shard ?? null);
  const todo = mine.filter((p) => !doneKeys.has(p.key));
  // Every point is checked before the first runs: a sweep never fails at its last, largest point.
  for (const p of todo) checkPointMemory(p, opts.backend);
  // And the theory: data whose near-duplicate rows would send the infinite-width kernels to their
  // slow fallback are refused now, not after minutes of points.
  checkTheoryCost(todo, cache, opts.data, opts.backend, opts.fallbackBudget);
  const skipped = mine.length - todo.length;
  // The first point of each data set pays for the infinite-width kernel (unless already cached).
  const seenData = new Set(doneList.map((r) => r.data_key));
  const costs = todo.map((p) => {
    const first = !seenData.has(p.dataKey);
    seenData.add(p.dataKey);
    return pointCost(p, first);
  });
  const costTotal = costs.reduce((a, b) => a + b, 0);
  const limit = opts.limit ?? Infinity;
  const ctx = {
    backend: opts.backend,
    backendName: opts.backendName ?? opts.backend.kind,
    experiment: spec.experiment,
    vary: spec.vary,
    rmax: spec.rmax,
    cache,
    buffers: {},
    ...(opts.data ? { data: opts.data } : {}),
  };
  const records: PointRecord[] = [];
  let costDone = 0;
  const report = (phase: SweepProgress['phase'], point?: SweepPoint, record?: PointRecord) =>
    opts.onProgress?.({ phase, total: todo.length, finished: records.length, skipped, costTotal, costDone, ...(point ? { point } : {}), ...(record ? { record } : {}) });
  report('start');
  let status: RunSweepResult['status'] = 'complete';
  for (let i = 0; i < todo.length; i++) {
    if (opts.signal?.aborted) { status = 'aborted'; break; }
    if (records.length >= limit) { status = 'limit'; break; }
    const p = todo[i]!;
    report('point', p);
    if (opts.yieldBetweenPoints ?? true) await new Promise<void>((r) => setTimeout(r, 0));
    if (opts.signal?.aborted) { status = 'aborted'; break; }
    const rec = runPoint(p, ctx);
    await opts.onRecord(rec);
    records.push(rec);
    costDone += costs[i]!;
    report('done', p, rec);
  }
  report('end');
  return { records, status, remaining: todo.length - records.length, skipped };
}

/**
 * The data matrix and the spec's data file agree: both absent, or the same numbers (hash).
 * @throws NtkInputError naming `data`.
 */
function checkData(spec: SweepSpec, data: Matrix | undefined): void {
  if (!spec.data && !data) return;
  if (!spec.data) throw new NtkInputError('data', 'is given but the spec has no data file', 'set spec.data = dataSource(name, X) too');
  if (!data) throw new NtkInputError('data', `is missing: the spec takes its data from ${spec.data.file}`, 'pass the parsed matrix as data (parseDataFile / readDataFile)');
  const h = dataHash(data);
  if (h !== spec.data.hash || data.cols !== spec.data.cols) {
    throw new NtkInputError('data', `${spec.data.file} is not the data this sweep was set up with (hash ${h}, expected ${spec.data.hash})`,
      'pass the same file, or start a new sweep (another --out) for the changed data');
  }
}
