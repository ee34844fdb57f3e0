// The register-only ceiling of this build's multiply-add, for the benchmarks (bench/suites/gemm.mjs
// reports every kernel as a percentage of it). Twelve independent chains c = c * a + b, each a
// multiply and an add (strict build) or one relaxed_madd (relaxed build; fused where the CPU
// fuses): enough chains to cover the latency of two pipes (6-cycle mul+add or 4-cycle FMA at
// 2 per cycle needs 12 and 8), few enough to stay in V8's 16 xmm registers. The product depends
// on the chain, so V8 cannot hoist it out of the loop. a < 1 and b > 0 keep the values near
// b / (1 - a) = 1: no overflow, no subnormals.
import { madd } from './fma';

/**
 * Runs `iters` iterations of the twelve chains: 48 flops per iteration (24 in the scalar build,
 * whose chains are single f64 values). Returns the sum of the chains: a value the caller
 * receives is the only way to keep the optimizer from deleting the chains (a write to an
 * unexported global is removed by binaryen, and then V8 drops the unused loop values).
 */
export function peakProbe(iters: i32): f64 {
  if (!ASC_FEATURE_SIMD) {
    let s0: f64 = 0.5, s1: f64 = 0.51, s2: f64 = 0.52, s3: f64 = 0.53, s4: f64 = 0.54, s5: f64 = 0.55;
    let s6: f64 = 0.56, s7: f64 = 0.57, s8: f64 = 0.58, s9: f64 = 0.59, s10: f64 = 0.6, s11: f64 = 0.61;
    for (let i = 0; i < iters; i++) {
      s0 = s0 * 0.999999 + 1e-6; s1 = s1 * 0.999999 + 1e-6; s2 = s2 * 0.999999 + 1e-6; s3 = s3 * 0.999999 + 1e-6;
      s4 = s4 * 0.999999 + 1e-6; s5 = s5 * 0.999999 + 1e-6; s6 = s6 * 0.999999 + 1e-6; s7 = s7 * 0.999999 + 1e-6;
      s8 = s8 * 0.999999 + 1e-6; s9 = s9 * 0.999999 + 1e-6; s10 = s10 * 0.999999 + 1e-6; s11 = s11 * 0.999999 + 1e-6;
    }
    return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11;
  }
  const a = f64x2.splat(0.999999), b = f64x2.splat(1e-6);
  let c0 = f64x2.splat(0.5), c1 = f64x2.splat(0.51), c2 = f64x2.splat(0.52), c3 = f64x2.splat(0.53);
  let c4 = f64x2.splat(0.54), c5 = f64x2.splat(0.55), c6 = f64x2.splat(0.56), c7 = f64x2.splat(0.57);
  let c8 = f64x2.splat(0.58), c9 = f64x2.splat(0.59), c10 = f64x2.splat(0.6), c11 = f64x2.splat(0.61);
  for (let i = 0; i < iters; i++) {
    c0 = madd(c0, a, b); c1 = madd(c1, a, b); c2 = madd(c2, a, b); c3 = madd(c3, a, b);
    c4 = madd(c4, a, b); c5 = madd(c5, a, b); c6 = madd(c6, a, b); c7 = madd(c7, a, b);
    c8 = madd(c8, a, b); c9 = madd(c9, a, b); c10 = madd(c10, a, b); c11 = madd(c11, a, b);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(f64x2.add(c0, c1), f64x2.add(c2, c3)), f64x2.add(f64x2.add(c4, c5), f64x2.add(c6, c7))),
    f64x2.add(f64x2.add(c8, c9), f64x2.add(c10, c11)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/**
 * The memory roof beside the register one: reads `bytes` (a multiple of 64) from `p` `reps`
 * times with f64x2 loads into four independent sums, the access pattern of a streaming kernel
 * with nothing else to do (bench/suites/lambda-min.mjs sets the triangular solves against it,
 * on one thread and on all at once). Returns the sum, for the same reason as peakProbe.
 */
export function streamProbe(p: usize, bytes: usize, reps: i32): f64 {
  if (!ASC_FEATURE_SIMD) {
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (let r = 0; r < reps; r++) {
      for (let o: usize = 0; o < bytes; o += 32) {
        s0 += load<f64>(p + o); s1 += load<f64>(p + o, 8); s2 += load<f64>(p + o, 16); s3 += load<f64>(p + o, 24);
      }
    }
    return (s0 + s1) + (s2 + s3);
  }
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  for (let r = 0; r < reps; r++) {
    for (let o: usize = 0; o < bytes; o += 64) {
      a0 = f64x2.add(a0, v128.load(p + o)); a1 = f64x2.add(a1, v128.load(p + o, 16));
      a2 = f64x2.add(a2, v128.load(p + o, 32)); a3 = f64x2.add(a3, v128.load(p + o, 48));
    }
  }
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
