/**
 * Vega-Lite specs for sweep results: Figure 1 (lambda_min(K) against width with a mean +/- std
 * band per activation and the infinite-width value, log-scale y; Theorem 4.1's bound in a
 * second panel) and the same layout for the other sweeps (for sigma0, the second panel is
 * Theorem 4.2's constant c0 against sigma0^2: Section 5's trade-off).
 * Pure data in, JSON spec out: no Vega import here, so the browser demo can use these specs
 * with whatever loads Vega on its page.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Vary } from '../experiments/grid.js';
import type { SummaryRow } from '../experiments/summary.js';
import { logAxisFormat } from './axis.js';

export { logAxisFormat } from './axis.js';

/** Options of {@link sweepPlotSpec}. */
export interface SweepPlotOptions {
  /** What the sweep varied (sets the x axis). */
  vary: Vary;
  /** Title over the figure. */
  title?: string;
  /** Subtitle (e.g. the fixed setup). */
  subtitle?: string;
  /** Width and height of each panel in pixels (default 560 x 260). */
  width?: number;
  /** Height of each panel in pixels. */
  height?: number;
}

/** Series labels (shared with the browser demo's legend). */
export const SERIES = {
  /** The measured lambda_min(K) band. */
  empirical: 'λmin(K), mean ± std over seeds',
  /** The infinite-width value. */
  infinite: 'λmin(Θ), infinite width',
  /** Theorem 4.1's bound. */
  bound: 'c0·λ1 (Theorem 4.1)',
  /** The bound with Lemma 4.1's factor 1/4. */
  boundQuarter: 'c0·λ1/4 (with Lemma 4.1’s 1/4)',
  /** lambda_1. */
  lambda1: 'λ1',
  /** Theorem 4.2's constant (sigma0 sweeps). */
  c0: 'c0 (Theorem 4.2)',
} as const;

/** The x-axis title and the x value of a summary row for each kind of sweep. */
export function xAxis(vary: Vary): {
  /** Axis title. */
  title: string;
  /** The x value of a row. */
  value: (r: SummaryRow) => number;
  /** Whether the axis is logarithmic. */
  log: boolean;
} {
  switch (vary) {
    case 'nm': return { title: 'width m (= number of samples n)', value: (r) => r.x, log: false };
    case 'width': return { title: 'width m (n fixed)', value: (r) => r.x, log: true };
    case 'n': return { title: 'number of samples n (width fixed)', value: (r) => r.x, log: false };
    case 'depth': return { title: 'hidden layers L', value: (r) => r.x, log: false };
    case 'sigma0': return { title: 'σ0²', value: (r) => r.x * r.x, log: true };
    case 'ratio': return { title: 'width ratio m/n', value: (r) => r.x, log: true };
  }
}

const positive = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** Every value a panel draws on its y axis (means, band edges, bounds). */
function yValues(data: readonly Record<string, unknown>[]): unknown[] {
  return data.flatMap((d) => [d.value, d.lo, d.hi]);
}

/**
 * The lower and upper edge of the mean +/- std band. On a log axis a band edge at or below 0
 * cannot be drawn: the lower edge then falls back to the smallest seed's value.
 */
export function bandEdges(r: SummaryRow): {
  /** Lower edge (null when it cannot be drawn on a log axis). */
  lo: number | null;
  /** Upper edge (null when not positive). */
  hi: number | null;
} {
  const lo = r.lambda_min_mean - r.lambda_min_std;
  const hi = r.lambda_min_mean + r.lambda_min_std;
  return { lo: lo > 0 ? lo : positive(r.lambda_min_min) ? r.lambda_min_min : null, hi: hi > 0 ? hi : null };
}

/** The long-form data rows of the lambda_min panel. */
export function lambdaPanelData(rows: readonly SummaryRow[], vary: Vary): Record<string, unknown>[] {
  const ax = xAxis(vary);
  const out: Record<string, unknown>[] = [];
  for (const r of rows) {
    const x = ax.value(r);
    if (positive(r.lambda_min_mean)) {
      const { lo, hi } = bandEdges(r);
      out.push({ activation: r.activation, x, series: SERIES.empirical, value: r.lambda_min_mean, lo, hi, std: r.lambda_min_std, seeds: r.seeds });
    }
    if (positive(r.inf_lambda_min)) out.push({ activation: r.activation, x, series: SERIES.infinite, value: r.inf_lambda_min });
  }
  return out;
}

