/**
 * Vega-Lite specs of `ntk threshold` (src/experiments/threshold.ts):
 * - the ratio plot: `lambda_min(K) / lambda_min(Theta)` against m/n, one curve per n (the seed
 *   quantile the thresholds use, a band over the seeds' range), one panel per activation, the
 *   tau levels as dashed rules. If the width needed grew linearly in n the curves would collapse;
 * - the threshold plot: m*(n; tau) against n on log-log axes, one color per tau, the fitted
 *   power law (solid) and reference slopes 1 and 2 through the smallest n's threshold (dashed);
 *   a threshold outside the width grid is an open triangle at the grid's edge pointing the way
 *   it lies (m* > the widest m, or < the narrowest), so no n silently disappears.
 * Panels follow the activations' order in the data (the spec's), ticks on the n of the grid.
 * Pure data in, JSON spec out (no Vega import), as src/plot/sweep.ts.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ExponentRow, RatioPoint, ThresholdRow } from '../experiments/threshold.js';

/** Options of the threshold plots. */
export interface ThresholdPlotOptions {
  /** Title over the figure. */
  title?: string;
  /** Subtitle (the fixed setup). */
  subtitle?: string;
  /** Width and height of each panel in pixels (default 360 x 260). */
  width?: number;
  /** Height of each panel in pixels. */
  height?: number;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One panel per activation (two columns) of the given layers over one long-form data set. */
function facetted(opts: ThresholdPlotOptions, fallback: string, values: readonly Record<string, unknown>[], layer: unknown[]): TopLevelSpec {
  const spec = {
    $schema: SCHEMA,
    title: { text: opts.title ?? fallback, ...(opts.subtitle ? { subtitle: opts.subtitle } : {}), anchor: 'start', fontSize: 15 },
    background: 'white',
    padding: 12,
    config: { legend: { orient: 'right', labelLimit: 320 }, axis: { grid: true, gridOpacity: 0.6 } },
    data: { values },
    facet: { field: 'activation', type: 'nominal', title: null, sort: [...new Set(values.map((v) => v.activation))] },
    columns: 2,
    spec: { width: opts.width ?? 360, height: opts.height ?? 260, layer },
  };
  return spec as unknown as TopLevelSpec;
}

/** The ratio plot (see the module comment); `taus` are drawn as rules. */
export function ratioPlotSpec(curves: readonly RatioPoint[], taus: readonly number[], opts: ThresholdPlotOptions = {}): TopLevelSpec {
  const ns = [...new Set(curves.map((c) => c.n))].sort((a, b) => a - b).map(String);
  const values = [
    ...curves.map((c) => ({ kind: 'curve', activation: c.activation, n: String(c.n), ratio: c.ratio, m: c.m, q: Number.isFinite(c.quantile) ? c.quantile : null, mean: c.mean, lo: c.min, hi: c.max, seeds: c.seeds })),
    ...[...new Set(curves.map((c) => c.activation))].flatMap((a) => taus.map((t) => ({ kind: 'tau', activation: a, tau: t }))),
  ];
  const x = { field: 'ratio', type: 'quantitative', title: 'width ratio m/n (log scale)', scale: { type: 'log', nice: false } };
  const y = { field: 'q', type: 'quantitative', title: 'λmin(K) / λmin(Θ)', scale: { zero: false } };
  // Opaque legend symbols: the band's fill opacity would otherwise carry into the merged legend.
  const color = {
    field: 'n', type: 'ordinal', title: 'n', scale: { domain: ns, scheme: 'viridis' }, sort: ns,
    legend: { symbolType: 'stroke', symbolStrokeWidth: 3, encode: { symbols: { update: { opacity: { value: 1 } } } } },
  };
  return facetted(opts, 'How wide for λmin(K) to reach λmin(Θ)? One curve per n', values, [
    {
      transform: [{ filter: "datum.kind === 'curve'" }],
      mark: { type: 'area', opacity: 0.12 },
      encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, fill: color },
    },
    {
      transform: [{ filter: "datum.kind === 'curve' && datum.q != null" }],
      mark: { type: 'line', point: true, strokeWidth: 1.8 },
      encoding: {
        x, y, color,
        tooltip: [{ field: 'n' }, { field: 'm' }, { field: 'ratio', title: 'm/n', format: '.3g' }, { field: 'q', title: 'seed quantile', format: '.3f' },
          { field: 'mean', format: '.3f' }, { field: 'lo', title: 'min', format: '.3f' }, { field: 'hi', title: 'max', format: '.3f' }, { field: 'seeds' }],
      },
    },
    {
      transform: [{ filter: "datum.kind === 'tau'" }],
      mark: { type: 'rule', strokeDash: [5, 4], color: '#888' },
      encoding: { y: { field: 'tau', type: 'quantitative' }, tooltip: [{ field: 'tau', title: 'τ' }] },
    },
  ]);
}

