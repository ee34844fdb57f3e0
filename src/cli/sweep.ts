/**
 * `ntk sweep`: lambda_min of the empirical NTK (with the infinite-width value, lambda_1 and
 * Theorem 4.1's bound) against width, samples, depth or sigma0, into an output folder that can
 * be resumed, sharded and merged. Also the options and the run/report code `ntk figure1` shares.
 * @module
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { activationNames, type ActivationName } from '../activations.js';
import { NtkInputError } from '../errors.js';
import type { Backend } from '../backend/types.js';
import {
  enumeratePoints, parseShard, parseValues, validateSpec, varyLabel, varyNames, type Shard, type SweepSpec,
} from '../experiments/grid.js';
import { checkElements } from '../validate.js';
import { dataSource, parseDataFile } from '../io/data-file.js';
import { MAX_INPUT_BYTES, readInputFile } from '../node/input-file.js';
import type { Matrix } from '../matrix.js';
import { FILES, readConfig } from '../node/run-dir.js';
import { checkRunLock } from '../node/run-lock.js';
import { runSweepToDir } from '../node/run-sweep.js';
import { checkPointMemory } from '../experiments/point.js';
import { sweepBase, sweepDefaults, type SweepVary } from '../experiments/presets.js';
import { formatSummaryTable } from '../experiments/summary.js';
import { DEFAULT_THRESHOLD, formatExponents, thresholdAnalysis } from '../experiments/threshold.js';
import { action, backendFromOptions, backendOptions, checkBackendOptions, note, parseNumber, parsePositiveInt } from './common.js';
import { relaunchedFrom, relaunchWithHugePages, RELAUNCHED_FROM, shouldRelaunch, statusOfSignal, watchParent } from './hugepages.js';
import { catchInterrupts, resumeCommand } from './interrupt.js';

/** Options of the network setup shared by `figure1` and `sweep` (undefined when not given). */
export interface SetupOptions {
  activations?: ActivationName[];
  seeds?: number[];
  /** One weight seed by value (`--seed 4`). */
  seed?: number;
  dataSeed?: number;
  sigma0?: number;
  nu0sq?: number;
  sv2?: number;
  unitV?: boolean;
  normalize?: boolean;
  depth?: number;
  d?: number;
  n?: number;
  width?: number;
  rmax?: number;
  /** --data FILE: the user's data (.npy or .csv), already read. */
  data?: LoadedData;
}

/** A data file read by `--data`: its path and matrix. */
export interface LoadedData {
  /** The path as given. */
  file: string;
  /** The parsed n x d matrix. */
  X: Matrix;
}

/** Parses `--data FILE` (read now, so a bad file fails before anything runs). */
export function parseDataOption(file: string): LoadedData {
  // A regular file of a sane size: a device, FIFO or directory is refused at once, unopened.
  const bytes = readInputFile(file, '--data', MAX_INPUT_BYTES, 'give the path of an existing .npy or .csv file');
  return { file, X: parseDataFile(bytes, file) };
}

/** Options of a run into a folder, shared by `figure1` and `sweep`. */
export interface RunOptions {
  out?: string;
  resume?: boolean;
  /** Continue the run in --out if it holds one, else start it (restartable cluster jobs). */
  startOrResume?: boolean;
  force?: boolean;
  shard?: Shard;
  limit?: number;
  quiet?: boolean;
  backend?: string;
  threads?: number;
}

/** Parses `--activations tanh,sigmoid`. */
export function parseActivations(v: string): ActivationName[] {
  const names = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const a of names) {
    if (!activationNames.includes(a as ActivationName)) {
      throw new NtkInputError('--activations', `unknown activation ${JSON.stringify(a)}`, `use a comma-separated list of ${activationNames.join(', ')}`);
    }
  }
  if (names.length === 0) throw new NtkInputError('--activations', 'is empty', 'pass e.g. --activations tanh,sigmoid');
  return names as ActivationName[];
}

/** Most weight seeds in one sweep (as many as --values may list). */
export const MAX_SEEDS = 10000;

