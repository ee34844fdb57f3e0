/**
 * The one seeded generator of ntk-wasm. Weights and data are drawn here, in JavaScript, on the
 * same code path whichever backend runs the kernels, so they are bit-identical across backends
 * and across JS engines (Node and browsers):
 *
 * - Uniforms: xoshiro128** (Blackman and Vigna), 32-bit integer arithmetic only (`Math.imul`,
 *   shifts), seeded by SplitMix32 from `(seed, stream)`; a float64 uniform in [0, 1) takes 53
 *   bits from two outputs.
 * - Gaussians: Marsaglia's polar method. Its logarithm is {@link detLog}, built from IEEE basic
 *   operations only (+, -, *, /, sqrt are correctly rounded everywhere), because `Math.log`
 *   may differ in the last bit between engines.
 *
 * Streams separate what a seed draws: each layer's weights, v and the data each use their own
 * stream, so changing a width does not change the data, and Figure 1 can keep one data set for
 * every weight seed.
 * @module
 */
import { checkSeed } from './validate.js';

/** Stream ids: weights of layer l use `STREAM_W + l`. */
export const Streams = {
  /** Stream of the data X (gaussianData). */
  data: 1,
  /** Stream of the output weights v. */
  v: 2,
  /** Base of the weight streams: W_l uses W + l. */
  W: 16,
} as const;

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seeded stream of uniforms and Gaussians (see the module comment). */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  /**
   * @param seed any integer in [0, 2^53) (the low and high 32-bit halves both count).
   * @param stream which independent stream of that seed (see {@link Streams}).
   * @throws NtkInputError for a seed that is not an integer in [0, 2^53) (NaN would silently act as 0).
   */
  constructor(seed: number, stream = 0) {
    checkSeed('seed', seed);
    const lo = seed >>> 0, hi = Math.floor(seed / 4294967296) >>> 0;
    let x = splitmix32(lo ^ splitmix32(hi ^ splitmix32(stream)));
    this.s0 = x = splitmix32(x);
    this.s1 = x = splitmix32(x);
    this.s2 = x = splitmix32(x);
    this.s3 = x = splitmix32(x);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 random bits as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** A uniform float64 in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5, b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal variate (polar method; pairs are used in order). */
  gaussian(): number {
    // One draw is a fill of length 1 (sd = 1 multiplies exactly): one polar method to maintain.
    return this.fillGaussian(ONE)[0]!;
  }

  /**
   * Fills `out` with N(0, variance) values, pairs of the polar method in order (a pending spare
   * is used first, and one left over is kept for the next call, so filling in pieces gives the
   * same numbers as filling at once). The generator state is in locals because a network of
   * width 4000 draws 16M values.
   */
  fillGaussian(out: Float64Array, variance = 1): Float64Array {
    const sd = Math.sqrt(variance);
    const len = out.length;
    let i = 0;
    if (len > 0 && !Number.isNaN(this.spare)) {
      out[i++] = sd * this.spare;
      this.spare = NaN;
    }
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    // xoshiro128** inlined (nextUint32); each uniform takes two outputs, as in uniform().
    const next = (): number => {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
      s3 = rotl(s3, 11);
      return r;
    };
    while (i < len) {
      const ua = next() >>> 5, ub = next() >>> 6;
      const va = next() >>> 5, vb = next() >>> 6;
      const u = 2 * ((ua * 67108864 + ub) / 9007199254740992) - 1;
      const v = 2 * ((va * 67108864 + vb) / 9007199254740992) - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * detLog(s)) / s);
      out[i++] = sd * (u * f);
      if (i < len) out[i++] = sd * (v * f);
      else this.spare = v * f;
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return out;
  }
}

const ONE = new Float64Array(1);

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const LN2_HI = 0.6931471803691238; // ln 2 split so that e * LN2_HI is exact for |e| < 2^11
const LN2_LO = 1.9082149292705877e-10;
const SQRT1_2 = Math.SQRT1_2;
// One 8-byte scratch seen as a float64 and as two 32-bit words (faster than a DataView);
// HI is the index of the word with the sign and exponent on this platform's byte order.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = (F64[0] = 1, U32[1] === 0x3ff00000 ? 1 : 0);
// 1/k for odd k = 1..27, computed once: the same correctly rounded quotients as dividing each
// time, so detLog's bits do not depend on this table.
const INV_ODD = Array.from({ length: 14 }, (_, j) => 1 / (2 * j + 1));
const [I1, I3, I5, I7, I9, I11, I13, I15, I17, I19, I21, I23, I25, I27] = INV_ODD as [number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/**
 * Natural logarithm from IEEE basic operations only, so it gives the same bits in every
 * engine: x = 2^e m with m in [sqrt(1/2), sqrt 2), then log m = 2 atanh((m-1)/(m+1)) by its
 * odd series. Relative error ~2e-16; for x > 0 finite (0 < x < 1 in the polar method). Outside
 * that range it answers as `Math.log` does: -Infinity at 0, Infinity at Infinity, NaN below 0.
 */
export function detLog(x: number): number {
  if (!(x > 0 && x < Infinity)) return x === 0 ? -Infinity : x === Infinity ? Infinity : NaN;
  F64[0] = x;
  const hi = U32[HI]!;
  let e = ((hi >>> 20) & 0x7ff) - 1023;
  if (e === -1023) return detLog(x * 18014398509481984) - 54 * (LN2_HI + LN2_LO); // subnormal: scale by 2^54
  U32[HI] = (hi & 0x800fffff) | 0x3ff00000; // mantissa in [1, 2)
  let m = F64[0]!;
  if (m > 2 * SQRT1_2) { m /= 2; e += 1; }
  const s = (m - 1) / (m + 1), s2 = s * s;
  // 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.1716, s^2 <= 0.0295: 13 terms reach 1e-20.
  // Horner from 1/27 down to 1/1, written out (the loop it replaces ran k = 25, 23, ..., 1).
  let p = I27;
  p = I25 + s2 * p; p = I23 + s2 * p; p = I21 + s2 * p; p = I19 + s2 * p;
  p = I17 + s2 * p; p = I15 + s2 * p; p = I13 + s2 * p; p = I11 + s2 * p;
  p = I9 + s2 * p; p = I7 + s2 * p; p = I5 + s2 * p; p = I3 + s2 * p; p = I1 + s2 * p;
  const logm = 2 * s * p;
  return e * LN2_HI + (logm + e * LN2_LO);
}
