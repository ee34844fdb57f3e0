// One pass writing phi(x) and phi'(x) for the seven activations (ids in activation-ids.ts):
// f64x2 range-reduction/polynomial code for pairs of elements, scalar code for the odd tail
// and for the build without SIMD. phi or dphi may be 0 to skip it; either may alias x (each
// element is read before it is written). NaN in gives NaN out; +-Infinity give the limits.
//
// Each activation is one class holding its two formulas and nothing else: `one` (element o/8,
// scalar) and `pair` (elements o/8 and o/8 + 1, f64x2; SIMD builds only). The loops are written
// once, generic over the class (`run<A>`); adding an activation means an id in
// activation-ids.ts (and src/activations.ts), a class here and its line in `activation`.
//
// Every f64x2 path is branch-free per lane (both halves of a piecewise formula are computed
// and selected with a mask): activations see mixed signs and magnitudes in every pair, so a
// branch would be mispredicted about half the time. Accuracy (test/activations.test.ts):
// phi and phi' within a few ulps relative, except absolute near phi' = 0 of GELU and the
// zeros of sin/cos.
import { ACT_ERF, ACT_GELU, ACT_RELU, ACT_SIGMOID, ACT_SIN, ACT_SOFTPLUS, ACT_TANH } from './activation-ids';
import {
  erf, erfcxV, erfSmallV, expClamp, expK, expm1Poly, expNegSquare, expNegSquareV, expR, expV,
  fixDeep, gelu, geluPrime, poly11, poly6, pow2K,
} from './special';

const LN2: f64 = 0.6931471805599453;
const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const INV_SQRT2: f64 = 0.7071067811865476;
const TWO_OVER_PI: f64 = 0.6366197723675814;
// pi/2 = PIO2_1 + PIO2_2 + PIO2_3, the first two on 33 bits: k * PIO2_1 and k * PIO2_2 are
// exact for |k| < 2^20, which the f64x2 sin path guarantees by sending |x| > 2^19 to Math.sin.
const PIO2_1: f64 = 1.5707963267341256;
const PIO2_2: f64 = 6.077100506303966e-11;
const PIO2_3: f64 = 2.0222662487959506e-21;
const SIN_RANGE: f64 = 524288; // 2^19

// log((1+s)/(1-s)) = 2s + s w B(w), w = s^2 <= 1/9 (scripts/fit-special.py).
const LOG1P_B: usize = memory.data<f64>([0.6666666666666666, 0.40000000000000013, 0.28571428571421886, 0.222222222233406, 0.18181818085339407, 0.15384620283714326, 0.13333176115594045, 0.11768012629305745, 0.10480229576921894, 0.09943223896396348, 0.06329335155343918, 0.152394569500184]);
// sin r = r + r w S(w), cos r = 1 - w/2 + w^2 C(w), w = r^2, |r| <= pi/4.
const SIN_S: usize = memory.data<f64>([-0.16666666666666666, 0.008333333333333331, -0.00019841269841265065, 2.755731921933908e-06, -2.5052106232417426e-08, 1.605853161420715e-10, -7.586696835994803e-13]);
const COS_C: usize = memory.data<f64>([0.041666666666666664, -0.0013888888888888887, 2.4801587301584645e-05, -2.7557319221402777e-07, 2.087675579106366e-09, -1.1470460884952935e-11, 4.745871745416475e-14]);

/** Writes phi(x[i]) and phi'(x[i]) for i < n; see the file comment. Unknown ids write NaN. */
export function activation(id: i32, x: usize, phi: usize, dphi: usize, n: i32): void {
  if (id == ACT_TANH) run<Tanh>(x, phi, dphi, n);
  else if (id == ACT_SIGMOID) run<Sigmoid>(x, phi, dphi, n);
  else if (id == ACT_ERF) run<Erf>(x, phi, dphi, n);
  else if (id == ACT_GELU) run<Gelu>(x, phi, dphi, n);
  else if (id == ACT_SOFTPLUS) run<Softplus>(x, phi, dphi, n);
  else if (id == ACT_SIN) run<Sin>(x, phi, dphi, n);
  else if (id == ACT_RELU) run<Relu>(x, phi, dphi, n);
  else for (let i = 0; i < n; i++) put(phi, dphi, <usize>i << 3, NaN, NaN);
}

