/**
 * The `ntk report` text of a threshold run: the measured exponent b of m* ~ n^b with its
 * bootstrap interval per activation and tau, what it says about "linear width suffices" (and
 * what it cannot say: few n, wide intervals, thresholds outside the grid), the table of
 * m*(n; tau) with the local slopes between neighbouring n, the target lambda_min(Theta) per n,
 * and the per-n sentences the summary and the lambda_min section use in place of figure1's
 * "from the first to the last value" (which would mix different n). Browser-safe: records in,
 * Markdown lines out.
 * @module
 */
import type { SweepSpec } from './grid.js';
import type { PointRecord } from './records.js';
import { fixed } from './report-format.js';
import { DEFAULT_THRESHOLD, thresholdAnalysis, type ExponentRow, type RatioPoint, type ThresholdRow } from './threshold.js';

const f2 = (x: number | null): string => fixed(x, 2);

/** A ratio m/n as a reader wants it: 3 significant digits (0.354, not 0.353553390593). */
export function formatRatio(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/**
 * What the thresholds left out of a fit say about b: a threshold above the grid at the small n
 * (m* > the widest m there) or below it at the large n would lower the slope; the reverse would
 * raise it.
 */
function censoredText(e: ExponentRow, rows: readonly ThresholdRow[]): string {
  const out = rows.filter((t) => t.censored !== null);
  if (!out.length || !e.n_used.length) return '';
  const lo = e.n_used[0]!, hi = e.n_used[e.n_used.length - 1]!;
  const parts = out.map((t) => {
    const where = t.censored === 'above' ? `m* > ${t.m_max}` : `m* < ${t.m_min}`;
    const side = t.n < lo ? 'small' : t.n > hi ? 'large' : 'mid';
    const lowers = (t.censored === 'above' && side === 'small') || (t.censored === 'below' && side === 'large');
    const raises = (t.censored === 'above' && side === 'large') || (t.censored === 'below' && side === 'small');
    return `n = ${t.n} (${where}, outside the grid${lowers ? ': would lower b' : raises ? ': would raise b' : ''})`;
  });
  return `; left out: ${parts.join(', ')}`;
}

/**
 * What an exponent and its interval say, in words, with what weakens them: a fit through two
 * values of n (the interval then holds seed noise only), a wide interval, replicates left out,
 * and the n whose threshold lies outside the grid (`rows`: this activation's and tau's
 * thresholds, optional).
 */
export function readExponent(e: ExponentRow, rows: readonly ThresholdRow[] = []): string {
  if (e.b === null) return 'no exponent: fewer than two n have their threshold inside the width grid';
  const cens = censoredText(e, rows);
  const few = e.n_used.length === 2 ? '; a line through 2 values of n: the interval holds the seeds\' noise, not the fit\'s' : '';
  if (e.ci_low === null || e.ci_high === null) {
    return `b = ${f2(e.b)}: no interval (${e.replicates_fitted} of ${e.replicates} bootstrap replicates kept every n inside the grid)${few}${cens}`;
  }
  const lo = e.ci_low, hi = e.ci_high;
  const where = hi < 1 ? 'below 1: the width needed grows more slowly than n (sublinear) over these n'
    : lo > 1 && hi < 2 ? 'between 1 and 2: faster than linear, slower than the n² of the older analyses'
      : lo <= 1 && hi >= 2 ? 'the interval holds both 1 and 2: these data do not decide'
        : lo <= 1 && hi >= 1 ? (hi - lo > 0.75 ? 'the interval holds 1 but is wide: weakly consistent with linear width' : 'the interval holds 1 and excludes 2: consistent with linear width')
          : lo >= 2 ? 'at or above 2' : 'above 1 and reaching 2';
  const slopes = localSlopes(rows);
  const spread = slopes.length >= 2 && Math.max(...slopes) - Math.min(...slopes) > 0.75
    ? `; the local slopes run from ${f2(Math.min(...slopes))} to ${f2(Math.max(...slopes))}: one power law describes these n poorly` : '';
  const kept = e.replicates_fitted < e.replicates ? `; interval from ${e.replicates_fitted} of ${e.replicates} replicates (the rest put an n outside the grid)` : '';
  return `b = ${f2(e.b)}, 95% interval [${f2(lo)}, ${f2(hi)}]: ${where}${few}${spread}${kept}${cens}`;
}

/** Slopes of log m* between neighbouring n with a threshold inside the grid: `0.8, 1.1, 1.3`. */
export function localSlopes(rows: readonly ThresholdRow[]): number[] {
  const inside = rows.filter((t) => t.m_star !== null).sort((a, b) => a.n - b.n);
  const out: number[] = [];
  for (let i = 1; i < inside.length; i++) {
    const a = inside[i - 1]!, b = inside[i]!;
    out.push(Math.log(b.m_star! / a.m_star!) / Math.log(b.n / a.n));
  }
  return out;
}

/** "k of S" seeds the quantile asks for (the seedQuantile rule: floor((1 - q) S) may miss). */
function seedsNeeded(q: number, seeds: number): number {
  return seeds - Math.min(seeds - 1, Math.floor((1 - q) * seeds + 1e-9));
}

/**
 * One activation's lambda_min(K)/lambda_min(Theta) at each n's narrowest and widest network, over
 * n: `at the narrowest m (m/n = 0.25 to 0.26) the seed mean of λmin(K) is 0.28 (n = 100) to 0.51
 * (n = 400) × λmin(Θ); at the widest (m/n = 16) 0.95 (n = 50) to 0.97 (n = 400)`. The ends are
 * taken per n (m = round(ratio n) makes the same grid ratio differ slightly between n). Empty
 * without curves.
 */
export function ratioSummary(curves: readonly RatioPoint[], activation: string): string {
  const cs = curves.filter((c) => c.activation === activation);
  if (!cs.length) return '';
  const ns = [...new Set(cs.map((c) => c.n))].sort((a, b) => a - b);
  const perN = ns.map((n) => cs.filter((c) => c.n === n).sort((a, b) => a.ratio - b.ratio));
  const end = (pick: (at: RatioPoint[]) => RatioPoint) => {
    const at = perN.map(pick);
    const rs = at.map((c) => c.ratio), vals = at.map((c) => c.mean);
    const lo = at[vals.indexOf(Math.min(...vals))]!, hi = at[vals.indexOf(Math.max(...vals))]!;
    const ratios = Math.min(...rs) === Math.max(...rs) ? formatRatio(rs[0]!) : `${formatRatio(Math.min(...rs))} to ${formatRatio(Math.max(...rs))}`;
    const range = lo === hi ? `${f2(lo.mean)} (n = ${lo.n})`
      : f2(lo.mean) === f2(hi.mean) ? `${f2(lo.mean)} (n = ${Math.min(lo.n, hi.n)} and ${Math.max(lo.n, hi.n)})`
        : `${f2(lo.mean)} (n = ${lo.n}) to ${f2(hi.mean)} (n = ${hi.n})`;
    return { ratios, range };
  };
  const a = end((at) => at[0]!), b = end((at) => at[at.length - 1]!);
  return `at the narrowest m (m/n = ${a.ratios}) the seed mean of λmin(K) is ${a.range} × λmin(Θ); at the widest (m/n = ${b.ratios}) ${b.range}`;
}

/**
 * The per-n sentence of the lambda_min section: for each n, the seed mean of lambda_min(K) at the
 * narrowest and widest ratio, as a fraction of lambda_min(Theta) of the same data.
 */
export function ratioParagraph(curves: readonly RatioPoint[], activation: string): string {
  const cs = curves.filter((c) => c.activation === activation);
  const ns = [...new Set(cs.map((c) => c.n))].sort((a, b) => a - b);
  const parts = ns.map((n) => {
    const at = cs.filter((c) => c.n === n).sort((a, b) => a.ratio - b.ratio);
    const a = at[0]!, b = at[at.length - 1]!;
    return `n = ${n} (d = ${a.d}, λmin(Θ) = ${Number(a.inf_lambda_min.toPrecision(4))}): ${f2(a.mean)} at m/n = ${formatRatio(a.ratio)} to ${f2(b.mean)} at ${formatRatio(b.ratio)}`;
  });
  return parts.length ? `Seed mean of λmin(K)/λmin(Θ) from the narrowest to the widest network, per n: ${parts.join('; ')}.` : '';
}

/** The section's Markdown lines (empty for a run that is not a threshold run). */
export function thresholdSection(spec: SweepSpec, records: readonly PointRecord[]): string[] {
  if (spec.vary !== 'ratio' || !records.length) return [];
  const settings = spec.threshold ?? DEFAULT_THRESHOLD;
  const a = thresholdAnalysis(records, settings);
  const S = spec.seeds.length;
  const need = seedsNeeded(settings.quantile, S);
  const out: string[] = ['## Width threshold and its exponent', ''];
  out.push(`m*(n; τ) is the smallest width at which λmin(K) ≥ τ·λmin(Θ) for at least ${Math.round(settings.quantile * 100)}% of the weight seeds`,
    `(here ${need} of ${S}${need === S ? ': every seed' : ''}), interpolated in log m between grid widths; λmin(Θ) is the infinite-width NTK's on the same data,`,
    'so τ asks how close to its limit λmin(K) gets, a stricter question than the paper\'s (λmin(K) ≥ c0·λ1 > 0). b is the least-squares slope',
    `of log m* against log n over the n whose threshold lies inside the grid, with a 95% percentile interval from ${settings.bootstrap} bootstrap`,
    'resamples of the seeds (refitted over the same n). The interval holds the seeds\' noise, not the doubt whether a power law fits:',
    'the local slopes between neighbouring n show that. b = 1 is the paper\'s "linear width suffices"; the older analyses need b = 2.', '');
  out.push('| activation | τ | b | 95% interval | n used | local slopes | reading |', '| --- | ---: | ---: | --- | --- | --- | --- |');
  for (const e of a.exponents) {
    const rows = a.thresholds.filter((t) => t.activation === e.activation && t.tau === e.tau);
    const slopes = localSlopes(rows);
    out.push(`| ${e.activation} | ${e.tau} | ${f2(e.b)} | ${e.ci_low === null ? '–' : `[${f2(e.ci_low)}, ${f2(e.ci_high)}]`} | ${e.n_used.join(', ') || '–'} | ${slopes.map(f2).join(', ') || '–'} | ${readExponent(e, rows).replace(/^[^:]*: /, '')} |`);
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
  if (a.undefinedTargets.length) {
    out.push(`No threshold where λmin(Θ) is not positive (the infinite-width NTK is singular there, e.g. repeated data rows, so no τ·λmin(Θ) can be reached or missed): ${a.undefinedTargets.map((u) => `${u.activation} n = ${u.n} (λmin(Θ) = ${u.inf_lambda_min === null ? 'missing' : u.inf_lambda_min.toExponential(2)})`).join(', ')}.`, '');
  }
  // The target moves with n: with d fixed, λmin(Θ) falls as n grows past d.
  const target = (act: string, n: number) => a.curves.find((c) => c.activation === act && c.n === n);
  out.push('The target: λmin(Θ) per n (it depends on the data, so it moves with n and d).', '');
  out.push(`| | ${ns.map((n) => `n = ${n}`).join(' | ')} |`, `| --- | ${ns.map(() => '---:').join(' | ')} |`);
  out.push(`| d | ${ns.map((n) => String(a.curves.find((c) => c.n === n)?.d ?? '–')).join(' | ')} |`);
  for (const act of spec.activations) {
    if (!a.curves.some((c) => c.activation === act)) continue;
    out.push(`| λmin(Θ), ${act} | ${ns.map((n) => { const c = target(act, n); return c ? String(Number(c.inf_lambda_min.toPrecision(4))) : '–'; }).join(' | ')} |`);
  }
  out.push('');
  return out;
}
