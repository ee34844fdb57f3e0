/**
 * Size budgets of issue 7, measured by scripts/size.mjs (npm run size): each wasm build at
 * most 150 kB, the library's JS at most 136 kB minified (see scripts/size.mjs for what the budget holds) (bundled by rolldown without the
 * plotting library and Node built-ins; the wasm is in binary files beside the JS). Needs dist/ and build/ (npm test
 * builds them first).
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without type declarations
import { BUDGETS, measureSizes } from '../scripts/size.mjs';

interface Sizes {
  wasm: { file: string; bytes: number }[];
  assets: { file: string; bytes: number }[];
  js: { minified: number; chunks: { name: string; bytes: number }[] };
  withExperiments: { minified: number };
  ok: boolean;
}

describe('size budgets', () => {
  it('each wasm build <= 150 kB and the library JS <= 136 kB minified', async () => {
    const s = (await measureSizes()) as Sizes;
    expect(BUDGETS).toEqual({ wasmEach: 150_000, jsMinified: 136_000 });
    expect(s.wasm.map((w) => w.file)).toEqual(['build/ntk.wasm', 'build/ntk-single.wasm', 'build/ntk-relaxed.wasm', 'build/ntk-relaxed-single.wasm', 'build/ntk-scalar.wasm']);
    for (const w of s.wasm) {
      expect(w.bytes, w.file).toBeGreaterThan(1000); // a real module, not an empty file
      expect(w.bytes, w.file).toBeLessThanOrEqual(150_000);
    }
    // The wasm files the backend loads: the strict build whole, the relaxed one as a patch of it.
    const asset = (name: string) => s.assets.find((a) => a.file.endsWith(`/${name}`))?.bytes ?? 0;
    expect(asset('ntk.wasm')).toBe(s.wasm[0]!.bytes);
    expect(asset('ntk-relaxed.patch')).toBeGreaterThan(1000);
    expect(asset('ntk-relaxed.patch')).toBeLessThan(s.wasm[2]!.bytes / 4);
    // The measurement bundled the library (tens of kB of code).
    expect(s.js.minified).toBeGreaterThan(20_000);
    expect(s.js.minified).toBeLessThanOrEqual(136_000);
    expect(s.withExperiments.minified).toBeGreaterThan(s.js.minified);
    expect(s.ok).toBe(true);
  });
});
