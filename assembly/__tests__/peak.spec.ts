// Specs of the benchmarks' probes (assembly/peak.ts): what they return is a closed form of
// their inputs, so a probe that skipped or repeated part of its work would show. peakProbe's
// twelve chains c <- 0.999999 c + 1e-6 have the fixed point 1 and after k steps are
// 1 + (c0 - 1) 0.999999^k; streamProbe returns reps times the sum of what it reads.
import { peakProbe, streamProbe } from '../peak';
import { buf, resetBuffers } from './setup/blas';

describe('streamProbe', () => {
  it('returns reps times the sum of the bytes it reads (every 64-byte step, each lane once)', () => {
    resetBuffers();
    const n = 1000; // 8000 bytes: 125 steps of 64
    const p = buf(n);
    let sum: f64 = 0;
    for (let i = 0; i < n; i++) {
      const v = <f64>((i * 37) % 101) - 50.0; // integers: every partial sum is exact
      store<f64>(p + (<usize>i << 3), v);
      sum += v;
    }
    expect(streamProbe(p, <usize>n << 3, 3)).toBe(3 * sum);
    expect(streamProbe(p, 64, 1)).toBe(load<f64>(p) + load<f64>(p, 8) + load<f64>(p, 16) + load<f64>(p, 24) +
      load<f64>(p, 32) + load<f64>(p, 40) + load<f64>(p, 48) + load<f64>(p, 56));
    expect(streamProbe(p, 0, 5)).toBe(0);
  });
});

describe('peakProbe', () => {
  it('runs every chain for every iteration: the sum is 12 + sum_c (c0 - 1) 0.999999^iters (lanes doubled in SIMD)', () => {
    const iters = 1000;
    const decay = Math.pow(0.999999, <f64>iters);
    let expected: f64 = 0;
    for (let c = 0; c < 12; c++) expected += 1 + (0.5 + 0.01 * <f64>c - 1) * decay;
    const lanes: f64 = ASC_FEATURE_SIMD ? 2 : 1;
    const got = peakProbe(iters);
    expect(Math.abs(got - lanes * expected)).toBeLessThan(1e-9);
  });
});
