/**
 * Reusable scratch arrays for the theory pipeline's large temporaries. Touching fresh memory
 * costs page faults (on some virtual machines ~10 ms per MB), which for n x n temporaries can
 * exceed the arithmetic; each named slot keeps its array alive only weakly, so the garbage
 * collector may still reclaim it between calls.
 * @module
 */

const pool = new Map<string, WeakRef<Float64Array>>();

/**
 * A Float64Array of exactly `length` elements for the named slot, reused across calls when
 * the previous one is still alive and large enough. Its contents are unspecified: callers
 * overwrite every element they read. Two live uses must not share a slot name.
 */
export function scratch(slot: string, length: number): Float64Array {
  const hit = pool.get(slot)?.deref();
  if (hit && hit.length >= length) return hit.subarray(0, length);
  const a = new Float64Array(length);
  pool.set(slot, new WeakRef(a));
  return a;
}
