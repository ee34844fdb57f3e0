/**
 * Closed-form Gaussian expectations of the activations that have them, carried by the
 * activations as data (src/activations.ts) and used by the infinite-width kernels, lambda_1,
 * c_{phi,sigma0} and the Hermite coefficients in place of quadrature and Mehler series.
 *
 * For `(u, u') ~ N(0, [[a, s], [s, b]])`:
 * - erf (arcsine kernel): `E[erf u erf u'] = (2/pi) asin(2s / sqrt((1+2a)(1+2b)))`,
 *   `E[erf' u erf' u'] = (4/pi) / sqrt((1+2a)(1+2b) - 4s^2)`;
 * - sin (exponential-hyperbolic): `E[sin u sin u'] = e^{-(a+b)/2} sinh s`,
 *   `E[cos u cos u'] = e^{-(a+b)/2} cosh s`;
 * - relu (Cho and Saul's arc-cosine kernels of degree 1 and 0), `theta = arccos(s / sqrt(ab))`:
 *   `E[relu u relu u'] = sqrt(ab) (sin theta + (pi - theta) cos theta) / (2 pi)`,
 *   `E[1{u>0} 1{u'>0}] = (pi - theta) / (2 pi)` (phi'(0) = 0: a zero variance gives 0).
 *
 * Orthonormal Hermite coefficients `b_r(a) = E_{x~N(0,a)}[g(x) He_r(x/sqrt a)/sqrt(r!)]`
 * (src/theory/hermite.ts) in closed form, from `He_r phi = (-1)^r phi^{(r)}` (phi the normal
 * density) and `E[e^{i l t} He_r(t)] = (i l)^r e^{-l^2/2}`:
 * - relu: `b_0 = sqrt(a/(2pi))`, `b_1 = sqrt(a)/2`, `b_r = sqrt(a) He_{r-2}(0) phi(0) / sqrt(r!)`
 *   for r >= 2 (zero for odd r); its derivative, the step: `b_0 = 1/2`,
 *   `b_r = He_{r-1}(0) phi(0) / sqrt(r!)` (zero for even r >= 2);
 * - sin: `b_r = (-1)^{(r-1)/2} a^{r/2} e^{-a/2} / sqrt(r!)` for odd r; cos the same for even r
 *   with `(-1)^{r/2}`.
 * Each form is written to keep its accuracy where the textbook one loses it (noted inline);
 * docs/conventions.md ("ReLU") fixes the same reading.
 * The covariance is clamped to `|s| <= sqrt(ab)`, as the series path clamps rho.
 * @module
 */

/** Closed-form Gaussian expectations of one activation (see the module comment). */
export interface GaussianClosedForms {
  /** Name of the kernel, for reports (`arcsine kernel`, ...). */
  readonly kernel: string;
  /** `E[phi(u) phi(u')]` for variances a, b >= 0 and covariance s. */
  readonly pair: (a: number, b: number, s: number) => number;
  /** `E[phi'(u) phi'(u')]` for variances a, b >= 0 and covariance s. */
  readonly pairDerivative: (a: number, b: number, s: number) => number;
  /**
   * Orthonormal Hermite coefficients b_0..b_R of phi (or of phi' with `derivative`) under
   * N(0, a), a > 0; absent when there is no convenient closed form (erf).
   */
  readonly hermite?: (a: number, R: number, derivative: boolean) => Float64Array;
}

const INV_SQRT_2PI = 0.3989422804014327;

/** s clamped to [-sqrt(ab), sqrt(ab)] (rounding can push a Gram entry past Cauchy-Schwarz). */
function clampCov(a: number, b: number, s: number): number {
  const lim = Math.sqrt(a * b);
  return Math.max(-lim, Math.min(lim, s));
}

/** erf: the arcsine kernel. */
export const erfForms: GaussianClosedForms = {
  kernel: 'arcsine kernel',
  pair(a, b, s) {
    s = clampCov(a, b, s);
    const q = (1 + 2 * a) * (1 + 2 * b);
    return (2 / Math.PI) * Math.asin(Math.max(-1, Math.min(1, (2 * s) / Math.sqrt(q))));
  },
  pairDerivative(a, b, s) {
    s = clampCov(a, b, s);
    // |s| <= sqrt(ab) makes q - 4 s^2 >= 1 + 2a + 2b > 0.
    return (4 / Math.PI) / Math.sqrt((1 + 2 * a) * (1 + 2 * b) - 4 * s * s);
  },
};

