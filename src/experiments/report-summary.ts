/**
 * The report's `## Summary` (report.ts): the findings per activation in one line each, before
 * the detail. Browser-safe: findings in, Markdown lines out.
 * @module
 */
import { activationNames, type ActivationName } from '../activations.js';
import { assumptionsBroken } from '../theory/theorem.js';
import type { BoundGap, Flatness } from './report-findings.js';
import { num } from './report-format.js';
import { boundGapPhrase } from './report-theorem.js';
import type { RatioPoint } from './threshold.js';
import { ratioSummary } from './threshold-report.js';

/**
 * One line per activation: λmin(K)'s positivity and range across the varied quantity `label`,
 * its ratio to λmin(Θ), where Theorem 4.1's bound sits, and the assumptions it breaks. Empty
 * without records.
 */
export function summarySection(flat: readonly Flatness[], gaps: readonly BoundGap[], label: string, curves: readonly RatioPoint[] = []): string[] {
  if (!flat.length) return [];
  const out: string[] = ['## Summary', ''];
  for (const f of flat) {
    const g = gaps.find((x) => x.activation === f.activation)!;
    const broken = activationNames.includes(f.activation as ActivationName) ? assumptionsBroken(f.activation as ActivationName) : [];
    // A threshold run (`curves`) has several n at each m/n: its level goes per n (threshold-report.ts).
    const level = curves.some((c) => c.activation === f.activation) ? `; ${ratioSummary(curves, f.activation)}`
      : `, mean between ${num(f.min, 4, f.min)} and ${num(f.max, 4, f.min)} across ${label}` + (f.toInfinite !== null ? `, ${num(f.toInfinite, 2)} × λmin(Θ) on average` : '');
    out.push(`- **${f.activation}**: λmin(K) > 0 at ${f.positive} of ${f.points} points${level}` +
      (g.points ? `; Theorem 4.1's bound c0·λ1 ${boundGapPhrase(g)}` : '; no non-vacuous bound') +
      (broken.length ? `; breaks ${broken.map((b) => b.replace(/ \(.*\)$/, '')).join(', ')}` : '') + '.');
  }
  out.push('');
  return out;
}
