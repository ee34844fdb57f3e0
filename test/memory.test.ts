/**
 * Memory stays bounded over many calls: wasm linear memory stops growing after the first calls
 * (every kernel pops its heap frame), and the JS heap (with array buffers) and the process RSS
 * do not creep. Also a sweep: memory after each point is back where it was after the first.
 * The long run is scripts/memory-soak.mjs.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/backend/js/index.js';
import type { Backend } from '../src/backend/types.js';
import { createWasmBackend } from '../src/backend/wasm/index.js';
import { NtkMemoryError } from '../src/errors.js';
import { baseSpec } from '../src/experiments/presets.js';
import { runSweep } from '../src/experiments/runner.js';
import { eigvalsh, isPositiveDefinite, lambdaMin } from '../src/linalg/index.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { infiniteWidth } from '../src/theory/infinite-width.js';
import { jsCase, wasm2Case, wasmCase } from './helpers/backends.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Live JS memory after full collections: heap objects plus typed-array backing stores. */
function live(): number {
  gc(); gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const MB = 2 ** 20;

/** One round of the work whose memory is watched: K of a fresh network, then its lambda_min. */
function round(be: Backend, i: number, X: ReturnType<typeof gaussianData>): number {
  const net = createNetwork({ d: 6, widths: [24, 24], activation: i % 2 ? 'tanh' : 'gelu', seed: i });
  const { K } = empiricalNtk(net, X, { backend: be });
  // Both paths in turn: the tridiagonal one and the Cholesky factor + Lanczos (its own heap frame).
  return lambdaMin(K, { backend: be, method: i % 2 ? 'tridiagonal' : 'cholesky' }).value;
}

describe.each([jsCase, wasmCase, wasm2Case])('2000 calls of empiricalNtk and lambdaMin on $name', ({ name, get }) => {
  it('wasm memory stops growing after warm-up; live JS memory and RSS stay bounded', async () => {
    const be = await get();
    const X = gaussianData({ n: 30, d: 6, seed: 3 });
    let sink = 0;
    for (let i = 0; i < 100; i++) sink += round(be, i, X);
    const wasmAfterWarmup = be.memoryBytes();
    const liveAfterWarmup = live();
    const rssAfterWarmup = process.memoryUsage().rss;
    let liveMax = 0;
    for (let i = 100; i < 2100; i++) {
      sink += round(be, i, X);
      expect(be.memoryBytes(), `call ${i}`).toBe(wasmAfterWarmup);
      if (i % 500 === 0) liveMax = Math.max(liveMax, live());
    }
    const liveGrowth = Math.max(liveMax, live()) - liveAfterWarmup;
    const rssGrowth = process.memoryUsage().rss - rssAfterWarmup;
    expect(Number.isFinite(sink)).toBe(true);
    if (name !== 'js') expect(wasmAfterWarmup).toBeGreaterThan(0);
    // Each round allocates ~25 KB (K is 30 x 30, the layers 30 x 24, W 24 x 24): a leak of
    // any of them over 2000 rounds would be >= 9 MB.
    expect(liveGrowth / MB, 'live JS memory growth (MB)').toBeLessThan(4);
    // RSS also holds freed-but-kept pages of the allocator: a looser bound.
    expect(rssGrowth / MB, 'RSS growth (MB)').toBeLessThan(48);
  });

  it('infiniteWidth (scratch buffers, the pair kernel) does not accumulate either', async () => {
    const be = await get();
    const X = gaussianData({ n: 16, d: 5, seed: 4 });
    const run = () => infiniteWidth(X, { depth: 2, activation: 'tanh', nu0sq: 1.5, backend: be }).lambdaMin!;
    for (let i = 0; i < 10; i++) run();
    const wasm0 = be.memoryBytes(), live0 = live();
    for (let i = 0; i < 60; i++) expect(run()).toBeGreaterThan(0);
    expect(be.memoryBytes()).toBe(wasm0);
    expect((live() - live0) / MB).toBeLessThan(2);
  });
});

describe('a sweep releases memory between points', () => {
  it('live memory after each point returns to its level after the first; wasm memory stays flat', async () => {
    const be = await wasmCase.get();
    // Eight points of one size (eight weight seeds): whatever a point kept would pile up.
    const spec = baseSpec('sweep', { vary: 'width', values: [120], activations: ['tanh'], seeds: [0, 1, 2, 3, 4, 5, 6, 7], d: 16, n: 160 });
    const after: number[] = [], wasm: number[] = [];
    const res = await runSweep(spec, {
      backend: be,
      onRecord: () => { after.push(live()); wasm.push(be.memoryBytes()); },
    });
    expect(res.status).toBe('complete');
    expect(after.length).toBe(8);
    // One point's n x n matrices are ~200 KB each (K, Theta, the pair kernels); a leak of one per
    // point would add > 1.4 MB by the last.
    // The first point also computed the infinite-width kernel the others take from the cache.
    for (let i = 1; i < after.length; i++) {
      expect((after[i]! - after[0]!) / MB, `after point ${i}`).toBeLessThan(0.75);
      expect((after[i]! - after[1]!) / MB, `after point ${i}`).toBeLessThan(0.75);
    }
    for (const w of wasm) expect(w).toBe(wasm[0]);
  });
});

describe('memory limits at the edge (a wasm backend capped at 16 to 24 MiB)', () => {
  it('empiricalNtk: the largest n whose buffers fit runs; n + 1 is refused before anything is allocated', async () => {
    // The largest kernel call of empiricalNtk for widths [m, m] (m < n) is the Gram-Hadamard
    // update of the last layer: K (n x n) with A and B (n x m each) in wasm memory at once.
    // Find a cap and (n, m) where that call fills maxElements to within 8 values: the tightest
    // edge (any padding or buffer not counted by the estimate shows there).
    const probe = await createWasmBackend({ threads: 1, maxMemoryBytes: 16 * MB });
    const base = 16 * MB - 8 * probe.maxElements; // static data, workspaces, frame padding
    await probe.dispose();
    let edge: { cap: number; n: number; m: number } | null = null;
    for (let cap = 16 * MB; cap <= 24 * MB && !edge; cap += 65536) {
      const E = (cap - base) / 8;
      for (let n = Math.floor(Math.sqrt(E)); n > Math.sqrt(E) / 2 && !edge; n--) {
        const m = Math.floor((E - n * n) / (2 * n));
        if (m >= 8 && m < n && E - n * n - 2 * n * m < 8) edge = { cap, n, m };
      }
    }
    expect(edge).not.toBeNull();
    const { cap, n, m } = edge!;
    const be = await createWasmBackend({ threads: 1, maxMemoryBytes: cap });
    try {
      expect(n * n + 2 * n * m).toBeLessThanOrEqual(be.maxElements);
      expect(n * n + 2 * n * m + 8).toBeGreaterThan(be.maxElements);
      const net = createNetwork({ d: 3, widths: [m, m], activation: 'tanh', seed: 1 });
      const before = be.memoryBytes();
      let err: unknown = null;
      try { empiricalNtk(net, gaussianData({ n: n + 1, d: 3, seed: 2 }), { backend: be }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(NtkMemoryError);
      expect((err as NtkMemoryError).parameter).toBe('X');
      expect(be.memoryBytes()).toBe(before);
      // The edge itself runs, and its K is the js backend's (an independent implementation).
      const X = gaussianData({ n, d: 3, seed: 2 });
      const K = empiricalNtk(net, X, { backend: be }).K;
      expect(be.memoryBytes()).toBeLessThanOrEqual(cap);
      const Kjs = empiricalNtk(net, X, { backend: createJsBackend() }).K;
      let diff = 0, big = 0;
      for (let q = 0; q < K.data.length; q++) { diff = Math.max(diff, Math.abs(K.data[q]! - Kjs.data[q]!)); big = Math.max(big, Math.abs(Kjs.data[q]!)); }
      expect(diff).toBeLessThanOrEqual(1e-13 * big);
    } finally {
      await be.dispose();
    }
  });

  it('an eigensolver call beyond the cap is an NtkMemoryError, never a trap; the cap is checked', async () => {
    const be = await createWasmBackend({ threads: 1, maxMemoryBytes: 16 * MB });
    try {
      const n = Math.ceil(Math.sqrt(be.maxElements)) + 1;
      const K = { rows: n, cols: n, data: new Float64Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 1 : 0)) };
      expect(() => eigvalsh(K, { backend: be })).toThrow(NtkMemoryError);
      expect(() => isPositiveDefinite(K, { backend: be })).toThrow(NtkMemoryError);
    } finally {
      await be.dispose();
    }
    for (const bad of [0, -1, 2 ** 33, 1.5e7 + 0.5, NaN]) {
      await expect(createWasmBackend({ maxMemoryBytes: bad })).rejects.toThrow(/^maxMemoryBytes: must be an integer number of bytes up to 4 GiB/);
    }
    await expect(createWasmBackend({ maxMemoryBytes: 2 ** 20 })).rejects.toThrow(/^maxMemoryBytes: must leave room above the module's/);
  });
});