/** e^{-h} sinh(s) or e^{-h} cosh(s) without overflow: |s| <= h, so e^{|s| - h} <= 1. */
function expHyperbolic(h: number, s: number, odd: boolean): number {
  const x = Math.abs(s);
  // Small |s|: sinh directly keeps its relative accuracy (e^x - e^-x would cancel).
  if (x < 20) return Math.exp(-h) * (odd ? Math.sinh(s) : Math.cosh(s));
  const v = 0.5 * (Math.exp(x - h) + (odd ? -1 : 1) * Math.exp(-x - h));
  return odd && s < 0 ? -v : v;
}

/** Hermite coefficients of sin (odd degrees) or cos (even degrees) under N(0, a). */
function sinHermite(a: number, R: number, derivative: boolean): Float64Array {
  const b = new Float64Array(R + 1);
  // a^{r/2} / sqrt(r!) by the ratio sqrt(a / r): no overflow of a^{r/2} or r!.
  let t = Math.exp(-a / 2);
  for (let r = 0; r <= R; r++) {
    if (r > 0) t *= Math.sqrt(a / r);
    const odd = r % 2 === 1;
    if (odd !== derivative) b[r] = (Math.floor(r / 2) % 2 === 0 ? 1 : -1) * t;
  }
  return b;
}

/** sin: exponential-hyperbolic forms. */
export const sinForms: GaussianClosedForms = {
  kernel: 'exponential-hyperbolic kernel',
  pair: (a, b, s) => expHyperbolic((a + b) / 2, clampCov(a, b, s), true),
  pairDerivative: (a, b, s) => expHyperbolic((a + b) / 2, clampCov(a, b, s), false),
  hermite: sinHermite,
};

/** rho = s / sqrt(ab) in [-1, 1] and the two angles' pieces: sin theta and pi - theta. */
function arcCosine(a: number, b: number, s: number): { sin: number; rest: number; rho: number } {
  const rho = Math.max(-1, Math.min(1, s / Math.sqrt(a * b)));
  // sin theta = sqrt((1 - rho)(1 + rho)) and pi - theta = atan2(sin theta, -rho): accurate at
  // both ends, where arccos(rho) and 1 - rho^2 lose digits.
  const sin = Math.sqrt((1 - rho) * (1 + rho));
  return { sin, rest: Math.atan2(sin, -rho), rho };
}

/** Hermite coefficients of relu (or of its derivative, the step 1{x > 0}) under N(0, a). */
function reluHermite(a: number, R: number, derivative: boolean): Float64Array {
  const b = new Float64Array(R + 1);
  const scale = derivative ? 1 : Math.sqrt(a);
  b[0] = derivative ? 0.5 : scale * INV_SQRT_2PI;
  if (R >= 1) b[1] = derivative ? INV_SQRT_2PI : 0.5 * scale;
  // The nonzero higher terms: c_k = He_k(0) phi(0) / sqrt((k+j)!) with j = 2 (relu) or 1 (step),
  // k even; He_{k+2}(0) = -(k+1) He_k(0), so c_{k+2} / c_k = -(k+1) / sqrt((k+j+1)(k+j+2)).
  const j = derivative ? 1 : 2;
  let c = scale * INV_SQRT_2PI / Math.sqrt(j === 2 ? 2 : 1);
  for (let r = j; r <= R; r += 2) {
    if (r >= 2) b[r] = c;
    const k = r - j;
    c *= -(k + 1) / Math.sqrt((r + 1) * (r + 2));
  }
  return b;
}

/** relu: arc-cosine kernels of degree 1 (phi) and 0 (phi'). */
export const reluForms: GaussianClosedForms = {
  kernel: 'arc-cosine kernels (degree 1 and 0)',
  pair(a, b, s) {
    if (!(a > 0 && b > 0)) return 0;
    const t = arcCosine(a, b, s);
    // pi / (2 pi) is exactly 1/2 and sqrt(a a) is exactly a: E[relu(u)^2] = a/2 to the bit.
    return Math.sqrt(a * b) * ((t.sin + t.rest * t.rho) / (2 * Math.PI));
  },
  pairDerivative(a, b, s) {
    // phi'(0) = 0: a zero variance means u = 0 almost surely, so phi'(u) = 0.
    if (!(a > 0 && b > 0)) return 0;
    return arcCosine(a, b, s).rest / (2 * Math.PI);
  },
  hermite: reluHermite,
};
