/**
 * Running one sweep point: data, network, empirical NTK, its extreme eigenvalues and trace,
 * then the theory for the same data (lambda_1 and the infinite-width NTK, cached across weight
 * seeds) and Theorem 4.1's bound for this network.
 * Browser-safe: no Node imports.
 * @module
 */
import type { Backend } from '../backend/types.js';
import { lambdaMin } from '../linalg/index.js';
import type { Matrix } from '../matrix.js';
import type { Network } from '../network/network.js';
import { checkMemory, describeWidths, sweepPointMemory, type MemoryBackend } from '../memory.js';
import { empiricalNtk } from '../network/ntk.js';
import type { SweepPoint } from './grid.js';
import type { LambdaMaxResult } from '../linalg/lanczos-max.js';
import { pointData, pointNetwork } from './setup.js';
import { RECORD_SCHEMA, type PointRecord, type StageTimings } from './records.js';
import { bound41, infiniteScalars, lambda1Of } from './theory-adapter.js';
import { infiniteKey, lambda1Key, type TheoryCache } from './theory-cache.js';

/** What {@link runPoint} needs besides the point. */
export interface PointContext {
  /** Backend for the kernels. */
  backend: Backend;
  /** How the backend is described in records (e.g. `wasm (SIMD, 2 threads)`). */
  backendName: string;
  /** Experiment name and what it varies (copied into the record). */
  experiment: string;
  /** What the sweep varies (a {@link Vary}). */
  vary: string;
  /** Largest r in Theorem 4.1's max. */
  rmax: number;
  /** lambda_1 and infinite-width values shared across points. */
  cache: TheoryCache;
  /** The user's data (all its rows): a point takes the first n; Gaussian draws when absent. */
  data?: Matrix;
  /**
   * Storage handed from one point to the next (the previous network's weights and K), so a
   * sweep does not fault in fresh memory for every point; filled in by {@link runPoint}.
   */
  buffers?: PointBuffers;
}

/** What {@link runPoint} keeps in {@link PointContext.buffers} for the next point. */
export interface PointBuffers {
  /** The last network drawn: its weight arrays are recycled. */
  net?: Network;
  /** The largest K storage so far. */
  K?: Float64Array;
}

const now = (): number => performance.now() / 1000;

/**
 * Refuses, before anything is computed, a point whose buffers cannot fit (src/memory.ts: X, the
 * weights, K, the eigensolver's copies, the infinite-width kernels), naming the largest n that
 * would fit at its width.
 * @throws NtkMemoryError naming `n`.
 */
export function checkPointMemory(p: Pick<SweepPoint, 'n' | 'd' | 'm' | 'depth'>, be: MemoryBackend): void {
  const widths = Array.from({ length: p.depth }, () => p.m);
  checkMemory({
    parameter: 'n', what: `a point with d = ${p.d} and widths ${describeWidths(widths)}`, size: p.n, sizeName: 'n',
    estimate: (k) => sweepPointMemory(k, p.d, widths), largestArray: (k) => Math.max(k * k, k * Math.max(p.d, p.m)),
    fix: 'use fewer samples n or smaller widths',
  }, be);
}

/**
 * Runs one point and returns its record. Deterministic: the same point on the same backend (and
 * thread count) gives the same numbers.
 * @throws NtkInputError / NtkMemoryError from the network and kernels (bad setup, too large).
 */
export function runPoint(p: SweepPoint, ctx: PointContext): PointRecord {
  const be = ctx.backend;
  const t: StageTimings = { data: 0, network: 0, ntk: 0, lambda_min: 0, lambda_max: 0, lambda_1: 0, infinite: 0, theorem: 0, total: 0 };
  const t0 = now();
  let s = t0;
  const lap = (stage: keyof StageTimings) => { const e = now(); t[stage] = e - s; s = e; };

  const X: Matrix = pointData(p, ctx.data);
  lap('data');
  const net = pointNetwork(p, ctx.buffers?.net);
  if (ctx.buffers) ctx.buffers.net = net;
  lap('network');
  // K lives only inside this call, so it can be collected before the theory allocates its own
  // n x n matrices.
  const emp = ((): { lmin: ReturnType<typeof lambdaMin>; lmax: LambdaMaxResult; trace: number; cli: Float64Array[] } => {
    const buf = ctx.buffers;
    const out = buf?.K && buf.K.length >= p.n * p.n ? buf.K : undefined;
    const ntk = empiricalNtk(net, X, { backend: be, ...(out ? { out } : {}) });
    if (buf && !out) buf.K = ntk.K.data;
    lap('ntk');
    // lambda_max comes with lambda_min: its products run on the copy of K already in the backend.
    const lmin = lambdaMin(ntk.K, { backend: be, largest: true });
    lap('lambda_min');
    const lmax = lmin.largest!; // always set with `largest`, on either path
    let trace = 0;
    for (let i = 0; i < p.n; i++) trace += ntk.K.data[i * p.n + i]!;
    lap('lambda_max');
    return { lmin, lmax, trace, cli: ntk.cli };
  })();
  const { lmin, lmax, trace } = emp;

  const keyArgs = { activation: p.activation, n: p.n, d: p.d, dataSeed: p.dataSeed, dataHash: p.dataHash ?? null, normalize: p.normalize, nu0sq: net.nu0sq, depth: p.depth, sv2: net.sv2 };
  const k1 = lambda1Key(keyArgs);
  let lambda1 = ctx.cache.lambda1.get(k1);
  const lambda1Cached = lambda1 !== undefined;
  const kInf = infiniteKey(keyArgs);
  let inf = ctx.cache.infinite.get(kInf);
  const infCached = inf !== undefined;
  if (inf === undefined) {
    const r = infiniteScalars(X, net, be);
    inf = r.scalars;
    ctx.cache.infinite.set(kInf, inf);
    // The infinite-width recursion's first layer kernel is lambda_1's matrix: keep it when given.
    if (lambda1 === undefined && r.lambda1 !== null) {
      lambda1 = r.lambda1;
      ctx.cache.lambda1.set(k1, lambda1);
    }
  }
  lap('infinite');
  if (lambda1 === undefined) {
    lambda1 = lambda1Of(X, net, be);
    ctx.cache.lambda1.set(k1, lambda1);
  }
  lap('lambda_1');
  const th = bound41(net, emp.cli, lambda1, lmin.value, ctx.rmax, be);
  lap('theorem');
  t.total = now() - t0;

  return {
    schema: RECORD_SCHEMA,
    key: p.key,
    data_key: p.dataKey,
    experiment: ctx.experiment,
    vary: ctx.vary,
    x: p.x,
    activation: p.activation,
    n: p.n, m: p.m, depth: p.depth, d: p.d,
    seed: p.seed, data_seed: p.dataSeed, ...(p.dataHash ? { data_hash: p.dataHash } : {}),
    sigma0: net.sigma0, c: net.c, nu0sq: net.nu0sq, sv2: net.sv2,
    v_law: p.vLaw, normalize: p.normalize,
    lambda_min: lmin.value, lambda_min_method: lmin.method, lambda_min_error: lmin.errorBound,
    lambda_max: lmax.value, lambda_max_error: lmax.errorBound,
    lambda_min_converged: lmin.converged, lambda_max_converged: lmax.converged,
    trace,
    lambda_1: lambda1,
    inf_lambda_min: inf.lambdaMin, inf_trace: inf.trace,
    bound: th.bound,
    lemma42: th.lemma42,
    timings: t,
    cached: { lambda_1: lambda1Cached, infinite: infCached },
    backend: ctx.backendName,
    finished: new Date().toISOString(),
  };
}
