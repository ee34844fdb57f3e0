/**
 * One-dimensional Gaussian expectations `E_{x~N(0,a)}[g(x)]`, the building block of every
 * theory quantity (c_{phi,sigma0}, Hermite coefficients, lambda_1, the infinite-width kernels).
 *
 * The default rule is the uniform trapezoid rule in the standardized variable
 * `t = x / sqrt(a)` on `[-12, 12]`: for integrands analytic in a strip around the real axis
 * (every built-in activation) it converges geometrically, like `exp(-2 pi d / h)` with `d` the
 * strip half-width, and the truncation at |t| = 12 costs `phi(12) ~ 2e-32` relative. The step
 * is `h = min(0.05, 0.1 / sqrt(a))`: tanh has poles at `x = +-i pi/2`, i.e. at distance
 * `pi / (2 sqrt a)` in t, so `2 pi d / h >= pi^2 / 0.1 ~ 99` whatever the variance, and the
 * rule reaches ~1e-16 relative (see docs/conventions.md: Gauss-Hermite does not).
 *
 * Gauss-Hermite quadrature is available as an option (`method: 'gauss-hermite'`). It is exact
 * for polynomials of degree < 2N, but tanh/erf at variance 2-4 have poles (tanh) or steep
 * transitions close to the real axis in the standardized variable, and it converges slowly:
 * E[tanh(x)^2] at a = 2.5 is off by ~6e-6 with 64 nodes and ~1e-8 with 128 (measured in
 * test/theory-hermite.test.ts), and the 2-D rules of pair expectations by up to 1e-4 (64 nodes
 * per dimension) and 1e-6 (128) (test/data/reference/README.md). It is never the default.
 * @module
 */
import { eigvalsh } from '../linalg/index.js';
import { NtkInputError } from '../errors.js';
import { checkPositive } from '../validate.js';
import { getActivation, type Activation } from '../activations.js';

/** A real function of one real variable, e.g. a user-supplied activation. */
export type ScalarFn = (x: number) => number;

/** An activation by name, an {@link Activation} object, or a plain JS function phi. */
export type PhiInput = string | Activation | ScalarFn;

/**
 * Most positive nodes a trapezoid grid may have (variance ~1e12 with the default step): beyond
 * it the request is refused instead of allocating gigabytes.
 */
export const MAX_GRID_NODES = 1e7;

/** Default half-width of the standardized trapezoid grid (|t| <= 12). */
export const Z_MAX = 12;
/** Largest trapezoid step ever used in the standardized variable. */
export const H_MAX = 0.05;

/**
 * A symmetric uniform grid `t_k = k h`, `k = 0..half`, in the standardized variable, with the
 * trapezoid weights `w_k = h * exp(-t_k^2/2) / sqrt(2 pi)` of `E_{t~N(0,1)}`. The full rule sums
 * over `k = -half..half`; the weights are even, so only `t >= 0` is stored.
 */
export interface TrapezoidGrid {
  /** Step in the standardized variable. */
  readonly h: number;
  /** Number of positive nodes (the rule has `2 half + 1` nodes). */
  readonly half: number;
  /** Nodes `t_k = k h`, k = 0..half. */
  readonly t: Float64Array;
  /** Weights `h * N(t_k; 0, 1)`, k = 0..half. */
  readonly w: Float64Array;
}

/** Options of the trapezoid grid. */
export interface GridOptions {
  /** Step (default `min(0.05, 0.1 / sqrt(maxVariance))`); must be positive and at most 0.05 is advised. */
  h?: number;
  /** Half-width in the standardized variable (default 12). */
  zmax?: number;
}

/** The default step for expectations under variances up to `maxVariance` (see the module comment). */
export function defaultStep(maxVariance: number): number {
  return maxVariance > 4 ? 0.1 / Math.sqrt(maxVariance) : H_MAX;
}

const gridCache = new Map<string, TrapezoidGrid>();

/**
 * The trapezoid grid for expectations under N(0, a) with `a <= maxVariance`.
 * @throws NtkInputError when `maxVariance` is negative or not finite, `h` or `zmax` is not a
 *   positive finite number, or the grid would exceed `MAX_GRID_NODES` (1e7) nodes.
 */