/**
 * Parses `--seeds`: a count (`3` means seeds 0, 1, 2) or an explicit list (`4,7`) or range
 * (`0:9:1`). One seed by value is `--seed 4` (or the list `--seeds 4,`).
 * @throws NtkInputError naming `--seeds` for a malformed value or more than {@link MAX_SEEDS}
 *   seeds (checked before any array is made).
 */
export function parseSeeds(v: string): number[] {
  const t = v.trim();
  const list = t.includes(',') || t.includes(':') ? parseValues('--seeds', t) : null;
  if (list) {
    for (const s of list) {
      if (!Number.isInteger(s) || s < 0) throw new NtkInputError('--seeds', `has ${s}, not a non-negative integer`, 'pass seeds like 0,1,2');
    }
    return list;
  }
  const k = Number(t);
  if (t === '' || !Number.isInteger(k) || k < 1) throw new NtkInputError('--seeds', `expects a count or a list, got ${JSON.stringify(v)}`, 'pass e.g. --seeds 3 (seeds 0, 1, 2), --seeds 4,7, or --seed 4 for seed 4 alone');
  if (k > MAX_SEEDS) throw new NtkInputError('--seeds', `asks for ${k} seeds, more than the ${MAX_SEEDS} a sweep may have`, `pass at most ${MAX_SEEDS}, or spread the seeds over shards`);
  return Array.from({ length: k }, (_, i) => i);
}

/** A commander parser for non-negative integers (seeds) that names the option in its error. */
export function parseNonNegInt(name: string): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isInteger(x) || x < 0) throw new NtkInputError(name, `expects a non-negative integer, got ${JSON.stringify(v)}`, `pass e.g. ${name} 0`);
    return x;
  };
}

const positive = (x: number) => (x > 0 ? null : `must be > 0, got ${x}`);

/** Adds the network-setup options (no defaults: a missing option keeps the preset's value). */
export function setupOptions(cmd: Command, sizes: boolean): Command {
  cmd
    .option('--activations <list>', `comma-separated, from ${activationNames.join(', ')} (default tanh,sigmoid)`, parseActivations)
    .option('--seeds <n|list>', 'weight seeds: a count (3 = seeds 0,1,2) or a list (4,7) or range (0:8:2); every seed sees the same data (default 3)', parseSeeds)
    .option('--seed <s>', 'one weight seed by value (--seed 4 runs seed 4 alone; instead of --seeds)', parseNonNegInt('--seed'))
    .option('--data-seed <s>', 'seed of the data X (default 0)', parseNonNegInt('--data-seed'))
    .option('--sigma0 <x>', 'initialization scale: nu0^2 = sigma0^2 / c_{phi,sigma0} (default 1)', parseNumber('--sigma0', positive))
    .option('--nu0sq <v>', 'the weights\' variance nu0^2 directly (instead of --sigma0)', parseNumber('--nu0sq', positive))
    .option('--sv2 <v>', 'variance of the output weights v (default 1)', parseNumber('--sv2', positive))
    .option('--unit-v', 'draw v as a random unit vector instead of N(0, sv2)')
    .option('--normalize', 'rescale data rows to ||x||^2 = d (Assumption 2; the paper\'s Section 6 does not)')
    .option('--depth <L>', 'hidden layers (default 2)', parsePositiveInt('--depth'))
    .option('--d <d>', 'input dimension (default 100)', parsePositiveInt('--d'))
    .option('--data <file>', 'your data instead of Gaussian draws: an n x d .npy or .csv file (optional header row); each point takes its first n rows and d is its number of columns', parseDataOption);
  if (sizes) {
    cmd
      .option('--n <n>', 'samples, when not varied', parsePositiveInt('--n'))
      .option('--width <m>', 'hidden width, when not varied', parsePositiveInt('--width'));
  }
  return cmd.option('--rmax <r>', 'largest Hermite order r in Theorem 4.1\'s max over r (default 30)', parsePositiveInt('--rmax'));
}

