/**
 * REPORT.md for a sweep's output folder (`ntk report DIR`): the setup and the command that
 * reproduces it, the figures, a table of lambda_min against the varied quantity per activation,
 * how far Theorem 4.1's bound c0 lambda_1 sits below the measured lambda_min, and which of the
 * paper's hypotheses the setup and the chosen activations break.
 * Browser-safe: records and config in, Markdown text out (src/cli/report.ts reads the folder).
 * @module
 */
import { activationNames, getActivation, type ActivationName } from '../activations.js';
import { assumptionsBroken } from '../theory/theorem.js';
import { enumeratePoints, parseShard, parseValues, shardPoints, varyLabel, type SweepSpec } from './grid.js';
import { figure1Presets, thresholdPresets } from './presets.js';
import { formatRatio, ratioParagraph, ratioSummary, thresholdSection } from './threshold-report.js';
import { thresholdAnalysis } from './threshold.js';
import type { PointRecord } from './records.js';
import { summarize, type SummaryRow } from './summary.js';

/** The parts of config.json a report needs (see `RunConfig` in node-io.ts). */
export interface ReportConfig {
  /** The command that made the folder (`figure1`, `sweep`). */
  command: string;
  spec: SweepSpec;
  /** `i/N` for one shard of a sweep, null for a whole sweep (or a merged one). */
  shard: string | null;
  /** When the folder was created (ISO 8601). */
  created?: string;
}

/** A figure to show in the report. */
export interface ReportFigure {
  /** Link to the SVG, relative to the report file. */
  path: string;
  /** Link to its Vega-Lite spec, relative to the report file, when there is one. */
  spec?: string;
}

/** What {@link reportMarkdown} needs. */
export interface ReportInput {
  config: ReportConfig;
  /** Every record of the folder (any order). */
  records: readonly PointRecord[];
  /** The folder's figures (its *.svg files), linked from the report. */
  figures: readonly ReportFigure[];
  /** Other files to list (summary.csv, results.jsonl...), links relative to the report, with what they hold. */
  files?: readonly { path: string; what: string }[];
  /** The output folder as the user would pass it to `--out` (for the reproduce command). */
  dir: string;
  /** Whether results.jsonl ended in a partial line (a run killed while writing), which the report ignores. */
  truncated?: boolean;
  /** Title of the report (default from the experiment). */
  title?: string;
}

/** Per activation: how far Theorem 4.1's bound sits below the measured lambda_min(K). */
export interface BoundGap {
  activation: string;
  /** Points with a (non-vacuous) bound. */
  points: number;
  /** Smallest and largest lambda_min(K) / (c0 lambda_1) over those points where lambda_min(K) > 0 (NaN when none). */
  ratioMin: number;
  ratioMax: number;
  /** Points with a bound where lambda_min(K) <= 0: the bound fails and the ratio has no order of magnitude. */
  nonPositive: number;
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
    const ratios = withBound.map((r) => r.bound!.ratio).filter((x) => x > 0);
    return {
      activation,
      points: withBound.length,
      ratioMin: ratios.length ? Math.min(...ratios) : NaN,
      ratioMax: ratios.length ? Math.max(...ratios) : NaN,
      nonPositive: withBound.length - ratios.length,
      holds: withBound.filter((r) => r.lambda_min >= r.bound!.c0_lambda1).length,
      holdsQuarter: withBound.filter((r) => r.lambda_min >= r.bound!.c0_lambda1_over_4).length,
      vacuous: rs.filter((r) => r.bound?.vacuous).length,
      missing: rs.filter((r) => !r.bound).length,
      rBest: [...new Set(withBound.map((r) => r.bound!.r_best))].sort((a, b) => a - b),
    };
  });
}

/**
 * Where Theorem 4.1's bound sits, in words: `sits 3.1 to 7.5 orders of magnitude below it (holds
 * at 258 of 259); at 1 point λmin(K) ≤ 0, where it fails and has no order of magnitude`.
 */
