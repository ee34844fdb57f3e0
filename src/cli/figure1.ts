/**
 * `ntk figure1`: the paper's Section 6 experiment (Figure 1): lambda_min of the empirical NTK
 * for n = m, 2 hidden layers, d = 100, tanh and sigmoid, 3 weight seeds on the same data, next
 * to its infinite-width value and Theorem 4.1's bound.
 * @module
 */
import type { Command } from 'commander';
import { parseValues, type SweepSpec } from '../experiments/grid.js';
import { DEFAULT_FIGURE1_PRESET, figure1Preset } from '../experiments/presets.js';
import { action } from './common.js';
import { applySetup, resolveSpec, runAndReport, runOptions, setupOptions, type RunOptions, type SetupOptions } from './sweep.js';

/** The options of `ntk figure1` beyond the shared setup and run options. */
export interface Figure1CliOptions extends SetupOptions, RunOptions {
  preset?: string;
  widths?: string;
}

/**
 * The spec `ntk figure1` runs for its options: the saved run's spec (`--resume` without
 * `--preset`) or the preset's, with the options applied.
 * @throws NtkInputError for an unknown preset or a bad option.
 */
export function figure1SpecFrom(o: Figure1CliOptions, saved: SweepSpec | null): SweepSpec {
  const base = saved && o.preset === undefined ? saved : figure1Preset(o.preset ?? DEFAULT_FIGURE1_PRESET);
  if (o.widths !== undefined) base.values = parseValues('--widths', o.widths);
  return applySetup(base, o);
}

/** Registers `ntk figure1`. */
export function registerFigure1(program: Command): void {
  const cmd = program.command('figure1')
    .description('the paper\'s Figure 1: lambda_min(K) against width with n = m, next to its infinite-width value and Theorem 4.1\'s bound')
    .option('--preset <name>', 'quick (n = m = 100..1000; 14 s on a 2-core machine) or paper (n = m = 200..4000 step 100; about 20 minutes there) (default quick)')
    .option('--widths <range>', 'n = m values: start:stop:step or a list (overrides the preset)');
  setupOptions(cmd, false);
  runOptions(cmd);
  cmd.addHelpText('after', `
Outputs in --out (default out/figure1-<preset>): results.jsonl (one line per point, written as it
finishes), summary.csv (mean and std over seeds per width and activation), results.csv,
figure1.svg and figure1.vl.json (the Vega-Lite spec), config.json.

Examples:
  ntk figure1 --preset quick
  ntk figure1 --preset paper --out out/paper           # about 20 minutes on 2 cores
  ntk figure1 --resume --out out/paper                 # continue an interrupted run
  ntk figure1 --preset paper --shard 2/8 --out out/s2  # one of 8 cluster jobs; then ntk merge`);
  cmd.action(action(async (o: Figure1CliOptions) => {
    const dir = o.out ?? `out/figure1-${o.preset ?? DEFAULT_FIGURE1_PRESET}`;
    const { spec, shard } = resolveSpec(dir, o, 'figure1', (saved) => figure1SpecFrom(o, saved));
    await runAndReport(spec, shard, dir, o, 'figure1', 'figure1');
  }));
}