/** Adds the output-folder and run options (resume, shard, limit) and --backend/--threads. */
export function runOptions(cmd: Command): Command {
  return backendOptions(cmd
    .option('--out <dir>', 'output folder')
    .option('--resume', 'continue the run saved in --out (its config.json): skip the points already in its results.jsonl')
    .option('--start-or-resume', 'start the run, or continue it when --out already holds it (for job arrays that restart; pass the same setup each time)')
    .option('--force', 'delete earlier results in --out and start over')
    .option('--shard <i/N>', 'run every N-th group of points, the i-th (1-based), for a cluster job array; join with `ntk merge`', parseShard)
    .option('--limit <points>', 'stop after this many new points (continue later with --resume)', parsePositiveInt('--limit')));
}

/** `spec` with the given setup options applied. */
export function applySetup(spec: SweepSpec, o: SetupOptions): SweepSpec {
  const s = { ...spec };
  if (o.activations) s.activations = o.activations;
  if (o.seeds && o.seed !== undefined) throw new NtkInputError('--seed', 'and --seeds are both given', 'give one of them: --seed 4 runs seed 4 alone');
  if (o.seeds) s.seeds = o.seeds;
  if (o.seed !== undefined) s.seeds = [o.seed];
  if (o.dataSeed !== undefined) s.dataSeed = o.dataSeed;
  if (o.sigma0 !== undefined && o.nu0sq !== undefined) throw new NtkInputError('--sigma0', 'and --nu0sq are both given', 'give one of them');
  if (o.sigma0 !== undefined) { s.sigma0 = o.sigma0; s.nu0sq = null; }
  if (o.nu0sq !== undefined) { s.nu0sq = o.nu0sq; s.sigma0 = null; }
  if (s.vary === 'sigma0') {
    if (o.sigma0 !== undefined) throw new NtkInputError('--sigma0', 'is given while sigma0 is varied', 'leave it out; pass the values with --values');
    if (o.nu0sq !== undefined) throw new NtkInputError('--nu0sq', 'is given while sigma0 is varied', 'leave it out: each sigma0 sets nu0^2');
    s.sigma0 = null; s.nu0sq = null;
  }
  if (o.sv2 !== undefined) s.sv2 = o.sv2;
  if (o.unitV) s.vLaw = 'unit';
  if (o.normalize) s.normalize = true;
  if (o.depth !== undefined) s.depth = o.depth;
  if (o.d !== undefined) s.d = o.d;
  if (o.n !== undefined) s.n = o.n;
  if (o.width !== undefined) s.width = o.width;
  if (o.rmax !== undefined) s.rmax = o.rmax;
  if (o.data) {
    if (o.d !== undefined && o.d !== o.data.X.cols) throw new NtkInputError('--d', `is ${o.d} but ${o.data.file} has ${o.data.X.cols} columns`, 'leave --d out: the data file sets d');
    s.data = dataSource(o.data.file, o.data.X);
    s.d = o.data.X.cols;
    s.dPerN = null;
  }
  return s;
}

/**
 * Decides the spec of a run. With `--resume` and a saved run in the folder, the saved spec is
 * the base and the options given on the command line are applied over it (so
 * `--resume --seeds 5` differs from the saved run in the seeds only, and is refused by name when
 * the folder opens); otherwise `build(null)` makes it from the defaults.
 */
export function resolveSpec(dir: string, o: RunOptions, experiment: string, build: (saved: SweepSpec | null) => SweepSpec): { spec: SweepSpec; shard: Shard | null } {
  if (o.startOrResume) {
    if (o.resume || o.force) throw new NtkInputError('--start-or-resume', `is given with ${o.resume ? '--resume' : '--force'}`, 'give one of them');
    // Continue only a run that exists; then it is a resume in every respect.
    o.resume = readConfig(dir) !== null;
  }
  const saved = o.resume ? readConfig(dir) : null;
  if (o.resume && !saved) {
    throw new NtkInputError('--resume', `${join(dir, FILES.config)} does not exist: there is no run in ${dir} to continue`,
      `start one without --resume, e.g. ntk ${experiment}${experiment === 'sweep' ? ' --vary width' : ''} --out ${dir}`);
  }
  if (saved && saved.spec.experiment !== experiment) {
    throw new NtkInputError('--out', `${dir} holds a ${saved.spec.experiment} run, not ${experiment}`, 'choose another --out folder');
  }
  const spec = build(saved ? structuredClone(saved.spec) : null);
  const shard = o.shard ?? (saved?.shard ? parseShard(saved.shard) : null);
  return { spec, shard };
}