// ---------------------------------------------------------------- the loops, written once
// AssemblyScript has no static members on type parameters, so the loops call the methods of
// `changetype<A>(0)`: the activation classes have no fields and their @inline methods never
// read `this`, so that reference is never dereferenced; each `run<A>` compiles to its own
// function with the formulas inlined, as if written out by hand.

/** The pairs, then the odd element (or every element without SIMD). */
function run<A>(x: usize, phi: usize, dphi: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    i = n & ~1;
    // Three loops, each storing only what was asked for: the want flags are literals, so after
    // inlining `pair` computes nothing else.
    if (phi && dphi) pairs<A>(x, phi, dphi, i, true, true);
    else if (phi) pairs<A>(x, phi, 0, i, true, false);
    else if (dphi) pairs<A>(x, 0, dphi, i, false, true);
  }
  const act = changetype<A>(0);
  for (; i < n; i++) act.one(x, phi, dphi, <usize>i << 3);
}

/** Pairs of elements for n even: four per iteration, independent dependency chains for the out-of-order core. */
@inline function pairs<A>(x: usize, phi: usize, dphi: usize, n: i32, wantF: bool, wantD: bool): void {
  const act = changetype<A>(0);
  const n8 = n & ~7;
  let i = 0;
  for (; i < n8; i += 8) {
    const o = <usize>i << 3;
    act.pair(x, phi, dphi, o, wantF, wantD); act.pair(x, phi, dphi, o + 16, wantF, wantD);
    act.pair(x, phi, dphi, o + 32, wantF, wantD); act.pair(x, phi, dphi, o + 48, wantF, wantD);
  }
  for (; i < n; i += 2) act.pair(x, phi, dphi, <usize>i << 3, wantF, wantD);
}

/** Stores phi' then phi of element o/8 (each where asked for). */
@inline function put(phi: usize, dphi: usize, o: usize, f: f64, d: f64): void {
  if (dphi) store<f64>(dphi + o, d);
  if (phi) store<f64>(phi + o, f);
}

// ---------------------------------------------------------------- the activations

@inline function splat(c: f64): v128 {
  return f64x2.splat(c);
}

/** Sign bit of x moved onto y (y >= 0 or NaN). */
@inline function withSignOf(y: v128, x: v128): v128 {
  return v128.or(y, v128.and(x, i64x2.splat(0x8000000000000000)));
}

// tanh |x| = -m / (2 + m) with m = e^{-2|x|} - 1 (no cancellation near 0), and
// tanh' = sech^2 = 4e / (1 + e)^2 with e = e^{-2|x|} (relatively accurate at any |x|); both
// from one range reduction (e = 2^k (1 + p), m = 2^k p + (2^k - 1)) and one division.
@final class Tanh {
  @inline one(x: usize, phi: usize, dphi: usize, o: usize): void {
    const v = load<f64>(x + o);
    const f = Math.tanh(v);
    const a = Math.abs(v);
    let d: f64;
    if (a < 0.625) d = 1 - f * f;
    else { const e = Math.exp(-2 * a); d = (4 * e) / ((1 + e) * (1 + e)); }
    put(phi, dphi, o, f, d);
  }

