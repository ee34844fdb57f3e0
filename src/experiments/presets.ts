/**
 * The Figure 1 presets (the paper's Section 6) and the defaults every sweep starts from.
 * Browser-safe: no Node imports.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { parseValues, type SweepSpec, type Vary } from './grid.js';
import { DEFAULT_THRESHOLD } from './threshold.js';

/** Names of the Figure 1 presets. */
export type Figure1Preset = 'quick' | 'paper';

/** The preset `ntk figure1` runs without `--preset`. */
export const DEFAULT_FIGURE1_PRESET: Figure1Preset = 'quick';

/**
 * Figure 1's presets. Both follow Section 6: L = 2 hidden layers, d = 100, x ~ N(0, I_100)
 * raw (not normalized), n = m, the same data for every weight seed, sigma0 = 1 and
 * v ~ N(0, 1) (the paper leaves both open; docs/conventions.md).
 * - `quick`: n = m = 100..1000 step 100, tanh and sigmoid, 3 seeds (13 s on a 2-core machine, README);
 * - `paper`: n = m = 200..4000 step 100, tanh and sigmoid, 3 seeds (the paper's grid).
 */
export const figure1Presets: Readonly<Record<Figure1Preset, SweepSpec>> = Object.freeze({
  quick: baseSpec('figure1', { vary: 'nm', values: parseValues('--widths', '100:1000:100') }),
  paper: baseSpec('figure1', { vary: 'nm', values: parseValues('--widths', '200:4000:100') }),
});

/**
 * A spec with the paper's defaults (tanh and sigmoid, seeds 0..2, data seed 0, d = 100,
 * n = m = 1000, L = 2, sigma0 = 1, sv2 = 1, Gaussian v, raw data, rmax = 30), overridden by `over`.
 */
export function baseSpec(experiment: string, over: Partial<SweepSpec> & Pick<SweepSpec, 'vary' | 'values'>): SweepSpec {
  return {
    experiment,
    activations: ['tanh', 'sigmoid'],
    seeds: [0, 1, 2],
    dataSeed: 0,
    d: 100,
    n: 1000,
    width: 1000,
    depth: 2,
    sigma0: 1,
    nu0sq: null,
    sv2: 1,
    vLaw: 'gaussian',
    normalize: false,
    rmax: 30,
    ...over,
  };
}

/**
 * A copy of the named preset.
 * @throws NtkInputError naming `--preset` for an unknown name.
 */
export function figure1Preset(name: string): SweepSpec {
  if (name !== 'quick' && name !== 'paper') {
    throw new NtkInputError('--preset', `unknown preset ${JSON.stringify(name)}`, 'use quick or paper');
  }
  return structuredClone(figure1Presets[name]);
}

/** Names of the `ntk threshold` presets. */
export type ThresholdPreset = 'quick' | 'full';

/** The preset `ntk threshold` runs without `--preset`. */
export const DEFAULT_THRESHOLD_PRESET: ThresholdPreset = 'quick';

/**
 * Ratios `lo, lo k, lo k^2, ...` up to `hi` (inclusive up to rounding), rounded to 12 digits: a
 * geometric grid of width ratios m/n.
 * @throws NtkInputError naming `name` unless 0 < lo <= hi and k > 1 (at most 10000 values).
 */
export function geometricValues(name: string, lo: number, hi: number, k: number): number[] {
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi) && k > 1 && Number.isFinite(k))) {
    throw new NtkInputError(name, `needs 0 < start <= stop and a factor > 1, got ${lo}, ${hi}, x${k}`, 'pass e.g. 0.5:8:x1.4142');
  }
  const count = Math.floor(Math.log(hi / lo) / Math.log(k) + 1e-9) + 1;
  if (count > 10000) throw new NtkInputError(name, `gives ${count} values (at most 10000)`, 'use a larger factor');
  return Array.from({ length: count }, (_, i) => Number((lo * k ** i).toPrecision(12)));
}

/**
 * `ntk threshold`'s presets: tanh and relu, L = 2, d = 100 fixed (Section 6's data), sigma0 = 1,
 * raw Gaussian data, widths m = ratio n on a geometric grid (factor sqrt 2), tau = 0.5, 0.75, 0.9
 * reached by 90% of the seeds, 1000 bootstrap replicates.
 * - `quick`: n = 25, 50, 100, 200; m/n = 0.25..16; 5 seeds (about 2 minutes on 2 cores);
 * - `full`: n = 50, 100, 200, 400; m/n = 0.25..16; 10 seeds (1040 points up to m = 6400; measured
 *   time in docs/threshold-full.md). The older grid up to n = 800 is `--preset full --ns
 *   50,100,200,400,800` (docs/experiments.md: its estimate and the shard recipe).
 */
export const thresholdPresets: Readonly<Record<ThresholdPreset, SweepSpec>> = Object.freeze({
  quick: baseSpec('threshold', {
    vary: 'ratio', values: geometricValues('--ratios', 0.25, 16, Math.SQRT2), ns: [25, 50, 100, 200],
    activations: ['tanh', 'relu'], seeds: [0, 1, 2, 3, 4], threshold: { ...DEFAULT_THRESHOLD, taus: [...DEFAULT_THRESHOLD.taus] },
  }),
  full: baseSpec('threshold', {
    vary: 'ratio', values: geometricValues('--ratios', 0.25, 16, Math.SQRT2), ns: [50, 100, 200, 400],
    activations: ['tanh', 'relu'], seeds: Array.from({ length: 10 }, (_, i) => i), threshold: { ...DEFAULT_THRESHOLD, taus: [...DEFAULT_THRESHOLD.taus] },
  }),
});

/**
 * A copy of the named threshold preset.
 * @throws NtkInputError naming `--preset` for an unknown name.
 */
export function thresholdPreset(name: string): SweepSpec {
  if (name !== 'quick' && name !== 'full') {
    throw new NtkInputError('--preset', `unknown preset ${JSON.stringify(name)}`, 'use quick or full');
  }
  return structuredClone(thresholdPresets[name]);
}

/** What `ntk sweep` may vary (`ratio` is `ntk threshold`'s). */
export type SweepVary = Exclude<Vary, 'ratio'>;

/** `ntk sweep`'s defaults by what it varies: the values (CLI syntax) and the fixed n and m. */
export const sweepDefaults: Readonly<Record<SweepVary, { values: string; n: number; width: number }>> = Object.freeze({
  nm: { values: '200:1000:200', n: 1000, width: 1000 },
  width: { values: '100,200,400,800,1600,3200', n: 200, width: 1000 },
  n: { values: '100:1000:100', n: 500, width: 1000 },
  depth: { values: '1:5:1', n: 500, width: 500 },
  sigma0: { values: '0.25:3:0.25', n: 500, width: 500 },
});

/**
 * The spec `ntk sweep --vary <vary>` starts from before its options apply: {@link baseSpec}
 * with the values, n and m of {@link sweepDefaults} (and no fixed sigma0 when sigma0 varies).
 */
export function sweepBase(vary: SweepVary): SweepSpec {
  const def = sweepDefaults[vary];
  return baseSpec('sweep', {
    vary, values: parseValues('--values', def.values), n: def.n, width: def.width,
    ...(vary === 'sigma0' ? { sigma0: null } : {}),
  });
}
