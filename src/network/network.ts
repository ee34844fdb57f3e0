/**
 * Fully connected networks of the paper's eq. (1), without biases:
 * `h_l = W_l alpha_{l-1} / sqrt(m_{l-1})`, `alpha_l = phi(h_l)`, `alpha_0 = x`,
 * `f(x) = v . alpha_L / sqrt(m_L)`, with `W_l` (m_l x m_{l-1}) entries ~ N(0, nu0^2),
 * `nu0^2 = sigma0^2 / c_{phi,sigma0}`, and v ~ N(0, sv2) or a random unit vector.
 * @module
 */
import { getActivation, type Activation, type ActivationName } from '../activations.js';
import { NtkInputError } from '../errors.js';
import { checkFinite, toMatrix, toVector, type Matrix, type MatrixLike } from '../matrix.js';
import { Rng, Streams } from '../random.js';
import { cPhi, sigma0ForNu0sq } from '../theory/cphi.js';
import { checkMemory, describeWidths } from '../memory.js';
import { MAX_DEPTH, describeValue, checkElements, checkObject, checkPositive, checkPositiveInt, checkSeed } from '../validate.js';

/** A network at initialization: its architecture, its law and its weights. */
export interface Network {
  /** Input dimension d = m_0. */
  readonly d: number;
  /** Hidden widths [m_1, ..., m_L]. */
  readonly widths: readonly number[];
  /** Depth L (number of hidden layers). */
  readonly L: number;
  /** The activation phi. */
  readonly activation: Activation;
  /** sigma0 of the initialization, or null when nu0^2 was given and no sigma0 reaches it. */
  readonly sigma0: number | null;
  /** c_{phi,sigma0} = E_{z~N(0,sigma0^2)}[phi(z)^2], or null without sigma0. */
  readonly c: number | null;
  /** Variance nu0^2 of the entries of every W_l. */
  readonly nu0sq: number;
  /** Variance of the entries of v (1/m_L for a uniform unit vector). */
  readonly sv2: number;
  /** W_1..W_L; W_l is m_l x m_{l-1} (rows = output units). */
  readonly W: readonly Matrix[];
  /** Output weights v, length m_L. */
  readonly v: Float64Array;
}

/**
 * Checks that `net` is a whole {@link Network} whose parts fit together (a hand-made or
 * mutated object would otherwise fail deep inside a kernel): d, widths, L, W_l shapes
 * (m_l x m_{l-1}), v's length, the activation. O(L): weights are not scanned (createNetwork
 * and networkFromWeights check them).
 * @throws NtkInputError naming `net` or the part at fault.
 */
export function checkNetwork(net: unknown): asserts net is Network {
  const fix = 'build it with createNetwork({ d, widths, activation }) or networkFromWeights({ W, v, activation })';
  if (net === null || typeof net !== 'object') throw new NtkInputError('net', `must be a Network, got ${describeValue(net)}`, fix);
  const n = net as Partial<Network>;
  if (!Number.isInteger(n.d) || n.d! < 1) throw new NtkInputError('net.d', `must be a positive integer, got ${describeValue(n.d)}`, fix);
  if (!Array.isArray(n.widths) || n.widths.length < 1 || n.L !== n.widths.length) {
    throw new NtkInputError('net.widths', `must be a non-empty array of L = ${describeValue(n.L)} widths, got ${describeValue(n.widths)}`, fix);
  }
  if (!n.activation || typeof n.activation !== 'object' || typeof n.activation.id !== 'number') {
    throw new NtkInputError('net.activation', `must be an Activation, got ${describeValue(n.activation)}`, fix);
  }
  if (!Array.isArray(n.W) || n.W.length !== n.L) throw new NtkInputError('net.W', `must hold L = ${n.L} weight matrices`, fix);
  const dims = [n.d!, ...n.widths];
  for (let l = 0; l < n.L; l++) {
    const w = n.W[l] as Matrix | undefined;
    if (!Number.isInteger(dims[l + 1]) || dims[l + 1]! < 1) throw new NtkInputError(`net.widths[${l}]`, `must be a positive integer, got ${describeValue(dims[l + 1])}`, fix);
    if (!w || !(w.data instanceof Float64Array) || w.rows !== dims[l + 1] || w.cols !== dims[l] || w.data.length !== w.rows * w.cols) {
      throw new NtkInputError(`net.W[${l}]`, `must be a ${dims[l + 1]} x ${dims[l]} matrix (W_${l + 1} is m_${l + 1} x m_${l})`, fix);
    }
  }
  const mL = dims[n.L]!;
  if (!(n.v instanceof Float64Array) || n.v.length !== mL) throw new NtkInputError('net.v', `must be a Float64Array of m_L = ${mL} output weights`, fix);
}

