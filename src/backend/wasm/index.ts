/**
 * The WebAssembly backend: AssemblyScript kernels compiled with 128-bit SIMD, loaded from the
 * binary files beside the module (assets.ts) and instantiated through asc's generated raw
 * bindings, on a memory shared with worker threads where the host allows it.
 *
 * Builds (asconfig.json), one source: `relaxed` uses f64x2.relaxed_madd in the BLAS kernels
 * (fused multiply-add where the CPU has it: up to 2x the flops on Intel and ARM, the same on
 * AMD Zen; rounding differs from strict in the last bits, and may differ between CPUs),
 * `strict` multiplies then adds (bit-for-bit the same on every CPU), `scalar` has no SIMD
 * (benchmarks; in the repository, not in the npm package). Each SIMD build exists with and
 * without shared memory.
 * @module
 */
import { blockingWaitAllowed, sharedMemoryAllowed } from '../../platform.js';
import { NtkInputError } from '../../errors.js';
import type { Backend, WasmVariant } from '../types.js';
import { wasmBlas } from './blas.js';
import { WasmContext } from './context.js';
import { wasmElementwise } from './elementwise.js';
import { wasmKernelMap } from './kernelmap.js';
import { wasmLinalg } from './linalg.js';
import { wasmBytes } from './assets.js';
import { instantiate } from './generated/bindings.js';
import type { WasmExports } from './generated/exports.js';
import { Heap, WASM_MAX_BYTES } from './heap.js';
import { Pool, SLOT_BYTES } from './pool.js';
import { prepareHost, relaxedSimdSupported } from './features.js';

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** Threads for the BLAS-3 kernels, caller included (default 1). Needs shared memory. */
  threads?: number;
  /**
   * Which build: `'auto'` (default: relaxed where the host validates relaxed SIMD, else strict),
   * `'relaxed'` (fused multiply-add; throws where unsupported), `'strict'` (bit-for-bit
   * reproducible across CPUs) or `'scalar'` (no SIMD, for benchmarks).
   */
  variant?: 'auto' | WasmVariant;
  /**
   * Most bytes of wasm memory this backend may use (default and at most wasm32's 4 GiB).
   * Calls that would need more are refused with an NtkMemoryError, as at 4 GiB; a lower
   * ceiling bounds the process's memory.
   */
  maxMemoryBytes?: number;
}

/**
 * Compiles and instantiates the module.
 * @throws when WebAssembly (or its SIMD, relaxed SIMD for `variant: 'relaxed'`, or shared memory
 *   for the scalar build) is unavailable or the build's file cannot be read; `loadBackend`
 *   catches that and falls back.
 * @throws NtkInputError for `variant: 'scalar'` from the npm package (not shipped), or a bad
 *   `maxMemoryBytes`.
 */
export async function createWasmBackend(opts: WasmBackendOptions = {}): Promise<Backend> {
  const asked = opts.variant ?? 'auto';
  const canShare = sharedMemoryAllowed();
  // A page's main thread cannot block in Atomics.wait: threads only in Node and Web Workers.
  const threads = canShare && blockingWaitAllowed() ? Math.max(1, Math.floor(opts.threads ?? 1)) : 1;
  const limit = opts.maxMemoryBytes ?? WASM_MAX_BYTES;
  if (!(Number.isInteger(limit) && limit > 0 && limit <= WASM_MAX_BYTES)) {
    throw new NtkInputError('maxMemoryBytes', `must be an integer number of bytes up to 4 GiB, got ${limit}`, 'pass e.g. 2 ** 30, or leave it out for 4 GiB');
  }
  if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available');
  if (asked === 'scalar' && !canShare) throw new Error('the scalar build needs shared memory');
  await prepareHost();
  const relaxed = asked === 'auto' || asked === 'relaxed' ? await relaxedSimdSupported() : false;
  if (asked === 'relaxed' && !relaxed) throw new Error('relaxed SIMD is not supported by this host');
  const variant: WasmVariant = asked === 'auto' ? (relaxed ? 'relaxed' : 'strict') : asked;
  const shared = canShare;
  const bytes = await wasmBytes(variant === 'scalar' ? 'scalar'
    : variant === 'relaxed' ? (shared ? 'relaxed' : 'relaxed-single') : (shared ? 'simd' : 'single'));
  const module = await WebAssembly.compile(bytes as BufferSource);
  const memory = new WebAssembly.Memory({ initial: 32, maximum: Math.max(32, Math.floor(limit / PAGE)), shared } as WebAssembly.MemoryDescriptor);
  const imports = { env: { memory, abort: wasmAbort } };
  const ex = (await instantiate(module, imports)) as unknown as WasmExports;

  // Layout above the module's static data: control slots, per-thread workspaces, then the heap.
  const wsBytes = ex.workspaceSize();
  let p = align(ex.heapBase(), 64);
  const ctrl = p;
  p += SLOT_BYTES * Math.max(0, threads - 1);
  const workspaces: { ptr: number; bytes: number }[] = [];
  for (let t = 0; t < threads; t++) {
    p = align(p, 64);
    workspaces.push({ ptr: p, bytes: wsBytes });
    p += wsBytes;
  }
  if (p + 64 * PAGE > limit) {
    throw new NtkInputError('maxMemoryBytes', `must leave room above the module's ${(p / 2 ** 20).toFixed(1)} MiB of static data and workspaces, got ${limit}`,
      `pass at least ${Math.ceil(p / 2 ** 20) + 4} MiB`);
  }
  const heap = new Heap(memory, p, Math.floor(limit / PAGE) * PAGE);
  ex.setWorkspace(workspaces[0]!.ptr, wsBytes);
  const names = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
  const pool = threads > 1 ? await Pool.start(module, memory, threads, ctrl, workspaces, names) : null;
  const ctx = new WasmContext(ex, heap, pool);
  return {
    kind: 'wasm',
    simd: variant !== 'scalar',
    variant,
    threads,
    maxElements: heap.elementsFree,
    ...wasmBlas(ctx),
    ...wasmElementwise(ctx),
    ...wasmKernelMap(ctx),
    ...wasmLinalg(ctx),
    memoryBytes: () => memory.buffer.byteLength,
    allocate: (length) => heap.resident(length) ?? new Float64Array(length),
    freeBuffers: () => heap.freeResident(),
    dispose: async () => { await pool?.dispose(); },
  };
}

function wasmAbort(): never {
  throw new Error('wasm kernel aborted');
}

const PAGE = 65536;

function align(p: number, a: number): number {
  return Math.ceil(p / a) * a;
}
