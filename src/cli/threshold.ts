/**
 * `ntk threshold`: the paper's title as an experiment. For each activation and each n, lambda_min
 * of the empirical NTK over widths m = ratio n (a geometric grid) and several weight seeds, next to
 * lambda_min(Theta) of the infinite-width NTK on the same data; from them the width threshold
 * m*(n; tau) and the exponent b of m* ~ n^b with a bootstrap interval (src/experiments/threshold.ts).
 * Runs on the sweep machinery (results.jsonl point by point, --resume, --shard, `ntk merge`,
 * `ntk report`).
 * @module
 */
import type { Command } from 'commander';
import { NtkInputError } from '../errors.js';
import { parseValues, type SweepSpec } from '../experiments/grid.js';
import { DEFAULT_THRESHOLD_PRESET, geometricValues, thresholdPreset } from '../experiments/presets.js';
import { DEFAULT_THRESHOLD } from '../experiments/threshold.js';
import { action, parseNumber, parsePositiveInt } from './common.js';
import { applySetup, resolveSpec, runAndReport, runOptions, setupOptions, type RunOptions, type SetupOptions } from './sweep.js';

/** Options of `ntk threshold` beyond the shared setup and run options. */
export interface ThresholdCliOptions extends SetupOptions, RunOptions {
  preset?: string;
  ns?: number[];
  ratios?: number[];
  dPerN?: number;
  taus?: number[];
  quantile?: number;
  bootstrap?: number;
}

/**
 * Parses `--ratios`: a geometric grid `start:stop:xFACTOR` (e.g. `0.5:8:x1.4142`), an arithmetic
 * range `start:stop:step`, or a list.
 * @throws NtkInputError naming `--ratios`.
 */
export function parseRatios(text: string): number[] {
  const g = /^\s*([^:]+):([^:]+):\s*x\s*([^:]+)$/.exec(text);
  if (g) {
    const [lo, hi, k] = [g[1]!, g[2]!, g[3]!].map((t) => {
      const x = Number(t);
      if (t.trim() === '' || !Number.isFinite(x)) throw new NtkInputError('--ratios', `has ${JSON.stringify(t)}, not a number`, 'pass e.g. 0.5:8:x1.4142 (a geometric grid)');
      return x;
    }) as [number, number, number];
    return geometricValues('--ratios', lo, hi, k);
  }
  return parseValues('--ratios', text);
}

function parseList(name: string, check: (x: number) => boolean, hint: string): (v: string) => number[] {
  return (v: string) => {
    const xs = parseValues(name, v);
    for (const x of xs) if (!check(x)) throw new NtkInputError(name, `has ${x}`, hint);
    return xs;
  };
}

/**
 * The spec `ntk threshold` runs for its options: the saved run's spec (`--resume` without
 * `--preset`) or the preset's, with the options applied.
 * @throws NtkInputError for an unknown preset or a bad option.
 */
export function thresholdSpecFrom(o: ThresholdCliOptions, saved: SweepSpec | null): SweepSpec {
  const base = saved && o.preset === undefined ? saved : thresholdPreset(o.preset ?? DEFAULT_THRESHOLD_PRESET);
  if (o.ns !== undefined) base.ns = o.ns;
  if (o.ratios !== undefined) base.values = o.ratios;
  if (o.dPerN !== undefined) base.dPerN = o.dPerN;
  const t = { ...(base.threshold ?? DEFAULT_THRESHOLD) };
  if (o.taus !== undefined) t.taus = o.taus;
  if (o.quantile !== undefined) t.quantile = o.quantile;
  if (o.bootstrap !== undefined) t.bootstrap = o.bootstrap;
  base.threshold = t;
  return applySetup(base, o);
}

/** Registers `ntk threshold`. */
export function registerThreshold(program: Command): void {
  const cmd = program.command('threshold')
    .description('the width m* at which lambda_min(K) reaches tau * lambda_min(Theta), for a grid of n, and its exponent b in m* ~ n^b')
    .option('--preset <name>', 'quick (n = 25..200, m/n = 0.25..16, 5 seeds, tanh and relu: about 2 minutes on 2 cores) or full (n = 50..400, m/n = 0.25..16, 10 seeds; about 20 min on 2 cores) (default quick)')
    .option('--ns <list>', 'numbers of samples n: a list (25,50,100) or start:stop:step', parseList('--ns', (x) => Number.isInteger(x) && x >= 1, 'pass positive integers, e.g. 25,50,100,200'))
    .option('--ratios <grid>', 'width ratios m/n: start:stop:xFACTOR (geometric, e.g. 0.5:8:x1.4142), start:stop:step or a list', parseRatios)
    .option('--d-per-n <k>', 'input dimension proportional to n: d = round(k n) (default: d fixed, --d)', parseNumber('--d-per-n', (x) => (x > 0 ? null : `must be > 0, got ${x}`)))
    .option('--taus <list>', 'fractions tau of lambda_min(Theta) to reach (default 0.5,0.75,0.9)', parseList('--taus', (x) => x > 0 && x <= 1, 'pass fractions in (0, 1], e.g. 0.5,0.75,0.9'))
    .option('--quantile <q>', 'fraction of weight seeds that must reach tau (default 0.9)', parseNumber('--quantile', (x) => (x > 0 && x <= 1 ? null : `must lie in (0, 1], got ${x}`)))
    .option('--bootstrap <B>', 'bootstrap replicates over seeds for the exponent\'s interval (default 1000)', parsePositiveInt('--bootstrap'));
  setupOptions(cmd, false);
  runOptions(cmd);
  cmd.addHelpText('after', `
Options left out keep the preset's values (both presets: --activations tanh,relu, L = 2, d = 100,
sigma0 = 1; quick: 5 seeds, full: 10), not the figure1 defaults listed above.

m*(n; tau) is the smallest width at which lambda_min(K) >= tau * lambda_min(Theta) for (by default)
90% of the seeds, interpolated in log m; b is fitted to log m* against log n over the n whose
threshold lies inside the grid, with a 95% bootstrap interval over seeds. b = 1: linear width
suffices (the paper's claim); b = 2: the older n^2 analyses.

Outputs in --out (default out/threshold-<preset>): results.jsonl (one line per point, written as it
finishes), summary.csv, results.csv, ratios.csv, thresholds.csv, exponents.csv,
threshold-ratio.svg (lambda_min(K)/lambda_min(Theta) against m/n, one curve per n),
threshold-mstar.svg (m* against n, log-log, with the fit and slopes 1 and 2), their .vl.json specs.

Examples:
  ntk threshold --preset quick && ntk report out/threshold-quick
  ntk threshold --ns 50,100,200,400 --ratios 0.5:16:x2 --activations tanh,relu,erf --d-per-n 0.5
  ntk threshold --preset full --shard 3/8 --out out/th-3        # one of 8 jobs; then ntk merge`);
  cmd.action(action(async (o: ThresholdCliOptions) => {
    const dir = o.out ?? `out/threshold-${o.preset ?? DEFAULT_THRESHOLD_PRESET}`;
    const { spec, shard } = resolveSpec(dir, o, 'threshold', (saved) => thresholdSpecFrom(o, saved));
    await runAndReport(spec, shard, dir, o, 'threshold', 'threshold');
  }));
}
