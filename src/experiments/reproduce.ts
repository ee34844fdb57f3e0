/**
 * The `ntk` command that recomputes a sweep (the report's "Reproduce" block). It starts from
 * the spec the command itself starts from (a preset of presets.ts, or `ntk sweep`'s defaults
 * by what varies) and passes only the options whose values differ from it, so the command stays
 * right when a default changes. Browser-safe.
 * @module
 */
import type { SweepSpec } from './grid.js';
import {
  DEFAULT_FIGURE1_PRESET, DEFAULT_THRESHOLD_PRESET, figure1Presets, sweepBase, thresholdPresets,
  type SweepVary,
} from './presets.js';
import { DEFAULT_THRESHOLD } from './threshold.js';
import { formatValues } from './report-format.js';

/**
 * The `ntk` command that recomputes the sweep of `spec` into `dir` (a fresh folder): `--preset`
 * when the spec is one, otherwise the options that differ from the preset or defaults the
 * command starts from.
 * @param shard `i/N` of a sharded run, passed as `--shard`.
 */
export function reproduceCommand(spec: SweepSpec, dir: string, shard: string | null = null): string {
  const args = [`ntk ${commandOf(spec)}`, ...reproduceArgs(spec)];
  if (shard) args.push(`--shard ${shard}`);
  args.push(`--out ${shellQuote(dir)}`);
  return args.join(' ');
}

/** The `ntk` subcommand that makes `spec`. */
function commandOf(spec: SweepSpec): 'figure1' | 'threshold' | 'sweep' {
  return spec.experiment === 'figure1' ? 'figure1' : spec.vary === 'ratio' ? 'threshold' : 'sweep';
}

/** The options (each `--name value`, or a flag) that make `spec`, without `--out` and `--shard`. */
export function reproduceArgs(spec: SweepSpec): string[] {
  const command = commandOf(spec);
  if (command === 'sweep') {
    const vary = spec.vary as SweepVary;
    return [`--vary ${vary}`, ...optionsFrom(spec, sweepBase(vary), command)];
  }
  // The preset that needs the fewest options on top (the default one on a tie: it needs no --preset).
  const presets: Readonly<Record<string, SweepSpec>> = command === 'figure1' ? figure1Presets : thresholdPresets;
  const fallback = command === 'figure1' ? DEFAULT_FIGURE1_PRESET : DEFAULT_THRESHOLD_PRESET;
  let best: { name: string; options: string[] } | null = null;
  for (const name of [fallback, ...Object.keys(presets).filter((k) => k !== fallback)]) {
    const options = optionsFrom(spec, presets[name]!, command);
    if (best === null || options.length < best.options.length) best = { name, options };
  }
  return [...(best!.name === fallback ? [] : [`--preset ${best!.name}`]), ...best!.options];
}

/** The options that turn `base` (what `ntk <command>` starts from) into `spec`. */
function optionsFrom(spec: SweepSpec, base: SweepSpec, command: 'figure1' | 'threshold' | 'sweep'): string[] {
  const args: string[] = [];
  const differs = <K extends keyof SweepSpec>(k: K) => JSON.stringify(spec[k]) !== JSON.stringify(base[k]);
  if (command === 'figure1') {
    if (differs('values')) args.push(`--widths ${formatValues(spec.values)}`);
  } else if (command === 'threshold') {
    if (differs('ns')) args.push(`--ns ${(spec.ns ?? []).join(',')}`);
    if (differs('values')) args.push(`--ratios ${formatValues(spec.values)}`);
    if (spec.dPerN && spec.dPerN !== base.dPerN) args.push(`--d-per-n ${spec.dPerN}`);
    const t = spec.threshold ?? DEFAULT_THRESHOLD, b = base.threshold ?? DEFAULT_THRESHOLD;
    if (t.taus.join(',') !== b.taus.join(',')) args.push(`--taus ${t.taus.join(',')}`);
    if (t.quantile !== b.quantile) args.push(`--quantile ${t.quantile}`);
    if (t.bootstrap !== b.bootstrap) args.push(`--bootstrap ${t.bootstrap}`);
  } else {
    if (differs('values')) args.push(`--values ${formatValues(spec.values)}`);
    // Also when the varied quantity overrides them: config.json keeps what was given.
    if (differs('n')) args.push(`--n ${spec.n}`);
    if (differs('width')) args.push(`--width ${spec.width}`);
  }
  if (differs('activations')) args.push(`--activations ${spec.activations.join(',')}`);
  if (differs('seeds')) args.push(`--seeds ${formatSeeds(spec.seeds)}`);
  if (differs('dataSeed')) args.push(`--data-seed ${spec.dataSeed}`);
  if (spec.nu0sq !== null) args.push(`--nu0sq ${spec.nu0sq}`);
  else if (spec.vary !== 'sigma0' && spec.sigma0 !== null && differs('sigma0')) args.push(`--sigma0 ${spec.sigma0}`);
  if (differs('sv2')) args.push(`--sv2 ${spec.sv2}`);
  if (spec.vLaw === 'unit' && differs('vLaw')) args.push('--unit-v');
  if (spec.normalize && differs('normalize')) args.push('--normalize');
  if (differs('depth')) args.push(`--depth ${spec.depth}`);
  if (spec.data) args.push(`--data ${shellQuote(spec.data.file)}`);
  else if (differs('d')) args.push(`--d ${spec.d}`);
  if (differs('rmax')) args.push(`--rmax ${spec.rmax}`);
  return args;
}

/** `--seeds` text that parses back to `seeds`: a count for 0..k-1, otherwise a list (a range for one seed). */
function formatSeeds(seeds: readonly number[]): string {
  if (seeds.every((s, i) => s === i)) return String(seeds.length);
  if (seeds.length === 1) return `${seeds[0]}:${seeds[0]}:1`;
  return seeds.join(',');
}

/** A word as a POSIX shell reads it back: unchanged when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
