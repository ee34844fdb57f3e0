/**
 * The findings a sweep's report reads off its records (report.ts): per activation, how far
 * Theorem 4.1's bound sits below the measured lambda_min(K), Lemma 4.2's measured band, and the
 * positivity and flatness of lambda_min(K). Browser-safe: records in, numbers out.
 * @module
 */
import type { PointRecord } from './records.js';
import { groupRecords, summarize, type SummaryRow } from './summary.js';

/** Per activation: how far Theorem 4.1's bound sits below the measured lambda_min(K). */
export interface BoundGap {
  activation: string;
  /** Points with a (non-vacuous) bound. */
  points: number;
  /** Smallest and largest lambda_min(K) / (c0 lambda_1) over those points. */
  ratioMin: number;
  ratioMax: number;
  /** Points where lambda_min(K) >= c0 lambda_1 (the bound as stated holds). */
  holds: number;
  /** Points where lambda_min(K) >= c0 lambda_1 / 4 (with Lemma 4.1's factor 1/4). */
  holdsQuarter: number;
  /** Points whose max over r ran to rmax: not a bound (sigma0^2 > 2). */
  vacuous: number;
  /** Points without theory values (the theory could not be evaluated). */
  missing: number;
  /** The r attaining the max over r (all distinct values seen). */
  rBest: number[];
  /** Points with a bound whose ratio is <= 0 (lambda_min(K) <= 0): no orders of magnitude there. */
  nonPositive: number;
  /** Smallest ratio > 0 (null when none is): where the orders of magnitude start. */
  ratioMinPositive: number | null;
}

/** Per activation and layer: the band Lemma 4.2 claims ([1/2, 3/2]) against the measured one. */
export interface Lemma42Band {
  activation: string;
  /** Layer l (1-based). */
  layer: number;
  /** Smallest and largest ||alpha_l(x_i)||^2 / (m c) over every sample and point. */
  min: number;
  max: number;
  /** Whether [min, max] lies inside [1/2, 3/2]. */
  holds: boolean;
}

/** Per activation: is lambda_min(K) positive and how flat is it across the varied values. */
export interface Flatness {
  activation: string;
  /** Points whose lambda_min(K) exceeds its error bound (certified positive), out of `points`. */
  positive: number;
  points: number;
  /** Mean over seeds at the first and the last varied value. */
  first: number;
  last: number;
  /** Smallest and largest mean over the varied values. */
  min: number;
  max: number;
  /** Mean over values of lambda_min(K) / lambda_min(Theta) (null without infinite-width values). */
  toInfinite: number | null;
}

/** Theorem 4.1's bound against the measured lambda_min, per activation (records in any order). */
export function boundGaps(records: readonly PointRecord[]): BoundGap[] {
  return byActivation(records).map(([activation, rs]) => {
    const withBound = rs.filter((r) => r.bound && !r.bound.vacuous && Number.isFinite(r.bound.ratio));
    const ratios = withBound.map((r) => r.bound!.ratio);
    return {
      activation,
      points: withBound.length,
      ratioMin: ratios.length ? Math.min(...ratios) : NaN,
      ratioMax: ratios.length ? Math.max(...ratios) : NaN,
      holds: withBound.filter((r) => r.lambda_min >= r.bound!.c0_lambda1).length,
      holdsQuarter: withBound.filter((r) => r.lambda_min >= r.bound!.c0_lambda1_over_4).length,
      vacuous: rs.filter((r) => r.bound?.vacuous).length,
      missing: rs.filter((r) => !r.bound).length,
      rBest: [...new Set(withBound.map((r) => r.bound!.r_best))].sort((a, b) => a - b),
      nonPositive: ratios.filter((x) => !(x > 0)).length,
      ratioMinPositive: ratios.some((x) => x > 0) ? Math.min(...ratios.filter((x) => x > 0)) : null,
    };
  });
}

/** Lemma 4.2's measured band per activation and layer, over every record that has one. */
export function lemma42Bands(records: readonly PointRecord[]): Lemma42Band[] {
  const out: Lemma42Band[] = [];
  for (const [activation, rs] of byActivation(records)) {
    const layers = Math.max(0, ...rs.map((r) => r.lemma42?.length ?? 0));
    for (let l = 0; l < layers; l++) {
      const bands = rs.map((r) => r.lemma42?.[l]).filter((b): b is [number, number] => Array.isArray(b));
      if (!bands.length) continue;
      const min = Math.min(...bands.map((b) => b[0])), max = Math.max(...bands.map((b) => b[1]));
      out.push({ activation, layer: l + 1, min, max, holds: min >= 0.5 && max <= 1.5 });
    }
  }
  return out;
}

/** Positivity and flatness of lambda_min(K) per activation, from the records and their summary rows. */
export function flatness(records: readonly PointRecord[], rows: readonly SummaryRow[] = summarize(records)): Flatness[] {
  return byActivation(records).map(([activation, rs]) => {
    const ar = rows.filter((r) => r.activation === activation);
    const means = ar.map((r) => r.lambda_min_mean);
    const toInf = ar.filter((r) => r.inf_lambda_min !== null && r.inf_lambda_min > 0).map((r) => r.lambda_min_mean / r.inf_lambda_min!);
    return {
      activation,
      positive: rs.filter((r) => r.lambda_min > Math.max(0, r.lambda_min_error)).length,
      points: rs.length,
      first: means[0] ?? NaN,
      last: means[means.length - 1] ?? NaN,
      min: Math.min(...means),
      max: Math.max(...means),
      toInfinite: toInf.length === ar.length && toInf.length ? toInf.reduce((a, b) => a + b, 0) / toInf.length : null,
    };
  });
}

/** The records of each activation, in order of first appearance. */
function byActivation(records: readonly PointRecord[]): [string, PointRecord[]][] {
  return [...groupRecords(records, (r) => r.activation).groups.entries()];
}