/** Sweeps with a point of n or m at least this large relaunch with huge pages (src/cli/hugepages.ts). */
const HUGE_PAGES_FROM = 1000;

/**
 * Runs a spec into a folder and prints the table and the files written. Large sweeps relaunch
 * themselves with huge pages first (./hugepages.ts). Ctrl-C (or SIGTERM/SIGHUP) stops after
 * the point in progress, writes the summary and figure of what is done, prints the exact
 * command that continues the run and exits with 130 (143, 129); a second Ctrl-C stops at once.
 */
export async function runAndReport(spec: SweepSpec, shard: Shard | null, dir: string, o: RunOptions, command: string, plotName: string): Promise<void> {
  // Limits first: a grid too large to enumerate, bad backend options, or a folder another run
  // is writing fail here, before a relaunch or a backend load, with one line.
  validateSpec(spec);
  await checkBackendOptions(o);
  checkRunLock(dir);
  // Points of n, m >= 1000 allocate n x n and n x m arrays by the hundred megabytes.
  if (shouldRelaunch(enumeratePoints(spec).some((p) => Math.max(p.n, p.m) >= HUGE_PAGES_FROM))) {
    process.exitCode = await relaunchWithHugePages();
    return;
  }
  const parent = relaunchedFrom();
  if (parent !== undefined) {
    watchParent(parent);
    note(o, `relaunched with huge pages as pid ${process.pid} by pid ${parent} (${RELAUNCHED_FROM}; NTK_HUGEPAGES=0 turns the relaunch off)`);
  }
  const again = resumeCommand(command, dir, o);
  const interrupts = catchInterrupts({
    relaunched: parent !== undefined,
    onFirst: (sig) => note(o, `${sig}: stopping after the point in progress (press Ctrl-C again to stop at once)`),
    onSecond: () => process.stderr.write(`ntk: stopped at once; the finished points are in ${join(dir, FILES.results)}. Continue with:\n  ${again}\n`),
  });
  try {
    const loaded = await backendFromOptions(o);
    try {
      checkSweepSizes(spec, loaded.backend);
      const res = await runSweepToDir(spec, {
        dir, command, plotName, backend: loaded, resume: o.resume ?? false, force: o.force ?? false, shard,
        ...(o.limit !== undefined ? { limit: o.limit } : {}), quiet: o.quiet ?? false, signal: interrupts.signal,
        ...(parent !== undefined ? { lockParent: parent } : {}),
      });
      if (spec.vary === 'ratio') {
        // The exponents are the result; the per-point table is in summary.csv.
        process.stdout.write(formatExponents(thresholdAnalysis(res.records, spec.threshold ?? DEFAULT_THRESHOLD).exponents));
      } else {
        process.stdout.write(formatSummaryTable(res.rows, varyLabel(spec.vary)));
      }
      const points = (k: number) => `${k} point${k === 1 ? '' : 's'}`;
      const where = shard ? ` (shard ${shard.index}/${shard.count})` : '';
      if (res.status === 'complete') {
        note(o, `done: ${points(res.computed)} computed${res.skipped ? `, ${res.skipped} already done` : ''} in ${res.seconds.toFixed(1)} s${where}`);
      } else {
        // Said even with --quiet: the run is not finished.
        const why = res.status === 'aborted' ? `interrupted (${interrupts.received ?? 'signal'})` : `stopped at --limit ${o.limit}`;
        process.stderr.write(`ntk: ${why} after ${points(res.computed)} in ${res.seconds.toFixed(1)} s${where}; ${res.remaining} left. Continue with:\n  ${again}\n`);
      }
      if (!o.quiet) for (const f of res.files) process.stderr.write(`ntk: wrote ${f}\n`);
      if (res.status === 'aborted' && interrupts.received) process.exitCode = statusOfSignal(interrupts.received);
    } finally {
      await loaded.backend.dispose();
    }
  } finally {
    interrupts.dispose();
  }
}

