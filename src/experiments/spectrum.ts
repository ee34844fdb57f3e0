/**
 * The spectrum of one configuration: all eigenvalues of the empirical NTK K and of the
 * infinite-width NTK Theta for the same data, and histograms of them on common bins.
 * Browser-safe: no Node imports.
 * @module
 */
import type { Backend } from '../backend/types.js';
import { NtkInputError } from '../errors.js';
import { eigvalsh } from '../linalg/index.js';
import type { Matrix } from '../matrix.js';
import { buildPoint, type PointConfig } from './setup.js';
import { checkMemory, combine, describeWidths, eigMemory, infiniteWidthMemory, networkMemory, ntkMemory } from '../memory.js';
import { empiricalNtk } from '../network/ntk.js';
import { infiniteWidth } from '../theory/index.js';

/** One network configuration and its data (sigma0 = 1 when neither sigma0 nor nu0sq is given). */
export type SpectrumConfig = PointConfig;

/** K, the eigenvalues of K and Theta (ascending) and the seconds each stage took. */
export interface SpectrumResult {
  /** The empirical NTK K (n x n), for callers that also show it (the demo's heatmap). */
  K: Matrix;
  /** Every eigenvalue of K, ascending. */
  eigK: Float64Array;
  /** Every eigenvalue of the infinite-width Theta, ascending. */
  eigTheta: Float64Array;
  /** nu0^2 and sv2 the network used. */
  nu0sq: number;
  /** Variance of v's entries used. */
  sv2: number;
  /** Seconds per stage. */
  timings: {
    /** K. */
    ntk: number;
    /** K's eigenvalues. */
    eigK: number;
    /** Theta. */
    infinite: number;
    /** Theta's eigenvalues. */
    eigTheta: number;
  };
}

/**
 * Computes both spectra of one configuration.
 * @throws NtkInputError / NtkMemoryError for a bad or too large configuration.
 */
export function computeSpectrum(cfg: SpectrumConfig, opts: {
  /** Backend for the kernels. */
  backend: Backend;
  /** The user's data (all rows; the first n are used, d must be its number of columns) instead of Gaussian draws. */
  data?: Matrix;
}): SpectrumResult {
  const be = opts.backend;
  const { X, net } = buildPoint(cfg, opts.data);
  const widths = net.widths;
  checkMemory({
    parameter: 'n', what: `both spectra with d = ${cfg.d} and widths ${describeWidths(widths)}`, size: cfg.n, sizeName: 'n',
    estimate: (k) => combine(networkMemory(k, cfg.d, widths), ntkMemory(k, cfg.d, widths), eigMemory(k, 'eigvalsh'),
      infiniteWidthMemory(k, cfg.d, { spectrum: false }), eigMemory(k, 'eigvalsh')),
    largestArray: (k) => Math.max(2 * k * k, k * Math.max(cfg.d, cfg.m)), fix: 'use a smaller --n or --width',
  }, be);
  const now = () => performance.now() / 1000;
  let t = now();
  const { K } = empiricalNtk(net, X, { backend: be });
  const tNtk = now() - t; t = now();
  const eigK = eigvalsh(K, { backend: be });
  const tEigK = now() - t; t = now();
  const inf = infiniteWidth(X, { depth: net.L, activation: net.activation, nu0sq: net.nu0sq, sv2: net.sv2, backend: be, spectrum: false });
  const tInf = now() - t; t = now();
  const eigTheta = eigvalsh(inf.Theta, { backend: be });
  const tEigT = now() - t;
  return { K, eigK, eigTheta, nu0sq: net.nu0sq, sv2: net.sv2, timings: { ntk: tNtk, eigK: tEigK, infinite: tInf, eigTheta: tEigT } };
}

/** One histogram bin: [lo, hi) in eigenvalue units (the last bin includes hi). */
export interface HistogramBin {
  /** Which matrix. */
  matrix: string;
  /** Lower edge of the bin (in lambda, also on a log scale). */
  lo: number;
  /** Upper edge of the bin. */
  hi: number;
  /** Eigenvalues in [lo, hi). */
  count: number;
}

/** Options of {@link histograms}. */
export interface HistogramOptions {
  /** Number of bins (default 40). */
  bins?: number;
  /** `log` (default): bins equal in log10(lambda), eigenvalues <= 0 left out and counted; `linear`: equal width. */
  scale?: 'log' | 'linear';
}

/**
 * Histograms of several spectra on one set of bins spanning all of them, so they overlay.
 * @returns the bins (per matrix, in the order given) and, per matrix, the count of eigenvalues
 *   a log scale cannot show (<= 0: rounding noise of a singular matrix).
 * @throws NtkInputError naming `bins` when it is not a positive integer.
 */
export function histograms(spectra: Record<string, Float64Array>, opts: HistogramOptions = {}):
  {
    /** The bins of every matrix, on common edges. */
    bins: HistogramBin[];
    /** Per matrix: eigenvalues left out of a log-scale histogram because they are <= 0. */
    nonPositive: Record<string, number>;
  } {
  const nb = opts.bins ?? 40;
  if (!Number.isInteger(nb) || nb < 1) throw new NtkInputError('bins', `must be a positive integer, got ${nb}`, 'pass e.g. 40');
  const log = (opts.scale ?? 'log') === 'log';
  const nonPositive: Record<string, number> = {};
  const used: Record<string, number[]> = {};
  let lo = Infinity, hi = -Infinity;
  for (const [name, ev] of Object.entries(spectra)) {
    const vals: number[] = [];
    let bad = 0;
    for (const v of ev) {
      if (log && !(v > 0)) { bad++; continue; }
      const u = log ? Math.log10(v) : v;
      vals.push(u);
      lo = Math.min(lo, u); hi = Math.max(hi, u);
    }
    nonPositive[name] = bad;
    used[name] = vals;
  }
  if (!(hi >= lo)) { lo = 0; hi = 1; }
  if (hi === lo) { lo -= 0.5; hi += 0.5; }
  const w = (hi - lo) / nb;
  const edge = (i: number) => (log ? 10 ** (lo + i * w) : lo + i * w);
  const bins: HistogramBin[] = [];
  for (const [name, vals] of Object.entries(used)) {
    const counts = new Array<number>(nb).fill(0);
    for (const u of vals) counts[Math.min(nb - 1, Math.floor((u - lo) / w))]!++;
    for (let i = 0; i < nb; i++) bins.push({ matrix: name, lo: edge(i), hi: edge(i + 1), count: counts[i]! });
  }
  return { bins, nonPositive };
}
