/**
 * Summary statistics of a sweep (mean and standard deviation over weight seeds per varied value
 * and activation) and CSV text for the summary and for every record.
 * Browser-safe: no Node imports.
 * @module
 */
import type { PointRecord } from './records.js';

/** One row of summary.csv: the seeds of one (activation, varied value). */
export interface SummaryRow {
  /** Activation. */
  activation: string;
  /** The varied value (the width m for Figure 1). */
  x: number;
  /** Samples. */
  n: number;
  /** Hidden width. */
  m: number;
  /** Hidden layers L. */
  depth: number;
  /** sigma0 (null when nu0^2 was given). */
  sigma0: number | null;
  /** nu0^2 used. */
  nu0sq: number;
  /** Weight seeds averaged. */
  seeds: number;
  /** Mean of lambda_min(K) over the seeds. */
  lambda_min_mean: number;
  /** Sample standard deviation over seeds; null for a single seed (there is no spread to show). */
  lambda_min_std: number | null;
  /** Smallest lambda_min(K) over the seeds. */
  lambda_min_min: number;
  /** Largest lambda_min(K) over the seeds. */
  lambda_min_max: number;
  /** Mean lambda_max(K). */
  lambda_max_mean: number;
  /** Mean tr K. */
  trace_mean: number;
  /** lambda_min of the infinite-width NTK for the same data (mean over seeds: equal for Gaussian v). */
  inf_lambda_min: number | null;
  /** lambda_1 of the data (mean over seeds; the same for every seed). */
  lambda_1: number | null;
  /** Mean of Theorem 4.2's c0 and of Theorem 4.1's bound c0 lambda_1 (and / 4) over seeds. */
  c0_mean: number | null;
  /** Mean of c0 lambda_1 (Theorem 4.1 as stated). */
  bound_mean: number | null;
  /** Mean of c0 lambda_1 / 4 (with Lemma 4.1's factor). */
  bound_over_4_mean: number | null;
  /** Mean lambda_min(K) / (c0 lambda_1). */
  ratio_mean: number | null;
  /** The r attaining the max (of the first seed). */
  r_best: number | null;
  /** Whether any seed's bound is vacuous (max over r at rmax). */
  vacuous: boolean;
  /** Mean seconds per point. */
  seconds_mean: number;
}

/** Mean of finite values (NaN when none). */
export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const mu = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1));
}

function meanOrNull(xs: readonly (number | null | undefined)[]): number | null {
  const f = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return f.length === xs.length && f.length > 0 ? mean(f) : null;
}

/**
 * Groups records by (activation, n, x), in the order activations first appear, then ascending n and x,
 * with mean and sample std of lambda_min over seeds and the theory columns.
 */
