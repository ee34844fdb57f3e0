import { describe, expect, it } from 'vitest';
import { empiricalNtk } from '../src/network/ntk.js';
import { createNetwork, networkFromWeights } from '../src/network/network.js';
import { gaussianData } from '../src/network/data.js';
import { lambdaMin } from '../src/linalg/index.js';
import { backendCases, jsCase, relaxedCase, wasmCase } from './helpers/backends.js';
import { NET_FIXTURE_COUNT, netFixtures } from './helpers/fixtures.js';
import { relErr } from './helpers/reference.js';
import type { Backend } from '../src/backend/types.js';
import { jacobianNtk } from './helpers/jacobian.js';

const fixtures = netFixtures();

it('reads every network fixture (a loop over none would pass silently)', () => {
  expect(fixtures).toHaveLength(NET_FIXTURE_COUNT);
});

describe.each(backendCases)('empirical NTK on $name', ({ get }) => {
  for (const fx of fixtures) {
    it(`reproduces ${fx.file}`, async () => {
      const be = await get();
      const inp = fx.inputs, exp = fx.expected;
      const net = networkFromWeights({
        W: inp.W, v: inp.v, activation: inp.activation as 'tanh', sv2: inp.sv2,
        ...(inp.sigma0 === null ? { nu0sq: inp.nu0sq } : { sigma0: inp.sigma0 }),
      });
      if (inp.sigma0 !== null) {
        expect(Math.abs(net.c! - exp.c)).toBeLessThan(1e-13 * exp.c);
        expect(Math.abs(net.nu0sq - exp.nu0sq)).toBeLessThan(1e-13 * exp.nu0sq);
      } else {
        expect(net.sigma0).toBeNull();
      }
      const r = empiricalNtk(net, inp.X, { backend: be, terms: true, grams: true });
      const Kexp = (exp.K as number[][]).flat();
      expect(relErr(r.K.data, Kexp)).toBeLessThan(1e-12);
      expect(relErr(r.f, exp.f)).toBeLessThan(1e-12);
      r.cli.forEach((c, l) => expect(relErr(c, exp.c_li[l])).toBeLessThan(1e-13));
      const traces = r.terms!.map((t) => { let s = 0; for (let i = 0; i < inp.n; i++) s += t.data[i * inp.n + i]!; return s; });
      expect(relErr(traces, exp.K_term_traces)).toBeLessThan(1e-12);
      if (exp.K_terms) {
        (exp.K_terms as number[][][]).forEach((t, l) => expect(relErr(r.terms![l]!.data, t.flat())).toBeLessThan(1e-12));
      }
      const lmax = exp.lambda_max as number;
      const lmin = lambdaMin(r.K, { backend: be }).value;
      if (fx.file === 'net_duplicate_rows_tanh.json') expect(Math.abs(lmin)).toBeLessThan(1e-12 * lmax);
      else expect(Math.abs(lmin - exp.lambda_min)).toBeLessThan(1e-11 * lmax);
      const gl = lambdaMin(r.grams![inp.L]!, { backend: be }).value;
      expect(Math.abs(gl - exp['lambda_min_AL_AL^T_over_mL'])).toBeLessThan(1e-11 * Math.max(1, Math.abs(exp['lambda_min_AL_AL^T_over_mL'])));
    });
  }
});

describe('empirical NTK equals J J^T by finite differences', () => {
  it('on a tiny tanh network (central differences of f over every weight)', async () => {
    const be = await jsCase.get();
    const net = createNetwork({ d: 3, widths: [4, 5], activation: 'tanh', sigma0: 1, seed: 7 });
    const X = gaussianData({ n: 4, d: 3, seed: 3 });
    const { K } = empiricalNtk(net, X, { backend: be });
    // Jacobian of f with respect to (W_1, W_2, v) by central differences.
    const params: Float64Array[] = [...net.W.map((w) => w.data), net.v];
    const J: number[][] = Array.from({ length: 4 }, () => []);
    const h = 1e-6;
    for (const p of params) {
      for (let q = 0; q < p.length; q++) {
        const old = p[q]!;
        p[q] = old + h; const fp = empiricalNtk(net, X, { backend: be }).f;
        p[q] = old - h; const fm = empiricalNtk(net, X, { backend: be }).f;
        p[q] = old;
        for (let i = 0; i < 4; i++) J[i]!.push((fp[i]! - fm[i]!) / (2 * h));
      }
    }
    const JJt = new Float64Array(16);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) JJt[i * 4 + j] = J[i]!.reduce((s, x, k) => s + x * J[j]![k]!, 0);
    expect(relErr(K.data, JJt)).toBeLessThan(1e-8);
  });
});

