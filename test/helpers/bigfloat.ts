/**
 * A small arbitrary-precision binary floating point on BigInt, for references that must be
 * independent of (and far more accurate than) the float64 code under test: exp, expm1, log1p,
 * erf/erfc, the normal CDF, sin/cos. Values are `m * 2^e`; every result is truncated to `P`
 * significant bits (default 200), so a reference carries ~60 decimal digits, and the series
 * below add the guard bits their cancellation needs. Slow (microseconds to milliseconds per
 * value): meant for a few thousand points per test.
 */

export interface BF {
  readonly m: bigint;
  readonly e: number;
}

const P_DEFAULT = 200;

function bitLength(m: bigint): number {
  if (m < 0n) m = -m;
  return m === 0n ? 0 : m.toString(16).length * 4 - (Math.clz32(parseInt(m.toString(16)[0]!, 16)) - 28);
}

function norm(a: BF, p: number): BF {
  const len = bitLength(a.m);
  if (len <= p) return a;
  const s = len - p;
  return { m: a.m >> BigInt(s), e: a.e + s }; // floor; the reference keeps 100+ guard bits
}

/** Exact value of a finite double. */
export function bf(x: number): BF {
  if (!Number.isFinite(x)) throw new Error(`bf: not finite: ${x}`);
  if (x === 0) return { m: 0n, e: 0 };
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0), lo = dv.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074; else { mant |= 1n << 52n; e = exp - 1075; }
  return { m: x < 0 ? -mant : mant, e };
}

export function fromInt(n: number | bigint): BF {
  return { m: BigInt(n), e: 0 };
}

