// loadBackend never throws because WebAssembly is missing or broken: it falls back to the js
// backend and says why. Each test file runs in its own process (vitest forks), and every test
// restores the global it changed.
import { afterEach, describe, expect, it } from 'vitest';
import { loadBackend } from '../src/backend/load.js';
import type { Backend } from '../src/backend/types.js';

const realWasm = globalThis.WebAssembly;
const realCompile = WebAssembly.compile;

afterEach(() => {
  (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly = realWasm;
  realWasm.compile = realCompile;
});

/** The backend computes, not just loads: a 2 x 2 product and one activation. */
function works(be: Backend): void {
  const c = new Float64Array(4);
  be.gemm(false, false, 2, 2, 2, 1, Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), 0, c);
  expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  const phi = new Float64Array(1);
  be.activation(0, Float64Array.of(0.5), phi, null);
  expect(phi[0]).toBeCloseTo(Math.tanh(0.5), 15);
}

describe('loadBackend without WebAssembly', () => {
  it.each(['auto', 'wasm'] as const)('backend %s falls back to js with a note when WebAssembly is undefined', async (backend) => {
    (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly = undefined;
    const { backend: be, note } = await loadBackend({ backend, threads: 1 });
    expect(be.kind).toBe('js');
    expect(note).toMatch(/^js backend/);
    expect(note).toMatch(/WebAssembly is not available/);
    works(be);
  });

  it.each(['auto', 'wasm'] as const)('backend %s falls back to js with a note when compiling fails (no SIMD)', async (backend) => {
    realWasm.compile = () => Promise.reject(new WebAssembly.CompileError('invalid opcode 0xfd (SIMD unsupported)'));
    const { backend: be, note } = await loadBackend({ backend, threads: 1 });
    expect(be.kind).toBe('js');
    expect(note).toMatch(/wasm unavailable: .*SIMD unsupported/);
    works(be);
  });

  it('loads wasm again once WebAssembly is back, and js when asked', async () => {
    const loaded = await loadBackend({ backend: 'auto', threads: 1 });
    try {
      expect(loaded.backend.kind).toBe('wasm');
      expect(loaded.note).toMatch(/^wasm backend \(SIMD, 1 thread\)/);
      works(loaded.backend);
    } finally {
      await loaded.backend.dispose();
    }
    const js = await loadBackend({ backend: 'js' });
    expect(js.backend.kind).toBe('js');
    expect(js.note).toBe('js backend (requested)');
  });

  it('still rejects bad options with NtkInputError rather than falling back', async () => {
    await expect(loadBackend({ backend: 'gpu' as never })).rejects.toThrow(/backend/);
    await expect(loadBackend({ threads: 0 })).rejects.toThrow(/threads/);
  });
});