/** The threshold plot (see the module comment). */
export function thresholdPlotSpec(rows: readonly ThresholdRow[], exps: readonly ExponentRow[], opts: ThresholdPlotOptions = {}): TopLevelSpec {
  const values: Record<string, unknown>[] = rows.map((r) => (r.m_star !== null
    ? { kind: 'measured', activation: r.activation, tau: `τ = ${r.tau}`, n: r.n, m: r.m_star, ratio: r.ratio_star }
    : { kind: r.censored, activation: r.activation, tau: `τ = ${r.tau}`, n: r.n, m: r.censored === 'above' ? r.m_max : r.m_min, bound: `${r.censored === 'above' ? '>' : '<'} ${r.censored === 'above' ? r.m_max : r.m_min}` }));
  for (const e of exps) {
    if (e.b === null || e.intercept === null || e.n_used.length < 2) continue;
    const n0 = e.n_used[0]!, n1 = e.n_used[e.n_used.length - 1]!;
    const tau = `τ = ${e.tau}`;
    const label = `b = ${e.b.toFixed(2)}${e.ci_low !== null ? ` [${e.ci_low.toFixed(2)}, ${e.ci_high!.toFixed(2)}]` : ''}`;
    for (const n of [n0, n1]) values.push({ kind: 'fit', activation: e.activation, tau, n, m: Math.exp(e.intercept + e.b * Math.log(n)), label });
    // Reference slopes through the fit's value at the smallest n.
    const m0 = Math.exp(e.intercept + e.b * Math.log(n0));
    for (const slope of [1, 2]) {
      for (const n of [n0, n1]) values.push({ kind: 'reference', activation: e.activation, tau, slope: `slope ${slope} (m ∝ n${slope === 2 ? '²' : ''})`, n, m: m0 * (n / n0) ** slope });
    }
  }
  const taus = [...new Set(rows.map((r) => `τ = ${r.tau}`))];
  const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  // Ticks on the grid's n: Vega's own log ticks dropped the label of 100 between 90 and 200.
  const x = { field: 'n', type: 'quantitative', title: 'number of samples n (log scale)', scale: { type: 'log', nice: false, padding: 12 }, axis: { values: ns, format: ',~g' } };
  const y = { field: 'm', type: 'quantitative', title: 'width threshold m* (log scale)', scale: { type: 'log' } };
  const censored = (kind: 'above' | 'below') => ({
    transform: [{ filter: `datum.kind === '${kind}'` }],
    mark: { type: 'point', shape: kind === 'above' ? 'triangle-up' : 'triangle-down', filled: false, size: 80, strokeWidth: 1.5 },
    encoding: { x, y, color, tooltip: [{ field: 'tau' }, { field: 'n' }, { field: 'bound', title: 'm* (outside the grid)' }] },
  });
  const color = { field: 'tau', type: 'nominal', title: 'λmin(K) ≥ τ·λmin(Θ)', scale: { domain: taus } };
  return facetted(opts, 'Width threshold m*(n; τ) against n, with the fitted exponent', values, [
    {
      transform: [{ filter: "datum.kind === 'reference'" }],
      mark: { type: 'line', strokeWidth: 1, opacity: 0.55 },
      encoding: {
        x, y, color, detail: { field: 'slope' },
        strokeDash: { field: 'slope', type: 'nominal', title: 'reference', scale: { range: [[2, 2], [7, 3]] } },
      },
    },
    {
      transform: [{ filter: "datum.kind === 'fit'" }],
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y, color, tooltip: [{ field: 'tau' }, { field: 'label', title: 'fit m* ∝ n^b' }] },
    },
    {
      transform: [{ filter: "datum.kind === 'measured'" }],
      mark: { type: 'point', filled: true, size: 60 },
      encoding: { x, y, color, tooltip: [{ field: 'tau' }, { field: 'n' }, { field: 'm', title: 'm*', format: '.4g' }, { field: 'ratio', title: 'm*/n', format: '.3g' }] },
    },
    censored('above'),
    censored('below'),
  ]);
}