describe.each(backendCases)('relu: empirical NTK equals J J^T of an explicit Jacobian on $name', ({ get }) => {
  // phi'(0) = 0 on both sides (the library's convention); Gaussian weights never hit 0 exactly.
  const relu = (x: number) => (x > 0 ? x : 0), step = (x: number) => (x > 0 ? 1 : 0);
  for (const widths of [[7], [6, 5], [4, 9, 3]]) {
    it(`L = ${widths.length}, widths ${widths}`, async () => {
      const be = await get();
      const d = 4, n = 6;
      const net = createNetwork({ d, widths, activation: 'relu', sigma0: 1, seed: 21 });
      const X = gaussianData({ n, d, seed: 8 });
      const { K } = empiricalNtk(net, X, { backend: be });
      const want = jacobianNtk(X, net.W, net.v, relu, step);
      expect(relErr(K.data, want.data)).toBeLessThan(1e-13);
      expect(net.nu0sq).toBe(2); // c = sigma0^2 / 2
    });
  }
});

describe.each([wasmCase, relaxedCase])('$name against js on random shapes', ({ get }) => {
  for (const [n, d, widths, act] of [[7, 3, [5], 'sigmoid'], [33, 10, [17, 9], 'gelu'], [20, 4, [65, 64, 3], 'softplus'], [1, 1, [1], 'sin'], [50, 100, [40, 40], 'erf'], [41, 7, [30, 31], 'relu']] as const) {
    it(`n=${n} d=${d} widths=${widths} ${act}`, async () => {
      const net = createNetwork({ d, widths: [...widths], activation: act, sigma0: 1.2, seed: 11 });
      const X = gaussianData({ n, d, seed: 5, normalize: true });
      const a = empiricalNtk(net, X, { backend: await jsCase.get() });
      const b = empiricalNtk(net, X, { backend: await get() });
      expect(relErr(b.K.data, a.K.data)).toBeLessThan(1e-13);
      expect(relErr(b.f, a.f)).toBeLessThan(1e-13);
    });
  }
});

describe('buffer reuse between calls', () => {
  it('gives the same K whether buffers are reused, fresh, or reused across changing sizes', async () => {
    const be = await wasmCase.get();
    const X = gaussianData({ n: 30, d: 6, seed: 9 });
    const small = createNetwork({ d: 6, widths: [20, 20], activation: 'tanh', sigma0: 1, seed: 1 });
    const big = createNetwork({ d: 6, widths: [50, 40, 30], activation: 'gelu', sigma0: 1, seed: 2 });
    const fresh = empiricalNtk(small, X, { backend: be, reuseBuffers: false }).K.data;
    empiricalNtk(big, X, { backend: be }); // grows the kept buffers
    const reused = empiricalNtk(small, X, { backend: be }).K.data;
    expect(reused).toEqual(fresh);
    // K is the caller's: a later call must not overwrite it.
    const keep = reused.slice();
    empiricalNtk(big, X, { backend: be });
    expect(reused).toEqual(keep);
  });

  it('keeps a copy of W_2 in wasm memory beside the layer buffers, but not near the memory ceiling; K has the same bits', async () => {
    const { createWasmBackend } = await import('../src/backend/wasm/index.js');
    // Backends of their own (freeBuffers frees every kept buffer of a backend), each behind a
    // proxy that records the lengths the kept buffers are allocated with.
    const watched = (be: Backend) => {
      const lengths: number[] = [];
      const proxy = new Proxy(be, { get: (t, k) => (k === 'allocate' ? (len: number) => { lengths.push(len); return t.allocate(len); } : t[k as keyof Backend]) });
      return { be, proxy, lengths };
    };
    const X = gaussianData({ n: 40, d: 6, seed: 3 });
    const net = createNetwork({ d: 6, widths: [1000, 1000], activation: 'tanh', sigma0: 1, seed: 4 });
    const roomy = watched(await createWasmBackend({ threads: 1, variant: 'strict' }));
    // Kept layer buffers: K (40^2) and 4 of 40 x 1000; the largest call copies 40 x 1000 twice and
    // W_2 (10^6): 1.24M values fit, 2.24M with a kept copy of W_2 do not. The heap's base from
    // the 4 GiB backend's room (the same module's static data and workspace).
    const base = 2 ** 32 - 16 * 64 - 8 * roomy.be.maxElements;
    const tight = watched(await createWasmBackend({ threads: 1, variant: 'strict', maxMemoryBytes: Math.ceil((base + 16 * 64 + 8 * 1.5e6) / 65536) * 65536 }));
    expect(tight.be.maxElements).toBeGreaterThan(1.24e6);
    expect(tight.be.maxElements).toBeLessThan(2.24e6);
    const want = empiricalNtk(net, X, { backend: roomy.be, reuseBuffers: false }).K.data;
    for (const w of [roomy, tight]) {
      expect(empiricalNtk(net, X, { backend: w.proxy }).K.data).toEqual(want);
      expect(empiricalNtk(net, X, { backend: w.proxy }).K.data).toEqual(want); // in the kept buffers of the first call
      expect(w.lengths.filter((len) => len === 40 * 1000)).toHaveLength(4);
    }
    expect(roomy.lengths).toContain(1000 * 1000);
    expect(tight.lengths).not.toContain(1000 * 1000);
    await roomy.be.dispose();
    await tight.be.dispose();
  });
});

