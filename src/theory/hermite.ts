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
import { checkFiniteNumber, checkPositive } from '../validate.js';
import {
  checkMethod, checkVariance, defaultStep, finite, gaussHermiteRule, MAX_GRID_NODES, resolvePhi, trapezoidGrid, Z_MAX,
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
  checkPositive('a', a, 'pass e.g. a = 1');
  checkPoint(x);
  let h0 = 1;
  if (r === 0) return h0;
  let h1 = x / a;
  for (let k = 1; k < r; k++) {
    const h2 = (x / a * h1 - (Math.sqrt(k) / a) * h0) / Math.sqrt(k + 1);
    h0 = h1; h1 = h2;
  }
  if (!Number.isFinite(h1)) {
    throw new NtkInputError('x', `H_${r}^{[${a}]}(${x}) exceeds float64's range (it grows like (x/a)^r / sqrt(r!))`, 'use a smaller |x| or degree r');
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
  for (let q = 0; q < out.length; q++) {
    if (!Number.isFinite(out[q]!)) {
      throw new NtkInputError('t', `p_${Math.floor(q / m)}(${t[q % m]}) exceeds float64's range`, 'use nodes of smaller magnitude or a lower degree R');
    }
  }
  return out;
}

/**
 * `sqrt(w_k) p_r(t_k)` for r = 0..R, one row at a time (`row(r, values)`), by the recurrence
 * of {@link normalizedHermiteTable} started from `sqrt(w_k)`: the recurrence is linear, so the
 * scaled values obey it too, and by Cramer's inequality `|p_r(t)| e^{-t^2/4} <= 1.09` they stay
 * bounded for every r and t where p_r(t) alone overflows (|t| = 40, r ~ 1600). Memory O(m).
 */
function scaledHermiteRows(R: number, t: Float64Array, sw: Float64Array, row: (r: number, v: Float64Array) => void): void {
  const m = t.length;
  let p0 = Float64Array.from(sw), p1 = new Float64Array(m), p2 = new Float64Array(m);
  row(0, p0);
  if (R < 1) return;
  for (let k = 0; k < m; k++) p1[k] = t[k]! * sw[k]!;
  row(1, p1);
  for (let r = 1; r < R; r++) {
    const a = 1 / Math.sqrt(r + 1), b = Math.sqrt(r) / Math.sqrt(r + 1);
    for (let k = 0; k < m; k++) p2[k] = a * t[k]! * p1[k]! - b * p0[k]!;
    row(r + 1, p2);
    [p0, p1, p2] = [p1, p2, p0];
  }
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
 * @throws NtkInputError for a bad a, rmax or convention, or a phi that is not finite; naming
 *   rmax when the trapezoid's nodes x degrees exceed {@link MAX_HERMITE_WORK} (large a and rmax).
 */
export function hermiteCoefficients(phi: PhiInput, a: number, opts: HermiteOptions = {}): HermiteCoefficients {
  const { phi: f, activation } = resolvePhi(phi);
  checkPositive('a', a, 'pass e.g. a = 2.5');
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
  checkDegree(R, 'R');
  // The work is checked before the grid (up to 1e7 nodes) is built; trapezoidGrid checks h, zmax.
  const h = opts.h ?? defaultStep(a), zmax = opts.zmax ?? Z_MAX;
  if (h > 0 && zmax > 0 && zmax / h <= MAX_GRID_NODES) checkHermiteWork(Math.ceil(zmax / h - 1e-9) + 1, R, a, opts.h !== undefined);
  const grid = trapezoidGrid(a, opts);
  const s = Math.sqrt(a);
  const m = grid.half + 1;
  // Fold the symmetric grid: p_r(-t) = (-1)^r p_r(t). The weights enter as sqrt(w) g here and
  // sqrt(w) p_r in the rows, so no p_r(t) alone is ever formed (it overflows for large r, t).
  const plus = new Float64Array(m), minus = new Float64Array(m), sw = new Float64Array(m);
  let e2 = 0;
  for (let k = 0; k < m; k++) {
    const x = s * grid.t[k]!;
    const gp = finite(g(x), x);
    const gm = k === 0 ? gp : finite(g(-x), -x);
    const w = grid.w[k]!;
    sw[k] = Math.sqrt(w);
    if (k === 0) { plus[0] = sw[k]! * gp; minus[0] = 0; e2 += w * gp * gp; } else {
      plus[k] = sw[k]! * (gp + gm); minus[k] = sw[k]! * (gp - gm); e2 += w * (gp * gp + gm * gm);
    }
  }
  const b = new Float64Array(R + 1);
  scaledHermiteRows(R, grid.t, sw, (r, p) => {
    const src = r % 2 === 0 ? plus : minus;
    let acc = 0;
    for (let k = 0; k < m; k++) acc += src[k]! * p[k]!;
    b[r] = acc;
  });
  return { b, e2 };
}

/**
 * Most grid-node x degree products one trapezoid expansion may take: ~1 s on one core of a
 * quiet 2020s x86 CPU (a few ns each). The grid grows like sqrt(a) (its step shrinks like
 * 1/sqrt(a)), so at the default step: every rmax <= 10000 up to a ~ 1e4, rmax <= ~1600 at
 * a = 1e6, rmax <= ~60 at a = 1e9. Past it the call is an error at once instead of minutes.
 */
export const MAX_HERMITE_WORK = 2.5e8;

/** @throws NtkInputError naming rmax (and the largest that fits) when m nodes x (R+1) degrees exceed {@link MAX_HERMITE_WORK}. */
function checkHermiteWork(m: number, R: number, a: number, stepGiven: boolean): void {
  if (m * (R + 1) <= MAX_HERMITE_WORK) return;
  const fits = Math.floor(MAX_HERMITE_WORK / m) - 1;
  throw new NtkInputError('rmax', `${R} at a = ${a} needs ${m} grid nodes x ${R + 1} degrees = ${(m * (R + 1)).toExponential(2)} products, ` +
    `more than the ${MAX_HERMITE_WORK.toExponential(1)} (about a second) one expansion may take`,
    (fits >= 0 ? `use rmax <= ${fits} at this a` : 'no rmax fits at this a') +
    (stepGiven ? ', or a larger step h' : ', or a smaller variance a (the grid grows like sqrt(a))'));
}

function orthonormalGaussHermite(g: ScalarFn, a: number, R: number, nodes: number): { b: Float64Array; e2: number } {
  const { x, w } = gaussHermiteRule(nodes);
  const s = Math.sqrt(a);
  const gv = new Float64Array(x.length), sw = new Float64Array(x.length);
  let e2 = 0;
  for (let k = 0; k < x.length; k++) {
    const v = finite(g(s * x[k]!), s * x[k]!);
    e2 += w[k]! * v * v;
    sw[k] = Math.sqrt(w[k]!);
    gv[k] = sw[k]! * v;
  }
  const b = new Float64Array(R + 1);
  scaledHermiteRows(R, x, sw, (r, p) => {
    let acc = 0;
    for (let k = 0; k < x.length; k++) acc += gv[k]! * p[k]!;
    b[r] = acc;
  });
  return { b, e2 };
}

/**
 * Converts coefficients between conventions at variance a: `expand = a^{r/2} orthonormal`,
 * `weighted = a^{-r/2} orthonormal`.
 * @throws NtkInputError for an unknown convention or a variance a that is not positive and finite.
 */
export function convertCoefficients(c: Float64Array, a: number, from: HermiteConvention, to: HermiteConvention): Float64Array {
  checkConvention(from); checkConvention(to);
  checkPositive('a', a, 'pass the variance the coefficients were computed at');
  const exp = (conv: HermiteConvention) => (conv === 'expand' ? 0.5 : conv === 'weighted' ? -0.5 : 0);
  const p = exp(to) - exp(from);
  const out = new Float64Array(c.length);
  if (p === 0) { out.set(c); return out; }
  // a^{p r} alone overflows (a = 50, r = 2000) where a^{p r} c_r may not, and 0 * Infinity
  // would be NaN: the power goes in two halves (each rounding once, as pow), and only past that
  // in logarithms. A value beyond float64 is an error naming the first such r.
  for (let r = 0; r < c.length; r++) {
    const x = c[r]!;
    if (x === 0 || !Number.isFinite(x)) { out[r] = x; continue; }
    const f = Math.pow(a, p * r);
    let y = f > 0 && f < Infinity ? x * f : (x * Math.pow(a, (p * r) / 2)) * Math.pow(a, (p * r) / 2);
    if (!Number.isFinite(y) || y === 0) {
      const lg = Math.log(Math.abs(x)) + p * r * Math.log(a);
      if (lg > LN_MAX) {
        throw new NtkInputError('rmax', `the ${to} coefficient of degree ${r} at a = ${a} is 10^${(lg / Math.LN10).toFixed(1)}, beyond float64 (1.8e308)`,
          `use rmax <= ${r - 1}, or the orthonormal convention (whose coefficients are at most sqrt(E[phi^2]))`);
      }
      y = Math.sign(x) * Math.exp(lg);
    }
    out[r] = y;
  }
  return out;
}

const LN_MAX = Math.log(Number.MAX_VALUE);

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
  if (!Number.isFinite(sum)) {
    throw new NtkInputError('x', `the series overflows at x = ${x} (H_r^{[a]}(x) grows like (x/a)^r / sqrt(r!))`, 'evaluate at a smaller |x| or with fewer coefficients');
  }
  return sum;
}

/** The evaluation point must be a finite number (a NaN would come back as a NaN, unexplained). */
function checkPoint(x: number): void {
  checkFiniteNumber('x', x);
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
