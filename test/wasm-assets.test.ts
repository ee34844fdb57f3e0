/**
 * How the wasm backend gets its bytes (src/backend/wasm/assets.ts, patch.ts): every build rebuilt
 * from the generated files equals the compiler's output in build/ byte for byte; a damaged patch
 * is refused with a message, not turned into a broken module; and the scalar benchmark build,
 * which the npm package leaves out, is refused there with an NtkInputError naming `variant`
 * and the fix, by createWasmBackend and by loadBackend (which does not fall back to js for it).
 * Needs build/ (npm test builds it first).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NtkInputError } from '../src/errors.js';
import { wasmBytes } from '../src/backend/wasm/assets.js';
import { BUILDS, type BuildName, type BuildSource } from '../src/backend/wasm/generated/builds.js';
import { applyWasmPatch } from '../src/backend/wasm/patch.js';
// @ts-expect-error a plain .mjs script without type declarations
import { VARIANTS } from '../scripts/wasm-assets.mjs';

const ROOT = resolve(import.meta.dirname, '..');

describe('wasm build files', () => {
  it.each(Object.entries(VARIANTS as Record<BuildName, string>))('%s rebuilds build/%s byte for byte', async (build, file) => {
    const bytes = await wasmBytes(build as BuildName);
    expect(Buffer.from(bytes).equals(readFileSync(join(ROOT, 'build', file)))).toBe(true);
  });

  it('stores the relaxed and the unshared builds as patches', () => {
    expect(Object.entries(BUILDS).filter(([, s]) => 'base' in s).map(([k]) => k).sort()).toEqual(['relaxed', 'relaxed-single', 'single']);
  });

  it('refuses a damaged patch with a message', async () => {
    const s = BUILDS.relaxed as { base: BuildName; patch: () => URL };
    const base = await wasmBytes(s.base);
    const patch = new Uint8Array(readFileSync(s.patch()));
    expect(() => applyWasmPatch(base, patch.subarray(0, patch.length - 7))).toThrow(/wasm patch: truncated/);
    expect(() => applyWasmPatch(base, new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/not a version 1 patch/);
    const badTag = patch.slice();
    badTag[5] = 9;
    expect(() => applyWasmPatch(base, badTag)).toThrow(/unknown section tag 9/);
    expect(() => applyWasmPatch(base.subarray(0, 20), patch)).toThrow(/wasm (binary|patch)/);
  });
});

describe('the scalar build outside the repository', () => {
  // The manifest as an installed package sees it: the scalar file is not there.
  const missing = { ...BUILDS, scalar: { file: () => new URL('./not-shipped.wasm', import.meta.url), repositoryOnly: true } } as Record<BuildName, BuildSource>;
  afterEach(() => {
    vi.doUnmock('../src/backend/wasm/generated/builds.js');
    vi.resetModules();
  });

  it('is refused with an NtkInputError naming variant and the fix', async () => {
    const e = await wasmBytes('scalar', missing).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NtkInputError);
    expect((e as Error).message).toMatch(/^variant: the scalar build is a benchmark baseline that the npm package does not ship; use variant auto, strict or relaxed/);
    // A missing file of a build users need stays an ordinary error (loadBackend falls back to js).
    const e2 = await wasmBytes('simd', { ...missing, simd: { file: () => new URL('./not-there.wasm', import.meta.url) } }).catch((x: unknown) => x);
    expect(e2).not.toBeInstanceOf(NtkInputError);
  });

  it('makes loadBackend throw rather than fall back to js', async () => {
    vi.resetModules();
    vi.doMock('../src/backend/wasm/generated/builds.js', () => ({ BUILDS: missing }));
    const { loadBackend } = await import('../src/backend/load.js');
    const { NtkInputError: E } = await import('../src/errors.js');
    await expect(loadBackend({ variant: 'scalar', threads: 1 })).rejects.toThrow(E);
    await expect(loadBackend({ variant: 'scalar', threads: 1 })).rejects.toThrow(/npm package does not ship/);
    const { backend, note } = await loadBackend({ variant: 'strict', threads: 1 });
    expect(note).toBe('wasm backend (strict SIMD, 1 thread)');
    await backend.dispose();
  });
});
