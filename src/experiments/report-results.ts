/**
 * The report's result sections (report.ts): the figures with their captions and data files,
 * and per activation the table of λmin(K) against the varied quantity. Browser-safe: summary
 * rows in, Markdown lines out.
 * @module
 */
import { varyLabel, type SweepSpec } from './grid.js';
import type { Flatness } from './report-findings.js';
import { baseName, NONE, num, sci } from './report-format.js';
import type { SummaryRow } from './summary.js';
import type { RatioPoint } from './threshold.js';
import { formatRatio, ratioParagraph } from './threshold-report.js';

/** A figure to show in the report. */
export interface ReportFigure {
  /** Link to the SVG, relative to the report file. */
  path: string;
  /** Link to its Vega-Lite spec, relative to the report file, when there is one. */
  spec?: string;
}

/** A data file to list, its link relative to the report, with what it holds. */
export interface ReportFile {
  path: string;
  what: string;
}

/** `## Figures`: each figure with its caption, then the data files. */
export function figuresSection(spec: SweepSpec, title: string, figures: readonly ReportFigure[], files: readonly ReportFile[] = []): string[] {
  const out: string[] = ['## Figures', ''];
  if (!figures.length) out.push('No figure in the folder (it is drawn when a run or `ntk merge` finishes).', '');
  for (const f of figures) {
    out.push(`![${title}](${f.path})`, '');
    out.push(figureCaption(spec, f.path) + (f.spec ? ` Vega-Lite spec with the data: [${baseName(f.spec)}](${f.spec}).` : ''), '');
  }
  if (files.length) {
    out.push('Data files:', '');
    for (const f of files) out.push(`- [${baseName(f.path)}](${f.path}): ${f.what}`);
    out.push('');
  }
  return out;
}

/** `## λmin(K) against <varied>`: per activation a sentence and a table of the summary rows. */
export function lambdaMinSection(spec: SweepSpec, rows: readonly SummaryRow[], flat: readonly Flatness[], curves: readonly RatioPoint[] = []): string[] {
  const label = varyLabel(spec.vary);
  const out: string[] = [`## λmin(K) against ${label}`, ''];
  if (!rows.length) out.push('No finished points yet.', '');
  for (const act of spec.activations) {
    const ar = rows.filter((r) => r.activation === act);
    if (!ar.length) continue;
    const fl = flat.find((f) => f.activation === act)!;
    out.push(`### ${act}`, '');
    if (curves.some((c) => c.activation === act)) {
      out.push(`λmin(K) is positive (above its error bound) at ${fl.positive} of ${fl.points} points. ${ratioParagraph(curves, act)}`, '');
    } else out.push(`λmin(K) is positive (above its error bound) at ${fl.positive} of ${fl.points} points; its mean over seeds goes from ${num(fl.first, 4, fl.min)} at ${label} = ${ar[0]!.x} to ${num(fl.last, 4, fl.min)} at ${ar[ar.length - 1]!.x} (range ${num(fl.min, 4, fl.min)} to ${num(fl.max, 4, fl.min)}, a factor ${num(fl.max / fl.min, 3)})` +
      (fl.toInfinite !== null ? `, on average ${num(fl.toInfinite, 3)} times the infinite-width value λmin(Θ) of the same data.` : '.'), '');
    out.push(`| ${label} | seeds | λmin(K) mean | std | λmin(Θ) | λ1 | c0·λ1 | λmin(K) / (c0·λ1) |`, '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of ar) {
      out.push(`| ${spec.vary === 'ratio' ? `n = ${r.n}, ${formatRatio(r.x)}` : r.x} | ${r.seeds} | ${num(r.lambda_min_mean)} | ${num(r.lambda_min_std, 2)} | ${num(r.inf_lambda_min)} | ${num(r.lambda_1)} | ${r.bound_mean === null ? NONE : num(r.bound_mean, 3) + (r.vacuous ? ' (vacuous)' : '')} | ${r.ratio_mean === null ? NONE : sci(r.ratio_mean)} |`);
    }
    out.push('');
  }
  return out;
}

function figureCaption(spec: SweepSpec, path: string): string {
  if (spec.vary === 'ratio') {
    return path.endsWith('-ratio.svg')
      ? 'λmin(K)/λmin(Θ) against m/n, one curve per n (the seed quantile the thresholds use; band: the seeds\' range), one panel per activation; dashed: the τ levels. Linear width would make the curves collapse.'
      : 'The width threshold m*(n; τ) against n on log-log axes (points), the fitted power law m* ∝ n^b (solid) and reference slopes 1 and 2 through the fit at the smallest n (dashed); open triangles: a threshold outside the width grid, drawn at the grid\'s edge and pointing the way it lies.';
  }
  const x = spec.vary === 'sigma0' ? 'σ0²' : varyLabel(spec.vary);
  const second = spec.vary === 'sigma0'
    ? 'Below: Theorem 4.2\'s constant c0 against σ0² (crosses: vacuous, σ0² > 2).'
    : 'Below: Theorem 4.1\'s bound c0·λ1 (and c0·λ1/4) next to the measured λmin(K) and λ1.';
  return `Above: λmin(K) against ${x}, mean ± std over the weight seeds per activation (band), with the infinite-width value λmin(Θ) of the same data (dashed); log-scale y. ${second}`;
}
