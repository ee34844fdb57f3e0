/**
 * Axis helpers shared by the plot spec builders (pure data in, Vega-Lite fragments out).
 * @module
 */

/**
 * One d3 number format for every tick label of a log axis over the given values. Vega's
 * default writes 0.000001 next to 1e-8 on an axis spanning many decades; here an axis is
 * either all plain decimals (`,~g`: 0.00001 to 100,000, the niced domain included) or all
 * exponents (`~e`: 1e-8, 1e-6, 1e+0).
 * @param values the values the axis shows (non-positive ones are ignored: a log axis drops them).
 */
export function logAxisFormat(values: Iterable<unknown>): ',~g' | '~e' {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // Vega nices a log domain out to whole decades: 2e-5 gets a 1e-5 tick (still "0.00001";
  // below 1e-6 the decimal form would turn into an exponent).
  return lo >= 1e-5 && hi <= 1e5 ? ',~g' : '~e';
}
