import { describe, expect, it } from 'vitest';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { infiniteWidth, relativeFrobenius } from '../src/theory/index.js';
import { wasm2Case } from './helpers/backends.js';

// The empirical NTK at initialization concentrates around the infinite-width NTK Theta with
// fluctuations of order 1/sqrt(m): the relative Frobenius error should fall with slope -1/2 on
// a log-log plot. An independent check of the layerwise formula and the infinite-width
// recursion together (a wrong nu0^2 or sv2 factor anywhere gives a slope near 0).
describe('empirical NTK converges to the infinite-width NTK like 1/sqrt(m)', () => {
  it('tanh, L = 2, n = 50, m = 250..4000, 3 seeds: log-log slope close to -1/2', async () => {
    const be = await wasm2Case.get();
    const n = 50, d = 20;
    const X = gaussianData({ n, d, seed: 1 });
    const net0 = createNetwork({ d, widths: [1, 1], activation: 'tanh', sigma0: 1 });
    const theta = infiniteWidth(X, { depth: 2, activation: 'tanh', nu0sq: net0.nu0sq, sv2: 1, backend: be, spectrum: false }).Theta;
    const widths = [250, 500, 1000, 2000, 4000];
    const errs = widths.map((m) => {
      let s = 0;
      for (const seed of [11, 12, 13]) {
        const net = createNetwork({ d, widths: [m, m], activation: 'tanh', sigma0: 1, seed });
        s += relativeFrobenius(empiricalNtk(net, X, { backend: be }).K, theta);
      }
      return s / 3;
    });
    const lx = widths.map(Math.log), ly = errs.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / lx.length, my = ly.reduce((a, b) => a + b) / ly.length;
    const slope = lx.reduce((s, x, i) => s + (x - mx) * (ly[i]! - my), 0) / lx.reduce((s, x) => s + (x - mx) ** 2, 0);
    if (process.env.NTK_VERBOSE) console.log({ errs, slope });
    expect(slope).toBeGreaterThan(-0.6);
    expect(slope).toBeLessThan(-0.4);
    expect(errs[errs.length - 1]).toBeLessThan(0.1);
  });
});
