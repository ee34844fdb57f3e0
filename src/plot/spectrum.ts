/**
 * Vega-Lite spec of an eigenvalue histogram: the spectra of K and Theta overlaid on common bins.
 * Pure data in, JSON spec out (no Vega import).
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { HistogramBin } from '../experiments/spectrum.js';
import { logAxisFormat } from './axis.js';

/** Options of {@link spectrumPlotSpec}. */
export interface SpectrumPlotOptions {
  /** Bins on a log10 axis (true, the default) or a linear one. */
  log?: boolean;
  /** Title over the figure. */
  title?: string;
  /** Subtitle (e.g. the configuration). */
  subtitle?: string;
  /** Vertical rules, e.g. each matrix's lambda_min: `{ matrix, value, label }`. */
  rules?: {
    /** Which matrix the rule belongs to. */
    matrix: string;
    /** Where (an eigenvalue). */
    value: number;
    /** Its label. */
    label: string;
  }[];
  /** Plot width in pixels. */
  width?: number;
  /** Plot height in pixels. */
  height?: number;
}

/**
 * Overlaid histograms (one color per matrix, half transparent) of precomputed bins, with
 * optional vertical rules at marked eigenvalues.
 */
export function spectrumPlotSpec(bins: readonly HistogramBin[], opts: SpectrumPlotOptions = {}): TopLevelSpec {
  const log = opts.log ?? true;
  const x = {
    field: 'lo', type: 'quantitative' as const, title: log ? 'eigenvalue (log scale)' : 'eigenvalue', scale: log ? { type: 'log' as const } : { zero: false },
    ...(log ? { axis: { format: logAxisFormat(bins.flatMap((b) => [b.lo, b.hi])) } } : {}),
  };
  const color = { field: 'matrix', type: 'nominal' as const, title: null };
  const layers: unknown[] = [
    {
      data: { values: bins },
      // Rectangles from 0 to the count over [lo, hi): precomputed bins, so the plot and
      // spectrum-hist.csv agree exactly.
      transform: [{ calculate: '0', as: 'zero' }],
      mark: { type: 'rect' as const, opacity: 0.55 },
      encoding: {
        x, x2: { field: 'hi' },
        // Counts: whole-number ticks only (no 0.5 eigenvalues).
        y: { field: 'count', type: 'quantitative' as const, title: 'number of eigenvalues', axis: { tickMinStep: 1, format: 'd' } },
        y2: { field: 'zero' },
        color,
        tooltip: [{ field: 'matrix' }, { field: 'lo', format: '.4g' }, { field: 'hi', format: '.4g' }, { field: 'count' }],
      },
    },
  ];
  if (opts.rules?.length) {
    layers.push({
      data: { values: opts.rules },
      mark: { type: 'rule' as const, strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: { x: { field: 'value', type: 'quantitative' as const }, color, tooltip: [{ field: 'label' }, { field: 'value', format: '.4g' }] },
    });
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: opts.title ?? 'Eigenvalues of K and Θ', ...(opts.subtitle ? { subtitle: opts.subtitle } : {}), anchor: 'start' as const },
    background: 'white',
    padding: 12,
    width: opts.width ?? 560,
    height: opts.height ?? 300,
    layer: layers,
    // Above the plot, not over the bars.
    config: { legend: { orient: 'top' as const, direction: 'horizontal' as const, labelLimit: 300 } },
  };
  return spec as unknown as TopLevelSpec;
}
