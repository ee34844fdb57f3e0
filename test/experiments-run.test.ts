/**
 * Sweeps end to end in an output folder: the files exist and parse, every number equals an
 * independent recomputation with the library's own functions for the same seeds, an
 * interrupted run (stopped at a point limit, by an abort signal, or killed in the middle of
 * writing a line) resumes with nothing lost or repeated, and shards merged equal the whole run.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/backend/js/index.js';
import type { LoadedBackend } from '../src/backend/load.js';
import { NtkInputError } from '../src/errors.js';
import { enumeratePoints, type SweepSpec } from '../src/experiments/grid.js';
import { FILES, readResults } from '../src/node/run-dir.js';
import { mergeRunDirs } from '../src/node/merge-dirs.js';
import { runSweepToDir } from '../src/node/run-sweep.js';
import { baseSpec } from '../src/experiments/presets.js';
import { formatRecord, parseRecords, recordNumbers, type PointRecord } from '../src/experiments/records.js';
import { runSweep } from '../src/experiments/runner.js';
import { summarize } from '../src/experiments/summary.js';
import { lambdaMin } from '../src/linalg/index.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { infiniteWidth, lambda1, lambda1Matrix, theorem41 } from '../src/theory/index.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-experiments-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dir = (name: string) => join(root, name);

// The js backend: deterministic, so reruns and shards give bit-identical numbers.
const loaded: LoadedBackend = { backend: createJsBackend(), note: 'js backend' };
const spec: SweepSpec = baseSpec('figure1', {
  vary: 'nm', values: [12, 20, 28], activations: ['tanh', 'sigmoid'], seeds: [0, 1], dataSeed: 3, d: 6,
});
const POINTS = 3 * 2 * 2;
const quiet = { quiet: true, command: 'figure1', plotName: 'figure1', backend: loaded } as const;

/** Minimal well-formedness check of XML: every tag closes in order. */
function checkXml(text: string): number {
  const stack: string[] = [];
  let tags = 0;
  const re = /<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g;
  const body = text.replace(/<\?[^>]*\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (let m = re.exec(body); m; m = re.exec(body)) {
    tags++;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[3]) stack.push(m[2]!);
  }
  expect(stack).toEqual([]);
  return tags;
}

/** Parses RFC 4180 CSV without embedded newlines (ours has none). */
function parseCsv(text: string): Record<string, string>[] {
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (q) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = split(head!);
  return rows.map((r) => {
    const cells = split(r);
    expect(cells).toHaveLength(cols.length);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]!]));
  });
}

const numbers = (rs: readonly PointRecord[]) => rs.map(recordNumbers);

