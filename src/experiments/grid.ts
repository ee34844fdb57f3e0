/**
 * Sweep grids: what an experiment varies, the points it visits, their identity (the key that
 * resume, sharding and merging rely on) and how they are dealt out to shards.
 * Browser-safe: no Node imports.
 * @module
 */
import { activationNames, activations, type ActivationName } from '../activations.js';
import { NtkInputError } from '../errors.js';
import { checkDegree } from '../theory/hermite.js';
import { checkDepth } from '../validate.js';
import type { DataSource } from '../io/data-file.js';
import type { PointConfig } from './setup.js';

/**
 * The quantity a sweep varies.
 * - `nm`: n = m together (Figure 1 of the paper, Section 6);
 * - `width`: the hidden width m at fixed n (the same data at every width);
 * - `n`: the number of samples at fixed m;
 * - `depth`: the number of hidden layers L;
 * - `sigma0`: the initialization scale sigma0 (Section 5's trade-off);
 * - `ratio`: the width as a multiple of n, m = round(ratio n), for each n of `ns`
 *   (`ntk threshold`: how the width needed grows with n).
 */
export type Vary = 'nm' | 'width' | 'n' | 'depth' | 'sigma0' | 'ratio';

/** Every value {@link Vary} may take. */
export const varyNames: readonly Vary[] = ['nm', 'width', 'n', 'depth', 'sigma0', 'ratio'];

/** The analysis `ntk threshold` draws from its records (see src/experiments/threshold.ts). */
export interface ThresholdSettings {
  /** Fractions tau of lambda_min(Theta) that lambda_min(K) must reach. */
  taus: number[];
  /** Fraction of weight seeds that must reach it (default 0.9). */
  quantile: number;
  /** Bootstrap replicates (over seeds) of the fitted exponent. */
  bootstrap: number;
}

/** A whole sweep: the fixed setup plus the varied values. JSON-serializable (it is saved as config.json). */
export interface SweepSpec {
  /** Name of the experiment (`figure1`, `sweep`): labels outputs and file names. */
  experiment: string;
  /** What varies. */
  vary: Vary;
  /** The values the varied quantity takes, in order. */
  values: number[];
  /** Activations, one curve each. */
  activations: ActivationName[];
  /** Weight seeds; every seed sees the same data. */
  seeds: number[];
  /** Seed of the data X (the same X for every weight seed). */
  dataSeed: number;
  /** Input dimension d. */
  d: number;
  /** Samples n (ignored when `vary` is `nm` or `n`). */
  n: number;
  /** Hidden width m of every layer (ignored when `vary` is `nm` or `width`). */
  width: number;
  /** Hidden layers L (ignored when `vary` is `depth`). */
  depth: number;
  /** Initialization scale sigma0 (nu0^2 = sigma0^2 / c_{phi,sigma0}); null when `nu0sq` is given. Ignored when `vary` is `sigma0`. */
  sigma0: number | null;
  /** nu0^2 given directly (then `sigma0` is null). */
  nu0sq: number | null;
  /** Variance of v's entries. */
  sv2: number;
  /** Law of v: Gaussian N(0, sv2) or a random unit vector. */
  vLaw: 'gaussian' | 'unit';
  /** Rescale data rows to ||x||^2 = d (Assumption 2). */
  normalize: boolean;
  /** Largest Hermite order r in Theorem 4.1's max over r. */
  rmax: number;
  /** With `vary: 'ratio'`: the numbers of samples n, each swept over the width ratios in `values`. */
  ns?: number[];
  /** d proportional to n: each point's input dimension is max(1, round(dPerN n)) (absent or null: d fixed). */
  dPerN?: number | null;
  /** With `vary: 'ratio'`: the width-threshold analysis. */
  threshold?: ThresholdSettings;
  /**
   * The user's data instead of Gaussian draws: each point takes the first n rows of this file
   * (d is its number of columns; `dataSeed` is then unused). The runner needs the matrix itself.
   */
  data?: DataSource | null;
}

