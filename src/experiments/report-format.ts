/**
 * How numbers print in the Markdown reports (report.ts and its sections, threshold-report.ts).
 * A number that is undefined (null, NaN, infinite, or the log of a ratio <= 0) never prints as
 * `NaN` or `Infinity`: it prints as `–`, or the caller says in words what is undefined.
 * Browser-safe.
 * @module
 */
import { parseValues } from './grid.js';

/** Printed for a number that does not exist. */
export const NONE = '–';

/**
 * A number in `digits` significant digits (exponent form outside [1e-3, 1e5)); `–` for null or
 * a non-finite value. `like`: format as that number would be, so the ends of a range print alike.
 */
export function num(x: number | null | undefined, digits = 4, like?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  const a = Math.abs(like !== undefined && Number.isFinite(like) ? like : x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

/** `x` with `digits` decimals; `–` for null or a non-finite value. */
export function fixed(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NONE : x.toFixed(digits);
}

/** `x` in exponent form with one decimal; `–` for a non-finite value. */
export function sci(x: number): string {
  return Number.isFinite(x) ? x.toExponential(1) : NONE;
}

/** `a to b`, or `a` when both print the same. */
export function span(a: string, b: string): string {
  return a === b ? a : `${a} to ${b}`;
}

/**
 * Orders of magnitude of ratios from `lo` to `hi` (log10, one decimal): `a to b`, or null when
 * either end is not a positive finite number (its log is undefined: the caller says why).
 */
export function ordersOfMagnitude(lo: number | null, hi: number | null): string | null {
  const ok = (x: number | null): x is number => x !== null && x > 0 && Number.isFinite(x);
  return ok(lo) && ok(hi) ? span(Math.log10(lo).toFixed(1), Math.log10(hi).toFixed(1)) : null;
}

/** `a:b:step` when the values are such a range (and parse back to the same list), else a list. */
export function formatValues(v: readonly number[]): string {
  if (v.length >= 3) {
    const step = Number((v[1]! - v[0]!).toPrecision(12));
    const text = `${v[0]}:${v[v.length - 1]}:${step}`;
    if (step > 0) {
      try {
        if (JSON.stringify(parseValues('values', text)) === JSON.stringify(v)) return text;
      } catch { /* not a range */ }
    }
  }
  return v.join(',');
}

/** The values for a reader: all of them up to 8, else the range or the ends. */
export function list(v: readonly number[]): string {
  if (v.length <= 8) return v.join(', ');
  const f = formatValues(v);
  return f.includes(':') ? `${v[0]} to ${v[v.length - 1]} step ${Number((v[1]! - v[0]!).toPrecision(12))} (${v.length} values)` : `${v.slice(0, 3).join(', ')}, ..., ${v[v.length - 1]} (${v.length} values)`;
}

/** Seconds as `1.23 s`, `4 min 5 s` or `2 h 3 min`. */
export function duration(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The file name of a link. */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