  @inline pair(x: usize, phi: usize, dphi: usize, o: usize, wantF: bool, wantD: bool): void {
    const v = v128.load(x + o);
    const a0 = f64x2.mul(f64x2.abs(v), splat(-2));
    const a = expClamp(a0);
    const kr = expK(a);
    const p = expm1Poly(expR(a, kr, splat(0)));
    const s = pow2K(kr);
    const sp = f64x2.mul(s, p);
    const m = f64x2.add(f64x2.sub(s, splat(1)), sp);
    const inv = f64x2.div(splat(1), f64x2.add(splat(2), m));
    if (wantD) {
      // Below EXP_MIN, m = -1 already; only e needs the deep path.
      const e = fixDeep(f64x2.add(s, sp), a0, splat(0));
      v128.store(dphi + o, f64x2.mul(f64x2.mul(splat(4), e), f64x2.mul(inv, inv)));
    }
    if (wantF) {
      // |m inv| rather than -m inv: m = 0 at x = +-0 must give +0 before the sign is applied.
      v128.store(phi + o, withSignOf(f64x2.abs(f64x2.mul(m, inv)), v));
    }
  }
}

// sigmoid from e = e^{-|x|}: 1/(1+e) and e/(1+e) are both relatively accurate; their product
// is sigma'.
@final class Sigmoid {
  @inline one(x: usize, phi: usize, dphi: usize, o: usize): void {
    const v = load<f64>(x + o);
    const e = Math.exp(-Math.abs(v));
    const big = 1 / (1 + e), small = e * big;
    put(phi, dphi, o, v >= 0 ? big : small, big * small);
  }

  @inline pair(x: usize, phi: usize, dphi: usize, o: usize, wantF: bool, wantD: bool): void {
    const v = v128.load(x + o);
    const e = expV(f64x2.neg(f64x2.abs(v)), splat(0));
    const big = f64x2.div(splat(1), f64x2.add(splat(1), e));
    const small = f64x2.mul(e, big);
    if (wantD) v128.store(dphi + o, f64x2.mul(big, small));
    // x >= 0 is false for NaN, whose e is NaN: `small` carries it.
    if (wantF) v128.store(phi + o, v128.bitselect(big, small, f64x2.ge(v, splat(0))));
  }
}

// log(1 + e^x) - log 2 = max(x, 0) + log1p(m/2), m = e^{-|x|} - 1, with
// log1p(u) = 2 atanh(s), s = u/(2+u) = m/(4+m) in [-1/3, 0]. phi' = sigmoid from e = 1 + m.
@final class Softplus {
  @inline one(x: usize, phi: usize, dphi: usize, o: usize): void {
    // log(1 + e^x) - log 2 = max(x, 0) + log1p(expm1(-|x|)/2): relative accuracy near 0 too.
    const v = load<f64>(x + o);
    const a = Math.abs(v);
    const e = Math.exp(-a);
    put(phi, dphi, o, Math.max(v, 0) + Math.log1p(0.5 * Math.expm1(-a)), v >= 0 ? 1 / (1 + e) : e / (1 + e));
  }

  @inline pair(x: usize, phi: usize, dphi: usize, o: usize, wantF: bool, wantD: bool): void {
    const v = v128.load(x + o);
    const a0 = f64x2.neg(f64x2.abs(v));
    const a = expClamp(a0);
    const kr = expK(a);
    const p = expm1Poly(expR(a, kr, splat(0)));
    const s = pow2K(kr);
    const sp = f64x2.mul(s, p);
    const m = f64x2.add(f64x2.sub(s, splat(1)), sp);
    if (wantD) {
      const e = fixDeep(f64x2.add(s, sp), a0, splat(0));
      const big = f64x2.div(splat(1), f64x2.add(splat(2), m));
      v128.store(dphi + o, v128.bitselect(big, f64x2.mul(e, big), f64x2.ge(v, splat(0))));
    }
    if (wantF) {
      const t = f64x2.div(m, f64x2.add(splat(4), m));
      const w = f64x2.mul(t, t);
      const l = f64x2.add(f64x2.add(t, t), f64x2.mul(t, f64x2.mul(w, poly11(LOG1P_B, w))));
      v128.store(phi + o, f64x2.add(f64x2.max(v, splat(0)), l));
    }
  }
}