/** The long-form data rows of the second panel (bound, or c0 for a sigma0 sweep). */
export function boundPanelData(rows: readonly SummaryRow[], vary: Vary): Record<string, unknown>[] {
  const ax = xAxis(vary);
  const out: Record<string, unknown>[] = [];
  for (const r of rows) {
    const x = ax.value(r);
    const status = r.vacuous ? 'vacuous (max over r at rmax)' : 'bound (max over r below rmax)';
    const add = (series: string, v: number | null, withStatus: boolean) => {
      if (positive(v)) out.push({ activation: r.activation, x, series, value: v, ...(withStatus ? { status, r_best: r.r_best } : {}) });
    };
    if (vary === 'sigma0') {
      add(SERIES.c0, r.c0_mean, true);
    } else {
      add(SERIES.empirical, r.lambda_min_mean, false);
      add(SERIES.bound, r.bound_mean, true);
      add(SERIES.boundQuarter, r.bound_over_4_mean, true);
      add(SERIES.lambda1, r.lambda_1, false);
    }
  }
  return out;
}

/**
 * The two-panel Vega-Lite spec of a sweep: lambda_min(K) (mean line, mean +/- std band per
 * activation, infinite-width value dashed) on a log y axis; below it Theorem 4.1's bound
 * c0 lambda_1 (and / 4) with lambda_1 and lambda_min(K) for scale, or for a sigma0 sweep the
 * constant c0 of Theorem 4.2 against sigma0^2. Vacuous bounds (sigma0^2 > 2) are drawn as crosses.
 */
export function sweepPlotSpec(rows: readonly SummaryRow[], opts: SweepPlotOptions): TopLevelSpec {
  const ax = xAxis(opts.vary);
  const width = opts.width ?? 560, height = opts.height ?? 260;
  const xEnc = {
    field: 'x', type: 'quantitative' as const, title: ax.title, scale: ax.log ? { type: 'log' as const } : { zero: false },
    ...(ax.log ? { axis: { format: logAxisFormat(rows.map(ax.value)) } } : {}),
  };
  // One explicit domain so the line colors (color channel) and the band and point fills (fill
  // channel, whose legend Vega-Lite merges into the color one) always pair the same activation with the same color.
  const activations = [...new Set(rows.map((r) => r.activation))];
  const color = {
    field: 'activation', type: 'nominal' as const, title: 'activation', scale: { domain: activations },
    // Opaque symbols: the legend would otherwise take the band's 0.2 opacity and all but vanish.
    legend: { symbolType: 'stroke', symbolStrokeWidth: 3, encode: { symbols: { update: { opacity: { value: 1 } } } } },
  };
  const fill = { field: 'activation', type: 'nominal' as const, scale: { domain: activations } };
  const topData = lambdaPanelData(rows, opts.vary);
  const top = {
    width, height,
    title: { text: 'Smallest eigenvalue of the NTK at initialization', anchor: 'start' as const, fontSize: 13 },
    data: { values: topData },
    layer: [
      {
        mark: { type: 'line' as const, strokeWidth: 1.8 },
        encoding: {
          x: xEnc,
          y: {
            field: 'value', type: 'quantitative' as const, title: 'λmin (log scale)', scale: { type: 'log' as const },
            axis: { format: logAxisFormat(yValues(topData)) },
          },
          color,
          strokeDash: { field: 'series', type: 'nominal' as const, title: null, legend: { symbolSize: 600 }, scale: { domain: [SERIES.empirical, SERIES.infinite], range: [[1, 0], [6, 4]] } },
          tooltip: [{ field: 'activation' }, { field: 'series' }, { field: 'x', title: ax.title }, { field: 'value', format: '.4g' }],
        },
      },
      {
        transform: [{ filter: `datum.series === '${SERIES.empirical}' && datum.lo != null && datum.hi != null` }],
        mark: { type: 'area' as const, opacity: 0.2 },
        encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative' as const, scale: { type: 'log' as const } }, y2: { field: 'hi' }, fill },
      },
      {
        transform: [{ filter: `datum.series === '${SERIES.empirical}'` }],
        mark: { type: 'point' as const, filled: true, size: 28 },
        encoding: {
          x: xEnc, y: { field: 'value', type: 'quantitative' as const, scale: { type: 'log' as const } }, fill,
          tooltip: [
            { field: 'activation' }, { field: 'x', title: ax.title },
            { field: 'value', title: 'mean λmin(K)', format: '.4g' }, { field: 'std', format: '.3g' }, { field: 'seeds' },
          ],
        },
      },
    ],
  };
  const secondTitle = opts.vary === 'sigma0'
    ? 'Theorem 4.2’s constant c0 = max over r of c0^(L-1,r) against σ0²'
    : 'Theorem 4.1’s lower bound c0·λ1 against the measured λmin(K)';
  const boundSeries = opts.vary === 'sigma0'
    ? [SERIES.c0]
    : [SERIES.empirical, SERIES.bound, SERIES.boundQuarter, SERIES.lambda1];
  const dashes = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3]].slice(0, boundSeries.length);
  const bottomData = boundPanelData(rows, opts.vary);
  const bottom = {
    width, height,
    title: { text: secondTitle, anchor: 'start' as const, fontSize: 13 },
    data: { values: bottomData },
    layer: [
      {
        mark: { type: 'line' as const, strokeWidth: 1.5 },
        encoding: {
          x: xEnc,
          y: {
            field: 'value', type: 'quantitative' as const, title: opts.vary === 'sigma0' ? 'c0 (log scale)' : 'value (log scale)',
            scale: { type: 'log' as const }, axis: { format: logAxisFormat(yValues(bottomData)) },
          },
          color,
          strokeDash: { field: 'series', type: 'nominal' as const, title: null, legend: { symbolSize: 600 }, scale: { domain: boundSeries, range: dashes } },
        },
      },
      {
        transform: [{ filter: 'datum.status != null' }],
        mark: { type: 'point' as const, filled: true, size: 40 },
        encoding: {
          x: xEnc,
          y: { field: 'value', type: 'quantitative' as const, scale: { type: 'log' as const } },
          color,
          shape: {
            field: 'status', type: 'nominal' as const, title: null,
            scale: { domain: ['bound (max over r below rmax)', 'vacuous (max over r at rmax)'], range: ['circle', 'cross'] },
          },
          tooltip: [{ field: 'activation' }, { field: 'series' }, { field: 'x', title: ax.title }, { field: 'value', format: '.4g' }, { field: 'r_best', title: 'r*' }, { field: 'status' }],
        },
      },
    ],
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: opts.title ?? 'NTK λmin sweep', ...(opts.subtitle ? { subtitle: opts.subtitle } : {}), anchor: 'start' as const, fontSize: 15 },
    background: 'white',
    padding: 12,
    vconcat: [top, bottom],
    // Colors mean the same in both panels (shared scales), but each panel gets its own legends
    // beside it, naming only what that panel draws (the bound's markers only the lower one).
    resolve: {
      scale: { color: 'shared' as const, fill: 'shared' as const, strokeDash: 'independent' as const, y: 'independent' as const },
      legend: { color: 'independent' as const, fill: 'independent' as const, shape: 'independent' as const, strokeDash: 'independent' as const },
    },
    config: {
      legend: { orient: 'right' as const, labelLimit: 320, symbolStrokeWidth: 2 },
      axis: { grid: true, gridOpacity: 0.6 },
      axisY: { tickCount: 6 },
    },
  };
  return spec as unknown as TopLevelSpec;
}

