/**
 * The pure TypeScript backend: the reference every wasm kernel is tested against, and the
 * fallback where WebAssembly (or its SIMD) is unavailable.
 * @module
 */
import type { Backend } from '../types.js';
import { activation } from './activation.js';
import { axpy, hadamard, rowNorms, scaleCols } from './elementwise.js';
import { gemm, gemmActivation, gemmHadamard } from './gemm.js';
import { jsLinalg } from './linalg.js';
import { gramHadamardAcc, syrk } from './syrk.js';
import { mehlerPairs } from './kernelmap.js';

/** Creates the js backend (single-threaded; no set-up to wait for). */
export function createJsBackend(): Backend {
  return {
    kind: 'js',
    simd: false,
    variant: 'js',
    threads: 1,
    // A Float64Array may hold up to 2^32 - 1 elements in V8 on 64-bit hosts (8 GiB... capped lower in practice).
    maxElements: 2 ** 31 - 1,
    gemm, gemmActivation, gemmHadamard, syrk, gramHadamardAcc,
    activation, hadamard, axpy, scaleCols, rowNorms,
    mehlerPairs,
    ...jsLinalg(),
    memoryBytes: () => 0,
    allocate: (length) => new Float64Array(length),
    freeBuffers: () => {},
    dispose: async () => {},
  };
}