// erf: the small-|x| polynomial and 1 - e^{-x^2} erfcx(|x|) computed for both lanes, selected
// by |x| < 1; erf' = 2/sqrt(pi) e^{-x^2} reuses the exponential.
@final class Erf {
  @inline one(x: usize, phi: usize, dphi: usize, o: usize): void {
    const v = load<f64>(x + o);
    const a = Math.abs(v);
    put(phi, dphi, o, erf(v), a < 40 ? TWO_OVER_SQRT_PI * expNegSquare(a, 1) : a == a ? 0 : NaN);
  }

  @inline pair(x: usize, phi: usize, dphi: usize, o: usize, wantF: bool, wantD: bool): void {
    const v = v128.load(x + o);
    const z = f64x2.min(f64x2.abs(v), splat(40)); // NaN stays NaN
    const e = expNegSquareV(z, 1);
    if (wantD) v128.store(dphi + o, f64x2.mul(splat(TWO_OVER_SQRT_PI), e));
    if (wantF) {
      const tail = withSignOf(f64x2.sub(splat(1), f64x2.mul(e, erfcxV(z))), v);
      v128.store(phi + o, v128.bitselect(erfSmallV(v), tail, f64x2.lt(z, splat(1))));
    }
  }
}

// GELU x Phi(x) with Phi from the erf polynomial for |x|/sqrt2 < 0.5 and from
// e^{-x^2/2} erfcx(|x|/sqrt2)/2 beyond, the Gaussian factor computed from x itself (exact
// square). For x < 0 in the tail, phi = (x erfcx/2) e and phi' = e (erfcx/2 + x/sqrt(2 pi)):
// the Gaussian factor comes last, so nothing underflows before the result does. x is clamped
// to [-40, 40], where GELU is x or 0 in float64, which also maps +-Infinity to the limits.
@final class Gelu {
  @inline one(x: usize, phi: usize, dphi: usize, o: usize): void {
    const v = load<f64>(x + o);
    put(phi, dphi, o, gelu(v), geluPrime(v));
  }

  @inline pair(x: usize, phi: usize, dphi: usize, o: usize, wantF: bool, wantD: bool): void {
    const v = v128.load(x + o);
    const xc = f64x2.max(f64x2.min(v, splat(40)), splat(-40));
    const a = f64x2.abs(xc);
    const z = f64x2.mul(a, splat(INV_SQRT2));
    const e = expNegSquareV(a, 0.5);
    const central = f64x2.add(splat(0.5), f64x2.mul(splat(0.5), erfSmallV(f64x2.mul(xc, splat(INV_SQRT2)))));
    const hr = f64x2.mul(splat(0.5), erfcxV(z));
    const isCentral = f64x2.lt(z, splat(0.5));
    const negTail = v128.andnot(f64x2.lt(xc, splat(0)), isCentral);
    const c = f64x2.mul(hr, e);
    const cdf = v128.bitselect(central, f64x2.sub(splat(1), c), isCentral); // wrong on negTail, unused there
    const xpdf = f64x2.mul(xc, f64x2.mul(e, splat(INV_SQRT_2PI)));
    if (wantD) {
      const dNeg = f64x2.mul(e, f64x2.add(hr, f64x2.mul(xc, splat(INV_SQRT_2PI))));
      v128.store(dphi + o, v128.bitselect(dNeg, f64x2.add(cdf, xpdf), negTail));
    }
    if (wantF) {
      const fNeg = f64x2.mul(f64x2.mul(xc, hr), e);
      v128.store(phi + o, v128.bitselect(fNeg, f64x2.mul(f64x2.max(v, splat(-40)), cdf), negTail));
    }
  }
}

