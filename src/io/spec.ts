/**
 * Network specs: the `inputs` object of the fixture format (test/data/reference/README.md),
 * read from JSON. X, W and v may be inline arrays or paths to .npy files (relative to the
 * spec); without W and v the network is drawn from `seed`, without X the data from `data_seed`.
 * @module
 */
import { activationNames, getActivation } from '../activations.js';
import { NtkInputError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { gaussianData, toData } from '../network/data.js';
import { createNetwork, networkFromWeights, type Network } from '../network/network.js';
import { checkKnownFields, describeValue } from '../validate.js';

/** The spec's fields (fixture `inputs` names), as parsed JSON. */
export interface NetworkSpecJson {
  /** A built-in activation name (tanh, sigmoid, erf, gelu, softplus, sin). */
  activation: string;
  /** The init scale sigma0 (nu0^2 = sigma0^2 / c_{phi,sigma0}); null or absent when nu0sq is given. */
  sigma0?: number | null;
  /** The weights' variance nu0^2, instead of sigma0. */
  nu0sq?: number;
  /** Variance of v's entries (default 1). */
  sv2?: number;
  /** Samples, when X is drawn (no X given). */
  n?: number;
  /** Input dimension d, when neither X nor W is given. */
  d?: number;
  /** Hidden layers L (informational: widths.length is used). */
  L?: number;
  /** Hidden widths m_1..m_L. */
  widths: number[];
  /** Data, n x d (rows are samples): nested arrays or a .npy path relative to the spec. */
  X?: number[][] | string;
  /** Weights W_1..W_L, W_l of shape m_l x m_{l-1}: nested arrays or .npy paths. */
  W?: (number[][] | string)[];
  /** Output weights, length m_L: an array or a .npy path. */
  v?: number[] | string;
  /** Weight seed when W and v are absent. */
  seed?: number;
  /** Data seed when X is absent. */
  data_seed?: number;
  /** Rescale generated data rows to ||x||^2 = d. */
  normalize?: boolean;
}

/** The fields a spec may have (the fixtures' `inputs` names; `activation_note` is a comment). */
export const specFields = ['activation', 'activation_note', 'sigma0', 'nu0sq', 'sv2', 'n', 'd', 'L', 'widths', 'X', 'W', 'v', 'seed', 'data_seed', 'normalize'] as const;

/** A loaded spec: the network and its data. */
export interface LoadedSpec {
  /** The network (given weights, or drawn from the spec's seed). */
  net: Network;
  /** The data, n x d. */
  X: Matrix;
  /** The spec as read (the `inputs` object). */
  spec: NetworkSpecJson;
}

/** Loads .npy arrays for a spec: given a path relative to the spec, returns rows x cols (1-D: cols = 1). */
export type NpyLoader = (path: string) => Promise<Matrix>;

/**
 * Builds the network and data a spec describes.
 * @param raw the parsed JSON: the `inputs` object itself, or a whole fixture with an `inputs` key.
 * @param loadNpy how to read a .npy path (the CLI passes a file reader relative to the spec).
 * @throws NtkInputError naming the spec field at fault.
 */
export async function loadSpec(raw: unknown, loadNpy?: NpyLoader): Promise<LoadedSpec> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new NtkInputError('spec', 'is not a JSON object', 'pass an object with activation, widths, and X/W/v or seeds (the fixtures\' "inputs" format)');
  }
  const spec = (Object.hasOwn(raw, 'inputs') ? (raw as { inputs: unknown }).inputs : raw) as NetworkSpecJson;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new NtkInputError('spec.inputs', 'is not a JSON object', 'give the network\'s fields (activation, widths, X/W/v or seeds) in it');
  }
  // Own keys, each a known field: a misspelt one ("widht") would otherwise be ignored silently.
  checkKnownFields(spec, specFields, 'spec.', 'a network spec');
  if (spec.normalize !== undefined && typeof spec.normalize !== 'boolean') {
    throw new NtkInputError('spec.normalize', `must be true or false, got ${JSON.stringify(spec.normalize)}`, 'write "normalize": true to rescale rows to ||x||^2 = d');
  }
  if (typeof spec.activation !== 'string') {
    throw new NtkInputError('spec.activation', spec.activation === undefined ? 'is missing' : `must be a name, got ${describeValue(spec.activation)}`,
      `set it to one of ${activationNames.join(', ')}`);
  }
  const act = getActivation(spec.activation);
  const arr = async (v: unknown, field: string): Promise<Matrix | number[][] | number[]> => {
    if (typeof v === 'string') {
      if (!loadNpy) throw new NtkInputError(field, `is a path (${v}) but no file reader is available`, 'inline the array');
      return loadNpy(v);
    }
    if (!Array.isArray(v)) throw new NtkInputError(field, 'is neither an array nor a .npy path', 'give nested arrays or a path to a .npy file');
    return v as number[][];
  };
  let net: Network;
  if (spec.W !== undefined || spec.v !== undefined) {
    if (!Array.isArray(spec.W)) throw new NtkInputError('spec.W', 'must be an array of matrices (or .npy paths)', 'give W_1..W_L');
    if (spec.v === undefined) throw new NtkInputError('spec.v', 'is missing while W is given', 'give v (length m_L)');
    const W = await Promise.all(spec.W.map((w, l) => arr(w, `spec.W[${l}]`)));
    const vRaw = await arr(spec.v, 'spec.v');
    const v = Array.isArray(vRaw) ? (vRaw as number[]) : Array.from((vRaw as Matrix).data);
    net = networkFromWeights({
      W: W as Matrix[], v, activation: act, sigma0: spec.sigma0 ?? null,
      ...(spec.sigma0 == null && spec.nu0sq !== undefined ? { nu0sq: spec.nu0sq } : {}),
      ...(spec.sv2 !== undefined ? { sv2: spec.sv2 } : {}),
    });
  } else {
    if (spec.d === undefined) throw new NtkInputError('spec.d', 'is missing', 'give the input dimension d (or W and v)');
    net = createNetwork({
      d: spec.d, widths: spec.widths, activation: act, seed: spec.seed ?? 0,
      ...(spec.sigma0 != null ? { sigma0: spec.sigma0 } : spec.nu0sq !== undefined ? { nu0sq: spec.nu0sq } : {}),
      ...(spec.sv2 !== undefined ? { sv2: spec.sv2 } : {}),
    });
  }
  if (spec.widths !== undefined && JSON.stringify(spec.widths) !== JSON.stringify(net.widths)) {
    throw new NtkInputError('spec.widths', `says ${JSON.stringify(spec.widths)} but W gives ${JSON.stringify(net.widths)}`, 'make them agree (or drop widths)');
  }
  if (spec.L !== undefined && spec.L !== net.L) throw new NtkInputError('spec.L', `says ${describeValue(spec.L)} but there are ${net.L} layers`, 'make them agree');
  if (spec.d !== undefined && spec.d !== net.d) throw new NtkInputError('spec.d', `says ${describeValue(spec.d)} but W_1 has ${net.d} columns`, 'make them agree');
  let X: Matrix;
  if (spec.X !== undefined) {
    X = toData((await arr(spec.X, 'spec.X')) as Matrix | number[][], net.d, 'spec.X');
  } else {
    if (spec.n === undefined) throw new NtkInputError('spec.n', 'is missing and so is X', 'give X or n (with data_seed)');
    X = gaussianData({ n: spec.n, d: net.d, seed: spec.data_seed ?? 0, normalize: spec.normalize ?? false });
  }
  if (spec.n !== undefined && spec.n !== X.rows) throw new NtkInputError('spec.n', `says ${describeValue(spec.n)} but X has ${X.rows} rows`, 'make them agree');
  return { net, X, spec };
}