describe('a tiny Figure 1 sweep end to end', () => {
  let records: PointRecord[] = [];

  it('writes results.jsonl, summary.csv, results.csv, figure1.svg and its spec, all parsable', async () => {
    const res = await runSweepToDir(spec, { ...quiet, dir: dir('full') });
    expect(res.status).toBe('complete');
    expect(res.computed).toBe(POINTS);
    records = readResults(join(dir('full'), FILES.results)).records;
    expect(records).toHaveLength(POINTS);
    expect(records.map((r) => r.key)).toEqual(enumeratePoints(spec).map((p) => p.key));

    const summary = parseCsv(readFileSync(join(dir('full'), FILES.summary), 'utf8'));
    const rows = summarize(records);
    expect(summary).toHaveLength(6);
    summary.forEach((s, i) => {
      expect(s.activation).toBe(rows[i]!.activation);
      expect(Number(s.x)).toBe(rows[i]!.x);
      expect(Number(s.lambda_min_mean)).toBe(rows[i]!.lambda_min_mean);
      expect(Number(s.lambda_min_std)).toBe(rows[i]!.lambda_min_std);
      expect(Number(s.inf_lambda_min)).toBe(rows[i]!.inf_lambda_min);
    });
    // The summary is the mean and sample std of the two seeds' lambda_min.
    const two = records.filter((r) => r.activation === 'sigmoid' && r.x === 20).map((r) => r.lambda_min);
    const row = summary.find((s) => s.activation === 'sigmoid' && s.x === '20')!;
    expect(Number(row.lambda_min_mean)).toBeCloseTo((two[0]! + two[1]!) / 2, 15);
    expect(Number(row.lambda_min_std)).toBeCloseTo(Math.abs(two[0]! - two[1]!) / Math.SQRT2, 15);

    const flat = parseCsv(readFileSync(join(dir('full'), FILES.resultsCsv), 'utf8'));
    expect(flat).toHaveLength(POINTS);
    expect(flat.map((f) => Number(f.lambda_min))).toEqual(records.map((r) => r.lambda_min));

    const svg = readFileSync(join(dir('full'), 'figure1.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(checkXml(svg)).toBeGreaterThan(50);
    expect(svg).toContain('width m (= number of samples n)');
    const vl = JSON.parse(readFileSync(join(dir('full'), 'figure1.vl.json'), 'utf8'));
    expect(vl.vconcat).toHaveLength(2);
    const cfg = JSON.parse(readFileSync(join(dir('full'), FILES.config), 'utf8'));
    expect(cfg.spec).toEqual(spec);
  });

  it('its numbers equal empiricalNtk + lambdaMin and the theory recomputed for the same seeds', () => {
    const be = loaded.backend;
    expect(records).toHaveLength(POINTS);
    for (const r of records) {
      const X = gaussianData({ n: r.n, d: r.d, seed: r.data_seed });
      const net = createNetwork({ d: r.d, widths: [r.m, r.m], activation: r.activation, sigma0: 1, seed: r.seed });
      const { K, cli } = empiricalNtk(net, X, { backend: be });
      const lm = lambdaMin(K, { backend: be }).value;
      expect(r.lambda_min).toBe(lm);
      expect(r.lambda_min).toBeGreaterThan(0);
      let tr = 0;
      for (let i = 0; i < r.n; i++) tr += K.data[i * r.n + i]!;
      expect(r.trace).toBe(tr);
      // lambda_max against a few hundred power iterations (independent of the Lanczos code).
      let v = new Float64Array(r.n).fill(1), lam = 0;
      for (let it = 0; it < 400; it++) {
        const w = new Float64Array(r.n);
        for (let i = 0; i < r.n; i++) for (let j = 0; j < r.n; j++) w[i]! += K.data[i * r.n + j]! * v[j]!;
        lam = Math.hypot(...w);
        v = w.map((x) => x / lam);
      }
      expect(Math.abs(r.lambda_max - lam)).toBeLessThan(1e-9 * lam);
      const inf = infiniteWidth(X, { depth: 2, activation: r.activation, nu0sq: net.nu0sq, sv2: 1, backend: be });
      expect(r.inf_lambda_min).toBe(inf.lambdaMin);
      expect(r.inf_trace).toBe(inf.trace);
      // lambda_1 by its own function (the sweep takes it from the infinite-width recursion's E_1):
      // equal up to rounding of an eigenvalue, i.e. relative to ||E_1|| <= trace E_1.
      const l1 = lambda1(X, r.activation, net.nu0sq, { backend: be });
      const E1 = lambda1Matrix(X, r.activation, net.nu0sq, { backend: be });
      let trE1 = 0;
      for (let i = 0; i < r.n; i++) trE1 += E1.data[i * r.n + i]!;
      expect(Math.abs(r.lambda_1! - l1)).toBeLessThanOrEqual(1e-13 * trE1);
      const t = theorem41({ activation: r.activation, sigma0: 1, nu0sq: net.nu0sq, cli, lambda1: r.lambda_1!, lambdaMinK: lm, rmax: spec.rmax, backend: be });
      expect(r.bound).toEqual({
        c0: t.bound_expand.c0, r_best: t.bound_expand.r_best, c0_lambda1: t.bound_expand.bound_c0_lambda1,
        c0_lambda1_over_4: t.bound_expand.bound_c0_lambda1_over_4, ratio: t.bound_expand.ratio_lambda_min_over_bound, vacuous: t.vacuous,
      });
      expect(r.nu0sq).toBe(net.nu0sq);
    }
  });

  it('computes the infinite-width kernel once per data set: later seeds reuse it', () => {
    // The records of the first test (run first, in this file's order): never an empty loop.
    expect(records).toHaveLength(POINTS);
    for (const r of records) expect(r.cached.infinite).toBe(r.seed !== 0);
    expect(records.filter((r) => !r.cached.infinite)).toHaveLength(3 * 2); // one per (width, activation)
  });

  it('refuses to overwrite a folder without --resume, and a resume with another setup', async () => {
    await expect(runSweepToDir(spec, { ...quiet, dir: dir('full') })).rejects.toThrow(NtkInputError);
    await expect(runSweepToDir({ ...spec, seeds: [0, 1, 2] }, { ...quiet, dir: dir('full'), resume: true })).rejects.toThrow(/seeds/);
    await expect(runSweepToDir(spec, { ...quiet, dir: dir('full'), resume: true, shard: { index: 1, count: 2 } })).rejects.toThrow(/shard/);
  });

  it('resumes after a run stopped at a point limit and then killed mid-write, with nothing lost or repeated', async () => {
    const d = dir('resume');
    const first = await runSweepToDir(spec, { ...quiet, dir: d, limit: 5 });
    expect(first.status).toBe('limit');
    expect(first.computed).toBe(5);
    expect(first.remaining).toBe(POINTS - 5);
    // A kill while the sixth line was being written leaves part of it.
    const file = join(d, FILES.results);
    appendFileSync(file, formatRecord(records[5]!).slice(0, 57));
    expect(parseRecords(readFileSync(file, 'utf8')).truncated).toBe(true);

    const second = await runSweepToDir(spec, { ...quiet, dir: d, resume: true });
    expect(second.repaired).toBe(true);
    expect(second.skipped).toBe(5);
    expect(second.computed).toBe(POINTS - 5);
    const text = readFileSync(file, 'utf8');
    const p = parseRecords(text);
    expect(p.truncated).toBe(false);
    expect(text.endsWith('\n')).toBe(true);
    expect(p.records.map((r) => r.key)).toEqual(records.map((r) => r.key));
    expect(numbers(p.records)).toEqual(numbers(records));
    // The resumed part reused the theory values of the first part (same data, no recomputation).
    expect(p.records[5]!.cached.infinite).toBe(true);

    const third = await runSweepToDir(spec, { ...quiet, dir: d, resume: true });
    expect(third.computed).toBe(0);
    expect(readResults(file).records).toHaveLength(POINTS);
  });

  it('stops before the next point when aborted, and the rest completes the run', async () => {
    const ctl = new AbortController();
    const got: PointRecord[] = [];
    const a = await runSweep(spec, {
      backend: loaded.backend, signal: ctl.signal,
      onRecord: (r) => { got.push(r); if (got.length === 3) ctl.abort(); },
    });
    expect(a.status).toBe('aborted');
    expect(got).toHaveLength(3);
    const b = await runSweep(spec, { backend: loaded.backend, done: got, onRecord: (r) => { got.push(r); } });
    expect(b.status).toBe('complete');
    expect(b.skipped).toBe(3);
    expect(numbers(got)).toEqual(numbers(records));
  });

  it('shards 1/2 and 2/2 merged equal the unsharded run', async () => {
    const s1 = await runSweepToDir(spec, { ...quiet, dir: dir('s1'), shard: { index: 1, count: 2 } });
    const s2 = await runSweepToDir(spec, { ...quiet, dir: dir('s2'), shard: { index: 2, count: 2 } });
    expect(s1.computed).toBeGreaterThan(0);
    expect(s2.computed).toBeGreaterThan(0);
    expect(s1.computed + s2.computed).toBe(POINTS);
    const k1 = new Set(s1.records.map((r) => r.key));
    expect(s2.records.some((r) => k1.has(r.key))).toBe(false);

    const m = await mergeRunDirs([dir('s2'), dir('s1')], dir('merged'));
    expect(m.missing).toEqual([]);
    expect(m.conflicts).toEqual([]);
    const merged = readResults(join(dir('merged'), FILES.results)).records;
    expect(merged.map((r) => r.key)).toEqual(records.map((r) => r.key));
    expect(numbers(merged)).toEqual(numbers(records));
    // The summary CSVs agree in every column but the timing one.
    const noTime = (f: string) => parseCsv(readFileSync(f, 'utf8')).map(({ seconds_mean: _s, ...rest }) => rest);
    expect(noTime(join(dir('merged'), FILES.summary))).toEqual(noTime(join(dir('full'), FILES.summary)));
    const cfg = JSON.parse(readFileSync(join(dir('merged'), FILES.config), 'utf8'));
    expect(cfg.shard).toBeNull();
    expect(checkXml(readFileSync(join(dir('merged'), 'figure1.svg'), 'utf8'))).toBeGreaterThan(50);
  });

  it('merging one shard reports the missing points; merging different sweeps is refused', async () => {
    const m = await mergeRunDirs([dir('s1')], dir('half'));
    expect(m.missing.length).toBe(POINTS - m.records.length);
    expect(m.missing.length).toBeGreaterThan(0);
    await runSweepToDir({ ...spec, d: 5 }, { ...quiet, dir: dir('other'), limit: 1 });
    await expect(mergeRunDirs([dir('s1'), dir('other')], dir('bad'))).rejects.toThrow(/differs in d/);
    await expect(mergeRunDirs([dir('s1')], dir('s1'))).rejects.toThrow(NtkInputError);
    writeFileSync(join(root, 'not-a-sweep.txt'), 'x');
    await expect(mergeRunDirs([root], dir('bad2'))).rejects.toThrow(/config.json/);
  });
});
