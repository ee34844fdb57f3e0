// Multiply-add on f64x2, written once for both SIMD builds. ASC_FEATURE_RELAXED_SIMD is a
// compile-time constant: the "relaxed" targets of asconfig.json (--enable relaxed-simd) get
// f64x2.relaxed_madd, which V8 lowers to a fused multiply-add where the CPU has one (one
// rounding instead of two: results differ from the strict build in the last bits); the strict
// builds get a multiply then an add, bit-for-bit the same on every CPU. Dead branches are
// removed at compile time, so neither build pays for the other.
//
// The elementwise kernels (assembly/elementwise.ts) and the Mehler pair loop
// (assembly/kernelmap.ts) deliberately do not use these: they must agree bitwise with their
// js twins.

/** a * b + c, lane-wise (fused in the relaxed builds). */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** c - a * b, lane-wise (fused in the relaxed builds). */
// @ts-ignore: decorator
@inline export function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_nmadd(a, b, c);
  return f64x2.sub(c, f64x2.mul(a, b));
}

/** Whether this build fuses multiply-adds (1 for the relaxed builds): the loader checks it. */
export function fusedMultiplyAdd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