/** One point of a sweep: a network configuration and a weight seed ({@link PointConfig}) with its identity. */
export interface SweepPoint extends PointConfig {
  /** Identity of the point (see {@link pointKey}). */
  key: string;
  /** Identity of the data and the infinite-width kernel it shares with other points (see {@link dataKey}). */
  dataKey: string;
  /** The varied value at this point. */
  x: number;
  /** sigma0 (null when nu0sq is given). */
  sigma0: number | null;
  /** nu0^2 given directly (null when sigma0 sets it). */
  nu0sq: number | null;
  /** Hash of the user's data file when there is one (the data's identity instead of the seed). */
  dataHash?: string | null;
  /** Index of the point's group (x, activation) in the sweep: what shards split on. */
  group: number;
}

/** A shard of a sweep: this process runs group g when `g % count === index - 1`. */
export interface Shard {
  /** 1-based index. */
  index: number;
  /** Number of shards. */
  count: number;
}

/**
 * Parses a range `a:b:step` (inclusive, step > 0), a list `a,b,c` or a single number.
 * Values are rounded to 12 significant digits so `0.1:0.5:0.1` gives 0.3, not 0.30000000000000004.
 * @throws NtkInputError naming `name` for malformed text, a non-positive step, or more than 10000 values.
 */
export function parseValues(name: string, text: string): number[] {
  const bad = (problem: string): never => {
    throw new NtkInputError(name, problem, `pass a range start:stop:step (e.g. 200:4000:100), a list (e.g. 200,500,1000) or one number`);
  };
  const t = text.trim();
  if (t === '') bad('is empty');
  const num = (s: string): number => {
    const x = Number(s);
    if (s.trim() === '' || !Number.isFinite(x)) bad(`has ${JSON.stringify(s)}, not a number`);
    return x;
  };
  if (t.includes(':')) {
    const parts = t.split(':');
    if (parts.length !== 3) bad(`${JSON.stringify(t)} is not start:stop:step`);
    const [a, b, s] = parts.map(num) as [number, number, number];
    if (!(s > 0)) bad(`step must be > 0, got ${s}`);
    if (b < a) bad(`stop ${b} is below start ${a}`);
    const count = Math.floor((b - a) / s + 1e-9) + 1;
    if (count > 10000) bad(`gives ${count} values (at most 10000)`);
    return Array.from({ length: count }, (_, i) => Number((a + i * s).toPrecision(12)));
  }
  return t.split(',').map(num);
}

/**
 * Parses `--shard i/N` (1 <= i <= N).
 * @throws NtkInputError naming `--shard`.
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new NtkInputError('--shard', `expects i/N with 1 <= i <= N, got ${JSON.stringify(text)}`, 'pass e.g. --shard 1/4 (the first of four shards)');
  }
  return { index, count };
}

/** `i/N`, the inverse of {@link parseShard}. */
export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/**
 * Most points one sweep may have: values x activations x seeds (the paper's grid has 234; a
 * million would already be a gigabyte of results.jsonl). Checked before any point is made.
 */
export const MAX_SWEEP_POINTS = 1_000_000;

/**
 * Checks a spec's fields (the library's entry for specs built by hand, e.g. in the browser demo).
 * @throws NtkInputError naming the field and the fix; naming `seeds` when values x activations
 *   x seeds exceeds {@link MAX_SWEEP_POINTS}.
 */
