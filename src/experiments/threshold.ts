/**
 * The width-threshold analysis of `ntk threshold`: how wide a network must be, as n grows, for
 * lambda_min(K) to reach a fraction tau of its infinite-width value lambda_min(Theta).
 *
 * From records of a `vary: 'ratio'` sweep (for each n, widths m = ratio n and several weight
 * seeds; Theta from the same data):
 * - the ratio curves: per (activation, n, m), `lambda_min(K) / lambda_min(Theta)` over the
 *   seeds, and its seed quantile `g(m)`: the largest value that a fraction `quantile` of the
 *   seeds reach (the (k+1)-th smallest ratio, k = floor((1 - quantile) seeds) allowed to miss);
 * - the width threshold `m*(n; tau)`: the smallest m with `g(m) >= tau`, interpolated linearly in
 *   log m between the last grid width below and the first at or above (g may fall again later on a
 *   noisy grid: the first crossing counts). Censored when g already reaches tau at the smallest
 *   width (`below`) or never on the grid (`above`): no number is made up for those;
 * - the exponent b of `m* ~ n^b`: least squares of log m* on log n over the uncensored n, with a
 *   percentile bootstrap interval: seeds resampled with replacement for every (n, m) at once (a
 *   seed's networks across widths are one draw), m* and b recomputed over the same n as the point
 *   estimate, the 2.5% and 97.5% points of the replicates. A replicate in which one of those n
 *   falls outside the grid is left out (`replicates_fitted` counts the rest): refitting it over
 *   fewer n would mix slopes of different ranges of n into one interval.
 * If the width needed grew linearly in n, the ratio curves against m/n would collapse and b
 * would be 1; earlier analyses (Du et al.) need b = 2.
 * Browser-safe: no Node imports.
 * @module
 */
import { Rng } from '../random.js';
import type { ThresholdSettings } from './grid.js';
import type { PointRecord } from './records.js';
import { groupRecords } from './summary.js';

/** The analysis settings `ntk threshold` uses unless told otherwise. */
export const DEFAULT_THRESHOLD: Readonly<ThresholdSettings> = Object.freeze({ taus: [0.5, 0.75, 0.9], quantile: 0.9, bootstrap: 1000 });

/** Seed of the bootstrap's random stream (fixed: the interval is reproducible). */
const BOOTSTRAP_SEED = 20240531;

/** One point of a ratio curve: the seeds of one (activation, n, m). */
export interface RatioPoint {
  /** Activation. */
  activation: string;
  /** Samples. */
  n: number;
  /** Input dimension d at this n. */
  d: number;
  /** Width of every hidden layer. */
  m: number;
  /** m / n. */
  ratio: number;
  /** lambda_min(Theta) of the data. */
  inf_lambda_min: number;
  /** Seeds with a ratio. */
  seeds: number;
  /** Mean of `lambda_min(K) / lambda_min(Theta)` over the seeds. */
  mean: number;
  /** Smallest ratio over the seeds. */
  min: number;
  /** Largest ratio over the seeds. */
  max: number;
  /** The seed quantile g(m) (see the module comment). */
  quantile: number;
}

/** The width threshold of one (activation, tau, n). */
export interface ThresholdRow {
  /** Activation. */
  activation: string;
  /** The fraction of lambda_min(Theta) to reach. */
  tau: number;
  /** Samples. */
  n: number;
  /** Input dimension at this n. */
  d: number;
  /** m*(n; tau), or null when censored. */
  m_star: number | null;
  /** m* / n, or null. */
  ratio_star: number | null;
  /** `below`: g(m) >= tau already at the smallest width; `above`: never on the grid; null: found. */
  censored: 'below' | 'above' | null;
  /** Smallest width of the grid at this n. */
  m_min: number;
  /** Largest width of the grid at this n. */
  m_max: number;
}

/** The fitted exponent of one (activation, tau). */
export interface ExponentRow {
  /** Activation. */
  activation: string;
  /** The fraction of lambda_min(Theta) the thresholds are for. */
  tau: number;
  /** b in m* ~ n^b (null with fewer than two uncensored n). */
  b: number | null;
  /** log m* = intercept + b log n. */
  intercept: number | null;
  /** Lower end of the 95% percentile-bootstrap interval of b (null without enough replicates). */
  ci_low: number | null;
  /** Upper end of that interval. */
  ci_high: number | null;
  /** The n values the fit used (uncensored). */
  n_used: number[];
  /** Bootstrap replicates asked for. */
  replicates: number;
  /** Replicates with a fit (every n of `n_used` inside the grid). */
  replicates_fitted: number;
}