/** A one-line description of a sweep's fixed setup, for subtitles. */
export function setupLine(s: { vary: Vary; d: number; depth: number; n: number; width: number; sigma0: number | null; nu0sq: number | null; sv2: number; vLaw: string; normalize: boolean; seeds: readonly number[]; dataSeed: number; ns?: readonly number[]; dPerN?: number | null }): string {
  const parts: string[] = [];
  if (s.vary !== 'depth') parts.push(`L = ${s.depth}`);
  parts.push(s.dPerN ? `d = ${s.dPerN}·n` : `d = ${s.d}`);
  if (s.vary === 'ratio') parts.push(`n = ${(s.ns ?? []).join(', ')}`);
  if (s.vary === 'width') parts.push(`n = ${s.n}`);
  if (s.vary === 'n') parts.push(`m = ${s.width}`);
  if (s.vary === 'depth') parts.push(`n = ${s.n}, m = ${s.width}`);
  if (s.vary !== 'sigma0') parts.push(s.nu0sq !== null ? `ν0² = ${s.nu0sq}` : `σ0 = ${s.sigma0}`);
  parts.push(s.vLaw === 'unit' ? 'v a random unit vector' : `v ~ N(0, ${s.sv2})`);
  parts.push(s.normalize ? 'x normalized to ‖x‖² = d' : 'x ~ N(0, I) raw');
  parts.push(`${s.seeds.length} weight seed${s.seeds.length > 1 ? 's' : ''}, data seed ${s.dataSeed}`);
  return parts.join(', ');
}
