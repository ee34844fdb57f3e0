// Buffers from Backend.allocate: on wasm with shared memory they are views of linear memory that
// the kernel wrappers use in place (no copies in or out); every kernel must give bit for bit
// what it gives on ordinary arrays, including with aliasing, and the views must survive memory
// growth. On js (and unshared wasm) allocate returns plain arrays, and the same checks hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import { createNetwork } from '../src/network/network.js';
import { gaussianData } from '../src/network/data.js';
import { empiricalNtk, releaseNtkScratch } from '../src/network/ntk.js';
import { backendCases } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

/** A resident copy of `src`. */
function resident(be: Backend, src: Float64Array): Float64Array {
  const r = be.allocate(src.length);
  r.set(src);
  return r;
}

describe.each(backendCases)('resident buffers on $name', ({ name, get }) => {
  let be: Backend;
  beforeAll(async () => { be = await get(); });
  afterAll(() => { releaseNtkScratch(); be.freeBuffers(); });

  it('are views of wasm memory exactly where memory is shared', () => {
    const r = be.allocate(10);
    expect(r.length).toBe(10);
    const isView = r.buffer !== new Float64Array(1).buffer && typeof SharedArrayBuffer !== 'undefined' && r.buffer instanceof SharedArrayBuffer;
    expect(isView).toBe(be.kind === 'wasm');
    be.freeBuffers();
  });

  it('every kernel gives the same bits on resident and plain arrays, aliasing included', () => {
    const m = 37, n = 41, k = 29;
    const a = randomArray(m * k, 1), b = randomArray(k * n, 2), c0 = randomArray(m * n, 3);
    const plain = c0.slice();
    be.gemm(false, false, m, n, k, 0.7, a, b, -0.3, plain);
    const ra = resident(be, a), rb = resident(be, b), rc = resident(be, c0);
    be.gemm(false, false, m, n, k, 0.7, ra, rb, -0.3, rc);
    expect(Array.from(rc)).toEqual(Array.from(plain));
    // beta = 0 into a resident output, a plain input beside resident ones.
    const p0 = new Float64Array(m * n), r0 = be.allocate(m * n).fill(NaN);
    be.gemm(false, false, m, n, k, 1, a, b, 0, p0);
    be.gemm(false, false, m, n, k, 1, a, rb, 0, r0);
    expect(Array.from(r0)).toEqual(Array.from(p0));

    const g = randomArray(n * k, 4), h = randomArray(n * m, 5), k0 = randomArray(n * n, 6);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) k0[j * n + i] = k0[i * n + j]!;
    const sp = new Float64Array(n * n), sr = be.allocate(n * n);
    be.syrk(n, k, 0.5, g, 0, sp);
    be.syrk(n, k, 0.5, resident(be, g), 0, sr);
    expect(Array.from(sr)).toEqual(Array.from(sp));
    const kp = k0.slice(), kr = resident(be, k0);
    be.gramHadamardAcc(n, k, g, m, h, 0.25, kp);
    be.gramHadamardAcc(n, k, resident(be, g), m, resident(be, h), 0.25, kr);
    expect(Array.from(kr)).toEqual(Array.from(kp));

    // The NTK's fused layer steps: resident outputs (phi, phi'; d and its scratch) as the NTK
    // passes them, plain and resident inputs.
    const pp = new Float64Array(m * n), pd = new Float64Array(m * n);
    be.gemmActivation(false, m, n, k, 0.9, a, b, 0, pp, pd);
    const rp = be.allocate(m * n), rd = be.allocate(m * n);
    be.gemmActivation(false, m, n, k, 0.9, ra, b, 0, rp, rd);
    expect([Array.from(rp), Array.from(rd)]).toEqual([Array.from(pp), Array.from(pd)]);
    const dp = c0.slice(), tp = new Float64Array(m * n), dr = resident(be, c0), tr = be.allocate(m * n);
    be.gemmHadamard(false, m, n, k, 0.6, a, b, dp, tp);
    be.gemmHadamard(false, m, n, k, 0.6, ra, rb, dr, tr);
    expect(Array.from(dr)).toEqual(Array.from(dp));

    // Activation with phi' written over x (as the NTK's forward pass does), phi elsewhere;
    // lengths below and above the threaded cut-off, odd included.
    for (const len of [33, 70001]) {
      const x = randomArray(len, 7 + len).map((v) => 3 * v);
      const phi = new Float64Array(len), dphi = new Float64Array(len);
      be.activation(0, x, phi, dphi);
      const rx = resident(be, x), rphi = be.allocate(len);
      be.activation(0, rx, rphi, rx);
      expect(Array.from(rphi)).toEqual(Array.from(phi));
      expect(Array.from(rx)).toEqual(Array.from(dphi));
    }
    const u = randomArray(50, 8), v = randomArray(50, 9);
    const ru = resident(be, u);
    be.hadamard(ru, ru, resident(be, v));
    expect(Array.from(ru)).toEqual(Array.from(u.map((x, i) => x * v[i]!)));
    const ry = resident(be, u);
    be.axpy(ry, 2, v);
    expect(Array.from(ry)).toEqual(Array.from(u.map((x, i) => x + 2 * v[i]!)));
    const rs = resident(be, u);
    be.scaleCols(rs, 5, 10, v, 3);
    const want = u.map((x, q) => x * (3 * v[q % 10]!));
    expect(Array.from(rs)).toEqual(Array.from(want));
    // Large enough to be split over threads when resident (300 x 301 values).
    const R = 300, C = 301;
    const big = randomArray(R * C, 20), other = randomArray(R * C, 21), sc = randomArray(C, 22);
    const hp = new Float64Array(R * C), hr = be.allocate(R * C);
    be.hadamard(hp, big, other);
    be.hadamard(hr, resident(be, big), resident(be, other));
    expect(Array.from(hr)).toEqual(Array.from(hp));
    const sp2 = big.slice(), sr2 = resident(be, big);
    be.scaleCols(sp2, R, C, sc, 0.5);
    be.scaleCols(sr2, R, C, sc, 0.5);
    expect(Array.from(sr2)).toEqual(Array.from(sp2));
    be.freeBuffers();
  });

  it('views stay valid (same values, kernels still write them) after wasm memory grows', () => {
    const x = randomArray(1000, 10);
    const r = resident(be, x);
    const before = be.memoryBytes();
    // A call large enough to grow linear memory (a 2000 x 2000 GEMM: 96 MB of operands).
    const big = 2000;
    const A = new Float64Array(big * big).fill(1e-3);
    be.gemm(false, false, big, 1, big, 1, A, A.subarray(0, big), 0, new Float64Array(big));
    be.gemm(false, false, big, big, 1, 1, A.subarray(0, big), A.subarray(0, big), 0, new Float64Array(big * big));
    if (be.kind === 'wasm') expect(be.memoryBytes()).toBeGreaterThan(before);
    expect(Array.from(r)).toEqual(Array.from(x));
    be.hadamard(r, r, r);
    expect(Array.from(r)).toEqual(Array.from(x.map((v) => v * v)));
    be.freeBuffers();
  });

  it(`empiricalNtk gives the same K with kept (resident) buffers as with fresh ones (${name})`, () => {
    const X = gaussianData({ n: 30, d: 7, seed: 11 });
    const net = createNetwork({ d: 7, widths: [24, 17, 40], activation: 'tanh', nu0sq: 1.3, seed: 12 });
    const fresh = empiricalNtk(net, X, { backend: be, reuseBuffers: false });
    const kept1 = empiricalNtk(net, X, { backend: be });
    const kept2 = empiricalNtk(net, X, { backend: be }); // the same buffers again
    expect(Array.from(kept1.K.data)).toEqual(Array.from(fresh.K.data));
    expect(Array.from(kept2.K.data)).toEqual(Array.from(fresh.K.data));
    expect(Array.from(kept2.f)).toEqual(Array.from(fresh.f));
    // K handed out is the caller's own array, not a view of reused memory.
    if (be.kind === 'wasm') expect(kept1.K.data.buffer).not.toBe(kept2.K.data.buffer);
    const bigger = createNetwork({ d: 7, widths: [50, 60], activation: 'tanh', nu0sq: 1.3, seed: 13 });
    const after = empiricalNtk(bigger, X, { backend: be }); // buffers re-allocated
    expect(Array.from(after.K.data)).toEqual(Array.from(empiricalNtk(bigger, X, { backend: be, reuseBuffers: false }).K.data));
    releaseNtkScratch();
  });
});