export function validateSpec(spec: SweepSpec): SweepSpec {
  const posInt = (name: string, x: number) => {
    if (!Number.isInteger(x) || x < 1) throw new NtkInputError(name, `must be a positive integer, got ${x}`, `pass an integer >= 1`);
  };
  const nonNegInt = (name: string, x: number) => {
    if (!Number.isInteger(x) || x < 0) throw new NtkInputError(name, `must be a non-negative integer, got ${x}`, `pass an integer >= 0`);
  };
  const pos = (name: string, x: number) => {
    if (!Number.isFinite(x) || x <= 0) throw new NtkInputError(name, `must be a finite number > 0, got ${x}`, `pass a positive ${name}`);
  };
  if (!varyNames.includes(spec.vary)) throw new NtkInputError('vary', `unknown ${JSON.stringify(spec.vary)}`, `use one of ${varyNames.join(', ')}`);
  if (!Array.isArray(spec.values) || spec.values.length === 0) throw new NtkInputError('values', 'is empty', 'pass at least one value');
  const intVary = spec.vary !== 'sigma0' && spec.vary !== 'ratio';
  for (const v of spec.values) (intVary ? posInt : pos)(spec.vary === 'nm' ? 'widths' : spec.vary === 'ratio' ? 'ratios' : spec.vary, v);
  if (spec.dPerN !== undefined && spec.dPerN !== null) pos('dPerN', spec.dPerN);
  if (spec.vary === 'ratio') validateRatioGrid(spec, posInt, pos);
  if (spec.data) validateDataSource(spec);
  if (spec.vary === 'depth') for (const v of spec.values) checkDepth('depth', v);
  if (new Set(spec.values).size !== spec.values.length) throw new NtkInputError('values', 'has duplicates', 'list each value once');
  if (!Array.isArray(spec.activations) || spec.activations.length === 0) throw new NtkInputError('activations', 'is empty', `pass some of ${activationNames.join(', ')}`);
  for (const a of spec.activations) {
    if (!activationNames.includes(a)) throw new NtkInputError('activations', `unknown activation ${JSON.stringify(a)}`, `use some of ${activationNames.join(', ')}`);
  }
  if (new Set(spec.activations).size !== spec.activations.length) throw new NtkInputError('activations', 'has duplicates', 'list each activation once');
  if (!Array.isArray(spec.seeds) || spec.seeds.length === 0) throw new NtkInputError('seeds', 'is empty', 'pass at least one seed');
  const points = spec.values.length * spec.activations.length * spec.seeds.length;
  if (points > MAX_SWEEP_POINTS) {
    throw new NtkInputError('seeds', `values x activations x seeds = ${spec.values.length} x ${spec.activations.length} x ${spec.seeds.length} = ${points} points, more than the ${MAX_SWEEP_POINTS} a sweep may have`,
      'use fewer values or seeds, or split the sweep into several');
  }
  spec.seeds.forEach((s) => nonNegInt('seeds', s));
  if (new Set(spec.seeds).size !== spec.seeds.length) throw new NtkInputError('seeds', 'has duplicates', 'list each seed once');
  nonNegInt('dataSeed', spec.dataSeed);
  posInt('d', spec.d);
  posInt('n', spec.n);
  posInt('width', spec.width);
  posInt('depth', spec.depth);
  checkDepth('depth', spec.depth);
  if (spec.sigma0 !== null && spec.nu0sq !== null) throw new NtkInputError('sigma0', 'and nu0sq are both given', 'give one of them');
  if (spec.sigma0 === null && spec.nu0sq === null && spec.vary !== 'sigma0') throw new NtkInputError('sigma0', 'and nu0sq are both missing', 'give one of them (the paper: sigma0 = 1)');
  if (spec.sigma0 !== null) pos('sigma0', spec.sigma0);
  if (spec.nu0sq !== null) pos('nu0sq', spec.nu0sq);
  if (spec.vary === 'sigma0' && spec.nu0sq !== null) throw new NtkInputError('nu0sq', 'is fixed while sigma0 varies', 'drop --nu0sq: each sigma0 sets nu0^2 = sigma0^2 / c');
  pos('sv2', spec.sv2);
  if (spec.vLaw !== 'gaussian' && spec.vLaw !== 'unit') throw new NtkInputError('vLaw', `unknown ${JSON.stringify(spec.vLaw)}`, 'use gaussian or unit');
  posInt('rmax', spec.rmax);
  checkDegree(spec.rmax, 'rmax');
  if (spec.rmax < 2) throw new NtkInputError('rmax', `must be >= 2, got ${spec.rmax}`, 'Theorem 4.1 takes the max over r > 1');
  return spec;
}