export function trapezoidGrid(maxVariance = 1, opts: GridOptions = {}): TrapezoidGrid {
  checkVariance(maxVariance, 'maxVariance');
  // The defaults are positive by construction: only a caller's h and zmax need a check.
  if (opts.h !== undefined) checkPositive('h', opts.h, 'pass e.g. h = 0.05');
  if (opts.zmax !== undefined) checkPositive('zmax', opts.zmax, 'pass e.g. zmax = 12');
  const h = opts.h ?? defaultStep(maxVariance);
  const zmax = opts.zmax ?? Z_MAX;
  if (zmax / h > MAX_GRID_NODES) {
    // The default step shrinks like 1/sqrt(variance): name the variance unless the step was given.
    throw new NtkInputError(opts.h === undefined ? 'a' : 'h', `needs a grid of ${(zmax / h).toPrecision(3)} nodes (variance ${maxVariance}, step ${h}), more than ${MAX_GRID_NODES}`,
      opts.h === undefined ? 'use a smaller variance (normalize the data or lower nu0sq)' : 'use a larger step h or a smaller zmax');
  }
  const key = `${h}:${zmax}`;
  const hit = gridCache.get(key);
  if (hit) return hit;
  const half = Math.ceil(zmax / h - 1e-9);
  const t = new Float64Array(half + 1);
  const w = new Float64Array(half + 1);
  const c = h / Math.sqrt(2 * Math.PI);
  for (let k = 0; k <= half; k++) {
    t[k] = k * h;
    w[k] = c * Math.exp(-0.5 * t[k]! * t[k]!);
  }
  const g: TrapezoidGrid = { h, half, t, w };
  if (gridCache.size > 64) gridCache.clear();
  gridCache.set(key, g);
  return g;
}

/** Options of {@link gaussExpectation}. */
export interface ExpectationOptions extends GridOptions {
  /** `'trapezoid'` (default, ~1e-16) or `'gauss-hermite'` (see the module comment for its error). */
  method?: 'trapezoid' | 'gauss-hermite';
  /** Gauss-Hermite nodes (default 64). */
  nodes?: number;
}

/**
 * `E_{x~N(0,a)}[g(x)]`.
 * @param g integrand; must be finite on the grid.
 * @param a variance, `a >= 0` (a = 0 gives g(0)).
 * @throws NtkInputError for a negative or non-finite variance, or when g returns a non-finite value.
 */
export function gaussExpectation(g: ScalarFn, a: number, opts: ExpectationOptions = {}): number {
  if (typeof g !== 'function') throw new NtkInputError('g', `must be a function, got ${typeof g}`, 'pass e.g. (x) => Math.tanh(x) ** 2');
  checkVariance(a, 'a');
  checkMethod(opts.method);
  if (a === 0) return finite(g(0), 0);
  const s = Math.sqrt(a);
  if (opts.method === 'gauss-hermite') {
    const { x, w } = gaussHermiteRule(opts.nodes ?? 64);
    let sum = 0;
    for (let k = 0; k < x.length; k++) sum += w[k]! * finite(g(s * x[k]!), s * x[k]!);
    return sum;
  }
  const grid = trapezoidGrid(a, opts);
  let sum = grid.w[0]! * finite(g(0), 0);
  for (let k = 1; k <= grid.half; k++) {
    const x = s * grid.t[k]!;
    sum += grid.w[k]! * (finite(g(x), x) + finite(g(-x), -x));
  }
  return sum;
}

/**
 * Nodes and weights of the N(0, 1) Gauss-Hermite rule with `n` nodes (probabilists'
 * weight): `E[g(t)] ~ sum_k w_k g(x_k)`. Nodes are the eigenvalues of the Jacobi matrix
 * (off-diagonal sqrt(k)), polished by Newton steps on the normalized recurrence; weights are
 * the Christoffel numbers `1 / sum_{r<n} p_r(x_k)^2`.
 * @throws NtkInputError unless 1 <= n <= 400.
 */
