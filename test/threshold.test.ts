/**
 * `ntk threshold`: the analysis recovers a known exponent from synthetic records (and censors
 * what lies outside the grid), and the pipeline runs end to end on a tiny grid: rows, CSVs, both
 * plots, resume, shards merged equal to the whole run, the report's section.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enumeratePoints, validateSpec } from '../src/experiments/grid.js';
import { FILES, readConfig, readResults } from '../src/node/run-dir.js';
import { mergeRunDirs } from '../src/node/merge-dirs.js';
import { geometricValues, thresholdPreset } from '../src/experiments/presets.js';
import { recordNumbers, type PointRecord } from '../src/experiments/records.js';
import { reportMarkdown } from '../src/experiments/report.js';
import { reproduceCommand } from '../src/experiments/reproduce.js';
import { readExponent } from '../src/experiments/threshold-report.js';
import type { ExponentRow, ThresholdRow } from '../src/experiments/threshold.js';
import { crossing, fitPowerLaw, seedQuantile, thresholdAnalysis } from '../src/experiments/threshold.js';
import { NtkInputError } from '../src/errors.js';
import { registerReport } from '../src/cli/report.js';
import { parseRatios, registerThreshold } from '../src/cli/threshold.js';
import { thresholdPlotSpec } from '../src/plot/threshold.js';
import { runCommand } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-threshold-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Synthetic records whose seed quantile is linear in log m: g(m) = 0.5 + 0.1 log(m / M(n)) with
 * M(n) = 3 n^b, so m*(n; tau) = M(n) e^{(tau - 0.5)/0.1} exactly (the interpolation is linear in
 * log m) and log m* is linear in log n with slope b. Seed s adds offsets[s] >= 0 (offset 0 is
 * the smallest, so with 5 seeds and quantile 0.9 the quantile is g itself).
 */
function synthetic(b: number, ns: number[], offsets: number[], jitter: (n: number, s: number) => number = () => 0): PointRecord[] {
  const out: PointRecord[] = [];
  const ratios = geometricValues('r', 0.25, 256, Math.SQRT2);
  for (const n of ns) {
    const M = 3 * n ** b;
    for (const r of ratios) {
      const m = Math.round(r * n);
      offsets.forEach((o, seed) => {
        const g = 0.5 + 0.1 * Math.log(m / M) + o + jitter(n, seed);
        out.push({ activation: 'tanh', n, m, d: 10, seed, x: r, lambda_min: 2 * g, inf_lambda_min: 2 } as PointRecord);
      });
    }
  }
  return out;
}

