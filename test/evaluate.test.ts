import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../src/io/spec.js';
import { evaluateNetwork } from '../src/network/evaluate.js';
import { relaxedCase, wasmCase } from './helpers/backends.js';
import { FIXTURES, NET_FIXTURE_COUNT, netFixtures } from './helpers/fixtures.js';
import { relErr } from './helpers/reference.js';

const close = (a: number, b: number, rel: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(Math.abs(b), 1e-300));

// Both SIMD builds at the same tolerances: fused multiply-adds change rounding only.
describe.each([wasmCase, relaxedCase])('evaluateNetwork reproduces every fixture report on $name', ({ get }) => {
  const all = netFixtures();
  it('reads every network fixture (a loop over none would pass silently)', () => {
    expect(all).toHaveLength(NET_FIXTURE_COUNT);
  });
  for (const fx of all) {
    it(fx.file, async () => {
      const be = await get();
      const { net, X } = await loadSpec(fx);
      const r = evaluateNetwork(net, X, { backend: be });
      const e = fx.expected;
      if (e.c !== null && fx.inputs.sigma0 !== null) close(r.c!, e.c, 1e-13);
      close(r.nu0sq, e.nu0sq, 1e-13);
      expect(relErr(r.f, e.f)).toBeLessThan(1e-12);
      close(r.K_trace, e.K_trace, 1e-12);
      close(r.K_frobenius, e.K_frobenius, 1e-12);
      expect(relErr(r.K_diag, e.K_diag)).toBeLessThan(1e-12);
      expect(relErr(r.K_term_traces, e.K_term_traces)).toBeLessThan(1e-12);
      const lmax = e.lambda_max as number;
      close(r.lambda_max, lmax, 1e-12);
      if (fx.file === 'net_duplicate_rows_tanh.json') expect(Math.abs(r.lambda_min)).toBeLessThan(1e-12 * lmax);
      else expect(Math.abs(r.lambda_min - e.lambda_min)).toBeLessThan(1e-11 * lmax);
      r.c_li.forEach((c, l) => expect(relErr(c, e.c_li[l])).toBeLessThan(1e-13));
      // Theory, accurate to ~1e-14 in the reference.
      const iw = e.inf_width;
      const tmax = Math.max(...(iw.Theta_diag as number[]));
      const e1max = Math.max(...(e.lambda_1_matrix as number[][]).map((row, i) => row[i]!));
      expect(Math.abs(r.lambda_1! - e.lambda_1)).toBeLessThan(1e-12 * e1max);
      expect(Math.abs(r.inf_width!.lambda_min! - iw.lambda_min)).toBeLessThan(1e-12 * tmax);
      close(r.inf_width!.trace, iw.trace, 1e-12);
      close(r.inf_width!.rel_fro_err_of_K!, iw.rel_fro_err_of_K, 1e-12);
      if (fx.inputs.sigma0 !== null) {
        const t = r.theorem41!, et = e.theorem41;
        for (const conv of ['bound_expand', 'bound_orthonormal', 'bound_weighted_literal'] as const) {
          expect(t[conv].r_best).toBe(et[conv].r_best);
          close(t[conv].c0, et[conv].c0, 1e-12);
          // lambda_1 is rounding noise for singular data: compare on the scale of c0 * max E_1.
          expect(Math.abs(t[conv].bound_c0_lambda1 - et[conv].bound_c0_lambda1))
            .toBeLessThan(1e-12 * Math.abs(et[conv].bound_c0_lambda1) + 1e-12 * et[conv].c0 * e1max);
        }
        expect(relErr(r.lemma42!.flat(), (et.lemma42_cl2_over_c_minmax as number[][]).flat())).toBeLessThan(1e-12);
        (et.lemma41_layers as { lambda_l: number; lambda_min_AlAlT_over_m: number }[]).forEach((lay, i) => {
          const got = t.lemma41_layers![i]!;
          expect(Math.abs(got.lambda_l - lay.lambda_l)).toBeLessThan(1e-11);
          expect(Math.abs(got.lambda_min_AlAlT_over_m - lay.lambda_min_AlAlT_over_m)).toBeLessThan(1e-11);
        });
      } else {
        expect(r.theorem41).toBeNull();
        expect(r.notes?.[0]).toMatch(/no sigma0/);
      }
    });
  }
});

describe('ntk evaluate (CLI)', () => {
  const cli = resolve('dist/cli/main.js');
  it('prints a fixture\'s numbers as JSON, from a spec with .npy paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ntk-eval-'));
    const npy = join(FIXTURES, 'npy/tanh_n64_d16_m128_L2');
    const fx = netFixtures().find((f) => f.file === 'net_tanh_n64_d16_m128_L2.json')!;
    const spec = { ...fx.inputs, X: join(npy, 'X.npy'), W: [join(npy, 'W1.npy'), join(npy, 'W2.npy')], v: join(npy, 'v.npy') };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = execFileSync('node', [cli, 'evaluate', join(dir, 'spec.json'), '--json', '--threads', '1'], { encoding: 'utf8' });
    const r = JSON.parse(out);
    expect(Math.abs(r.lambda_min - fx.expected.lambda_min)).toBeLessThan(1e-11 * fx.expected.lambda_max);
    expect(Math.abs(r.lambda_1 - fx.expected.lambda_1)).toBeLessThan(1e-12);
    expect(r.theorem41.bound_expand.r_best).toBe(fx.expected.theorem41.bound_expand.r_best);
    expect(r.K).toBeUndefined();
  });
  it('answers a bad spec with one line naming the field, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ntk-eval-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ activation: 'swish', widths: [3], d: 2, n: 2 }));
    const p = spawnSync('node', [cli, 'evaluate', join(dir, 'bad.json')], { encoding: 'utf8' });
    expect(p.status).toBe(2);
    expect(p.stderr.trim().split('\n').pop()).toMatch(/^ntk: error: activation: unknown activation "swish"; use one of tanh, sigmoid, erf, gelu, softplus, sin, relu$/);
  });
});