/** How a network is initialized: give `sigma0` or `nu0sq` (not both). */
export interface NetworkSpec {
  /** Input dimension d. */
  d: number;
  /** Hidden widths [m_1..m_L] (equal or not). */
  widths: readonly number[];
  /** A built-in activation name or object. */
  activation: ActivationName | Activation;
  /** sigma0 > 0: nu0^2 = sigma0^2 / c_{phi,sigma0} (the paper's initialization). Default 1. */
  sigma0?: number;
  /** nu0^2 > 0 directly (sigma0 is then solved for, or reported as none). */
  nu0sq?: number;
  /** Variance of v's entries (default 1; Remark 4.3 leaves it open). */
  sv2?: number;
  /** `'gaussian'` (default): v ~ N(0, sv2 I); `'unit'`: v uniform on the unit sphere. */
  vLaw?: 'gaussian' | 'unit';
  /** Weight seed (default 0): W_l from stream W+l, v from stream v (src/random.ts). */
  seed?: number;
}

/** Options of {@link createNetwork}. */
export interface CreateNetworkOptions {
  /**
   * A network that will not be used again: its weight arrays are overwritten and reused when
   * their sizes match (a sweep draws millions of weights per point, and fresh memory is slow
   * to fault in on some VMs). The weights drawn are the same either way.
   */
  recycle?: Network;
}

/**
 * Draws a network at initialization from `spec`, reproducibly from `spec.seed`.
 * @throws NtkInputError for non-positive d/widths, sigma0 <= 0, nu0sq <= 0, both sigma0 and
 *   nu0sq given, an unknown activation, or a seed that is not an integer in [0, 2^53).
 * @throws NtkMemoryError when a weight matrix could not be held by any array (checked before drawing).
 */
export function createNetwork(spec: NetworkSpec, opts: CreateNetworkOptions = {}): Network {
  checkObject('spec', spec, "{ d: 100, widths: [500, 500], activation: 'tanh' }");
  checkPositiveInt('d', spec.d);
  const widths = checkWidths(spec.widths);
  const act = getActivation(spec.activation);
  const law = resolveLaw(act, spec.sigma0, spec.nu0sq);
  const sv2 = spec.sv2 ?? 1;
  checkPositive('sv2', sv2);
  const seed = spec.seed ?? 0;
  checkSeed('seed', seed);
  const dims = [spec.d, ...widths];
  checkWeightSizes(dims);
  const W: Matrix[] = widths.map((m, l) => {
    const rng = new Rng(seed, Streams.W + l + 1);
    const old = opts.recycle?.W[l]?.data;
    const data = old instanceof Float64Array && old.length === m * dims[l]! ? old : new Float64Array(m * dims[l]!);
    return { rows: m, cols: dims[l]!, data: rng.fillGaussian(data, law.nu0sq) };
  });
  const mL = widths[widths.length - 1]!;
  const rv = new Rng(seed, Streams.v);
  let v: Float64Array;
  if ((spec.vLaw ?? 'gaussian') === 'unit') {
    v = rv.fillGaussian(new Float64Array(mL));
    const norm = Math.hypot(...v);
    for (let i = 0; i < mL; i++) v[i]! /= norm;
    // Each entry of a uniform unit vector has variance 1/m_L: that is what the infinite-width
    // output term sees.
    return { d: spec.d, widths, L: widths.length, activation: act, ...law, sv2: 1 / mL, W, v: v };
  } else if (spec.vLaw === undefined || spec.vLaw === 'gaussian') {
    v = rv.fillGaussian(new Float64Array(mL), sv2);
  } else {
    throw new NtkInputError('vLaw', `unknown law ${JSON.stringify(spec.vLaw)}`, 'use "gaussian" or "unit"');
  }
  return { d: spec.d, widths, L: widths.length, activation: act, ...law, sv2, W, v };
}

/** Explicit weights for {@link networkFromWeights}. */
export interface WeightsSpec {
  /** W_1..W_L, W_l with m_l rows of length m_{l-1}. */
  W: readonly MatrixLike[];
  /** Output weights, length m_L. */
  v: ArrayLike<number>;
  /** A built-in activation. */
  activation: ActivationName | Activation;
  /** The sigma0 the weights were drawn with, if known (needed only by the theory). */
  sigma0?: number | null;
  /** The nu0^2 the weights were drawn with, if known (default: from sigma0, else 1). */
  nu0sq?: number;
  /** The variance v was drawn with (default 1; needed only by the infinite-width NTK). */
  sv2?: number;
}

/**
 * A network from given weights (initialized elsewhere: numpy, PyTorch, JAX...), so its NTK can
 * be checked here. Shapes must chain: W_1 is m_1 x d, W_l is m_l x m_{l-1}, v has m_L entries.
 * @throws NtkInputError naming `W[l]` or `v` when shapes do not chain or values are not finite.
 */
