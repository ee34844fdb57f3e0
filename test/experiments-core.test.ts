/**
 * The sweep core's pure parts: grids, keys and shards, record parsing, statistics, CSV,
 * merging, lambda_max by Lanczos (against the full spectrum), histograms and plot specs.
 */
import * as vl from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { NtkInputError } from '../src/errors.js';
import {
  dataKeyOf, enumeratePoints, parseShard, parseValues, shardPoints, validateSpec, type SweepSpec,
} from '../src/experiments/grid.js';
import { mergeRecords, specDiff } from '../src/experiments/merge.js';
import { baseSpec, figure1Preset } from '../src/experiments/presets.js';
import { formatRecord, parseRecords, type PointRecord } from '../src/experiments/records.js';
import { histograms } from '../src/experiments/spectrum.js';
import { mean, sampleStd, summarize, toCsv } from '../src/experiments/summary.js';
import { spectrumPlotSpec } from '../src/plot/spectrum.js';
import { renderSvg } from '../src/plot/render.js';
import { logAxisFormat } from '../src/plot/axis.js';
import { bandEdges, boundPanelData, lambdaPanelData, SERIES, sweepPlotSpec } from '../src/plot/sweep.js';

const tiny = (over: Partial<SweepSpec> = {}): SweepSpec =>
  baseSpec('sweep', { vary: 'nm', values: [10, 20, 30], activations: ['tanh', 'sigmoid'], seeds: [0, 1, 2], d: 5, ...over });

