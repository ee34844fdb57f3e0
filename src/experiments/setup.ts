/**
 * The one builder of a point's data and network (Section 6 setup: X from the data seed or the
 * user's rows, W_l and v of eq. (1) from the weight seed), used by the sweep's points
 * ({@link runPoint}), the spectra ({@link computeSpectrum}, `ntk spectrum`) and the browser demo,
 * so the three see the same X and the same network for the same configuration.
 * Browser-safe: no Node imports.
 * @module
 */
import type { ActivationName } from '../activations.js';
import { NtkInputError } from '../errors.js';
import { firstRows } from '../io/data-file.js';
import type { Matrix } from '../matrix.js';
import { gaussianData, normalizeRows } from '../network/data.js';
import { createNetwork, type Network } from '../network/network.js';
import { checkDepth } from '../validate.js';

/** One network configuration and its data: what a sweep point, a spectrum and the demo share. */
export interface PointConfig {
  /** Activation. */
  activation: ActivationName;
  /** Samples. */
  n: number;
  /** Width of every hidden layer. */
  m: number;
  /** Hidden layers L. */
  depth: number;
  /** Input dimension. */
  d: number;
  /** sigma0 of the initialization (1 when neither it nor nu0sq is given). */
  sigma0?: number | null;
  /** nu0^2 directly, instead of sigma0. */
  nu0sq?: number | null;
  /** Variance of v's entries. */
  sv2: number;
  /** Law of v. */
  vLaw: 'gaussian' | 'unit';
  /** Rescale data rows to ||x||^2 = d. */
  normalize: boolean;
  /** Weight seed. */
  seed: number;
  /** Seed of the data X. */
  dataSeed: number;
}

/**
 * A point's data: the first n rows of the user's matrix (rescaled to ||x||^2 = d with
 * `normalize`), or n Gaussian rows from the data seed.
 * @throws NtkInputError when the user's matrix has fewer than n rows or not d columns.
 */
export function pointData(p: Pick<PointConfig, 'n' | 'd' | 'dataSeed' | 'normalize'>, data?: Matrix): Matrix {
  if (!data) return gaussianData({ n: p.n, d: p.d, seed: p.dataSeed, normalize: p.normalize });
  if (data.cols !== p.d) throw new NtkInputError('data', `has ${data.cols} columns but the point's d is ${p.d}`, 'let the data file set d');
  const X = firstRows(data, p.n);
  return p.normalize ? normalizeRows(X) : X;
}

/**
 * A point's network: `depth` hidden layers of width m, nu0^2 given or set by sigma0 (default 1).
 * @param recycle a network whose weight arrays may be reused (a sweep's previous point).
 * @throws NtkInputError for a bad depth, width, law or seed (createNetwork's checks).
 */
export function pointNetwork(p: Omit<PointConfig, 'n' | 'normalize' | 'dataSeed'>, recycle?: Network): Network {
  checkDepth('depth', p.depth);
  return createNetwork({
    d: p.d, widths: Array.from({ length: p.depth }, () => p.m), activation: p.activation,
    ...(p.nu0sq !== null && p.nu0sq !== undefined ? { nu0sq: p.nu0sq } : { sigma0: p.sigma0 ?? 1 }),
    sv2: p.sv2, vLaw: p.vLaw, seed: p.seed,
  }, { recycle });
}

/** A point's data X and network: {@link pointData} and {@link pointNetwork} together. */
export function buildPoint(p: PointConfig, data?: Matrix): { X: Matrix; net: Network } {
  const X = pointData(p, data);
  return { X, net: pointNetwork(p) };
}
