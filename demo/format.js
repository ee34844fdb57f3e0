// How the page prints numbers and durations: '–' for a number that does not exist.

/** Seconds as `4.2 s`, `37 s` or `2 min 05 s`. */
export function clock(s) {
  if (!Number.isFinite(s)) return '–';
  if (s < 10) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60), r = Math.round(s % 60);
  return m > 0 ? `${m} min ${String(r).padStart(2, '0')} s` : `${r} s`;
}

/** `digits` significant digits; '–' for a number that does not exist. */
export function fmt(x, digits = 4) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toPrecision(digits) : '–';
}

/**
 * One number format for a whole table column (as for a plot axis): toPrecision's decimals
 * while every value of the column reads well that way, else exponents throughout (never
 * 0.00000469 in the row above 8.28e-9).
 */
export function columnFormat(values, digits = 4) {
  const decimal = values.every((x) => typeof x !== 'number' || !Number.isFinite(x) || x === 0 || (Math.abs(x) >= 1e-4 && Math.abs(x) < 1e5));
  return (x) => (typeof x === 'number' && Number.isFinite(x) ? (decimal ? x.toPrecision(digits) : x.toExponential(digits - 1)) : '–');
}
