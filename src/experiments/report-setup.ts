/**
 * The report's `## Setup` (report.ts): the network, data, initialization and seeds as a table,
 * how complete the folder is, what the run cost, and the command that reproduces it
 * (reproduce.ts). Browser-safe: spec and records in, Markdown lines out.
 * @module
 */
import { activationNames, getActivation, type ActivationName } from '../activations.js';
import { varyLabel, type SweepPoint, type SweepSpec } from './grid.js';
import type { PointRecord } from './records.js';
import { duration, list, num } from './report-format.js';
import { formatRatio } from './threshold-report.js';
import { reproduceCommand, shellQuote } from './reproduce.js';

/** What the setup section shows besides the spec. */
export interface SetupInput {
  spec: SweepSpec;
  /** `i/N` for one shard of a sweep, null for a whole one. */
  shard: string | null;
  /** The folder's records, in grid order. */
  records: readonly PointRecord[];
  /** The grid's points (of the shard, when it is one). */
  expected: readonly SweepPoint[];
  /** The output folder as the user would pass it to `--out`. */
  dir: string;
  /** Whether results.jsonl ended in a partial line. */
  truncated?: boolean;
}

/** The setup table and the reproduce command. */
export function setupSection(input: SetupInput): string[] {
  const { spec, records, expected, shard } = input;
  const label = varyLabel(spec.vary);
  const have = new Set(records.map((r) => r.key));
  const missing = expected.filter((p) => !have.has(p.key)).length;
  const out: string[] = ['## Setup', '', '| | |', '| --- | --- |'];
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
    ['points', `${records.length} of ${expected.length}${shard ? ` (shard ${shard})` : ''}${missing ? `: **${missing} missing** (an unfinished run: continue it with \`--resume\`)` : ', complete'}`],
    ['backend', [...new Set(records.map((r) => r.backend))].join('; ') || '-'],
    ['compute time', timeText(records)],
  ];
  if (input.truncated) setup.push(['note', 'results.jsonl ends in a partial line (a run killed while writing); it is ignored']);
  for (const [k, v] of setup) out.push(`| ${k} | ${v} |`);
  out.push('', 'Reproduce (a fresh folder, or add `--resume` to continue this one):', '', '```sh',
    reproduceCommand(spec, input.dir, shard), `ntk report ${shellQuote(input.dir)}`, '```', '');
  return out;
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
