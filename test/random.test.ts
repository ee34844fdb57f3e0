// The seeded generator: fillGaussian's fast path against the one-at-a-time definition, and
// detLog against Math.log (the engine's log, an independent implementation).
import { describe, expect, it } from 'vitest';
import { Rng, detLog } from '../src/random.js';

describe('Rng', () => {
  it('fillGaussian gives exactly the numbers of repeated gaussian() calls, spares carried across calls', () => {
    for (const seed of [0, 3, 2 ** 40 + 11]) {
      const a = new Rng(seed, 17), b = new Rng(seed, 17);
      for (const len of [1, 2, 5, 0, 8, 3, 1000]) {
        const variance = 2.25;
        const filled = a.fillGaussian(new Float64Array(len), variance);
        const one = Float64Array.from({ length: len }, () => 1.5 * b.gaussian());
        expect(filled).toEqual(one);
        // Interleaved single draws stay in step too.
        expect(a.gaussian()).toBe(b.gaussian());
        expect(a.uniform()).toBe(b.uniform());
      }
    }
  });

  it('draws standard normals (moments of 200k values)', () => {
    const x = new Rng(1, 2).fillGaussian(new Float64Array(200_000));
    let m = 0, v = 0, k = 0;
    for (const t of x) m += t;
    m /= x.length;
    for (const t of x) { v += (t - m) ** 2; k += (t - m) ** 4; }
    v /= x.length; k /= x.length;
    // Standard errors: mean 1/sqrt(N) = 0.0022, variance sqrt(2/N) = 0.0032, 4th moment ~0.055.
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.015);
    expect(Math.abs(k / (v * v) - 3)).toBeLessThan(0.15);
  });
});

describe('detLog', () => {
  it('agrees with Math.log to a few ulps from subnormals to 1e300', () => {
    const r = new Rng(5, 1);
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = (0.5 + r.uniform()) * 2 ** Math.floor(-1070 + 2066 * r.uniform());
      const ref = Math.log(x);
      worst = Math.max(worst, Math.abs(detLog(x) - ref) / Math.max(Math.abs(ref), 1e-300));
    }
    for (const x of [1, 2, 0.5, Math.SQRT2, Math.SQRT1_2, 1 - 2 ** -53, 1 + 2 ** -52]) {
      expect(Math.abs(detLog(x) - Math.log(x))).toBeLessThanOrEqual(4.5e-16 * Math.max(1, Math.abs(Math.log(x))));
    }
    expect(worst).toBeLessThan(4.5e-16);
  });
});
