/**
 * The report's sections on the theory (report.ts): how far Theorem 4.1's bound c0·λ1 sits
 * below the measured λmin(K), which of the paper's assumptions the setup and the activations
 * break, and Lemma 4.2's measured band. Browser-safe: records in, Markdown lines out.
 * @module
 */
import { assumptionsBroken } from '../theory/theorem.js';
import type { SweepPoint, SweepSpec } from './grid.js';
import type { PointRecord } from './records.js';
import { boundGaps, lemma42Bands, type BoundGap } from './report-findings.js';
import { NONE, num, ordersOfMagnitude, sci, span } from './report-format.js';

/**
 * Where the bound sits against λmin(K), in words, for the summary: its orders of magnitude
 * below it over the points where λmin(K) > 0, and where λmin(K) <= 0 (no orders exist there).
 * For an activation with at least one non-vacuous bound.
 */
export function boundGapPhrase(g: BoundGap): string {
  const orders = ordersOfMagnitude(g.ratioMinPositive, g.ratioMax);
  const holds = `holds at ${g.holds} of ${g.points}`;
  if (orders === null) return `sits above λmin(K) ≤ 0 at every point with a bound, so no orders of magnitude apply (${holds})`;
  const where = g.nonPositive ? ` where λmin(K) > 0; at ${g.nonPositive} of ${g.points} points λmin(K) ≤ 0 and no orders of magnitude apply` : '';
  return `sits ${orders} orders of magnitude below it${where} (${holds})`;
}

/** `## How far Theorem 4.1's bound sits below λmin(K)`: one row per activation (`gaps`: {@link boundGaps} of the records). */
export function theoremSection(records: readonly PointRecord[], gaps: readonly BoundGap[] = boundGaps(records)): string[] {
  const out: string[] = [];
  out.push('## How far Theorem 4.1\'s bound sits below λmin(K)', '');
  out.push('Theorem 4.1: λmin(K) ≥ c0·λ1 with c0 = max over r > 1 of c0^(L-1,r) (Theorem 4.2) and λ1 the smallest eigenvalue of',
    'E[φ(Xg/√d) φ(Xg/√d)ᵀ], g ~ N(0, ν0² I). The ratio λmin(K) / (c0·λ1) is how many times larger the measured value is',
    'than the bound; the proof also drops Lemma 4.1\'s factor 1/4, so c0·λ1/4 is the bound with it kept.', '');
  out.push('| activation | points | λmin(K) / (c0·λ1) | orders of magnitude | bound holds | with the 1/4 | r attaining c0 | vacuous |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const g of gaps) {
    const orders = g.points ? (ordersOfMagnitude(g.ratioMinPositive, g.ratioMax) ?? NONE) + (g.nonPositive ? ` (λmin(K) ≤ 0 at ${g.nonPositive})` : '') : NONE;
    out.push(`| ${g.activation} | ${g.points} | ${g.points ? span(sci(g.ratioMin), sci(g.ratioMax)) : NONE} | ${orders} | ${g.holds} of ${g.points} | ${g.holdsQuarter} of ${g.points} | ${g.rBest.join(', ') || NONE} | ${g.vacuous}${g.missing ? ` (${g.missing} without a bound: no σ0 reaches the ν0² given, or a sample's activations all vanish at layer L-1, where Theorem 4.2's coefficients are undefined)` : ''} |`);
  }
  out.push('');
  if (records.some((r) => r.bound?.vacuous)) {
    out.push('Vacuous points have σ0² > 2: the factor (σ0²/2)^{3rl} grows with r, the max over r runs to rmax and the number is no bound; they are left out of the ratios.', '');
  }
  return out;
}

/**
 * `## Assumptions the setup breaks`: per activation, then notes on the setup (data, width,
 * sigma0, unconverged eigenvalues), then Lemma 4.2's measured band.
 * @param expected the grid's points (of the shard, when it is one).
 */
export function assumptionsSection(spec: SweepSpec, records: readonly PointRecord[], expected: readonly SweepPoint[]): string[] {
  const out: string[] = [];
  out.push('## Assumptions the setup breaks', '');
  out.push('Theorems 4.1 and 4.2 assume Assumption 1 (φ 1-Lipschitz and smooth), Assumption 2 (‖x_i‖² = d), φ(0) = 0, L = O(1)',
    'and m = Ω(n log n log(Ln/δ)). ntk-wasm computes every quantity anyway, as the paper\'s own experiment does, and lists here what does not hold.', '');
  out.push('| activation | broken |', '| --- | --- |');
  for (const act of spec.activations) {
    const broken = assumptionsBroken(act);
    out.push(`| ${act} | ${broken.length ? broken.join('; ') : 'none of the activation\'s assumptions'} |`);
  }
  out.push('');
  const setupNotes: string[] = [];
  if (!spec.normalize) setupNotes.push('Assumption 2 (‖x‖² = d) holds only on average: the rows are raw N(0, I_d) draws, as in Section 6 (`--normalize` rescales them).');
  const narrow = expected.filter((p) => p.m < p.n * Math.log(p.n)).length;
  if (spec.vary === 'nm') setupNotes.push('Width: n = m at every point, so m = Ω(n log n log(Ln/δ)) holds only up to its log factors; the experiment checks whether linear width is enough in practice.');
  else if (narrow) setupNotes.push(`Width: the theorem needs m = Ω(n log n log(Ln/δ)); m < n·ln n at ${narrow} of ${expected.length} points (the bound is evaluated there all the same).`);
  const s0 = spec.vary === 'sigma0' ? Math.max(...spec.values) : spec.sigma0;
  if (s0 !== null && s0 * s0 > 2) setupNotes.push(`σ0² > 2 at ${spec.vary === 'sigma0' ? 'the largest values' : 'this setup'}: Theorem 4.2's constant grows with r and the bound is vacuous there.`);
  for (const [f, what] of [['lambda_min_converged', 'λ_min'], ['lambda_max_converged', 'λ_max']] as const) {
    const u = records.filter((r) => r[f] === false).length;
    if (u) setupNotes.push(`${what} did not reach its tolerance at ${u} of ${records.length} points: its error column there is a true but looser bound.`);
  }
  for (const n of setupNotes) out.push(`- ${n}`);
  if (setupNotes.length) out.push('');
  const bands = lemma42Bands(records);
  if (bands.length) {
    out.push('Lemma 4.2 (used in the proof) claims c/2 ≤ ‖α_l(x_i)‖²/m ≤ 3c/2 at every layer. Measured ‖α_l(x_i)‖²/(m c) over all samples and points:', '');
    out.push('| activation | layer | min | max | inside [1/2, 3/2] |', '| --- | ---: | ---: | ---: | --- |');
    for (const b of bands) out.push(`| ${b.activation} | ${b.layer} | ${num(b.min, 3)} | ${num(b.max, 3)} | ${b.holds ? 'yes' : '**no**'} |`);
    out.push('');
  }
  return out;
}