/** Everything {@link thresholdAnalysis} finds. */
export interface ThresholdAnalysis {
  /** The settings used. */
  settings: ThresholdSettings;
  /** Per (activation, n, m): the ratios over seeds. */
  curves: RatioPoint[];
  /** Per (activation, tau, n): m*(n; tau). */
  thresholds: ThresholdRow[];
  /** Per (activation, tau): the exponent b and its interval. */
  exponents: ExponentRow[];
  /**
   * The (activation, n) without a target: lambda_min(Theta) missing or not positive (e.g. repeated
   * data rows make Theta singular). They get no threshold row (calling them "above the grid"
   * would make one up) and stay out of the fit.
   */
  undefinedTargets: { activation: string; n: number; inf_lambda_min: number | null }[];
}

/** The records of one (activation, n), as ratios per width and seed. */
interface Cell {
  activation: string;
  n: number;
  d: number;
  inf: number;
  /** Widths ascending, and per width the ratio of each seed (by seed index). */
  widths: number[];
  seedIds: number[];
  ratios: (number | null)[][];
}

function cells(records: readonly PointRecord[]): Cell[] {
  const { groups: by, actOrder: order } = groupRecords(records, (r) => `${r.activation}|${r.n}`);
  const out: Cell[] = [];
  for (const rs of by.values()) {
    const f = rs[0]!;
    const widths = [...new Set(rs.map((r) => r.m))].sort((a, b) => a - b);
    const seedIds = [...new Set(rs.map((r) => r.seed))].sort((a, b) => a - b);
    const inf = f.inf_lambda_min;
    const ratios = widths.map((m) => seedIds.map((s) => {
      const r = rs.find((x) => x.m === m && x.seed === s);
      return r && inf !== null && inf > 0 && Number.isFinite(r.lambda_min) ? r.lambda_min / inf : null;
    }));
    out.push({ activation: f.activation, n: f.n, d: f.d, inf: inf ?? NaN, widths, seedIds, ratios });
  }
  // Activations in the order they first appear (the spec's), n ascending.
  return out.sort((a, b) => order.indexOf(a.activation) - order.indexOf(b.activation) || a.n - b.n);
}

/**
 * The seed quantile g: the (k+1)-th smallest of `values`, k = floor((1 - q) count) (so a
 * fraction q of them reach it). NaN for an empty list.
 */
export function seedQuantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const k = Math.min(sorted.length - 1, Math.floor((1 - q) * sorted.length + 1e-9));
  return sorted[k]!;
}

/**
 * The smallest m with g(m) >= tau, interpolated linearly in log m (see the module comment).
 * @param widths ascending widths; `g` their quantiles (NaN where unknown).
 */
export function crossing(widths: readonly number[], g: readonly number[], tau: number): {
  /** The interpolated crossing width, or null when censored. */
  m: number | null;
  /** `below` (already at the first width), `above` (never), or null. */
  censored: 'below' | 'above' | null;
} {
  for (let k = 0; k < widths.length; k++) {
    if (!(g[k]! >= tau)) continue;
    if (k === 0) return { m: null, censored: 'below' };
    const g0 = g[k - 1]!, g1 = g[k]!;
    if (!Number.isFinite(g0)) return { m: widths[k]!, censored: null };
    const l0 = Math.log(widths[k - 1]!), l1 = Math.log(widths[k]!);
    const t = g1 === g0 ? 1 : (tau - g0) / (g1 - g0);
    return { m: Math.exp(l0 + t * (l1 - l0)), censored: null };
  }
  return { m: null, censored: 'above' };
}

/**
 * Least squares of log m on log n: `{ b, intercept }` (null with fewer than two distinct n).
 */
export function fitPowerLaw(points: readonly { n: number; m: number }[]): {
  /** The slope of log m on log n. */
  b: number;
  /** The intercept: log m = intercept + b log n. */
  intercept: number;
} | null {
  const xs = points.map((p) => Math.log(p.n)), ys = points.map((p) => Math.log(p.m));
  if (new Set(xs).size < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < xs.length; i++) { sxy += (xs[i]! - mx) * (ys[i]! - my); sxx += (xs[i]! - mx) ** 2; }
  const b = sxy / sxx;
  return { b, intercept: my - b * mx };
}

/** Quantile with linear interpolation between order statistics (for the bootstrap interval). */
function percentile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p, lo = Math.floor(h), hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** m*(n; tau) of one cell for the seeds in `pick` (indices into its seeds, repeats allowed). */
function cellThreshold(c: Cell, pick: readonly number[], tau: number, q: number): { m: number | null; censored: 'below' | 'above' | null } {
  const g = c.ratios.map((row) => {
    const v = pick.map((i) => row[i]).filter((x): x is number => x !== null);
    return v.length === pick.length ? seedQuantile(v, q) : NaN;
  });
  return crossing(c.widths, g, tau);
}

