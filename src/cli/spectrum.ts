/**
 * `ntk spectrum`: every eigenvalue of the empirical NTK K and of the infinite-width NTK Theta
 * for one configuration, as CSV and as an overlaid histogram (SVG).
 * @module
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { activationNames, type ActivationName } from '../activations.js';
import { NtkInputError } from '../errors.js';
import { acquireRunLock } from '../node/run-lock.js';
import { computeSpectrum, histograms } from '../experiments/spectrum.js';
import { ensureDir, writeFileAtomic } from '../node/files.js';
import { toCsv } from '../experiments/summary.js';
import { renderSvg } from '../plot/render.js';
import { spectrumPlotSpec } from '../plot/spectrum.js';
import { action, backendFromOptions, backendOptions, checkPrintable, parseNumber, parsePositiveInt } from './common.js';
import { parseActivations, parseDataOption, type LoadedData } from './sweep.js';

const K_NAME = 'K (empirical NTK)';
const THETA_NAME = 'Θ (infinite-width NTK)';

interface SpectrumCliOptions {
  activation: string; n: number; width: number; depth: number; d: number;
  sigma0?: number; nu0sq?: number; sv2: number; unitV?: boolean; normalize?: boolean;
  seed: number; dataSeed: number; bins: number; linear?: boolean; out: string;
  backend?: string; threads?: number; quiet?: boolean; data?: LoadedData;
}

/** Registers `ntk spectrum`. */
export function registerSpectrum(program: Command): void {
  const nonNeg = (name: string) => parseNumber(name, (x) => (Number.isInteger(x) && x >= 0 ? null : `must be a non-negative integer, got ${x}`));
  const positive = (x: number) => (x > 0 ? null : `must be > 0, got ${x}`);
  backendOptions(program.command('spectrum')
    .description('histogram of all eigenvalues of K and of the infinite-width Theta for one configuration (SVG and CSV)')
    .option('--activation <name>', `one of ${activationNames.join(', ')}`, 'tanh')
    .option('--n <n>', 'samples', parsePositiveInt('--n'), 500)
    .option('--width <m>', 'hidden width', parsePositiveInt('--width'), 500)
    .option('--depth <L>', 'hidden layers', parsePositiveInt('--depth'), 2)
    .option('--d <d>', 'input dimension', parsePositiveInt('--d'), 100)
    .option('--sigma0 <x>', 'initialization scale (default 1)', parseNumber('--sigma0', positive))
    .option('--nu0sq <v>', 'the weights\' variance nu0^2 directly', parseNumber('--nu0sq', positive))
    .option('--sv2 <v>', 'variance of v', parseNumber('--sv2', positive), 1)
    .option('--unit-v', 'v a random unit vector')
    .option('--normalize', 'rescale data rows to ||x||^2 = d')
    .option('--data <file>', 'your data (.npy or .csv, n x d) instead of Gaussian draws: its first n rows; d is its number of columns', parseDataOption)
    .option('--seed <s>', 'weight seed', nonNeg('--seed'), 0)
    .option('--data-seed <s>', 'data seed', nonNeg('--data-seed'), 0)
    .option('--bins <k>', 'histogram bins', parsePositiveInt('--bins'), 40)
    .option('--linear', 'bins of equal width in lambda (default: equal width in log10 lambda)')
    .option('--out <dir>', 'output folder', 'out/spectrum'))
    .addHelpText('after', `
Outputs in --out: spectrum.csv (i, eig_K, eig_Theta ascending), spectrum-hist.csv (matrix, lo, hi,
count), spectrum.svg and spectrum.vl.json.

Example:
  ntk spectrum --activation sigmoid --n 1000 --width 1000`)
    .action(action(async (o: SpectrumCliOptions) => {
      if (!activationNames.includes(o.activation as ActivationName)) {
        throw new NtkInputError('--activation', `unknown activation ${JSON.stringify(o.activation)}`, `use one of ${activationNames.join(', ')}`);
      }
      const [activation] = parseActivations(o.activation) as [ActivationName];
      if (o.sigma0 !== undefined && o.nu0sq !== undefined) throw new NtkInputError('--sigma0', 'and --nu0sq are both given', 'give one of them');
      // One writer per folder (taken before the work), each file replaced whole.
      ensureDir(o.out);
      const lock = acquireRunLock(o.out, 'spectrum');
      const loaded = await backendFromOptions(o).catch((e: unknown) => { lock.release(); throw e; });
      try {
        const r = computeSpectrum({
          activation, n: o.n, m: o.width, depth: o.depth, d: o.data ? o.data.X.cols : o.d,
          ...(o.nu0sq !== undefined ? { nu0sq: o.nu0sq } : { sigma0: o.sigma0 ?? 1 }),
          sv2: o.sv2, vLaw: o.unitV ? 'unit' : 'gaussian', normalize: o.normalize ?? false, seed: o.seed, dataSeed: o.dataSeed,
        }, { backend: loaded.backend, ...(o.data ? { data: o.data.X } : {}) });
        const log = !o.linear;
        const h = histograms({ [K_NAME]: r.eigK, [THETA_NAME]: r.eigTheta }, { bins: o.bins, scale: log ? 'log' : 'linear' });
        const files: string[] = [];
        const put = (name: string, text: string) => { const f = join(o.out, name); writeFileAtomic(f, text); files.push(f); };
        put('spectrum.csv', toCsv(Array.from(r.eigK, (v, i) => ({ i, eig_K: v, eig_Theta: r.eigTheta[i]! }))));
        put('spectrum-hist.csv', toCsv(h.bins));
        const rule = (name: string, ev: Float64Array) => (ev[0]! > 0 || !log ? [{ matrix: name, value: ev[0]!, label: `λmin of ${name}` }] : []);
        const dropped = Object.entries(h.nonPositive).filter(([, c]) => c > 0).map(([m, c]) => `${c} eigenvalue${c > 1 ? 's' : ''} <= 0 of ${m} not shown`);
        const spec = spectrumPlotSpec(h.bins, {
          log,
          title: `Eigenvalues of K and Θ: ${activation}, n = ${o.n}, m = ${o.width}, L = ${o.depth}, d = ${o.d}`,
          subtitle: [`${o.nu0sq !== undefined ? `ν0² = ${o.nu0sq}` : `σ0 = ${o.sigma0 ?? 1}`}, weight seed ${o.seed}, data seed ${o.dataSeed}; dashed: λmin`, ...dropped].join('; '),
          rules: [...rule(K_NAME, r.eigK), ...rule(THETA_NAME, r.eigTheta)],
        });
        put('spectrum.vl.json', JSON.stringify(spec, null, 2) + '\n');
        put('spectrum.svg', await renderSvg(spec));
        const n = r.eigK.length;
        const line = (name: string, ev: Float64Array) => `${name.padEnd(24)} lambda_min ${ev[0]!.toExponential(6)}  lambda_max ${ev[n - 1]!.toExponential(6)}  condition ${(ev[n - 1]! / ev[0]!).toExponential(3)}`;
        checkPrintable({ eigK: r.eigK, eigTheta: r.eigTheta });
        process.stdout.write(`${line('K', r.eigK)}\n${line('Theta', r.eigTheta)}\n`);
        if (!o.quiet) {
          const t = r.timings;
          process.stderr.write(`ntk: seconds: K ${t.ntk.toFixed(2)}, eig(K) ${t.eigK.toFixed(2)}, Theta ${t.infinite.toFixed(2)}, eig(Theta) ${t.eigTheta.toFixed(2)}\n`);
          for (const f of files) process.stderr.write(`ntk: wrote ${f}\n`);
        }
      } finally {
        lock.release();
        await loaded.backend.dispose();
      }
    }));
}