/** The n grid, the ratios (no two may give the same width) and the threshold settings of `vary: 'ratio'`. */
function validateRatioGrid(spec: SweepSpec, posInt: (name: string, x: number) => void, pos: (name: string, x: number) => void): void {
  const ns = spec.ns;
  if (!Array.isArray(ns) || ns.length === 0) throw new NtkInputError('ns', 'is empty', 'pass the numbers of samples, e.g. --ns 50,100,200');
  ns.forEach((n) => posInt('ns', n));
  if (new Set(ns).size !== ns.length) throw new NtkInputError('ns', 'has duplicates', 'list each n once');
  for (const n of ns) {
    const seen = new Map<number, number>();
    for (const r of spec.values) {
      const m = widthOf(r, n), prev = seen.get(m);
      if (prev !== undefined) {
        throw new NtkInputError('ratios', `${prev} and ${r} give the same width m = ${m} at n = ${n}`, 'space the ratios further apart or use larger n');
      }
      seen.set(m, r);
    }
  }
  const t = spec.threshold;
  if (t) {
    if (!Array.isArray(t.taus) || t.taus.length === 0) throw new NtkInputError('taus', 'is empty', 'pass e.g. --taus 0.5,0.75,0.9');
    for (const x of t.taus) if (!(x > 0 && x <= 1)) throw new NtkInputError('taus', `must lie in (0, 1], got ${x}`, 'pass fractions of lambda_min(Theta), e.g. 0.5,0.75,0.9');
    if (!(t.quantile > 0 && t.quantile <= 1)) throw new NtkInputError('quantile', `must lie in (0, 1], got ${t.quantile}`, 'pass e.g. --quantile 0.9 (90% of seeds)');
    if (!Number.isInteger(t.bootstrap) || t.bootstrap < 0 || t.bootstrap > 1e5) throw new NtkInputError('bootstrap', `must be an integer in [0, 100000], got ${t.bootstrap}`, 'pass e.g. --bootstrap 1000');
  }
  pos('ratios', Math.min(...spec.values));
}

/** A data file's description, and that every point's n fits in it. */
function validateDataSource(spec: SweepSpec): void {
  const src = spec.data!;
  if (typeof src.file !== 'string' || !(Number.isInteger(src.rows) && src.rows >= 1) || !(Number.isInteger(src.cols) && src.cols >= 1) || typeof src.hash !== 'string') {
    throw new NtkInputError('data', 'must be { file, rows, cols, hash }', 'build it with dataSource(name, X)');
  }
  if (spec.dPerN) throw new NtkInputError('dPerN', 'is given with a data file, whose d is its number of columns', 'drop one of them');
  const ns = spec.vary === 'ratio' ? spec.ns ?? [] : spec.vary === 'nm' || spec.vary === 'n' ? spec.values : [spec.n];
  const n = Math.max(...ns);
  if (n > src.rows) {
    throw new NtkInputError('data', `${src.file} has ${src.rows} rows but n = ${n} needs ${n}`, `use n <= ${src.rows}, or a file with more rows`);
  }
}

/** The width of a `vary: 'ratio'` point: m = round(ratio n), at least 1. */
export function widthOf(ratio: number, n: number): number {
  return Math.max(1, Math.round(ratio * n));
}

/** The input dimension at n samples: `spec.d`, or max(1, round(dPerN n)) when d grows with n. */
export function dimensionOf(spec: Pick<SweepSpec, 'd' | 'dPerN' | 'data'>, n: number): number {
  if (spec.data) return spec.data.cols;
  return spec.dPerN ? Math.max(1, Math.round(spec.dPerN * n)) : spec.d;
}

function fmt(x: number | null): string {
  return x === null ? '-' : String(x);
}

/**
 * The identity of a point: every input that changes its numbers, and nothing else (not the
 * backend, not the varied-quantity label), so the same network and data give the same key in
 * any sweep.
 */
export function pointKey(p: Omit<SweepPoint, 'key' | 'dataKey' | 'x' | 'group'>): string {
  return `${dataKeyOf(p)}|m=${p.m}|seed=${p.seed}|v=${p.vLaw}`;
}

/**
 * The identity of what points share across weight seeds and widths: the data X (n, d, data
 * seed, normalization) and the activation, depth and init law that fix lambda_1 and the
 * infinite-width kernel. (With a unit v, sv2 = 1/m depends on the width: the key says so.)
 */
