/**
 * The Figure 1 presets (the paper's Section 6) and the defaults every sweep starts from.
 * Browser-safe: no Node imports.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { parseValues, type SweepSpec } from './grid.js';

/** Names of the Figure 1 presets. */
export type Figure1Preset = 'quick' | 'paper';

/**
 * Figure 1's presets. Both follow Section 6: L = 2 hidden layers, d = 100, x ~ N(0, I_100)
 * raw (not normalized), n = m, the same data for every weight seed, sigma0 = 1 and
 * v ~ N(0, 1) (the paper leaves both open; docs/conventions.md).
 * - `quick`: n = m = 100..1000 step 100, tanh and sigmoid, 3 seeds (about a minute on 2 cores);
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
