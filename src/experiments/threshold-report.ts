/**
 * The `ntk report` section of a threshold run: the measured exponent b of m* ~ n^b with its
 * bootstrap interval per activation and tau, what it says about "linear width suffices", and the
 * table of m*(n; tau). Browser-safe: records in, Markdown lines out.
 * @module
 */
import type { SweepSpec } from './grid.js';
import type { PointRecord } from './records.js';
import { fixed } from './report-format.js';
import { DEFAULT_THRESHOLD, thresholdAnalysis, type ExponentRow } from './threshold.js';

const f2 = (x: number | null): string => fixed(x, 2);

/** What an exponent and its interval say, in words. */
export function readExponent(e: ExponentRow): string {
  if (e.b === null) return 'no exponent: fewer than two n have their threshold inside the width grid';
  if (e.ci_low === null || e.ci_high === null) return `b = ${f2(e.b)} (too few bootstrap fits for an interval)`;
  const where = e.ci_high < 1 ? 'below 1: the width needed grows more slowly than n (sublinear) on this grid'
    : e.ci_low > 1 && e.ci_high < 2 ? 'between 1 and 2: faster than linear, slower than the n² of the older analyses'
      : e.ci_low <= 1 && e.ci_high >= 1 ? 'the interval holds 1: consistent with linear width'
        : e.ci_low >= 2 ? 'at or above 2' : 'above 1 and reaching 2';
  return `b = ${f2(e.b)}, 95% interval [${f2(e.ci_low)}, ${f2(e.ci_high)}]: ${where}`;
}

/** The section's Markdown lines (empty for a run that is not a threshold run). */
export function thresholdSection(spec: SweepSpec, records: readonly PointRecord[]): string[] {
  if (spec.vary !== 'ratio' || !records.length) return [];
  const settings = spec.threshold ?? DEFAULT_THRESHOLD;
  const a = thresholdAnalysis(records, settings);
  const pct = Math.round(settings.quantile * 100);
  const out: string[] = ['## Width threshold and its exponent', ''];
  out.push(`m*(n; τ) is the smallest width at which λmin(K) ≥ τ·λmin(Θ) for ${pct}% of the ${spec.seeds.length} weight seeds`,
    '(interpolated in log m between grid widths); b is the least-squares slope of log m* against log n over the n whose',
    `threshold lies inside the grid, with a 95% percentile interval from ${settings.bootstrap} bootstrap resamples of the seeds.`,
    'b = 1 is the paper\'s "linear width suffices"; the older analyses for smooth activations need b = 2.', '');
  out.push('| activation | τ | b | 95% interval | n used | reading |', '| --- | ---: | ---: | --- | --- | --- |');
  for (const e of a.exponents) {
    out.push(`| ${e.activation} | ${e.tau} | ${f2(e.b)} | ${e.ci_low === null ? '–' : `[${f2(e.ci_low)}, ${f2(e.ci_high)}]`} | ${e.n_used.join(', ') || '–'} | ${readExponent(e).replace(/^[^:]*: /, '')} |`);
  }
  out.push('');
  const ns = [...new Set(a.thresholds.map((t) => t.n))].sort((x, y) => x - y);
  out.push('m* (and m*/n) per n; "<" and ">": the threshold lies below the smallest or above the largest width of the grid.', '');
  out.push(`| activation | τ | ${ns.map((n) => `n = ${n}`).join(' | ')} |`, `| --- | ---: | ${ns.map(() => '---:').join(' | ')} |`);
  for (const act of spec.activations) {
    for (const tau of settings.taus) {
      const cells = ns.map((n) => {
        const t = a.thresholds.find((x) => x.activation === act && x.tau === tau && x.n === n);
        if (!t) return '–';
        if (t.censored === 'below') return `< ${t.m_min}`;
        if (t.censored === 'above') return `> ${t.m_max}`;
        return `${Math.round(t.m_star!)} (${f2(t.ratio_star)})`;
      });
      if (cells.every((c) => c === '–')) continue;
      out.push(`| ${act} | ${tau} | ${cells.join(' | ')} |`);
    }
  }
  out.push('');
  return out;
}