describe('threshold analysis', () => {
  it('the seed quantile is the value a fraction q of the seeds reach', () => {
    expect(seedQuantile([5, 1, 3, 2, 4], 0.9)).toBe(1); // all five must reach it
    expect(seedQuantile([5, 1, 3, 2, 4, 6, 7, 8, 9, 10], 0.9)).toBe(2); // one of ten may miss
    expect(seedQuantile([5, 1, 3, 2], 0.5)).toBe(3);
  });

  it('interpolates the crossing in log m and censors it outside the grid', () => {
    const w = [10, 20, 40];
    // g goes 0.2 -> 0.6 between m = 10 and 20: tau = 0.4 is halfway in log m: sqrt(200).
    expect(crossing(w, [0.2, 0.6, 0.9], 0.4).m).toBeCloseTo(Math.sqrt(200), 12);
    expect(crossing(w, [0.5, 0.6, 0.9], 0.4)).toEqual({ m: null, censored: 'below' });
    expect(crossing(w, [0.1, 0.2, 0.3], 0.4)).toEqual({ m: null, censored: 'above' });
    // The first crossing counts even when g dips again.
    expect(crossing(w, [0.1, 0.5, 0.3], 0.5).m).toBeCloseTo(20, 12);
  });

  it('fits a power law exactly', () => {
    const f = fitPowerLaw([10, 20, 40, 80].map((n) => ({ n, m: 7 * n ** 1.3 })))!;
    expect(f.b).toBeCloseTo(1.3, 12);
    expect(Math.exp(f.intercept)).toBeCloseTo(7, 10);
    expect(fitPowerLaw([{ n: 5, m: 1 }])).toBeNull();
  });

  for (const b of [0.6, 1, 1.5]) {
    it(`recovers b = ${b} from synthetic rows, with a bootstrap interval that holds it`, () => {
      const ns = [16, 32, 64, 128];
      const a = thresholdAnalysis(synthetic(b, ns, [0, 0.01, 0.02, 0.03, 0.04]), { taus: [0.5, 0.6], quantile: 0.9, bootstrap: 200 });
      for (const tau of [0.5, 0.6]) {
        const e = a.exponents.find((x) => x.tau === tau)!;
        expect(e.n_used).toEqual(ns);
        expect(e.b!).toBeCloseTo(b, 10);
        // A resample moves m*(n) only through the smallest offset drawn for that n: the interval
        // is narrow and holds b.
        expect(e.ci_low!).toBeLessThanOrEqual(b + 1e-9);
        expect(e.ci_high!).toBeGreaterThanOrEqual(b - 1e-9);
        expect(e.ci_high! - e.ci_low!).toBeLessThan(0.5);
        for (const n of ns) {
          const t = a.thresholds.find((x) => x.tau === tau && x.n === n)!;
          expect(t.m_star!).toBeCloseTo(3 * n ** b * Math.exp((tau - 0.5) / 0.1), 6);
          expect(t.censored).toBeNull();
        }
      }
    });
  }

  it('seed noise that grows with n widens the interval; censored n are left out of the fit', () => {
    // Seed 0 is unlucky at large n: the 90% quantile follows it.
    const noisy = synthetic(1, [16, 32, 64, 128], [0, 0.01, 0.02, 0.03, 0.04], (n, s) => (s === 0 ? -0.002 * n : 0));
    const a = thresholdAnalysis(noisy, { taus: [0.5], quantile: 0.9, bootstrap: 300 });
    const e = a.exponents[0]!;
    expect(e.b!).toBeGreaterThan(1);
    expect(e.ci_high! - e.ci_low!).toBeGreaterThan(0.05);
    // tau = 1 is beyond every grid point: censored above, no exponent.
    const c = thresholdAnalysis(noisy, { taus: [1], quantile: 0.9, bootstrap: 10 });
    expect(c.thresholds.every((t) => t.censored === 'above' && t.m_star === null)).toBe(true);
    expect(c.exponents[0]!.b).toBeNull();
  });

  it('a singular infinite-width NTK at some n gives no threshold there (never "above the grid") and stays out of the fit', () => {
    const recs = synthetic(1, [16, 32, 64, 128], [0, 0.01, 0.02, 0.03, 0.04]).map((r) => (r.n === 32 ? { ...r, inf_lambda_min: 0 } : r));
    const a = thresholdAnalysis(recs, { taus: [0.5], quantile: 0.9, bootstrap: 50 });
    expect(a.thresholds.map((t) => t.n)).toEqual([16, 64, 128]);
    expect(a.undefinedTargets).toEqual([{ activation: 'tanh', n: 32, inf_lambda_min: 0 }]);
    expect(a.exponents[0]!.n_used).toEqual([16, 64, 128]);
    expect(a.exponents[0]!.b!).toBeCloseTo(1, 10);
  });

  it('the bootstrap refits over the n of the point estimate, never over a different set of n', () => {
    // At n = 16 seed 0 never reaches tau (censored above, so the fit uses n = 32..128, where every
    // seed lies on m* = 3 n); the other seeds of n = 16 would cross well below the line. A
    // resample without seed 0 (a third of them) must not add n = 16 to its fit.
    const recs = synthetic(1, [16, 32, 64, 128], [0, 0, 0, 0, 0], (n, s) => (n === 16 ? (s === 0 ? -1 : 0.1) : 0));
    const e = thresholdAnalysis(recs, { taus: [0.5], quantile: 0.9, bootstrap: 200 }).exponents[0]!;
    expect(e.n_used).toEqual([32, 64, 128]);
    expect(e.b!).toBeCloseTo(1, 10);
    expect(e.replicates_fitted).toBe(200);
    expect(e.ci_low!).toBeCloseTo(1, 10);
    expect(e.ci_high!).toBeCloseTo(1, 10);
  });
});

