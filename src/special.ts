/**
 * Special functions needed by the activations and the Gaussian expectations, in float64.
 * JavaScript has no `Math.erf`; these are ours.
 * @module
 */

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * The error function `erf(x) = 2/sqrt(pi) * int_0^x e^{-t^2} dt`, relative error ~1e-16.
 * Maclaurin series for |x| < 2.5 (alternating terms stay below 2e3 there, so cancellation
 * costs at most ~3 digits... see erfc for the tail), continued fraction for erfc beyond.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2) {
    // erf(x) = 2/sqrt(pi) e^{-x^2} sum_k 2^k x^{2k+1} / (1*3*...*(2k+1)): all terms positive.
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let k = 1; k < 200; k++) {
      term *= (2 * x2) / (2 * k + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  const r = 1 - erfcPositive(ax);
  return x < 0 ? -r : r;
}

/** Complementary error function `1 - erf(x)`, accurate in the far tails too. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2) return 1 - erf(x);
  return erfcPositive(x);
}

/** erfc for x >= 2 by the Laplace continued fraction, evaluated bottom-up (Lentz not needed). */
function erfcPositive(x: number): number {
  if (x > 27.3) return 0;
  // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  let f = x;
  for (let k = 120; k >= 1; k--) f = x + (k / 2) / f;
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** Standard normal CDF `Phi(x) = erfc(-x/sqrt 2)/2`, accurate for very negative x. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
