/**
 * Generalized Hermite polynomials and coefficients (paper Definition 4.1, eqs. (6)-(7)), read
 * as in docs/conventions.md:
 *
 * `H_r^{[a]}(x) = (-1)^r / sqrt(r!) e^{x^2/2a} d^r/dx^r e^{-x^2/2a} = a^{-r/2} He_r(x/sqrt a) / sqrt(r!)`,
 * orthogonal under N(0, a) with `E[H_r^{[a]} H_s^{[a]}] = a^{-r} delta_rs`.
 *
 * Coefficient conventions of a function g under N(0, a), all from
 * `b_r(a) = E_{x~N(0,a)}[g(x) He_r(x/sqrt a)/sqrt(r!)]`:
 * - `orthonormal`: `b_r(a)` (Parseval: `E[g^2] = sum_r b_r^2`);
 * - `expand` (default): `mu_r^{[a]} = a^{r/2} b_r(a)`, so that `g = sum_r mu_r H_r^{[a]}` (eq. (7));
 * - `weighted`: `E[g H_r^{[a]}] = a^{-r/2} b_r(a)` (eq. (6) with the Gaussian weight inserted).
 * @module
 */
import { NtkInputError } from '../errors.js';
import {
  checkMethod, checkVariance, finite, gaussHermiteRule, resolvePhi, trapezoidGrid,
  type GridOptions, type PhiInput, type ScalarFn,
} from './gauss.js';

/** Name of a coefficient convention (see the module comment). */
export type HermiteConvention = 'expand' | 'orthonormal' | 'weighted';

/** The conventions, in the order reports list them. */
export const hermiteConventions: readonly HermiteConvention[] = ['expand', 'orthonormal', 'weighted'];

/**
 * `H_r^{[a]}(x)`, by the three-term recurrence
 * `H_{r+1} = (x/a) H_r / sqrt(r+1) - (sqrt(r)/a) H_{r-1} / sqrt(r+1)`, which is stable (the
 * polynomials are the dominant solution) and overflow-free for r in the hundreds.
 * @param r degree, integer >= 0.
 * @param a variance, > 0.
 * @throws NtkInputError for a bad r or a, or a non-finite x.
 */
export function hermite(r: number, a: number, x: number): number {
  checkDegree(r, 'r');
  if (!(a > 0 && Number.isFinite(a))) throw new NtkInputError('a', `must be a positive finite number, got ${a}`, 'pass e.g. a = 1');
  checkPoint(x);
  let h0 = 1;
  if (r === 0) return h0;
  let h1 = x / a;
  for (let k = 1; k < r; k++) {
    const h2 = (x / a * h1 - (Math.sqrt(k) / a) * h0) / Math.sqrt(k + 1);
    h0 = h1; h1 = h2;
  }
  return h1;
}

/**
 * `p_r(t) = He_r(t)/sqrt(r!)` for r = 0..R at every node: a (R+1) x t.length row-major table
 * (row r). These are the orthonormal polynomials of N(0, 1).
 */
export function normalizedHermiteTable(R: number, t: Float64Array): Float64Array {
  checkDegree(R, 'R');
  const m = t.length;
  const out = new Float64Array((R + 1) * m);
  out.fill(1, 0, m);
  if (R >= 1) out.set(t, m);
  for (let r = 1; r < R; r++) {
    const a = 1 / Math.sqrt(r + 1), b = Math.sqrt(r) / Math.sqrt(r + 1);
    const p0 = (r - 1) * m, p1 = r * m, p2 = (r + 1) * m;
    for (let k = 0; k < m; k++) out[p2 + k] = a * t[k]! * out[p1 + k]! - b * out[p0 + k]!;
  }
  return out;
}

/** Options of {@link hermiteCoefficients}. */
export interface HermiteOptions extends GridOptions {
  /** Highest degree (default 10). */
  rmax?: number;
  /** Coefficient convention (default `'expand'`). */
  convention?: HermiteConvention;
  /**
   * `'trapezoid'` (~1e-16 absolute for smooth phi) or `'gauss-hermite'` (error: see gauss.ts).
   * Default: the activation's closed forms when it has them (relu, sin), else `'trapezoid'`.
   */
  method?: 'trapezoid' | 'gauss-hermite';
  /** Gauss-Hermite nodes (default 128). */
  nodes?: number;
}