export function gaussHermiteRule(n: number): {
  /** Nodes. */
  x: Float64Array;
  /** Weights (they sum to 1: the rule integrates against N(0, 1)). */
  w: Float64Array;
} {
  if (!Number.isInteger(n) || n < 1 || n > 400) {
    throw new NtkInputError('nodes', `must be an integer in [1, 400], got ${n}`, 'pass e.g. nodes = 64');
  }
  const hit = ghCache.get(n);
  if (hit) return hit;
  const jac = new Float64Array(n * n);
  for (let k = 1; k < n; k++) {
    jac[k * n + k - 1] = Math.sqrt(k);
    jac[(k - 1) * n + k] = Math.sqrt(k);
  }
  const x = eigvalsh({ rows: n, cols: n, data: jac });
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let xk = x[k]!;
    for (let it = 0; it < 3; it++) {
      const [pn, pn1] = normalizedPair(n, xk);
      const d = Math.sqrt(n) * pn1; // p_n' = sqrt(n) p_{n-1}
      if (d === 0) break;
      const step = pn / d;
      xk -= step;
      if (Math.abs(step) < 1e-16 * Math.max(1, Math.abs(xk))) break;
    }
    x[k] = xk;
    let s = 0, p0 = 1, p1 = xk;
    s += 1;
    if (n > 1) s += p1 * p1;
    for (let r = 1; r + 1 < n; r++) {
      const p2 = (xk * p1 - Math.sqrt(r) * p0) / Math.sqrt(r + 1);
      s += p2 * p2;
      p0 = p1; p1 = p2;
    }
    w[k] = 1 / s;
  }
  const rule = { x, w };
  ghCache.set(n, rule);
  return rule;
}
const ghCache = new Map<number, { x: Float64Array; w: Float64Array }>();

/** [p_n(x), p_{n-1}(x)] with p_r = He_r / sqrt(r!). */
function normalizedPair(n: number, x: number): [number, number] {
  let p0 = 1, p1 = x;
  if (n === 0) return [1, 0];
  for (let r = 1; r < n; r++) {
    const p2 = (x * p1 - Math.sqrt(r) * p0) / Math.sqrt(r + 1);
    p0 = p1; p1 = p2;
  }
  return [p1, p0];
}

/**
 * Resolves a {@link PhiInput} to phi (and phi' when known): names and {@link Activation}
 * objects give both; a plain function gives phi only.
 * @throws NtkInputError for an unknown activation name or a value that is not a function.
 */
export function resolvePhi(phi: PhiInput): {
  /** phi. */
  phi: ScalarFn;
  /** phi', or null for a plain function. */
  dphi: ScalarFn | null;
  /** The built-in activation, or null for a plain function. */
  activation: Activation | null;
} {
  if (typeof phi === 'function') return { phi, dphi: null, activation: null };
  if (typeof phi === 'string' || (typeof phi === 'object' && phi !== null && typeof (phi as Activation).phi === 'function')) {
    const act = getActivation(phi as string | Activation);
    return { phi: act.phi, dphi: act.dphi, activation: act };
  }
  throw new NtkInputError('activation', 'is neither an activation name, an Activation nor a function',
    'pass e.g. "tanh" or (x) => Math.tanh(x)');
}

/** @throws NtkInputError unless `method` is undefined, `'trapezoid'` or `'gauss-hermite'`. */
export function checkMethod(method: unknown): void {
  if (method !== undefined && method !== 'trapezoid' && method !== 'gauss-hermite') {
    throw new NtkInputError('method', `unknown quadrature ${JSON.stringify(method)}`, 'use trapezoid (default) or gauss-hermite');
  }
}

/** @throws NtkInputError unless `a` is a finite number >= 0. */
export function checkVariance(a: number, name: string): void {
  if (typeof a !== 'number' || !Number.isFinite(a) || a < 0) {
    throw new NtkInputError(name, `must be a finite variance >= 0, got ${a}`, 'pass a non-negative number');
  }
}

/** Returns v, or throws when a user function produced a non-finite value at x. */
export function finite(v: number, x: number): number {
  if (!Number.isFinite(v)) {
    throw new NtkInputError('phi', `returned ${v} at x = ${x}`, 'pass a function that is finite on the real line');
  }
  return v;
}