/**
 * Refuses, before the output folder is touched, a sweep with a point too large to hold: X
 * (n x d), a weight matrix (m x max(m, d)), or all of a point's buffers (K, the eigensolver's
 * copies, the infinite-width kernels: src/memory.ts) beside each other. Otherwise the first point would fail after the run had written its config.json.
 * @throws NtkMemoryError naming `n` or `width`.
 */
export function checkSweepSizes(spec: SweepSpec, backend: Backend): void {
  validateSpec(spec);
  for (const p of enumeratePoints(spec)) {
    const w = Math.max(p.m, p.d);
    checkElements('n', p.n * p.d, `X (${p.n} x ${p.d})`, 'use fewer samples n');
    checkElements('width', p.m * w, `a weight matrix (${p.m} x ${w})`, 'use smaller widths');
    checkPointMemory(p, backend);
  }
}

/** The options of `ntk sweep` beyond the shared setup and run options. */
export interface SweepCliOptions extends SetupOptions, RunOptions {
  vary?: string;
  values?: string;
}

/**
 * The spec `ntk sweep` runs for its options: the saved run's spec when it varies the same
 * quantity (`--resume`), else the defaults for `--vary` (presets.ts), with the options applied.
 * @throws NtkInputError for a bad option or a conflict between options.
 */
export function sweepSpecFrom(o: SweepCliOptions, saved: SweepSpec | null): SweepSpec {
  const vary = (o.vary ?? saved!.vary) as SweepVary;
  // A saved threshold run (vary ratio) was refused before: it is not a sweep.
  const base = saved && saved.vary === vary ? saved : sweepBase(vary);
  if (o.values !== undefined) base.values = parseValues('--values', o.values);
  return applySetup(base, o);
}

/** Registers `ntk sweep`. */
export function registerSweep(program: Command): void {
  const cmd = program.command('sweep')
    .description('lambda_min(K), its infinite-width value and Theorem 4.1\'s bound against width, n, depth or sigma0 (resumable, shardable)')
    .option('--vary <what>', `what to vary: ${varyNames.filter((v) => v !== 'ratio').join(' | ')} (nm: n = m together, as figure1); required unless --resume`)
    .option('--values <range>', 'the values: start:stop:step, a list a,b,c, or one number (defaults depend on --vary)');
  setupOptions(cmd, true);
  runOptions(cmd);
  cmd.addHelpText('after', `
Defaults by --vary (n and m when not varied):
  width   values ${sweepDefaults.width.values} at n = ${sweepDefaults.width.n}
  n       values ${sweepDefaults.n.values} at m = ${sweepDefaults.n.width}
  depth   values ${sweepDefaults.depth.values} at n = m = ${sweepDefaults.depth.n}
  sigma0  values ${sweepDefaults.sigma0.values} at n = m = ${sweepDefaults.sigma0.n} (the second panel shows Theorem 4.2's c0 against sigma0^2)
Outputs in --out (default out/sweep-<vary>): results.jsonl, summary.csv, results.csv, sweep.svg, sweep.vl.json, config.json.

Example:
  ntk sweep --vary width --values 100,200,400,800,1600 --n 200 --activations tanh --seeds 3`);
  cmd.action(action(async (o: SweepCliOptions) => {
    // With --resume --out DIR the saved run says what varies.
    if (o.vary === undefined && !(o.resume && o.out !== undefined)) {
      throw new NtkInputError('--vary', 'is missing', `pass one of ${varyNames.filter((v) => v !== 'ratio').join(', ')} (or --resume --out DIR to continue a saved sweep)`);
    }
    if (o.vary !== undefined && !(varyNames as readonly string[]).includes(o.vary)) {
      throw new NtkInputError('--vary', `unknown ${JSON.stringify(o.vary)}`, `use one of ${varyNames.filter((v) => v !== 'ratio').join(', ')}`);
    }
    if (o.vary === 'ratio') throw new NtkInputError('--vary', 'ratio (width as a multiple of n, for several n) is what `ntk threshold` runs', 'use ntk threshold --ns ... --ratios ...');
    const dir = o.out ?? `out/sweep-${o.vary}`;
    const { spec, shard } = resolveSpec(dir, o, 'sweep', (saved) => sweepSpecFrom(o, saved));
    await runAndReport(spec, shard, dir, o, 'sweep', 'sweep');
  }));
}