/** Result of {@link hermiteCoefficients}. */
export interface HermiteCoefficients {
  /** The variance a of N(0, a). */
  a: number;
  /** Highest degree computed. */
  rmax: number;
  /** Convention of `coefficients`. */
  convention: HermiteConvention;
  /** Coefficients r = 0..rmax in the requested convention. */
  coefficients: Float64Array;
  /** The same in the orthonormal convention, b_r(a). */
  orthonormal: Float64Array;
  /** `E_{N(0,a)}[phi^2]`. */
  ePhi2: number;
  /** `E[phi^2] - sum_{r<=rmax} b_r^2`: the Parseval tail beyond rmax (>= 0 up to rounding). */
  parsevalResidual: number;
  /** How the coefficients were computed: the activation's closed forms (relu, sin) or a quadrature. */
  method: 'closed-form' | 'trapezoid' | 'gauss-hermite';
}

/**
 * Generalized Hermite coefficients of phi under N(0, a), r = 0..rmax (Definition 4.1).
 * Works for the built-in activations and for any JS function finite on the real line.
 * @param phi activation name, `Activation` object or function.
 * @param a variance, > 0.
 * @throws NtkInputError for a bad a, rmax or convention, or a phi that is not finite.
 */
export function hermiteCoefficients(phi: PhiInput, a: number, opts: HermiteOptions = {}): HermiteCoefficients {
  const { phi: f, activation } = resolvePhi(phi);
  if (!(a > 0 && Number.isFinite(a))) throw new NtkInputError('a', `must be a positive finite number, got ${a}`, 'pass e.g. a = 2.5');
  const rmax = opts.rmax ?? 10;
  checkDegree(rmax, 'rmax');
  const convention = checkConvention(opts.convention ?? 'expand');
  checkMethod(opts.method);
  // Closed forms (relu, sin) unless a quadrature is asked for by name.
  const forms = opts.method === undefined ? activation?.closedForms ?? null : null;
  const method = forms?.hermite ? 'closed-form' : opts.method ?? 'trapezoid';
  const { b, e2 } = forms?.hermite
    ? { b: forms.hermite(a, rmax, false), e2: forms.pair(a, a, a) }
    : method === 'gauss-hermite'
      ? orthonormalGaussHermite(f, a, rmax, opts.nodes ?? 128)
      : orthonormalTrapezoid(f, a, rmax, opts);
  let s = 0;
  for (let r = 0; r <= rmax; r++) s += b[r]! * b[r]!;
  return {
    a, rmax, convention, coefficients: convertCoefficients(b, a, 'orthonormal', convention), orthonormal: b,
    ePhi2: e2, parsevalResidual: e2 - s, method,
  };
}

/** Orthonormal coefficients b_0..b_R and E[g^2] by the trapezoid rule (see gauss.ts). */
export function orthonormalTrapezoid(g: ScalarFn, a: number, R: number, opts: GridOptions = {}): {
  /** b_0..b_R, the orthonormal coefficients. */
  b: Float64Array;
  /** E_{N(0,a)}[g^2]. */
  e2: number;
} {
  checkVariance(a, 'a');
  const grid = trapezoidGrid(a, opts);
  const s = Math.sqrt(a);
  const P = normalizedHermiteTable(R, grid.t);
  const m = grid.half + 1;
  // Fold the symmetric grid: p_r(-t) = (-1)^r p_r(t).
  const plus = new Float64Array(m), minus = new Float64Array(m);
  let e2 = 0;
  for (let k = 0; k < m; k++) {
    const x = s * grid.t[k]!;
    const gp = finite(g(x), x);
    const gm = k === 0 ? gp : finite(g(-x), -x);
    const w = grid.w[k]!;
    if (k === 0) { plus[0] = w * gp; minus[0] = 0; e2 += w * gp * gp; } else {
      plus[k] = w * (gp + gm); minus[k] = w * (gp - gm); e2 += w * (gp * gp + gm * gm);
    }
  }
  const b = new Float64Array(R + 1);
  for (let r = 0; r <= R; r++) {
    const src = r % 2 === 0 ? plus : minus;
    let acc = 0;
    for (let k = 0; k < m; k++) acc += src[k]! * P[r * m + k]!;
    b[r] = acc;
  }
  return { b, e2 };
}

