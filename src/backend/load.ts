/**
 * Choosing a backend once, at load, with graceful fallback.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { availableCores } from '../platform.js';
import { createJsBackend } from './js/index.js';
import type { Backend } from './types.js';

/** Options of {@link loadBackend}. */
export interface LoadOptions {
  /** `'auto'` (default): wasm when it loads, else js; `'wasm'`: wasm or fall back with a note; `'js'`. */
  backend?: 'auto' | 'wasm' | 'js';
  /** Threads for BLAS-3 kernels (default: the available cores; browsers: 1 unless cross-origin isolated). */
  threads?: number;
  /** Wasm build: `'simd'` (default) or `'scalar'` (benchmarks). */
  variant?: 'simd' | 'scalar';
}

/** A loaded backend and why it is the one it is. */
export interface LoadedBackend {
  /** The backend to pass as `{ backend }` (or made the default by init); call its `dispose()` to stop its worker threads. */
  backend: Backend;
  /** One line: what was chosen and, after a fallback, why. */
  note: string;
}

/**
 * Loads a backend. Never throws because WebAssembly, SIMD or shared memory is missing: it then
 * returns the js backend and says why in `note`.
 * @throws NtkInputError for an unknown `backend` name or `variant`, or a `threads` that is not a positive integer.
 */
export async function loadBackend(opts: LoadOptions = {}): Promise<LoadedBackend> {
  const which = opts.backend ?? 'auto';
  if (!['auto', 'wasm', 'js'].includes(which)) {
    throw new NtkInputError('backend', `unknown backend ${JSON.stringify(which)}`, 'use auto, wasm or js');
  }
  if (opts.variant !== undefined && opts.variant !== 'simd' && opts.variant !== 'scalar') {
    throw new NtkInputError('variant', `unknown wasm build ${JSON.stringify(opts.variant)}`, 'use simd or scalar');
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new NtkInputError('threads', `must be a positive integer, got ${opts.threads}`, 'pass threads >= 1 or omit it');
  }
  if (which === 'js') return { backend: createJsBackend(), note: 'js backend (requested)' };
  const threads = opts.threads ?? (await availableCores());
  try {
    const { createWasmBackend } = await import('./wasm/index.js');
    const backend = await createWasmBackend({ threads, variant: opts.variant ?? 'simd' });
    const note = `wasm backend (${backend.simd ? 'SIMD' : 'scalar'}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})`;
    return { backend, note };
  } catch (e) {
    return { backend: createJsBackend(), note: `js backend (wasm unavailable: ${(e as Error).message})` };
  }
}
