// loadBackend never throws because WebAssembly is missing or broken: it falls back to the js
// backend and says why. Each test file runs in its own process (vitest forks), and every test
// restores the global it changed.
import { afterEach, describe, expect, it } from 'vitest';
import { describeBackend, loadBackend } from '../src/backend/load.js';
import type { Backend } from '../src/backend/types.js';

const realWasm = globalThis.WebAssembly;
const realCompile = WebAssembly.compile;
const realValidate = WebAssembly.validate;

afterEach(() => {
  (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly = realWasm;
  realWasm.compile = realCompile;
  realWasm.validate = realValidate;
});

/** Makes the host look like one without relaxed SIMD (Safari, Node 20 before the flag): the 0xfd 0x87 0x02 opcode fails validation. */
function withoutRelaxedSimd(): void {
  realWasm.validate = (bytes: BufferSource) => {
    const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes as ArrayBuffer);
    for (let i = 0; i + 2 < b.length; i++) if (b[i] === 0xfd && b[i + 1] === 0x87 && b[i + 2] === 0x02) return false;
    return realValidate(bytes);
  };
}

/** The backend computes, not just loads: a 2 x 2 product and one activation. */
function works(be: Backend): void {
  const c = new Float64Array(4);
  be.gemm(false, false, 2, 2, 2, 1, Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), 0, c);
  expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  const phi = new Float64Array(1);
  be.activation(0, Float64Array.of(0.5), phi, null);
  expect(phi[0]).toBeCloseTo(Math.tanh(0.5), 15);
}

// First in the file: the host (V8 flags) is not prepared yet in this process.
describe('loadBackend, concurrently', () => {
  it('backends created concurrently all get the relaxed build (the host is prepared once, before any of them)', async () => {
    const loaded = await Promise.all([1, 2, 3].map(() => loadBackend({ threads: 1 })));
    try {
      expect(loaded.map((l) => l.backend.variant)).toEqual(['relaxed', 'relaxed', 'relaxed']);
    } finally {
      for (const l of loaded) await l.backend.dispose();
    }
  });
});

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
      // This host (Node 20+) runs relaxed SIMD: auto picks it.
      expect(loaded.note).toBe('wasm backend (relaxed SIMD, 1 thread)');
      expect(loaded.backend.variant).toBe('relaxed');
      works(loaded.backend);
    } finally {
      await loaded.backend.dispose();
    }
    const js = await loadBackend({ backend: 'js' });
    expect(js.backend.kind).toBe('js');
    expect(js.note).toBe('js backend (requested)');
  });

  it('variant strict loads the strict build; describeBackend and the note name it', async () => {
    const loaded = await loadBackend({ backend: 'wasm', threads: 2, variant: 'strict' });
    try {
      expect(loaded.backend.variant).toBe('strict');
      expect(loaded.note).toBe('wasm backend (strict SIMD, 2 threads)');
      expect(describeBackend(loaded.backend)).toBe(loaded.note);
      works(loaded.backend);
    } finally {
      await loaded.backend.dispose();
    }
  });

  it('without relaxed SIMD, auto loads strict, and a forced relaxed falls back to strict with a note', async () => {
    withoutRelaxedSimd();
    const auto = await loadBackend({ threads: 1 });
    const forced = await loadBackend({ threads: 1, variant: 'relaxed' });
    try {
      expect(auto.backend.variant).toBe('strict');
      expect(auto.note).toBe('wasm backend (strict SIMD, 1 thread)');
      expect(forced.backend.variant).toBe('strict');
      expect(forced.note).toMatch(/^wasm backend \(strict SIMD, 1 thread\); relaxed SIMD unavailable: .*not supported by this host/);
      works(forced.backend);
    } finally {
      await auto.backend.dispose();
      await forced.backend.dispose();
    }
  });

  it('still rejects bad options with NtkInputError rather than falling back', async () => {
    await expect(loadBackend({ backend: 'gpu' as never })).rejects.toThrow(/backend/);
    await expect(loadBackend({ threads: 0 })).rejects.toThrow(/threads/);
    await expect(loadBackend({ variant: 'simd' as never })).rejects.toThrow(/use auto, relaxed, strict, scalar/);
  });
});