function orthonormalGaussHermite(g: ScalarFn, a: number, R: number, nodes: number): { b: Float64Array; e2: number } {
  const { x, w } = gaussHermiteRule(nodes);
  const s = Math.sqrt(a);
  const P = normalizedHermiteTable(R, x);
  const b = new Float64Array(R + 1);
  let e2 = 0;
  for (let k = 0; k < x.length; k++) {
    const v = finite(g(s * x[k]!), s * x[k]!);
    e2 += w[k]! * v * v;
    for (let r = 0; r <= R; r++) b[r]! += w[k]! * v * P[r * x.length + k]!;
  }
  return { b, e2 };
}

/**
 * Converts coefficients between conventions at variance a: `expand = a^{r/2} orthonormal`,
 * `weighted = a^{-r/2} orthonormal`.
 * @throws NtkInputError for an unknown convention or a variance a that is not positive and finite.
 */
export function convertCoefficients(c: Float64Array, a: number, from: HermiteConvention, to: HermiteConvention): Float64Array {
  checkConvention(from); checkConvention(to);
  if (!(a > 0 && Number.isFinite(a))) throw new NtkInputError('a', `must be a positive finite number, got ${a}`, 'pass the variance the coefficients were computed at');
  const exp = (conv: HermiteConvention) => (conv === 'expand' ? 0.5 : conv === 'weighted' ? -0.5 : 0);
  const p = exp(to) - exp(from);
  const out = new Float64Array(c.length);
  for (let r = 0; r < c.length; r++) out[r] = p === 0 ? c[r]! : c[r]! * Math.pow(a, p * r);
  return out;
}

/**
 * The truncated series `sum_{r<=R} coef_r H_r^{[a]}(x)` rebuilt from coefficients in any
 * convention (eq. (7)); with `expand` coefficients this is the L2(N(0,a)) projection of phi.
 * @throws NtkInputError for a non-finite x, a bad a or an unknown convention.
 */
export function hermiteSeries(coefficients: Float64Array, a: number, x: number, convention: HermiteConvention = 'expand'): number {
  checkPoint(x);
  const b = convertCoefficients(coefficients, a, convention, 'orthonormal');
  const t = x / Math.sqrt(a);
  let p0 = 1, p1 = t, sum = b[0] ?? 0;
  if (b.length > 1) sum += b[1]! * p1;
  for (let r = 1; r + 1 < b.length; r++) {
    const p2 = (t * p1 - Math.sqrt(r) * p0) / Math.sqrt(r + 1);
    sum += b[r + 1]! * p2;
    p0 = p1; p1 = p2;
  }
  return sum;
}

/** The evaluation point must be a finite number (a NaN would come back as a NaN, unexplained). */
function checkPoint(x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new NtkInputError('x', `must be a finite number, got ${x}`, 'pass a real evaluation point');
}

/** @throws NtkInputError unless r is an integer in [0, 10000]. */
export function checkDegree(r: number, name: string): void {
  if (!Number.isInteger(r) || r < 0 || r > 10000) {
    throw new NtkInputError(name, `must be an integer >= 0, got ${r}`, `pass e.g. ${name} = 10`);
  }
}

/** @throws NtkInputError for an unknown convention name. */
export function checkConvention(c: string): HermiteConvention {
  if (!(hermiteConventions as readonly string[]).includes(c)) {
    throw new NtkInputError('convention', `unknown convention ${JSON.stringify(c)}`, `use one of ${hermiteConventions.join(', ')}`);
  }
  return c as HermiteConvention;
}