function throwsInput(fn: () => unknown, parameter: string): void {
  let err: unknown = null;
  try { fn(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(NtkInputError);
  expect((err as NtkInputError).parameter).toBe(parameter);
}

/** A record with the given numbers (the rest filled in plausibly). */
function fakeRecord(activation: 'tanh' | 'sigmoid', x: number, seed: number, lambdaMin: number, extra: Partial<PointRecord> = {}): PointRecord {
  return {
    schema: 1, key: `${activation}|x=${x}|seed=${seed}`, data_key: `${activation}|x=${x}`, experiment: 'sweep', vary: 'nm', x,
    activation, n: x, m: x, depth: 2, d: 5, seed, data_seed: 0, sigma0: 1, c: 0.4, nu0sq: 2.5, sv2: 1, v_law: 'gaussian', normalize: false,
    lambda_min: lambdaMin, lambda_min_method: 'test', lambda_min_error: 0, lambda_max: 10, lambda_max_error: 0, trace: x,
    lambda_1: 0.05, inf_lambda_min: 0.3, inf_trace: x,
    bound: { c0: 1e-5, r_best: 3, c0_lambda1: 5e-7, c0_lambda1_over_4: 1.25e-7, ratio: lambdaMin / 5e-7, vacuous: false },
    lemma42: [[0.5, 1.2], [0.6, 1.1]],
    timings: { data: 0, network: 0, ntk: 0, lambda_min: 0, lambda_max: 0, lambda_1: 0, infinite: 0, theorem: 0, total: 0.5 },
    cached: { lambda_1: false, infinite: false }, backend: 'js', finished: '2024-01-01T00:00:00.000Z',
    ...extra,
  };
}

describe('grids', () => {
  it('parses ranges, lists and single values', () => {
    expect(parseValues('v', '200:1000:200')).toEqual([200, 400, 600, 800, 1000]);
    expect(parseValues('v', '0.1:0.5:0.1')).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(parseValues('v', '200:4000:100')).toHaveLength(39);
    expect(parseValues('v', '7')).toEqual([7]);
    expect(parseValues('v', '3, 1,2')).toEqual([3, 1, 2]);
    for (const bad of ['', '1:2', '3:1:1', '1:5:0', '1:5:-1', 'a,b', '1,,2', '0:1e9:1']) throwsInput(() => parseValues('--widths', bad), '--widths');
  });

  it('parses shards i/N and refuses the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '1', 'a/b', '1/2/3']) throwsInput(() => parseShard(bad), '--shard');
  });

  it('enumerates every (value, activation, seed) once, seeds of a group adjacent and sharing data', () => {
    const spec = tiny();
    const pts = enumeratePoints(spec);
    expect(pts).toHaveLength(3 * 2 * 3);
    expect(new Set(pts.map((p) => p.key)).size).toBe(pts.length);
    for (const p of pts) { expect(p.n).toBe(p.x); expect(p.m).toBe(p.x); }
    for (let g = 0; g < 6; g++) {
      const members = pts.filter((p) => p.group === g);
      expect(members.map((p) => p.seed)).toEqual([0, 1, 2]);
      expect(new Set(members.map((p) => p.dataKey)).size).toBe(1);
      const idx = members.map((p) => pts.indexOf(p));
      expect(idx[2]! - idx[0]!).toBe(2);
    }
  });

  it('varies the right quantity and keeps the data fixed where it should', () => {
    const w = enumeratePoints(tiny({ vary: 'width', values: [10, 40], n: 12 }));
    expect(w.every((p) => p.n === 12)).toBe(true);
    expect(w.map((p) => p.m)).toContain(40);
    // Same data for every width (Gaussian v): one data key per activation.
    expect(new Set(w.map((p) => p.dataKey)).size).toBe(2);
    const s = enumeratePoints(tiny({ vary: 'sigma0', values: [0.5, 1.5], sigma0: null }));
    expect(s.map((p) => p.sigma0)).toContain(1.5);
    expect(s.every((p) => p.nu0sq === null)).toBe(true);
    const dpt = enumeratePoints(tiny({ vary: 'depth', values: [1, 3] }));
    expect(new Set(dpt.map((p) => p.depth))).toEqual(new Set([1, 3]));
    // A unit v has variance 1/m: the width then belongs to the data key.
    const base = { activation: 'tanh' as const, n: 5, d: 3, dataSeed: 0, normalize: false, depth: 2, sigma0: 1, nu0sq: null, sv2: 1 };
    expect(dataKeyOf({ ...base, vLaw: 'gaussian', m: 10 })).toBe(dataKeyOf({ ...base, vLaw: 'gaussian', m: 20 }));
    expect(dataKeyOf({ ...base, vLaw: 'unit', m: 10 })).not.toBe(dataKeyOf({ ...base, vLaw: 'unit', m: 20 }));
  });

  it('splits points into disjoint shards of whole groups that cover the sweep', () => {
    const pts = enumeratePoints(tiny());
    for (let N = 1; N <= 7; N++) {
      const parts = Array.from({ length: N }, (_, i) => shardPoints(pts, { index: i + 1, count: N }));
      const keys = parts.flat().map((p) => p.key);
      expect(keys.length).toBe(pts.length);
      expect(new Set(keys).size).toBe(pts.length);
      for (const part of parts) {
        for (const p of part) expect(part.filter((q) => q.group === p.group)).toHaveLength(3);
      }
    }
    expect(shardPoints(pts, null)).toHaveLength(pts.length);
  });

  it('validates specs with the parameter at fault', () => {
    throwsInput(() => validateSpec(tiny({ values: [] })), 'values');
    throwsInput(() => validateSpec(tiny({ values: [10, 10] })), 'values');
    throwsInput(() => validateSpec(tiny({ values: [10.5] })), 'widths');
    throwsInput(() => validateSpec(tiny({ activations: ['swish' as 'tanh'] })), 'activations');
    throwsInput(() => validateSpec(tiny({ seeds: [-1] })), 'seeds');
    throwsInput(() => validateSpec(tiny({ sigma0: 1, nu0sq: 2 })), 'sigma0');
    throwsInput(() => validateSpec(tiny({ sigma0: -1 })), 'sigma0');
    throwsInput(() => validateSpec(tiny({ rmax: 1 })), 'rmax');
    throwsInput(() => validateSpec(tiny({ vary: 'sigma0', values: [1], sigma0: null, nu0sq: 2 })), 'nu0sq');
    expect(() => validateSpec(figure1Preset('paper'))).not.toThrow();
    throwsInput(() => figure1Preset('huge'), '--preset');
  });

  it('the presets are the paper\'s grid and the quick one', () => {
    const p = figure1Preset('paper');
    expect(p.values[0]).toBe(200);
    expect(p.values[p.values.length - 1]).toBe(4000);
    expect(p.values).toHaveLength(39);
    expect(p).toMatchObject({ vary: 'nm', activations: ['tanh', 'sigmoid'], seeds: [0, 1, 2], d: 100, depth: 2, sigma0: 1, normalize: false });
    expect(figure1Preset('quick').values).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });
});

describe('records', () => {
  const a = fakeRecord('tanh', 10, 0, 0.2), b = fakeRecord('tanh', 10, 1, 0.3);

  it('round-trip through results.jsonl text', () => {
    const text = formatRecord(a) + formatRecord(b);
    const p = parseRecords(text);
    expect(p.records).toEqual([a, b]);
    expect(p.truncated).toBe(false);
    expect(p.validLength).toBe(text.length);
  });

  it('drop a partial last line (a killed run) and say where the good part ends', () => {
    const good = formatRecord(a);
    const partial = formatRecord(b).slice(0, 40);
    const p = parseRecords(good + partial);
    expect(p.records).toEqual([a]);
    expect(p.truncated).toBe(true);
    expect(p.validLength).toBe(good.length);
    // Complete JSON whose newline never made it is also redone, not trusted.
    const q = parseRecords(good + formatRecord(b).trimEnd());
    expect(q.records).toEqual([a]);
    expect(q.truncated).toBe(true);
  });

  it('refuse a corrupt line in the middle', () => {
    throwsInput(() => parseRecords(formatRecord(a) + '{"oops"\n' + formatRecord(b), 'r.jsonl'), 'r.jsonl');
  });
});

describe('summary statistics and CSV', () => {
  it('mean and sample std over seeds per (activation, x)', () => {
    const recs = [
      fakeRecord('tanh', 20, 0, 1), fakeRecord('tanh', 20, 1, 2), fakeRecord('tanh', 20, 2, 4),
      fakeRecord('tanh', 10, 0, 5),
      fakeRecord('sigmoid', 10, 0, 0.001, { bound: { c0: 1, r_best: 30, c0_lambda1: 2, c0_lambda1_over_4: 0.5, ratio: 0.0005, vacuous: true } }),
    ];
    const rows = summarize(recs);
    expect(rows.map((r) => `${r.activation}:${r.x}`)).toEqual(['tanh:10', 'tanh:20', 'sigmoid:10']);
    const t20 = rows[1]!;
    expect(t20.seeds).toBe(3);
    expect(t20.lambda_min_mean).toBeCloseTo(7 / 3, 15);
    expect(t20.lambda_min_std).toBeCloseTo(Math.sqrt(7 / 3), 15);
    expect([t20.lambda_min_min, t20.lambda_min_max]).toEqual([1, 4]);
    expect(rows[0]!.lambda_min_std).toBeNull();
    expect(rows[2]!.vacuous).toBe(true);
    expect(rows[2]!.r_best).toBe(30);
    expect(mean([])).toBeNaN();
    expect(sampleStd([3])).toBe(0);
  });

  it('CSV quotes what needs quoting and numbers round-trip', () => {
    const rows = [{ a: 'x,y', b: 0.1 + 0.2, c: null, d: 'say "hi"', e: true }, { a: 'plain', b: 1e-300, c: 5, d: '', e: false }];
    const csv = toCsv(rows);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('a,b,c,d,e');
    expect(lines[1]).toBe('"x,y",0.30000000000000004,,"say ""hi""",true');
    expect(Number(lines[2]!.split(',')[1])).toBe(1e-300);
  });
});

describe('merging records', () => {
  it('keeps one record per point in grid order, and reports duplicates, conflicts and missing points', () => {
    const spec = tiny({ values: [10], activations: ['tanh'], seeds: [0, 1, 2] });
    const pts = enumeratePoints(spec);
    const rec = (i: number, lm: number) => ({ ...fakeRecord('tanh', 10, i, lm), key: pts[i]!.key });
    const m = mergeRecords([[rec(2, 0.3), rec(0, 0.1)], [rec(0, 0.1), rec(2, 0.35)]], spec);
    expect(m.records.map((r) => r.seed)).toEqual([0, 2]);
    expect(m.records[1]!.lambda_min).toBe(0.3);
    expect(m.duplicates).toEqual([pts[0]!.key]);
    expect(m.conflicts).toEqual([pts[2]!.key]);
    expect(m.missing).toEqual([pts[1]!.key]);
  });

  it('names the fields in which two specs differ', () => {
    expect(specDiff(tiny(), tiny())).toEqual([]);
    expect(specDiff(tiny(), tiny({ seeds: [0], d: 7 }))).toEqual(['d', 'seeds']);
  });
});

describe('histograms', () => {
  it('bin every positive eigenvalue once on edges shared by all spectra', () => {
    const a = Float64Array.from([1e-4, 1e-3, 0.5, 2, 100]);
    const b = Float64Array.from([-1e-17, 0, 3e-3, 7]);
    const h = histograms({ A: a, B: b }, { bins: 10 });
    const A = h.bins.filter((x) => x.matrix === 'A'), B = h.bins.filter((x) => x.matrix === 'B');
    expect(A.reduce((s, x) => s + x.count, 0)).toBe(5);
    expect(B.reduce((s, x) => s + x.count, 0)).toBe(2);
    expect(h.nonPositive).toEqual({ A: 0, B: 2 });
    expect(A.map((x) => x.lo)).toEqual(B.map((x) => x.lo));
    expect(A[0]!.lo).toBeCloseTo(1e-4, 15);
    expect(A[9]!.hi).toBeCloseTo(100, 10);
    for (const x of A) expect(x.hi).toBeGreaterThan(x.lo);
    const lin = histograms({ A: a }, { bins: 4, scale: 'linear' });
    expect(lin.bins.reduce((s, x) => s + x.count, 0)).toBe(5);
    expect(lin.bins[3]!.count).toBe(1);
    throwsInput(() => histograms({ A: a }, { bins: 0 }), 'bins');
  });
});

describe('plot specs', () => {
  const compileQuietly = (spec: vl.TopLevelSpec) => {
    const warnings: string[] = [];
    const logger = { level() { return this; }, error(...m: unknown[]) { warnings.push(m.join(' ')); return this; }, warn(...m: unknown[]) { warnings.push(m.join(' ')); return this; }, info() { return this; }, debug() { return this; } };
    const out = vl.compile(spec, { logger: logger as never });
    return { out, warnings };
  };
  const recs = [
    fakeRecord('tanh', 10, 0, 0.2), fakeRecord('tanh', 10, 1, 0.3), fakeRecord('tanh', 20, 0, 0.25),
    fakeRecord('sigmoid', 10, 0, 1e-3), fakeRecord('sigmoid', 10, 1, 5e-4), fakeRecord('sigmoid', 20, 0, 8e-4),
  ];
  const rows = summarize(recs);

  it('figure 1: band around the mean, only positive values on the log axes, compiles without warnings', () => {
    const data = lambdaPanelData(rows, 'nm');
    for (const d of data) expect(d.value as number).toBeGreaterThan(0);
    const emp = data.filter((d) => String(d.series).startsWith('λmin(K)'));
    expect(emp).toHaveLength(4);
    for (const d of emp) {
      if (d.lo !== null) expect(d.lo as number).toBeLessThanOrEqual(d.value as number);
      expect(d.hi as number).toBeGreaterThanOrEqual(d.value as number);
    }
    // Two seeds 1e-3 and 5e-4: mean 7.5e-4, std 3.5e-4, band [4e-4, 1.1e-3].
    const s10 = rows.find((r) => r.activation === 'sigmoid' && r.x === 10)!;
    const band = bandEdges(s10);
    expect(band.lo).toBeCloseTo(7.5e-4 - Math.sqrt(2) * 2.5e-4, 15);
    // A band reaching below zero falls back to the smallest seed on a log axis.
    expect(bandEdges({ ...s10, lambda_min_std: 1 }).lo).toBe(5e-4);
    const { out, warnings } = compileQuietly(sweepPlotSpec(rows, { vary: 'nm', title: 't' }));
    expect(warnings).toEqual([]);
    expect(JSON.stringify(out.spec)).toContain('"type":"log"');
  });

  /** The legend labels and the tick labels of each axis, per panel of a rendered two-panel SVG. */
  const texts = (seg: string, role: string) => [...seg.matchAll(new RegExp(`<g class="mark-text role-${role}"[^>]*>([\\s\\S]*?)</g>`, 'g'))]
    .map((m) => [...m[1]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]!).filter((t) => t !== ''));
  const panels = (svg: string) => {
    const cut = svg.indexOf('concat_1_group');
    expect(cut).toBeGreaterThan(0);
    return [svg.slice(0, cut), svg.slice(cut)].map((seg) => ({
      legend: texts(seg, 'legend-label').flat(), axes: texts(seg, 'axis-label'),
      symbolOpacity: [...seg.matchAll(/<g class="mark-symbol role-legend-symbol"[^>]*>([\s\S]*?)<\/g>/g)]
        .flatMap((m) => [...m[1]!.matchAll(/ opacity="([\d.]+)"/g)].map((o) => Number(o[1]))),
    }));
  };
  const decimal = /^\d{1,3}(,\d{3})*(\.\d+)?$/, exponent = /^\d(\.\d+)?e[+-]\d+$/;
  /** Every tick label of an axis in one format: all plain decimals or all exponents. */
  const oneFormat = (labels: string[]) => {
    expect(labels.length).toBeGreaterThan(1);
    const re = decimal.test(labels[0]!) ? decimal : exponent;
    for (const l of labels) expect(l, labels.join(' ')).toMatch(re);
  };

  it('figure 1 drawn: each panel\'s legend names only what it draws, and every axis has one number format', async () => {
    // lambda_min spans 5e-4..0.3 (decimals fit); the bound panel 1.25e-7..0.3 (exponents).
    const [top, bottom] = panels(await renderSvg(sweepPlotSpec(rows, { vary: 'nm' })));
    expect(top!.legend).toEqual(['tanh', 'sigmoid', SERIES.empirical, SERIES.infinite]);
    expect(bottom!.legend).toEqual(['tanh', 'sigmoid', SERIES.empirical, SERIES.bound, SERIES.boundQuarter, SERIES.lambda1,
      'bound (max over r below rmax)', 'vacuous (max over r at rmax)']);
    for (const p of [top!, bottom!]) {
      expect(p.axes).toHaveLength(2);
      p.axes.forEach(oneFormat);
      // Legend symbols a reader can see (not the band's faint 0.2).
      expect(p.symbolOpacity.length).toBeGreaterThanOrEqual(4);
      for (const o of p.symbolOpacity) expect(o).toBeGreaterThanOrEqual(0.7);
    }
    expect(top!.axes[1]).toContain('0.001');
    expect(bottom!.axes[1]).toContain('1e-6');
    // A width sweep has a log x axis; its labels follow the same rule.
    const wide = summarize(recs.map((r) => ({ ...r, vary: 'width' as const, x: r.x * 100, m: r.x * 100 })));
    for (const p of panels(await renderSvg(sweepPlotSpec(wide, { vary: 'width' })))) p.axes.forEach(oneFormat);
    expect(logAxisFormat([2e-5, 3, null, -1])).toBe(',~g');
    expect(logAxisFormat([2e-7, 3])).toBe('~e');
    expect(logAxisFormat([1, 3e5])).toBe('~e');
  });

  it('sigma0 sweeps plot c0 against sigma0^2 and mark vacuous bounds', () => {
    const srows = summarize([
      fakeRecord('tanh', 0.5, 0, 0.1, { sigma0: 0.5 }),
      fakeRecord('tanh', 2, 0, 0.1, { sigma0: 2, bound: { c0: 3, r_best: 30, c0_lambda1: 0.1, c0_lambda1_over_4: 0.025, ratio: 1, vacuous: true } }),
    ]);
    const data = boundPanelData(srows, 'sigma0');
    expect(data.map((d) => d.x)).toEqual([0.25, 4]);
    expect(data.map((d) => d.status)).toEqual(['bound (max over r below rmax)', 'vacuous (max over r at rmax)']);
    expect(compileQuietly(sweepPlotSpec(srows, { vary: 'sigma0' })).warnings).toEqual([]);
  });

  it('spectrum histogram spec compiles without warnings; drawn, counts are whole numbers and the log axis has one format', async () => {
    const h = histograms({ K: Float64Array.from([0.1, 1, 10]), T: Float64Array.from([0.2, 2]) }, { bins: 5 });
    const { warnings } = compileQuietly(spectrumPlotSpec(h.bins, { rules: [{ matrix: 'K', value: 0.1, label: 'min' }] }));
    expect(warnings).toEqual([]);
    // A spectrum over nine decades (sigmoid's NTK spans about six), a few eigenvalues per bin.
    const wide = histograms({ K: Float64Array.from([2e-8, 3e-8, 1e-6, 1e-3, 0.5, 1, 2, 7]), T: Float64Array.from([1e-7, 0.3, 4]) }, { bins: 12 });
    const axes = texts(await renderSvg(spectrumPlotSpec(wide.bins)), 'axis-label');
    expect(axes).toHaveLength(2);
    const [x, y] = axes[0]!.some((l) => /e/.test(l)) ? [axes[0]!, axes[1]!] : [axes[1]!, axes[0]!];
    oneFormat(x);
    expect(x).toContain('1e-6');
    expect(y.length).toBeGreaterThan(1);
    for (const l of y) expect(l, y.join(' ')).toMatch(/^\d+$/);
  });
});
