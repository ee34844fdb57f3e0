/**
 * Choosing a backend once, at load, with graceful fallback.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { availableCores } from '../platform.js';
import { createJsBackend } from './js/index.js';
import type { Backend, WasmVariant } from './types.js';

const VARIANTS = ['auto', 'relaxed', 'strict', 'scalar'] as const;

/** Options of {@link loadBackend}. */
export interface LoadOptions {
  /** `'auto'` (default): wasm when it loads, else js; `'wasm'`: wasm or fall back with a note; `'js'`. */
  backend?: 'auto' | 'wasm' | 'js';
  /** Threads for BLAS-3 kernels (default: the available cores; browsers: 1 unless cross-origin isolated). */
  threads?: number;
  /**
   * Wasm build: `'auto'` (default): relaxed SIMD with fused multiply-add where the host supports
   * it (Node 20+, Chrome 114+), else strict SIMD; `'strict'`: SIMD without fusion, the same bits
   * on every CPU (for reproducibility across machines); `'relaxed'`: fused (falls back to strict,
   * with a note, where unsupported); `'scalar'`: no SIMD (benchmarks; only in a clone of the repository, not in the npm package).
   */
  variant?: 'auto' | WasmVariant;
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
 * @throws NtkInputError for an unknown `backend` name or `variant`, a `threads` that is not a
 *   positive integer, or `variant: 'scalar'` from the npm package (a repository-only benchmark build).
 */
export async function loadBackend(opts: LoadOptions = {}): Promise<LoadedBackend> {
  const which = opts.backend ?? 'auto';
  if (!['auto', 'wasm', 'js'].includes(which)) {
    throw new NtkInputError('backend', `unknown backend ${JSON.stringify(which)}`, 'use auto, wasm or js');
  }
  if (opts.variant !== undefined && !(VARIANTS as readonly string[]).includes(opts.variant)) {
    throw new NtkInputError('variant', `unknown wasm build ${JSON.stringify(opts.variant)}`, `use ${VARIANTS.join(', ')}`);
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new NtkInputError('threads', `must be a positive integer, got ${opts.threads}`, 'pass threads >= 1 or omit it');
  }
  if (which === 'js') return { backend: createJsBackend(), note: 'js backend (requested)' };
  const threads = opts.threads ?? (await availableCores());
  try {
    const { createWasmBackend } = await import('./wasm/index.js');
    const variant = opts.variant ?? 'auto';
    let why = '';
    let backend: Backend;
    try {
      backend = await createWasmBackend({ threads, variant });
    } catch (e) {
      // A host that validated relaxed SIMD but failed the relaxed build still gets strict.
      if ((variant !== 'relaxed' && variant !== 'auto') || e instanceof NtkInputError) throw e;
      if (variant === 'relaxed') why = `; relaxed SIMD unavailable: ${(e as Error).message}`;
      backend = await createWasmBackend({ threads, variant: 'strict' });
    }
    return { backend, note: `${describeBackend(backend)}${why}` };
  } catch (e) {
    // A request the host cannot help (the scalar build from the npm package) is the caller's to fix.
    if (e instanceof NtkInputError) throw e;
    return { backend: createJsBackend(), note: `js backend (wasm unavailable: ${(e as Error).message})` };
  }
}

/**
 * One line naming a backend, its build and threads, e.g. `wasm backend (relaxed SIMD, 2 threads)`
 * (relaxed: f64x2.relaxed_madd, fused where the CPU has FMA; strict: multiply then add): what
 * {@link loadBackend}'s note starts with and results files record, and what `ntk --version` can
 * print, so numbers can be traced to the build that made them.
 */
export function describeBackend(b: Backend): string {
  if (b.kind === 'js') return 'js backend';
  const build = b.variant === 'relaxed' ? 'relaxed SIMD' : b.variant === 'strict' ? 'strict SIMD' : 'scalar';
  return `wasm backend (${build}, ${b.threads} thread${b.threads > 1 ? 's' : ''})`;
}