export function add(a: BF, b: BF, p = P_DEFAULT): BF {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  // Skip a term far below the other's precision (keeps shifts bounded).
  const la = bitLength(a.m) + a.e, lb = bitLength(b.m) + b.e;
  if (la - lb > p + 64) return a;
  if (lb - la > p + 64) return b;
  return norm({ m: (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e }, p);
}

export function neg(a: BF): BF {
  return { m: -a.m, e: a.e };
}

export function sub(a: BF, b: BF, p = P_DEFAULT): BF {
  return add(a, neg(b), p);
}

export function mul(a: BF, b: BF, p = P_DEFAULT): BF {
  return norm({ m: a.m * b.m, e: a.e + b.e }, p);
}

export function div(a: BF, b: BF, p = P_DEFAULT): BF {
  if (b.m === 0n) throw new Error('bf: division by zero');
  const s = p + bitLength(b.m) - bitLength(a.m) + 2;
  const m = s >= 0 ? (a.m << BigInt(s)) / b.m : (a.m >> BigInt(-s)) / b.m;
  return norm({ m, e: a.e - b.e - s }, p);
}

/** a * 2^k, exact. */
export function ldexp(a: BF, k: number): BF {
  return { m: a.m, e: a.e + k };
}

export function sign(a: BF): number {
  return a.m > 0n ? 1 : a.m < 0n ? -1 : 0;
}

export function abs(a: BF): BF {
  return a.m < 0n ? neg(a) : a;
}

/** log2 |a|, roughly (for sizing). */
export function log2Abs(a: BF): number {
  return a.m === 0n ? -Infinity : bitLength(a.m) + a.e;
}

/** Nearest double (round half to even on the significand; subnormals and overflow handled). */
export function toNumber(a: BF): number {
  if (a.m === 0n) return 0;
  const s = a.m < 0n ? -1 : 1;
  let m = s < 0 ? -a.m : a.m;
  let e = a.e;
  const len = bitLength(m);
  // Keep 53 bits (fewer for subnormals: the last bit is worth 2^-1074).
  let keep = 53;
  if (len + e - 1 < -1022) keep = Math.max(0, 53 - (-1022 - (len + e - 1)));
  if (len > keep) {
    const drop = len - keep;
    const rem = m & ((1n << BigInt(drop)) - 1n);
    const half = 1n << BigInt(drop - 1);
    m >>= BigInt(drop);
    e += drop;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
  }
  // m < 2^54 here: exact as a double; scale in two steps to avoid spurious overflow/underflow.
  const h = Math.trunc(e / 2);
  return s * Number(m) * 2 ** h * 2 ** (e - h);
}

/**
 * Relative error |y - r| / |r| of the double y against reference r, as a double. With r = 0 it
 * is |y| (absolute).
 */
export function relError(y: number, r: BF): number {
  const d = abs(sub(bf(y), r, 80));
  if (r.m === 0n) return toNumber(d);
  return toNumber(div(d, abs(r), 60));
}

// ---------------------------------------------------------------- constants

const cachePi = new Map<number, BF>();

/** arctan(1/q) for an integer q >= 2, by its Taylor series. */
function atanInv(q: number, p: number): BF {
  const qq = fromInt(q * q);
  let term = div(fromInt(1), fromInt(q), p);
  let sum = term;
  for (let k = 1; log2Abs(term) > log2Abs(sum) - p - 8; k++) {
    term = div(term, qq, p);
    const t = div(term, fromInt(2 * k + 1), p);
    sum = k % 2 ? sub(sum, t, p) : add(sum, t, p);
  }
  return sum;
}

/** pi to p bits (Machin's formula). */
export function pi(p = P_DEFAULT): BF {
  let v = cachePi.get(p);
  if (!v) {
    const q = p + 32;
    v = norm(sub(ldexp(atanInv(5, q), 4), ldexp(atanInv(239, q), 2), q), p);
    cachePi.set(p, v);
  }
  return v;
}

/** sqrt(a), a > 0, by Newton from the double estimate. */
export function sqrt(a: BF, p = P_DEFAULT): BF {
  const q = p + 16;
  // Start from the double square root of a scaled into range.
  const k = Math.floor(log2Abs(a) / 2) * 2 - 52;
  let x = ldexp(bf(Math.sqrt(toNumber(ldexp(a, -k)))), k / 2);
  for (let it = 0; it < 8; it++) x = ldexp(add(x, div(a, x, q), q), -1);
  return norm(x, p);
}

// ---------------------------------------------------------------- functions

/** e^a. */
export function exp(a: BF, p = P_DEFAULT): BF {
  if (a.m === 0n) return fromInt(1);
  if (a.m < 0n) return div(fromInt(1), exp(neg(a), p), p);
  // e^a = (e^{a / 2^j})^{2^j} with a / 2^j < 2^-8; j squarings cost j bits, so add guard bits.
  const j = Math.max(0, Math.ceil(log2Abs(a)) + 8);
  const q = p + j + 32;
  const y = ldexp(a, -j);
  let term = fromInt(1), sum = fromInt(1);
  for (let k = 1; log2Abs(term) > -q - 8; k++) {
    term = div(mul(term, y, q), fromInt(k), q);
    sum = add(sum, term, q);
  }
  for (let i = 0; i < j; i++) sum = mul(sum, sum, q);
  return norm(sum, p);
}

/** e^a - 1, relatively accurate near 0. */
export function expm1(a: BF, p = P_DEFAULT): BF {
  if (log2Abs(a) > -1) return sub(exp(a, p + 8), fromInt(1), p);
  const q = p + 16;
  let term = a, sum = a;
  for (let k = 2; log2Abs(term) > log2Abs(sum) - q; k++) {
    term = div(mul(term, a, q), fromInt(k), q);
    sum = add(sum, term, q);
  }
  return norm(sum, p);
}

/** log(1 + u) for u > -1, relatively accurate near 0. */
export function log1p(u: BF, p = P_DEFAULT): BF {
  const q = p + 32;
  if (log2Abs(u) < -1) {
    // 2 atanh(s), s = u / (2 + u), |s| < 1/7.
    const s = div(u, add(fromInt(2), u, q), q);
    const s2 = mul(s, s, q);
    let term = s, sum = s;
    for (let k = 1; log2Abs(term) > log2Abs(sum) - q; k++) {
      term = mul(term, s2, q);
      sum = add(sum, div(term, fromInt(2 * k + 1), q), q);
    }
    return norm(ldexp(sum, 1), p);
  }
  // Newton on e^y = 1 + u from the double estimate.
  const w = add(fromInt(1), u, q);
  let y = bf(Math.log1p(toNumber(u)));
  for (let it = 0; it < 4; it++) {
    const ey = exp(y, q);
    y = add(y, div(sub(w, ey, q), ey, q), q);
  }
  return norm(y, p);
}

/**
 * sum_k c^k / (1 * 3 * ... * (2k+1)) for c >= 0 given exactly with few bits (c = 2 x^2 of a
 * double x), in fixed point with q fractional bits: each step multiplies by a small integer
 * and divides by 2k+1, so it costs O(q) per term even for the thousands of terms of the tail.
 */
function oddFactorialSeries(c: BF, q: number): BF {
  const cm = c.m, sh = c.e;
  const one = 1n << BigInt(q);
  let t = one, sum = one;
  const cNum = toNumber(c);
  for (let k = 1; ; k++) {
    t *= cm;
    t = sh >= 0 ? t << BigInt(sh) : t >> BigInt(-sh);
    t /= BigInt(2 * k + 1);
    sum += t;
    if (t === 0n && k > cNum) break;
  }
  return { m: sum, e: -q };
}

/**
 * erf(z) and erfc(z) for z = a (or z = a / sqrt 2 with `halve`), a a double, by the
 * everywhere-positive series erf(z) = 2/sqrt(pi) z e^{-z^2} sum_k (2z^2)^k / (2k+1)!!, where
 * z^2 = a^2 (or a^2/2) is exact. Carried with enough guard bits that erfc = 1 - erf keeps p bits
 * even in the far tail (z itself is computed at that working precision too).
 */
function erfScaled(a: BF, halve: boolean, p: number): { erf: BF; erfc: BF } {
  if (a.m === 0n) return { erf: fromInt(0), erfc: fromInt(1) };
  const z2: BF = { m: a.m * a.m, e: 2 * a.e - (halve ? 1 : 0) };
  // erfc(z) ~ e^{-z^2}: 1.4427 z^2 bits cancel in 1 - erf; the series grows to ~e^{z^2}.
  const guard = Math.ceil(1.4427 * toNumber(z2)) + 64;
  const q = p + 2 * guard;
  const x = halve ? div(abs(a), sqrt(fromInt(2), q), q) : abs(a);
  const sum = oddFactorialSeries(ldexp(z2, 1), q);
  const e = div(mul(mul(sum, x, q), exp(neg(z2), q), q), sqrt(pi(q), q), q);
  const erfAbs = ldexp(e, 1);
  return sign(a) > 0
    ? { erf: norm(erfAbs, p), erfc: norm(sub(fromInt(1), erfAbs, q), p) }
    : { erf: norm(neg(erfAbs), p), erfc: norm(add(fromInt(1), erfAbs, q), p) };
}

/** erf(a) and erfc(a) for a double a. */
export function erfPair(a: BF, p = P_DEFAULT): { erf: BF; erfc: BF } {
  return erfScaled(a, false, p);
}

/** Standard normal CDF Phi(a) = erfc(-a/sqrt 2)/2 for a double a. */
export function normalCdf(a: BF, p = P_DEFAULT): BF {
  return norm(ldexp(erfScaled(neg(a), true, p + 32).erfc, -1), p);
}

/** Standard normal density e^{-a^2/2} / sqrt(2 pi). */
export function normalPdf(a: BF, p = P_DEFAULT): BF {
  const q = p + 32;
  return norm(div(exp(neg(ldexp(mul(a, a, q), -1)), q), sqrt(ldexp(pi(q), 1), q), q), p);
}

/** sin(a) and cos(a): reduction modulo pi/2 with pi carried to cover a's magnitude, then Taylor. */
export function sinCos(a: BF, p = P_DEFAULT): { sin: BF; cos: BF } {
  const q = p + Math.max(0, log2Abs(a)) + 32;
  const halfPi = ldexp(pi(q), -1);
  const k = Math.round(toNumber(div(a, halfPi, 80)));
  const r = sub(a, mul(fromInt(k), halfPi, q), q);
  const r2 = mul(r, r, q);
  let ts = r, s = r, tc = fromInt(1), c = fromInt(1);
  for (let j = 1; log2Abs(ts) > -q - 8 || log2Abs(tc) > -q - 8; j++) {
    ts = neg(div(mul(ts, r2, q), fromInt((2 * j) * (2 * j + 1)), q));
    tc = neg(div(mul(tc, r2, q), fromInt((2 * j - 1) * (2 * j)), q));
    s = add(s, ts, q);
    c = add(c, tc, q);
    if (r2.m === 0n) break;
  }
  const quadrant = ((k % 4) + 4) % 4;
  const out = [
    { sin: s, cos: c }, { sin: c, cos: neg(s) }, { sin: neg(s), cos: neg(c) }, { sin: neg(c), cos: s },
  ][quadrant]!;
  return { sin: norm(out.sin, p), cos: norm(out.cos, p) };
}