export function networkFromWeights(spec: WeightsSpec): Network {
  checkObject('spec', spec, "{ W: [W1, W2], v, activation: 'tanh' }");
  const act = getActivation(spec.activation);
  if (!Array.isArray(spec.W) || spec.W.length < 1) throw new NtkInputError('W', 'is empty', 'pass at least one weight matrix W_1 (m_1 x d)');
  const W = spec.W.map((w, l) => toMatrix(w, `W[${l}]`));
  for (let l = 0; l < W.length; l++) {
    const w = W[l]!;
    if (w.rows < 1 || w.cols < 1) throw new NtkInputError(`W[${l}]`, `is empty (${w.rows} x ${w.cols})`, 'pass a non-empty matrix');
    if (l > 0 && w.cols !== W[l - 1]!.rows) {
      throw new NtkInputError(`W[${l}]`, `is ${w.rows} x ${w.cols} but W[${l - 1}] has ${W[l - 1]!.rows} rows`,
        `W[${l}] must have m_${l} = ${W[l - 1]!.rows} columns (W_l is m_l x m_{l-1})`);
    }
    checkFinite(`W[${l}]`, w);
  }
  if (spec.v == null || typeof spec.v !== 'object' || typeof (spec.v as ArrayLike<number>).length !== 'number') {
    throw new NtkInputError('v', `must be an array of output weights, got ${spec.v === undefined ? 'nothing' : typeof spec.v}`, `pass v with m_L = ${W[W.length - 1]!.rows} entries`);
  }
  const v = toVector(spec.v, 'v');
  const mL = W[W.length - 1]!.rows;
  if (v.length !== mL) throw new NtkInputError('v', `has ${v.length} entries but the last layer has m_L = ${mL} units`, `pass ${mL} output weights`);
  checkFinite('v', v);
  let law: Pick<Network, 'sigma0' | 'c' | 'nu0sq'>;
  if (spec.sigma0 != null) law = resolveLaw(act, spec.sigma0, undefined);
  else if (spec.nu0sq !== undefined) law = resolveLaw(act, undefined, spec.nu0sq);
  else law = { sigma0: null, c: null, nu0sq: 1 };
  if (spec.nu0sq !== undefined) {
    checkPositive('nu0sq', spec.nu0sq);
    law = { ...law, nu0sq: spec.nu0sq };
  }
  const sv2 = spec.sv2 ?? 1;
  checkPositive('sv2', sv2);
  return { d: W[0]!.cols, widths: W.map((w) => w.rows), L: W.length, activation: act, ...law, sv2, W, v };
}

/**
 * Refuses, before drawing, weight matrices no array can hold (W_l has m_l * m_{l-1} entries),
 * or all of them together beyond the memory budget (src/memory.ts), naming the widest layer
 * and the largest width that would fit.
 */
function checkWeightSizes(dims: number[]): void {
  for (let l = 1; l < dims.length; l++) {
    checkElements(`widths[${l - 1}]`, dims[l]! * dims[l - 1]!, `W_${l} (${dims[l]} x ${dims[l - 1]})`,
      'use smaller widths or a smaller input dimension d');
  }
  const widths = dims.slice(1);
  const widest = widths.indexOf(Math.max(...widths));
  const capped = (k: number) => { const w = dims.map((m, l) => (l === 0 ? m : Math.min(m, k))); return w; };
  checkMemory({
    parameter: `widths[${widest}]`, what: `the weights of a network with d = ${dims[0]} and widths ${describeWidths(widths)}`,
    size: widths[widest]!, sizeName: 'width',
    estimate: (k) => { const w = capped(k); let e = w[w.length - 1]!; for (let l = 1; l < w.length; l++) e += w[l]! * w[l - 1]!; return { js: 8 * e, kernel: 0 }; },
    fix: 'use smaller widths',
  });
}

function checkWidths(widths: readonly number[]): number[] {
  if (!Array.isArray(widths) || widths.length < 1 || widths.length > MAX_DEPTH) {
    throw new NtkInputError('widths', `must be an array of 1 to ${MAX_DEPTH} widths, got ${Array.isArray(widths) ? `${widths.length} entries` : describeValue(widths)}`, 'pass e.g. widths: [512, 512]');
  }
  widths.forEach((m, l) => checkPositiveInt(`widths[${l}]`, m));
  return [...widths];
}

function resolveLaw(act: Activation, sigma0: number | undefined, nu0sq: number | undefined): Pick<Network, 'sigma0' | 'c' | 'nu0sq'> {
  if (sigma0 !== undefined && nu0sq !== undefined) {
    throw new NtkInputError('sigma0', 'and nu0sq are both given', 'give one of them: nu0sq = sigma0^2 / c_{phi,sigma0}');
  }
  // sigma0ForNu0sq and cPhi check nu0sq and sigma0 (> 0, finite, in range): not again here.
  if (nu0sq !== undefined) {
    const s = sigma0ForNu0sq(act, nu0sq);
    if (s === null) return { sigma0: null, c: null, nu0sq };
    return { sigma0: s, c: cPhi(act, s), nu0sq };
  }
  const s = sigma0 ?? 1;
  const c = cPhi(act, s);
  return { sigma0: s, c, nu0sq: (s * s) / c };
}