export function dataKeyOf(p: Pick<SweepPoint, 'activation' | 'n' | 'd' | 'dataSeed' | 'dataHash' | 'normalize' | 'depth' | 'sigma0' | 'nu0sq' | 'sv2' | 'vLaw' | 'm'>): string {
  const sv2 = p.vLaw === 'unit' ? `unit/${p.m}` : fmt(p.sv2);
  return `${p.activation}|n=${p.n}|d=${p.d}|data=${p.dataHash ? `file:${p.dataHash}` : p.dataSeed}|norm=${p.normalize ? 1 : 0}|L=${p.depth}|sigma0=${fmt(p.sigma0)}|nu0sq=${fmt(p.nu0sq)}|sv2=${sv2}`;
}

/**
 * The points of a sweep, in run order: for each varied value (ascending cost), each
 * activation, each weight seed. Seeds of one (value, activation) are adjacent and form a group,
 * so the infinite-width kernel of their shared data is computed once.
 */
export function enumeratePoints(spec: SweepSpec): SweepPoint[] {
  const out: SweepPoint[] = [];
  let group = 0;
  // `ratio`: each n of `ns` (ascending cost) against every ratio; otherwise one pass over values.
  const outer = spec.vary === 'ratio' ? spec.ns ?? [] : [null];
  for (const nOuter of outer) {
    for (const x of spec.values) {
      for (const activation of spec.activations) {
        for (const seed of spec.seeds) {
          const n = nOuter ?? (spec.vary === 'nm' || spec.vary === 'n' ? x : spec.n);
          const base = {
            activation,
            n,
            m: nOuter !== null ? widthOf(x, nOuter) : spec.vary === 'nm' || spec.vary === 'width' ? x : spec.width,
            depth: spec.vary === 'depth' ? x : spec.depth,
            d: dimensionOf(spec, n),
            sigma0: spec.vary === 'sigma0' ? x : spec.sigma0,
            nu0sq: spec.vary === 'sigma0' ? null : spec.nu0sq,
            sv2: spec.sv2,
            vLaw: spec.vLaw,
            normalize: spec.normalize,
            seed,
            dataSeed: spec.dataSeed,
            ...(spec.data ? { dataHash: spec.data.hash } : {}),
          };
          out.push({ ...base, key: pointKey(base), dataKey: dataKeyOf(base), x, group });
        }
        group++;
      }
    }
  }
  return out;
}

/** The points of `points` that shard `shard` runs: whole groups, every `count`-th one. */
export function shardPoints(points: readonly SweepPoint[], shard: Shard | null): SweepPoint[] {
  if (!shard || shard.count === 1) return [...points];
  return points.filter((p) => p.group % shard.count === shard.index - 1);
}

/**
 * A relative cost of a point in floating-point operations: the NTK's GEMMs and Gram products,
 * a Cholesky-sized eigen step, and the infinite-width pair loop (about 1e4 flops per entry and
 * layer) when the point is the first of its data. Used to weight progress and the ETA.
 */
export function pointCost(p: Pick<SweepPoint, 'n' | 'm' | 'd' | 'depth'> & { activation?: ActivationName }, withInfinite: boolean): number {
  const { n, m, d, depth: L } = p;
  const ntk = 2 * n * m * d + 4 * (L - 1) * n * m * m + n * n * (d + m) + 2 * (L - 1) * n * n * m + n * n * m;
  const eig = n * n * n;
  // Activations with closed-form kernels (erf, sin, relu) skip the series: ~100 flops per entry.
  const perEntry = p.activation && activations[p.activation].closedForms ? 1e2 : 1e4;
  const inf = withInfinite ? perEntry * n * n * L : 0;
  return ntk + eig + inf;
}

/** A short plain-text name of the varied quantity, for table headers (`width m`, `sigma0`). */
export function varyLabel(vary: Vary): string {
  return { nm: 'width m', width: 'width m', n: 'n', depth: 'depth L', sigma0: 'sigma0', ratio: 'm/n' }[vary];
}
