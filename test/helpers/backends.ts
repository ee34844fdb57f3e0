/**
 * The backends every kernel suite runs against (`describe.each(backendCases)`), loaded once
 * per test file. The wasm cases are the strict SIMD build and the relaxed SIMD build (fused
 * multiply-add), each on 1 and 2 threads, and the scalar build: every suite checks both SIMD
 * builds at the same tolerances.
 */
import { createJsBackend } from '../../src/backend/js/index.js';
import type { Backend } from '../../src/backend/types.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';

export interface BackendCase {
  name: string;
  get: () => Promise<Backend>;
}

const cache = new Map<string, Promise<Backend>>();
function cached(name: string, make: () => Promise<Backend>): BackendCase {
  return { name, get: () => { if (!cache.has(name)) cache.set(name, make()); return cache.get(name)!; } };
}

export const jsCase = cached('js', async () => createJsBackend());
export const wasmCase = cached('wasm', () => createWasmBackend({ threads: 1, variant: 'strict' }));
export const wasm2Case = cached('wasm-2threads', () => createWasmBackend({ threads: 2, variant: 'strict' }));
export const relaxedCase = cached('wasm-relaxed', () => createWasmBackend({ threads: 1, variant: 'relaxed' }));
export const relaxed2Case = cached('wasm-relaxed-2threads', () => createWasmBackend({ threads: 2, variant: 'relaxed' }));
export const scalarCase = cached('wasm-scalar', () => createWasmBackend({ threads: 1, variant: 'scalar' }));

/** Every backend configuration. */
export const backendCases: BackendCase[] = [jsCase, wasmCase, wasm2Case, relaxedCase, relaxed2Case, scalarCase];
