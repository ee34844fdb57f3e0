/**
 * The initialization constants of Theorem 4.2: `c_{phi,sigma0} = E_{z~N(0,sigma0^2)}[phi(z)^2]`
 * and `nu0^2 = sigma0^2 / c_{phi,sigma0}`, and the inverse map nu0^2 -> sigma0.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { checkPositive } from '../validate.js';
import { gaussExpectation, resolvePhi, type ExpectationOptions, type PhiInput } from './gauss.js';

/**
 * `c_{phi,sigma0} = E_{z~N(0,sigma0^2)}[phi(z)^2]` (Theorem 4.2): from the activation's closed
 * forms when it has them (relu: sigma0^2 / 2), else by the trapezoid rule (~1e-16).
 * @throws NtkInputError unless sigma0 is a positive finite number.
 */
export function cPhi(phi: PhiInput, sigma0: number, opts: ExpectationOptions = {}): number {
  checkSigma0(sigma0);
  const { phi: f, activation } = resolvePhi(phi);
  // Closed forms (erf, sin; relu: sigma0^2 / 2) unless a quadrature is asked for by name.
  const forms = opts.method === undefined ? activation?.closedForms : null;
  if (forms) { const a = sigma0 * sigma0; return forms.pair(a, a, a); }
  return gaussExpectation((x) => { const v = f(x); return v * v; }, sigma0 * sigma0, opts);
}

/**
 * `nu0^2 = sigma0^2 / c_{phi,sigma0}`, the variance of the weights (Theorem 4.2).
 * @throws NtkInputError for a bad sigma0, or when c = 0 (phi vanishes a.s.).
 */
export function nu0sq(phi: PhiInput, sigma0: number, opts: ExpectationOptions = {}): number {
  const c = cPhi(phi, sigma0, opts);
  if (!(c > 0)) throw new NtkInputError('activation', `E[phi(z)^2] = ${c} at sigma0 = ${sigma0}`, 'use an activation that is not a.s. zero');
  return (sigma0 * sigma0) / c;
}

/** Options of {@link sigma0ForNu0sq}. */
export interface Sigma0SearchOptions extends ExpectationOptions {
  /** Search interval for sigma0 (default [1e-6, 1e3]). */
  range?: [number, number];
}

/**
 * The smallest sigma0 with `sigma0^2 / c_{phi,sigma0} = target`, or `null` when no sigma0 in
 * the search range reaches it (tanh: nu0^2 -> 1 only as sigma0 -> 0, so nu0^2 <= 1 is
 * unreachable). The map need not be monotone (GELU's falls from 4 to 2), so it is scanned
 * on a log grid for the first sign change, then bisected to full precision.
 * @throws NtkInputError unless target is a positive finite number.
 */
export function sigma0ForNu0sq(phi: PhiInput, target: number, opts: Sigma0SearchOptions = {}): number | null {
  checkPositive('nu0sq', target, 'pass e.g. nu0sq = 1');
  const [lo, hi] = opts.range ?? [1e-6, 1e3];
  const f = (s: number) => nu0sq(phi, s, opts) - target;
  const steps = 240;
  let s0 = lo, f0 = f(s0);
  if (f0 === 0) return s0;
  for (let k = 1; k <= steps; k++) {
    const s1 = lo * Math.pow(hi / lo, k / steps);
    const f1 = f(s1);
    if (f1 === 0) return s1;
    if ((f0 < 0) !== (f1 < 0)) return bisect(f, s0, s1, f0);
    s0 = s1; f0 = f1;
  }
  return null;
}

function bisect(f: (s: number) => number, a: number, b: number, fa: number): number {
  for (let it = 0; it < 200; it++) {
    const m = 0.5 * (a + b);
    if (m <= a || m >= b) break;
    const fm = f(m);
    if (fm === 0) return m;
    if ((fm < 0) === (fa < 0)) { a = m; fa = fm; } else b = m;
  }
  return 0.5 * (a + b);
}

/** @throws NtkInputError unless sigma0 is a positive finite number. */
export function checkSigma0(sigma0: number): void {
  checkPositive('sigma0', sigma0, 'pass e.g. sigma0 = 1');
  // c_{phi,sigma0} is a Gaussian expectation at variance sigma0^2: below SIGMA0_MIN that
  // variance (and c) underflows and nu0^2 = sigma0^2 / c would be 0/0; above SIGMA0_MAX the
  // quadrature grid (step 0.1/sigma0) passes MAX_GRID_NODES' neighbourhood.
  if (sigma0 < SIGMA0_MIN || sigma0 > SIGMA0_MAX) {
    throw new NtkInputError('sigma0', `must be in [${SIGMA0_MIN}, ${SIGMA0_MAX}], got ${sigma0}`,
      'below, sigma0^2 underflows float64; above, c_{phi,sigma0} needs a quadrature grid of more than 1e6 nodes: rescale sigma0');
  }
}

/** Smallest sigma0 accepted: sigma0^2 and c_{phi,sigma0} stay normal float64 numbers. */
export const SIGMA0_MIN = 1e-150;
/** Largest sigma0 accepted: c_{phi,sigma0}'s trapezoid grid stays near 1e6 nodes. */
export const SIGMA0_MAX = 1e4;