export function boundGapText(g: BoundGap): string {
  const pos = g.points - g.nonPositive;
  const bad = g.nonPositive ? `at ${g.nonPositive} point${g.nonPositive === 1 ? '' : 's'} λmin(K) ≤ 0, where it fails and has no order of magnitude` : '';
  if (!pos) return `fails at all ${g.points} points: ${bad}`;
  return `sits ${span(Math.log10(g.ratioMin).toFixed(1), Math.log10(g.ratioMax).toFixed(1))} orders of magnitude below it${g.nonPositive ? ' where λmin(K) > 0' : ''} (holds at ${g.holds} of ${g.points})${bad ? `; ${bad}` : ''}`;
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

/**
 * The `ntk` command that recomputes the sweep of `spec` into `dir`: `--preset` when the spec is
 * one, otherwise only the options that differ from the defaults.
 */
export function reproduceCommand(spec: SweepSpec, dir: string, shard: string | null = null): string {
  const args: string[] = [];
  const isFigure1 = spec.experiment === 'figure1', isThreshold = spec.vary === 'ratio';
  const presets: Record<string, SweepSpec> = isFigure1 ? figure1Presets : isThreshold ? thresholdPresets : {};
  const preset = Object.keys(presets).find((k) => sameSpec(presets[k]!, spec));
  if (isThreshold) {
    args.push('ntk threshold');
    if (preset) args.push(`--preset ${preset}`);
    else {
      args.push(`--ns ${(spec.ns ?? []).join(',')}`, `--ratios ${formatValues(spec.values)}`);
      if (spec.dPerN) args.push(`--d-per-n ${spec.dPerN}`);
      const t = spec.threshold;
      if (t) args.push(`--taus ${t.taus.join(',')}`, `--quantile ${t.quantile}`, `--bootstrap ${t.bootstrap}`);
    }
  } else if (isFigure1) {
    args.push('ntk figure1');
    if (preset) args.push(`--preset ${preset}`);
    else args.push(`--widths ${formatValues(spec.values)}`);
  } else {
    args.push('ntk sweep', `--vary ${spec.vary}`, `--values ${formatValues(spec.values)}`);
    if (spec.vary !== 'nm' && spec.vary !== 'n') args.push(`--n ${spec.n}`);
    if (spec.vary !== 'nm' && spec.vary !== 'width') args.push(`--width ${spec.width}`);
  }
  if (!preset) {
    if (spec.activations.join(',') !== 'tanh,sigmoid') args.push(`--activations ${spec.activations.join(',')}`);
    const seeds = formatSeeds(spec.seeds);
    if (seeds !== '3') args.push(`--seeds ${seeds}`);
    if (spec.dataSeed !== 0) args.push(`--data-seed ${spec.dataSeed}`);
    if (spec.nu0sq !== null) args.push(`--nu0sq ${spec.nu0sq}`);
    else if (spec.sigma0 !== null && spec.sigma0 !== 1) args.push(`--sigma0 ${spec.sigma0}`);
    if (spec.sv2 !== 1) args.push(`--sv2 ${spec.sv2}`);
    if (spec.vLaw === 'unit') args.push('--unit-v');
    if (spec.normalize) args.push('--normalize');
    if (spec.vary !== 'depth' && spec.depth !== 2) args.push(`--depth ${spec.depth}`);
    if (spec.data) args.push(`--data ${spec.data.file}`);
    else if (spec.d !== 100 && !spec.dPerN) args.push(`--d ${spec.d}`);
    if (spec.rmax !== 30) args.push(`--rmax ${spec.rmax}`);
  }
  if (shard) args.push(`--shard ${shard}`);
  args.push(`--out ${dir}`);
  return args.join(' ');
}

/**
 * The report as Markdown (see the module comment). Numbers are read from the records; nothing
 * is recomputed. An empty record list gives a report that says so.
 */
export function reportMarkdown(input: ReportInput): string {
  const { config, figures } = input;
  const spec = config.spec;
  const records = orderRecords(spec, input.records);
  const rows = summarize(records);
  const label = varyLabel(spec.vary);
  const out: string[] = [];
  const title = input.title ?? (spec.experiment === 'figure1'
    ? 'Figure 1 (Section 6): λmin of the NTK against width, n = m'
    : spec.vary === 'ratio' ? 'Width threshold: how wide for λmin(K) to reach λmin(Θ), as n grows'
      : `Sweep over ${label}: λmin of the NTK`);
  out.push(`# ${title}`, '');
  out.push('Written by `ntk report` from the output folder of `ntk ' + config.command + '`; every number below is read from its',
    '`results.jsonl` (one line per network and weight seed). The paper is Banerjee, Cisneros-Velarde, Zhu, Belkin,',
    '*Neural Tangent Kernel at Initialization: Linear Width Suffices*; ntk-wasm follows one reading of its formulas',
    '(docs/conventions.md, summarized in the README).', '');

  // The findings in a few lines, before the detail.
  const flat = flatness(records, rows);
  const gaps = boundGaps(records);
  // A threshold run has several n at each m/n: its sentences go per n (threshold-report.ts).
  const curves = spec.vary === 'ratio' ? thresholdAnalysis(records, { taus: [], quantile: spec.threshold?.quantile ?? 0.9, bootstrap: 0 }).curves : [];
  if (records.length) {
    out.push('## Summary', '');
    for (const f of flat) {
      const g = gaps.find((x) => x.activation === f.activation)!;
      const broken = activationNames.includes(f.activation as ActivationName) ? assumptionsBroken(f.activation as ActivationName) : [];
      const level = spec.vary === 'ratio' && curves.some((c) => c.activation === f.activation) ? `; ${ratioSummary(curves, f.activation)}`
        : `, mean between ${num(f.min, 4, f.min)} and ${num(f.max, 4, f.min)} across ${label}` + (f.toInfinite !== null ? `, ${num(f.toInfinite, 2)} × λmin(Θ) on average` : '');
      out.push(`- **${f.activation}**: λmin(K) > 0 at ${f.positive} of ${f.points} points${level}` +
        (g.points ? `; Theorem 4.1's bound c0·λ1 ${boundGapText(g)}` : '; no non-vacuous bound') +
        (broken.length ? `; breaks ${broken.map((b) => b.replace(/ \(.*\)$/, '')).join(', ')}` : '') + '.');
    }
    out.push('');
  }

  out.push(...thresholdSection(spec, records));

  // Setup
  const expected = shardPoints(enumeratePoints(spec), config.shard ? parseShard(config.shard) : null);
  const have = new Set(records.map((r) => r.key));
  const missing = expected.filter((p) => !have.has(p.key)).length;
  out.push('## Setup', '');
  out.push('| | |', '| --- | --- |');
  const setup: [string, string][] = [
    ['network', `${spec.vary === 'depth' ? `L = ${list(spec.values)}` : `L = ${spec.depth}`} hidden layers of equal width m, no biases, f = v·α_L/√m (eq. 1)`],
    ['varied', `${label}: ${list(spec.vary === 'ratio' ? spec.values.map((v) => Number(formatRatio(v))) : spec.values)}${spec.vary === 'nm' ? '; n = m at every point' : ''}`],
    ['samples n', spec.vary === 'ratio' ? list(spec.ns ?? []) : spec.vary === 'nm' || spec.vary === 'n' ? 'varied' : String(spec.n)],
    ['width m', spec.vary === 'ratio' ? 'm = round(ratio · n)' : spec.vary === 'nm' || spec.vary === 'width' ? 'varied' : String(spec.width)],
    ['data', spec.data
      ? `X: the first n rows of ${spec.data.file} (${spec.data.rows} × ${spec.data.cols}, hash ${spec.data.hash}), d = ${spec.data.cols}${spec.normalize ? ', rescaled to ‖x‖² = d (Assumption 2)' : ', as in the file'}, the same X for every weight seed`
      : `X: n × d with d = ${spec.dPerN ? `round(${spec.dPerN}·n)` : spec.d}, rows x ~ N(0, I_d)${spec.normalize ? ', rescaled to ‖x‖² = d (Assumption 2)' : ', raw (not rescaled; Section 6)'}, data seed ${spec.dataSeed}, the same X for every weight seed`],
    ['activations', spec.activations.map((a) => `${a}: ${formulaOf(a)}`).join('; ')],
    ['initialization', spec.vary === 'sigma0' ? 'W_l ~ N(0, ν0²) with ν0² = σ0²/c_{φ,σ0}, σ0 varied' : spec.nu0sq !== null
      ? `W_l ~ N(0, ν0²) with ν0² = ${spec.nu0sq} given`
      : `W_l ~ N(0, ν0²) with ν0² = σ0²/c_{φ,σ0}, σ0 = ${spec.sigma0} (${nu0Text(records)})`],
    ['output weights', spec.vLaw === 'unit' ? 'v a random unit vector' : `v ~ N(0, ${spec.sv2})`],
    ['weight seeds', spec.vary === 'ratio'
      ? `${list(spec.seeds)}: ${spec.seeds.length} per point (the thresholds use their ${Math.round((spec.threshold?.quantile ?? 0.9) * 100)}% quantile, the tables their mean)`
      : `${list(spec.seeds)} (${spec.seeds.length} per point, averaged)`],
    ['Theorem 4.1', `c0 = max over r = 2..${spec.rmax} of c0^(L-1,r) (Theorem 4.2), bound c0·λ1`],
    ['points', `${records.length} of ${expected.length}${config.shard ? ` (shard ${config.shard})` : ''}${missing ? `: **${missing} missing** (an unfinished run: continue it with \`--resume\`)` : ', complete'}`],
    ['backend', [...new Set(records.map((r) => r.backend))].join('; ') || '-'],
    ['compute time', timeText(records)],
  ];
  if (input.truncated) setup.push(['note', 'results.jsonl ends in a partial line (a run killed while writing); it is ignored']);
  for (const [k, v] of setup) out.push(`| ${k} | ${v} |`);
  out.push('', 'Reproduce (a fresh folder, or add `--resume` to continue this one):', '', '```sh',
    reproduceCommand(spec, input.dir, config.shard), `ntk report ${input.dir}`, '```', '');

  // Figures
  out.push('## Figures', '');
  if (!figures.length) out.push('No figure in the folder (it is drawn when a run or `ntk merge` finishes).', '');
  for (const f of figures) {
    out.push(`![${title}](${f.path})`, '');
    out.push(figureCaption(spec, f.path) + (f.spec ? ` Vega-Lite spec with the data: [${baseName(f.spec)}](${f.spec}).` : ''), '');
  }
  if (input.files?.length) {
    out.push('Data files:', '');
    for (const f of input.files) out.push(`- [${baseName(f.path)}](${f.path}): ${f.what}`);
    out.push('');
  }

  // lambda_min against the varied quantity
  out.push(`## λmin(K) against ${label}`, '');
  if (!records.length) out.push('No finished points yet.', '');
  for (const act of spec.activations) {
    const ar = rows.filter((r) => r.activation === act);
    if (!ar.length) continue;
    const fl = flat.find((f) => f.activation === act)!;
    out.push(`### ${act}`, '');
    if (spec.vary === 'ratio' && curves.some((c) => c.activation === act)) {
      out.push(`λmin(K) is positive (above its error bound) at ${fl.positive} of ${fl.points} points. ${ratioParagraph(curves, act)}`, '');
    } else out.push(`λmin(K) is positive (above its error bound) at ${fl.positive} of ${fl.points} points; its mean over seeds goes from ${num(fl.first, 4, fl.min)} at ${label} = ${ar[0]!.x} to ${num(fl.last, 4, fl.min)} at ${ar[ar.length - 1]!.x} (range ${num(fl.min, 4, fl.min)} to ${num(fl.max, 4, fl.min)}, a factor ${num(fl.max / fl.min, 3)})` +
      (fl.toInfinite !== null ? `, on average ${num(fl.toInfinite, 3)} times the infinite-width value λmin(Θ) of the same data.` : '.'), '');
    out.push(`| ${label} | seeds | λmin(K) mean | std | λmin(Θ) | λ1 | c0·λ1 | λmin(K) / (c0·λ1) |`, '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of ar) {
      out.push(`| ${spec.vary === 'ratio' ? `n = ${r.n}, ${formatRatio(r.x)}` : r.x} | ${r.seeds} | ${num(r.lambda_min_mean)} | ${num(r.lambda_min_std, 2)} | ${num(r.inf_lambda_min)} | ${num(r.lambda_1)} | ${r.bound_mean === null ? '–' : num(r.bound_mean, 3) + (r.vacuous ? ' (vacuous)' : '')} | ${r.ratio_mean === null ? '–' : sci(r.ratio_mean)} |`);
    }
    out.push('');
  }

  // Theorem 4.1's bound
  out.push('## How far Theorem 4.1\'s bound sits below λmin(K)', '');
  out.push('Theorem 4.1: λmin(K) ≥ c0·λ1 with c0 = max over r > 1 of c0^(L-1,r) (Theorem 4.2) and λ1 the smallest eigenvalue of',
    'E[φ(Xg/√d) φ(Xg/√d)ᵀ], g ~ N(0, ν0² I). The ratio λmin(K) / (c0·λ1) is how many times larger the measured value is',
    'than the bound; the proof also drops Lemma 4.1\'s factor 1/4, so c0·λ1/4 is the bound with it kept.', '');
  out.push('| activation | points | λmin(K) / (c0·λ1) | orders of magnitude | bound holds | with the 1/4 | r attaining c0 | vacuous |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const g of gaps) {
    const pos = g.points - g.nonPositive;
    const orders = pos ? span(Math.log10(g.ratioMin).toFixed(1), Math.log10(g.ratioMax).toFixed(1)) + (g.nonPositive ? ` (where λmin(K) > 0; undefined at ${g.nonPositive} point${g.nonPositive === 1 ? '' : 's'} with λmin(K) ≤ 0)` : '') : g.nonPositive ? 'undefined (λmin(K) ≤ 0)' : '–';
    out.push(`| ${g.activation} | ${g.points} | ${pos ? span(sci(g.ratioMin), sci(g.ratioMax)) : '–'}${g.nonPositive ? ` (and ≤ 0 at ${g.nonPositive})` : ''} | ${orders} | ${g.holds} of ${g.points} | ${g.holdsQuarter} of ${g.points} | ${g.rBest.join(', ') || '–'} | ${g.vacuous}${g.missing ? ` (${g.missing} without a bound: no σ0 reaches the ν0² given, or a sample's activations all vanish at layer L-1, where Theorem 4.2's coefficients are undefined)` : ''} |`);
  }
  out.push('');
  if (records.some((r) => r.bound?.vacuous)) {
    out.push('Vacuous points have σ0² > 2: the factor (σ0²/2)^{3rl} grows with r, the max over r runs to rmax and the number is no bound; they are left out of the ratios.', '');
  }

  // Assumptions
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
  const unconverged = (f: 'lambda_min_converged' | 'lambda_max_converged') => records.filter((r) => r[f] === false).length;
  for (const [f, what] of [['lambda_min_converged', 'λ_min'], ['lambda_max_converged', 'λ_max']] as const) {
    const u = unconverged(f);
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
  return out.join('\n');
}

function byActivation(records: readonly PointRecord[]): [string, PointRecord[]][] {
  const m = new Map<string, PointRecord[]>();
  for (const r of records) {
    let g = m.get(r.activation);
    if (!g) m.set(r.activation, (g = []));
    g.push(r);
  }
  return [...m.entries()];
}

/** Records in grid order (points outside the grid last), so tables follow the sweep's order. */
function orderRecords(spec: SweepSpec, records: readonly PointRecord[]): PointRecord[] {
  const order = new Map(enumeratePoints(spec).map((p, i) => [p.key, i]));
  return [...records].sort((a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity));
}

function sameSpec(a: SweepSpec, b: SweepSpec): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof SweepSpec>;
  return [...keys].every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** `a:b:step` when the values are such a range (and parse back to the same list), else a list. */
function formatValues(v: readonly number[]): string {
  if (v.length >= 3) {
    const step = Number((v[1]! - v[0]!).toPrecision(12));
    const text = `${v[0]}:${v[v.length - 1]}:${step}`;
    if (step > 0) {
      try {
        if (JSON.stringify(parseValues('values', text)) === JSON.stringify(v)) return text;
      } catch { /* not a range */ }
    }
  }
  return v.join(',');
}

/** `--seeds` text that parses back to `seeds`: a count for 0..k-1, otherwise a list (a range for one seed). */
function formatSeeds(seeds: readonly number[]): string {
  if (seeds.every((s, i) => s === i)) return String(seeds.length);
  if (seeds.length === 1) return `${seeds[0]}:${seeds[0]}:1`;
  return seeds.join(',');
}

function list(v: readonly number[]): string {
  if (v.length <= 8) return v.join(', ');
  const f = formatValues(v);
  return f.includes(':') ? `${v[0]} to ${v[v.length - 1]} step ${Number((v[1]! - v[0]!).toPrecision(12))} (${v.length} values)` : `${v.slice(0, 3).join(', ')}, ..., ${v[v.length - 1]} (${v.length} values)`;
}

function formulaOf(a: ActivationName): string {
  return activationNames.includes(a) ? getActivation(a).formula : a;
}

function nu0Text(records: readonly PointRecord[]): string {
  const seen = new Map<string, PointRecord>();
  for (const r of records) if (!seen.has(r.activation)) seen.set(r.activation, r);
  if (!seen.size) return 'c and ν0² per activation';
  return [...seen.values()].map((r) => `${r.activation}: c = ${num(r.c)}, ν0² = ${num(r.nu0sq)}`).join('; ');
}

function timeText(records: readonly PointRecord[]): string {
  if (!records.length) return '-';
  const total = records.reduce((a, r) => a + (r.timings?.total ?? 0), 0);
  const stages = ['ntk', 'lambda_min', 'lambda_max', 'lambda_1', 'infinite', 'theorem'] as const;
  const parts = stages.map((s) => [s, records.reduce((a, r) => a + (r.timings?.[s] ?? 0), 0)] as const)
    .filter(([, t]) => t > 0).map(([s, t]) => `${s} ${duration(t)}`);
  const slowest = records.reduce((a, r) => (r.timings.total > a.timings.total ? r : a));
  return `${duration(total)} summed over points (${parts.join(', ')}); the slowest point (n = ${slowest.n}, m = ${slowest.m}) took ${duration(slowest.timings.total)}`;
}

function duration(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * A number in `digits` significant digits (exponent form outside [1e-3, 1e5)); '–' for null or
 * NaN. `like`: format as that number would be, so the ends of a range print alike.
 */
function num(x: number | null | undefined, digits = 4, like?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(like !== undefined && Number.isFinite(like) ? like : x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

/** `a to b`, or `a` when both print the same. */
function span(a: string, b: string): string {
  return a === b ? a : `${a} to ${b}`;
}

function sci(x: number): string {
  return Number.isFinite(x) ? x.toExponential(1) : '–';
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
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

