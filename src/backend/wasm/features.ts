/**
 * Which wasm builds this host can run, found by validating tiny modules (no CPU or browser
 * sniffing), and the V8 flags Node needs before anything compiles.
 * @module
 */
import { isNode } from '../../platform.js';

/**
 * `(func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2
 * f64x2.relaxed_madd)`: validates exactly where relaxed SIMD (and so the relaxed build) does.
 */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128 v128 v128) -> v128
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x87, 0x02, 0x0b, // code
]);

let prepared: Promise<void> | null = null;

/**
 * In Node, sets the V8 flags the backend wants before any module compiles (V8 flags are
 * process-wide, so worker threads get them too): `--no-wasm-dynamic-tiering` (optimized code at
 * once, also in workers, rather than the baseline tier first) and, on Node 20 where relaxed SIMD
 * is still behind a flag, `--experimental-wasm-relaxed-simd`. Idempotent; does nothing in browsers.
 */
export function prepareHost(): Promise<void> {
  // One promise for every caller: backends created concurrently must all wait for the flags.
  prepared ??= (async () => {
    if (!isNode) return;
    const v8 = process.getBuiltinModule('node:v8'); // no import(): browser bundlers would warn
    v8.setFlagsFromString('--no-wasm-dynamic-tiering');
    // Node 22+ (V8 >= 12) ships relaxed SIMD; only older V8 needs (and knows) the flag.
    if (typeof WebAssembly === 'object' && !WebAssembly.validate(RELAXED_PROBE)) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  })();
  return prepared;
}

/**
 * Whether this host runs relaxed SIMD (f64x2.relaxed_madd): Node 22+, Node 20 after
 * {@link prepareHost}, Chrome and Edge 114+; not every other browser (Safari).
 */
export async function relaxedSimdSupported(): Promise<boolean> {
  await prepareHost();
  return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
}