export function summarize(records: readonly PointRecord[]): SummaryRow[] {
  // n too: a threshold run has the same ratio x at several n.
  const { groups, actOrder } = groupRecords(records, (r) => `${r.activation}|${r.n}|${r.x}`);
  const rows: SummaryRow[] = [];
  for (const g of groups.values()) {
    const f = g[0]!;
    const lm = g.map((r) => r.lambda_min);
    rows.push({
      activation: f.activation, x: f.x, n: f.n, m: f.m, depth: f.depth, sigma0: f.sigma0, nu0sq: f.nu0sq,
      seeds: g.length,
      lambda_min_mean: mean(lm), lambda_min_std: lm.length > 1 ? sampleStd(lm) : null,
      lambda_min_min: Math.min(...lm), lambda_min_max: Math.max(...lm),
      lambda_max_mean: mean(g.map((r) => r.lambda_max)),
      trace_mean: mean(g.map((r) => r.trace)),
      inf_lambda_min: meanOrNull(g.map((r) => r.inf_lambda_min)),
      lambda_1: meanOrNull(g.map((r) => r.lambda_1)),
      c0_mean: meanOrNull(g.map((r) => r.bound?.c0)),
      bound_mean: meanOrNull(g.map((r) => r.bound?.c0_lambda1)),
      bound_over_4_mean: meanOrNull(g.map((r) => r.bound?.c0_lambda1_over_4)),
      ratio_mean: meanOrNull(g.map((r) => r.bound?.ratio)),
      r_best: f.bound?.r_best ?? null,
      vacuous: g.some((r) => r.bound?.vacuous ?? false),
      seconds_mean: mean(g.map((r) => r.timings.total)),
    });
  }
  rows.sort((a, b) => actOrder.indexOf(a.activation) - actOrder.indexOf(b.activation) || a.n - b.n || a.x - b.x);
  return rows;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text (RFC 4180, header row, numbers in shortest round-trip form, empty for null). */
export function toCsv<T extends object>(rows: readonly T[], columns?: readonly (keyof T & string)[]): string {
  const cols = columns ?? (rows.length ? (Object.keys(rows[0]!) as (keyof T & string)[]) : []);
  const lines = [cols.join(',')];
  for (const r of rows) lines.push(cols.map((c) => cell(r[c])).join(','));
  return lines.join('\n') + '\n';
}

/** A record flattened to one CSV row: nested bound and timings become `bound_*` and `t_*` columns. */
export function flattenRecord(r: PointRecord): Record<string, unknown> {
  const { bound, timings, cached, lemma42, ...rest } = r;
  const out: Record<string, unknown> = { ...rest };
  const b = bound ?? { c0: null, r_best: null, c0_lambda1: null, c0_lambda1_over_4: null, ratio: null, vacuous: null };
  for (const [k, v] of Object.entries(b)) out[`bound_${k}`] = v;
  for (const [k, v] of Object.entries(timings)) out[`t_${k}`] = v;
  out.cached_lambda_1 = cached.lambda_1;
  out.cached_infinite = cached.infinite;
  out.lemma42 = lemma42 ? JSON.stringify(lemma42) : null;
  return out;
}

/**
 * A plain-text table of summary rows for a terminal: one line per (activation, value) with
 * lambda_min mean +/- std, the infinite-width value, lambda_1 and Theorem 4.1's bound.
 */
export function formatSummaryTable(rows: readonly SummaryRow[], xTitle = 'x'): string {
  const e = (v: number | null, p = 4) => (v === null || !Number.isFinite(v) ? '-' : v.toExponential(p - 1));
  const header = ['activation', xTitle, 'seeds', 'lambda_min mean', 'std', 'inf-width', 'lambda_1', 'bound c0*l1', 'ratio'];
  const body = rows.map((r) => [
    r.activation, String(r.x), String(r.seeds), e(r.lambda_min_mean), e(r.lambda_min_std, 2), e(r.inf_lambda_min), e(r.lambda_1),
    r.bound_mean === null ? '-' : `${e(r.bound_mean, 3)}${r.vacuous ? ' (vacuous)' : ''}`,
    r.ratio_mean === null ? '-' : r.ratio_mean.toExponential(1),
  ]);
  const all = [header, ...body];
  const w = header.map((_, j) => Math.max(...all.map((row) => row[j]!.length)));
  return all.map((row) => row.map((c, j) => (j < 2 ? c.padEnd(w[j]!) : c.padStart(w[j]!))).join('  ')).join('\n') + '\n';
}

/**
 * Groups records by `key` (insertion order kept) and lists the activations in the order they
 * first appear (the spec's order), which the summaries sort by.
 */
export function groupRecords(records: readonly PointRecord[], key: (r: PointRecord) => string): { groups: Map<string, PointRecord[]>; actOrder: string[] } {
  const groups = new Map<string, PointRecord[]>();
  const actOrder: string[] = [];
  for (const r of records) {
    if (!actOrder.includes(r.activation)) actOrder.push(r.activation);
    const k = key(r);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return { groups, actOrder };
}
