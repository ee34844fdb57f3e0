// erf and erfc in float64, the twins of src/special.ts.
const SQRT_PI: f64 = 1.7724538509055159;

export function erf(x: f64): f64 {
  if (isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let k = 1; k < 200; k++) {
      term *= (2 * x2) / <f64>(2 * k + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  const r = 1 - erfcPositive(ax);
  return x < 0 ? -r : r;
}

export function erfc(x: f64): f64 {
  if (isNaN(x)) return NaN;
  if (x < 2) return 1 - erf(x);
  return erfcPositive(x);
}

function erfcPositive(x: f64): f64 {
  if (x > 27.3) return 0;
  let f = x;
  for (let k = 120; k >= 1; k--) f = x + (<f64>k / 2) / f;
  return Math.exp(-x * x) / SQRT_PI / f;
}