describe('threshold grid', () => {
  it('enumerates m = round(ratio n) for every n, ratio, activation and seed; d may grow with n', () => {
    const spec = thresholdPreset('quick');
    spec.ns = [10, 30]; spec.values = [0.5, 1, 2]; spec.seeds = [0, 1]; spec.dPerN = 0.5;
    validateSpec(spec);
    const pts = enumeratePoints(spec);
    expect(pts.length).toBe(2 * 3 * 2 * 2);
    expect(pts.filter((p) => p.n === 30).map((p) => p.m)).toEqual([15, 15, 15, 15, 30, 30, 30, 30, 60, 60, 60, 60]);
    expect(new Set(pts.filter((p) => p.n === 30).map((p) => p.d))).toEqual(new Set([15]));
    expect(new Set(pts.map((p) => p.key)).size).toBe(pts.length);
  });

  it('refuses ratios that give the same width, and bad taus, by name', () => {
    const spec = thresholdPreset('quick');
    spec.ns = [4]; spec.values = [1, 1.1];
    expect(() => validateSpec(spec)).toThrow(NtkInputError);
    expect(() => validateSpec(spec)).toThrow(/^ratios: 1 and 1.1 give the same width m = 4 at n = 4/);
    const t = thresholdPreset('quick');
    t.threshold = { taus: [1.5], quantile: 0.9, bootstrap: 10 };
    expect(() => validateSpec(t)).toThrow(/^taus:/);
  });

  it('the full preset is the documented run: n = 50..400, 13 ratios, 10 seeds, 1040 points', () => {
    const full = thresholdPreset('full');
    expect(full.ns).toEqual([50, 100, 200, 400]);
    expect(full.values.length).toBe(13);
    expect(enumeratePoints(full).length).toBe(4 * 13 * 2 * 10);
    expect(Math.max(...enumeratePoints(full).map((p) => p.m))).toBe(6400);
    // The command docs/threshold-full.md was made with (`--preset full --ns 50,100,200,400`) is
    // the preset itself, so its report reproduces it as `--preset full`; the older grid is the
    // preset with n = 800 added.
    expect(reproduceCommand({ ...full, ns: [50, 100, 200, 400] }, 'out/x')).toBe('ntk threshold --preset full --out out/x');
    expect(reproduceCommand({ ...full, ns: [50, 100, 200, 400, 800] }, 'out/x')).toBe('ntk threshold --preset full --ns 50,100,200,400,800 --out out/x');
  });

  it('parses a geometric --ratios grid', () => {
    expect(parseRatios('0.5:4:x2')).toEqual([0.5, 1, 2, 4]);
    expect(parseRatios('1,3')).toEqual([1, 3]);
    expect(() => parseRatios('1:4:x1')).toThrow(/^--ratios:/);
  });
});