/**
 * The ratio curves, width thresholds and fitted exponents of a threshold run's records (any
 * order; see the module comment).
 */
export function thresholdAnalysis(records: readonly PointRecord[], settings: ThresholdSettings = DEFAULT_THRESHOLD): ThresholdAnalysis {
  const cs = cells(records);
  const q = settings.quantile;
  const curves: RatioPoint[] = [];
  for (const c of cs) {
    c.widths.forEach((m, k) => {
      const v = c.ratios[k]!.filter((x): x is number => x !== null);
      if (!v.length) return;
      curves.push({
        activation: c.activation, n: c.n, d: c.d, m, ratio: m / c.n, inf_lambda_min: c.inf, seeds: v.length,
        mean: v.reduce((a, b) => a + b, 0) / v.length, min: Math.min(...v), max: Math.max(...v),
        quantile: v.length === c.seedIds.length ? seedQuantile(v, q) : NaN,
      });
    });
  }
  const thresholds: ThresholdRow[] = [];
  const exponents: ExponentRow[] = [];
  const acts = [...new Set(cs.map((c) => c.activation))];
  const undefinedTargets = cs.filter((c) => !(c.inf > 0)).map((c) => ({ activation: c.activation, n: c.n, inf_lambda_min: Number.isFinite(c.inf) ? c.inf : null }));
  for (const act of acts) {
    const ac = cs.filter((c) => c.activation === act && c.inf > 0);
    for (const tau of settings.taus) {
      const all = ac.map((c) => c.seedIds.map((_, i) => i));
      const found = ac.map((c, j) => cellThreshold(c, all[j]!, tau, q));
      ac.forEach((c, j) => {
        const f = found[j]!;
        thresholds.push({
          activation: act, tau, n: c.n, d: c.d, m_star: f.m, ratio_star: f.m === null ? null : f.m / c.n, censored: f.censored,
          m_min: c.widths[0]!, m_max: c.widths[c.widths.length - 1]!,
        });
      });
      const used = ac.map((c, j) => ({ n: c.n, m: found[j]!.m })).filter((p): p is { n: number; m: number } => p.m !== null);
      const usedCells = ac.filter((_, j) => found[j]!.m !== null);
      const fit = fitPowerLaw(used);
      // Bootstrap over seeds: one resample of seed indices per n, shared by its widths; the fit
      // runs over the point estimate's n (see the module comment).
      const rng = new Rng(BOOTSTRAP_SEED, Math.round(tau * 1000));
      const bs: number[] = [];
      for (let rep = 0; rep < settings.bootstrap && fit; rep++) {
        const pts: { n: number; m: number }[] = [];
        for (const c of usedCells) {
          const S = c.seedIds.length;
          const pick = Array.from({ length: S }, () => Math.min(S - 1, Math.floor(rng.uniform() * S)));
          const t = cellThreshold(c, pick, tau, q);
          if (t.m === null) break;
          pts.push({ n: c.n, m: t.m });
        }
        const f = pts.length === usedCells.length ? fitPowerLaw(pts) : null;
        if (f) bs.push(f.b);
      }
      bs.sort((a, b) => a - b);
      const ok = bs.length >= Math.max(20, 0.5 * settings.bootstrap);
      exponents.push({
        activation: act, tau, b: fit?.b ?? null, intercept: fit?.intercept ?? null,
        ci_low: ok ? percentile(bs, 0.025) : null, ci_high: ok ? percentile(bs, 0.975) : null,
        n_used: used.map((p) => p.n), replicates: settings.bootstrap, replicates_fitted: bs.length,
      });
    }
  }
  return { settings, curves, thresholds, exponents, undefinedTargets };
}

/** One line per activation and tau: `tanh tau=0.75: b = 0.61 [0.52, 0.70] (n = 25..200, 4 points)`. */
export function formatExponents(exps: readonly ExponentRow[]): string {
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(2));
  return exps.map((e) => {
    const k = e.n_used.length;
    const span = k ? `n = ${e.n_used[0]}..${e.n_used[k - 1]}, ${k} point${k === 1 ? '' : 's'} inside the grid` : 'no threshold inside the grid';
    return `${e.activation} tau=${e.tau}: b = ${f(e.b)}${e.ci_low !== null ? ` [${f(e.ci_low)}, ${f(e.ci_high)}]` : ''} (${span})`;
  }).join('\n') + '\n';
}