// sin and cos together: x = k pi/2 + r (Cody-Waite, three parts), one polynomial each on
// |r| <= pi/4, swapped and negated by the quadrant k mod 4. Lanes with |x| > 2^19, Infinity
// or NaN go to Math.sin/Math.cos (exact reduction), which is rare and predictable.
@final class Sin {
  @inline one(x: usize, phi: usize, dphi: usize, o: usize): void {
    const v = load<f64>(x + o);
    put(phi, dphi, o, Math.sin(v), Math.cos(v));
  }

  @inline pair(x: usize, phi: usize, dphi: usize, o: usize, wantF: bool, wantD: bool): void {
    const v = v128.load(x + o);
    const k = f64x2.nearest(f64x2.mul(v, splat(TWO_OVER_PI)));
    let r = f64x2.sub(v, f64x2.mul(k, splat(PIO2_1)));
    r = f64x2.sub(r, f64x2.mul(k, splat(PIO2_2)));
    r = f64x2.sub(r, f64x2.mul(k, splat(PIO2_3)));
    const w = f64x2.mul(r, r);
    const sr = f64x2.add(r, f64x2.mul(r, f64x2.mul(w, poly6(SIN_S, w))));
    const cr = f64x2.add(f64x2.sub(splat(1), f64x2.mul(splat(0.5), w)), f64x2.mul(f64x2.mul(w, w), poly6(COS_C, w)));
    const q = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
    const swap = i64x2.eq(v128.and(q, i64x2.splat(1)), i64x2.splat(1));
    // sin is negated in quadrants 2, 3 and cos in 1, 2: bit 1 of q (resp. q + 1) to bit 63.
    const sinNeg = i64x2.shl(v128.and(q, i64x2.splat(2)), 62);
    const cosNeg = i64x2.shl(v128.and(i64x2.add(q, i64x2.splat(1)), i64x2.splat(2)), 62);
    // sin x = x below 2^-27 (x^3/6 is under half an ulp); taking x itself also keeps sin(-0) = -0,
    // which the reduction loses (-0 - k pi/2 with k = -0 is +0).
    const tiny = f64x2.lt(f64x2.abs(v), splat(7.450580596923828e-9));
    let f = v128.bitselect(v, v128.xor(v128.bitselect(cr, sr, swap), sinNeg), tiny);
    let d = v128.xor(v128.bitselect(sr, cr, swap), cosNeg);
    const ok = f64x2.le(f64x2.abs(v), splat(SIN_RANGE));
    if (!i64x2.all_true(ok)) {
      if (!i64x2.extract_lane(ok, 0)) {
        const v0 = f64x2.extract_lane(v, 0);
        f = f64x2.replace_lane(f, 0, Math.sin(v0));
        d = f64x2.replace_lane(d, 0, Math.cos(v0));
      }
      if (!i64x2.extract_lane(ok, 1)) {
        const v1 = f64x2.extract_lane(v, 1);
        f = f64x2.replace_lane(f, 1, Math.sin(v1));
        d = f64x2.replace_lane(d, 1, Math.cos(v1));
      }
    }
    if (wantD) v128.store(dphi + o, d);
    if (wantF) v128.store(phi + o, f);
  }
}

// ReLU: two compares and selects per pair (memory-bound).
@final class Relu {
  @inline one(x: usize, phi: usize, dphi: usize, o: usize): void {
    // phi'(0) = 0 (src/activations.ts); NaN stays NaN in both.
    const v = load<f64>(x + o);
    put(phi, dphi, o, v > 0 ? v : v == v ? 0 : NaN, v > 0 ? 1 : v == v ? 0 : NaN);
  }

  @inline pair(x: usize, phi: usize, dphi: usize, o: usize, wantF: bool, wantD: bool): void {
    const v = v128.load(x + o);
    const pos = f64x2.gt(v, splat(0));
    const nan = f64x2.ne(v, v);
    if (wantD) v128.store(dphi + o, v128.bitselect(v, v128.and(pos, splat(1)), nan));
    if (wantF) v128.store(phi + o, v128.bitselect(v, splat(0), v128.or(pos, nan)));
  }
}