describe('ntk threshold end to end on a tiny grid', () => {
  const args = ['--ns', '6,12', '--ratios', '1:4:x2', '--seeds', '2', '--activations', 'tanh,relu', '--d', '4', '--bootstrap', '50', '--backend', 'js', '--quiet'];
  const whole = join(root, 'whole');

  it('writes rows point by point, the CSVs, both plots, and resumes without recomputing', async () => {
    const r = await runCommand(registerThreshold, 'threshold', [...args, '--out', whole]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^tanh tau=0\.5: b = /m);
    expect(r.out).toMatch(/^relu tau=0\.9: b = /m);
    const recs = readResults(join(whole, FILES.results)).records;
    expect(recs.length).toBe(2 * 3 * 2 * 2);
    expect(new Set(recs.map((x) => `${x.n}/${x.m}`))).toEqual(new Set(['6/6', '6/12', '6/24', '12/12', '12/24', '12/48']));
    for (const x of recs) expect(x.inf_lambda_min! > 0 && x.lambda_min > 0).toBe(true);
    // CSVs: one exponent row per activation and tau, one threshold row per (activation, tau, n).
    const lines = (f: string) => readFileSync(join(whole, f), 'utf8').trim().split('\n');
    expect(lines(FILES.exponents)[0]).toBe('activation,tau,b,intercept,ci_low,ci_high,n_used,replicates,replicates_fitted');
    expect(lines(FILES.exponents).length).toBe(1 + 2 * 3);
    expect(lines(FILES.thresholds).length).toBe(1 + 2 * 3 * 2);
    expect(lines(FILES.ratios).length).toBe(1 + 2 * 2 * 3);
    for (const name of ['threshold-ratio', 'threshold-mstar']) {
      expect(readFileSync(join(whole, `${name}.svg`), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      const vl = JSON.parse(readFileSync(join(whole, `${name}.vl.json`), 'utf8'));
      expect(vl.facet.field).toBe('activation');
      expect(vl.data.values.length).toBeGreaterThan(0);
    }
    const ratio = JSON.parse(readFileSync(join(whole, 'threshold-ratio.vl.json'), 'utf8'));
    expect(new Set(ratio.data.values.filter((v: { kind: string }) => v.kind === 'curve').map((v: { n: string }) => v.n))).toEqual(new Set(['6', '12']));
    // Resume: nothing left to compute, the same records.
    const again = await runCommand(registerThreshold, 'threshold', [...args.filter((a) => a !== '--quiet'), '--resume', '--out', whole]);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(/0 points computed, 24 already done/);
    expect(readResults(join(whole, FILES.results)).records.length).toBe(24);
  });

  it('two shards merged equal the whole run; the report states the exponents', async () => {
    for (const i of [1, 2]) {
      const r = await runCommand(registerThreshold, 'threshold', [...args, '--shard', `${i}/2`, '--out', join(root, `s${i}`)]);
      expect(r.code, r.err).toBe(0);
    }
    const merged = join(root, 'merged');
    const m = await mergeRunDirs([join(root, 's1'), join(root, 's2')], merged);
    expect(m.missing).toEqual([]);
    const a = readResults(join(whole, FILES.results)).records.map(recordNumbers);
    const b = readResults(join(merged, FILES.results)).records.map(recordNumbers);
    expect(b).toEqual(a);
    for (const f of [FILES.exponents, FILES.thresholds, 'threshold-mstar.svg', 'threshold-ratio.svg']) {
      expect(existsSync(join(merged, f)), f).toBe(true);
    }
    expect(readFileSync(join(merged, FILES.exponents), 'utf8')).toBe(readFileSync(join(whole, FILES.exponents), 'utf8'));
    const rep = await runCommand(registerReport, 'report', [merged]);
    expect(rep.code, rep.err).toBe(0);
    const md = readFileSync(join(merged, 'REPORT.md'), 'utf8');
    expect(md).toContain('## Width threshold and its exponent');
    expect(md).toMatch(/\| tanh \| 0\.5 \| (-?\d+\.\d\d|–) \|/);
    expect(md).toContain('threshold-mstar.svg');
    expect(md).toContain('ntk threshold --ns 6,12 --ratios 1,2,4');
  });

  it('a report never prints NaN: where λmin(K) <= 0 under a bound it says the order of magnitude is undefined there', () => {
    const config = readConfig(whole)!;
    const recs = readResults(join(whole, FILES.results)).records;
    const bad = recs.findIndex((r) => r.activation === 'relu' && r.bound && !r.bound.vacuous);
    expect(bad).toBeGreaterThanOrEqual(0);
    const b = recs[bad]!.bound!;
    const lm = -1e-3 * b.c0_lambda1;
    const edited = recs.map((r, i) => (i === bad ? { ...r, lambda_min: lm, bound: { ...b, ratio: lm / b.c0_lambda1 } } : r));
    const md = reportMarkdown({ config, records: edited, figures: [], dir: 'out/x' });
    expect(md).not.toMatch(/NaN|Infinity/);
    const summary = md.split('\n').find((l) => l.startsWith('- **relu**'))!;
    expect(summary).toMatch(/orders of magnitude below it where λmin\(K\) > 0; at 1 of \d+ points λmin\(K\) ≤ 0 and no orders of magnitude apply/);
    const row = md.split('\n').find((l) => l.startsWith('| relu |') && l.includes('λmin(K) ≤ 0 at 1'));
    expect(row).toBeDefined();
  });

  it('a threshold report speaks per n (never "from m/n = first to last" across n) and shows the target λmin(Θ) per n', () => {
    const md = readFileSync(join(root, 'merged', 'REPORT.md'), 'utf8');
    const recs = readResults(join(whole, FILES.results)).records;
    for (const act of ['tanh', 'relu']) {
      const summary = md.split('\n').find((l) => l.startsWith(`- **${act}**`))!;
      expect(summary).not.toContain('across m/n');
      expect(summary).toMatch(/at the narrowest m \(m\/n = 1\) the seed mean of λmin\(K\) is [\d.]+ \(n = (6|12)\)( to [\d.]+ \(n = (6|12)\))? × λmin\(Θ\); at the widest \(m\/n = 4\) [\d.]+ \(n = (6|12)\)/);
      // The per-n sentence carries each n's own λmin(Θ), read from the records.
      for (const n of [6, 12]) {
        const inf = recs.find((r) => r.activation === act && r.n === n)!.inf_lambda_min!;
        expect(md).toContain(`n = ${n} (d = 4, λmin(Θ) = ${Number(inf.toPrecision(4))})`);
      }
    }
    expect(md).toMatch(/\| λmin\(Θ\), relu \| [\d.]+ \| [\d.]+ \|/);
    expect(md).toContain('(here 2 of 2: every seed)');
  });
});

describe('the m* plot', () => {
  it('draws thresholds outside the grid at its edge, panels in the spec\'s order, ticks on the n of the grid', () => {
    const row = (activation: string, n: number, m: number | null, censored: ThresholdRow['censored'] = null): ThresholdRow => ({
      activation, tau: 0.9, n, d: 100, m_star: m, ratio_star: m === null ? null : m / n, censored, m_min: n / 4, m_max: 16 * n,
    });
    const rows = [row('tanh', 50, null, 'above'), row('tanh', 100, 900), row('tanh', 200, 1600), row('relu', 50, null, 'below'), row('relu', 100, 800)];
    const vl = thresholdPlotSpec(rows, []) as unknown as { facet: { sort: string[] }; data: { values: Record<string, unknown>[] }; spec: { layer: { encoding: { x: { axis: { values: number[] } } } }[] } };
    expect(vl.facet.sort).toEqual(['tanh', 'relu']);
    expect(vl.data.values.filter((v) => v.kind === 'above')).toEqual([{ kind: 'above', activation: 'tanh', tau: 'τ = 0.9', n: 50, m: 800, bound: '> 800' }]);
    expect(vl.data.values.filter((v) => v.kind === 'below')).toEqual([{ kind: 'below', activation: 'relu', tau: 'τ = 0.9', n: 50, m: 12.5, bound: '< 12.5' }]);
    expect(vl.spec.layer[0]!.encoding.x.axis.values).toEqual([50, 100, 200]);
  });
});

describe('what an exponent says', () => {
  const e = (over: Partial<ExponentRow>): ExponentRow => ({
    activation: 'tanh', tau: 0.9, b: 1, intercept: 0, ci_low: 0.8, ci_high: 1.2, n_used: [50, 100, 200, 400], replicates: 1000, replicates_fitted: 1000, ...over,
  });
  const t = (n: number, m: number | null, censored: ThresholdRow['censored'] = null): ThresholdRow => ({
    activation: 'tanh', tau: 0.9, n, d: 100, m_star: m, ratio_star: m === null ? null : m / n, censored, m_min: n / 4, m_max: 16 * n,
  });
  it('names the range, and what weakens the reading', () => {
    expect(readExponent(e({}))).toMatch(/holds 1 and excludes 2: consistent with linear width$/);
    expect(readExponent(e({ ci_low: 0.2, ci_high: 2.4 }))).toMatch(/holds both 1 and 2: these data do not decide/);
    expect(readExponent(e({ ci_low: 0.3, ci_high: 1.5 }))).toMatch(/holds 1 but is wide/);
    expect(readExponent(e({ b: 0.5, ci_low: 0.3, ci_high: 0.7 }))).toMatch(/below 1/);
    expect(readExponent(e({ b: 1.5, ci_low: 1.2, ci_high: 1.8 }))).toMatch(/between 1 and 2/);
    expect(readExponent(e({ n_used: [200, 400] }))).toMatch(/a line through 2 values of n/);
    expect(readExponent(e({ replicates_fitted: 700 }))).toMatch(/interval from 700 of 1000 replicates/);
    expect(readExponent(e({ b: null, ci_low: null, ci_high: null, n_used: [400] }))).toMatch(/^no exponent/);
  });

  it('says which way a threshold outside the grid would move b, and when local slopes disagree', () => {
    const rows = [t(50, null, 'above'), t(100, 800), t(200, 1600), t(400, 3200)];
    expect(readExponent(e({ n_used: [100, 200, 400] }), rows)).toMatch(/left out: n = 50 \(m\* > 800, outside the grid: would lower b\)/);
    const high = [t(50, 400), t(100, 800), t(200, 1600), t(400, null, 'above')];
    expect(readExponent(e({ n_used: [50, 100, 200] }), high)).toMatch(/n = 400 \(m\* > 6400, outside the grid: would raise b\)/);
    const bumpy = [t(50, 400), t(100, 200), t(200, 1600), t(400, 3200)];
    expect(readExponent(e({}), bumpy)).toMatch(/local slopes run from -1\.00 to 3\.00: one power law describes these n poorly/);
    expect(readExponent(e({}), [t(50, 400), t(100, 800), t(200, 1600), t(400, 3200)])).not.toMatch(/poorly|left out/);
  });
});