describe('storage handed in by a sweep', () => {
  it('K written into `out` equals a fresh K; a short `out` is refused by name', async () => {
    const be = await wasmCase.get();
    const X = gaussianData({ n: 25, d: 5, seed: 4 });
    const net = createNetwork({ d: 5, widths: [30, 20], activation: 'sigmoid', sigma0: 1, seed: 3 });
    const fresh = empiricalNtk(net, X, { backend: be }).K.data;
    const out = new Float64Array(25 * 25 + 7).fill(Number.NaN); // stale contents must not leak in
    const into = empiricalNtk(net, X, { backend: be, out }).K.data;
    expect(into.buffer).toBe(out.buffer);
    expect(into).toEqual(fresh);
    expect(() => empiricalNtk(net, X, { backend: be, out: new Float64Array(10) })).toThrow(/out.*625/);
    // K is checked for overflow before it is copied out: a refused call leaves `out` as it was.
    const huge = X.data.slice();
    huge[7] = 1e200;
    const kept = into.slice();
    expect(() => empiricalNtk(net, { rows: 25, cols: 5, data: huge }, { backend: be, out })).toThrow(/^X: is too large: K overflowed to (NaN|-?Infinity) at \[1, /);
    expect(out.subarray(0, 625)).toEqual(kept);
  });

  it.each(backendCases)('on $name: K with entries beyond 1e154 (squares overflow) is returned; K beyond 1.8e308 is refused', async ({ get }) => {
    // v scales the backward pass: B_L and so the W terms of K grow like |v|^2 (v's own term,
    // A_L A_L^T, does not depend on v).
    const be = await get();
    const X = gaussianData({ n: 9, d: 4, seed: 1 });
    const net = createNetwork({ d: 4, widths: [70, 33], activation: 'tanh', sigma0: 1, seed: 2 });
    const base = net.v.slice();
    net.v.set(base.map((x) => x * 1e80));
    const { K } = empiricalNtk(net, X, { backend: be });
    const max = K.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(max).toBeGreaterThan(1e156);
    expect(K.data.every(Number.isFinite)).toBe(true);
    net.v.set(base.map((x) => x * 1e160));
    expect(() => empiricalNtk(net, X, { backend: be })).toThrow(/^W: is too large: K overflowed to (NaN|-?Infinity) at \[0, 0\]/);
  });

  it('a recycled network has the same weights as a fresh one, in the old arrays', () => {
    const spec = { d: 7, widths: [12, 9], activation: 'tanh' as const, sigma0: 1, seed: 5 };
    const old = createNetwork({ ...spec, seed: 99 });
    const oldW = old.W.map((w) => w.data);
    const fresh = createNetwork(spec);
    const recycled = createNetwork(spec, { recycle: old });
    recycled.W.forEach((w, l) => {
      expect(w.data).toBe(oldW[l]);
      expect(w.data).toEqual(fresh.W[l]!.data);
    });
    expect(recycled.v).toEqual(fresh.v);
    // Different shapes: new arrays, still the same weights.
    const wider = createNetwork({ ...spec, widths: [13, 9] }, { recycle: fresh });
    expect(wider.W[0]!.data).not.toBe(fresh.W[0]!.data);
    expect(wider.W[0]!.data).toEqual(createNetwork({ ...spec, widths: [13, 9] }).W[0]!.data);
  });
});
