/**
 * `ntk report` on a tiny Figure 1 sweep: the lambda_min table equals the empirical NTK
 * recomputed from scratch for the same seeds, the bound's ratios equal lambda_min / (c0
 * lambda_1) of the records, sigmoid's phi(0) = 1/2 is named, the figure links resolve (also when
 * the report is written elsewhere and the figures are copied), the reproduce command recomputes
 * the same numbers, and bad folders give input errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/backend/js/index.js';
import type { LoadedBackend } from '../src/backend/load.js';
import { registerFigure1 } from '../src/cli/figure1.js';
import { runCommand } from './helpers/cli.js';
import { registerReport, writeReport } from '../src/cli/report.js';
import { NtkInputError } from '../src/errors.js';
import type { SweepSpec } from '../src/experiments/grid.js';
import { FILES, readResults } from '../src/node/run-dir.js';
import { runSweepToDir } from '../src/node/run-sweep.js';
import { baseSpec } from '../src/experiments/presets.js';
import { recordNumbers, type PointRecord } from '../src/experiments/records.js';
import { reportMarkdown } from '../src/experiments/report.js';
import { reproduceCommand } from '../src/experiments/reproduce.js';
import { lambdaMin } from '../src/linalg/index.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dir = (name: string) => join(root, name);

const loaded: LoadedBackend = { backend: createJsBackend(), note: 'js backend' };
const spec: SweepSpec = baseSpec('figure1', {
  vary: 'nm', values: [12, 20], activations: ['tanh', 'sigmoid'], seeds: [0, 1], dataSeed: 2, d: 6,
});
const run = { quiet: true, command: 'figure1', plotName: 'figure1', backend: loaded } as const;

/** The rows of the Markdown table under the heading `### name`: cells as strings. */
function tableAfter(md: string, heading: string): string[][] {
  const start = md.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = md.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(lines[i]!.slice(1, -1).split('|').map((c) => c.trim()));
  }
  return rows;
}

/** Runs `ntk <command> <args>` in process with the given command installed. */
const ntk = (register: (p: Command) => void, name: string, ...args: string[]) => runCommand(register, name, args);

let records: PointRecord[] = [];
let md = '';

beforeAll(async () => {
  await runSweepToDir(spec, { ...run, dir: dir('full') });
  records = readResults(join(dir('full'), FILES.results)).records;
  const r = writeReport(dir('full'));
  expect(r.report).toBe(resolve(dir('full'), 'REPORT.md'));
  expect(r.points).toBe(8);
  expect(r.copied).toEqual([]);
  md = readFileSync(r.report, 'utf8');
});

describe('ntk report on a tiny Figure 1 sweep', () => {
  it('tabulates lambda_min against width equal to the empirical NTK recomputed for the same seeds', () => {
    for (const act of ['tanh', 'sigmoid'] as const) {
      const rows = tableAfter(md, `### ${act}`);
      expect(rows.map((r) => Number(r[0]))).toEqual([12, 20]);
      for (const row of rows) {
        const n = Number(row[0]);
        const X = gaussianData({ n, d: 6, seed: 2 });
        const lm = [0, 1].map((seed) => {
          const net = createNetwork({ d: 6, widths: [n, n], activation: act, sigma0: 1, seed });
          return lambdaMin(empiricalNtk(net, X, { backend: loaded.backend }).K, { backend: loaded.backend }).value;
        });
        const mean = (lm[0]! + lm[1]!) / 2, std = Math.abs(lm[0]! - lm[1]!) / Math.SQRT2;
        expect(row[1]).toBe('2');
        // Printed to 4 and 2 significant digits.
        expect(Math.abs(Number(row[2]) - mean)).toBeLessThanOrEqual(5e-4 * mean);
        expect(Math.abs(Number(row[3]) - std)).toBeLessThanOrEqual(5e-2 * std);
        expect(Number(row[2])).toBeGreaterThan(0);
      }
    }
  });

  it('reports how far c0 lambda_1 sits below lambda_min: the range of lambda_min / (c0 lambda_1) per activation', () => {
    const rows = tableAfter(md, '## How far Theorem 4.1');
    expect(rows.map((r) => r[0])).toEqual(['tanh', 'sigmoid']);
    for (const row of rows) {
      const rs = records.filter((r) => r.activation === row[0]);
      const ratios = rs.map((r) => r.lambda_min / r.bound!.c0_lambda1);
      const [lo, hi] = [Math.min(...ratios), Math.max(...ratios)];
      expect(lo).toBeGreaterThan(1); // the bound holds, far below
      expect(row[1]).toBe('4');
      const [plo, phi] = row[2]!.split(' to ').map(Number);
      expect(Math.abs(plo! - lo)).toBeLessThanOrEqual(0.05 * lo);
      expect(Math.abs(phi! - hi)).toBeLessThanOrEqual(0.05 * hi);
      const [olo, ohi] = row[3]!.split(' to ').map(Number);
      expect(Math.abs(olo! - Math.log10(lo))).toBeLessThanOrEqual(0.05);
      expect(Math.abs(ohi! - Math.log10(hi))).toBeLessThanOrEqual(0.05);
      expect(row[4]).toBe('4 of 4');
      expect(row[5]).toBe('4 of 4');
      expect(row[6]).toBe('3'); // odd tanh has mu_2 = 0; sigmoid's max sits at r = 3 too here
      expect(row[7]).toBe('0');
    }
  });

  it('names the assumptions the activations break: sigmoid has phi(0) = 1/2, tanh none', () => {
    const rows = tableAfter(md, '## Assumptions the setup breaks');
    const sig = rows.find((r) => r[0] === 'sigmoid')!;
    expect(sig[1]).toContain(`phi(0) = ${1 / (1 + Math.exp(0))}`);
    expect(rows.find((r) => r[0] === 'tanh')![1]).toMatch(/^none/);
    expect(md).toContain('Assumption 2 (‖x‖² = d) holds only on average');
  });

  it('states the setup and completeness, and embeds the figure with a link that resolves', () => {
    expect(md).toContain('| points | 8 of 8, complete |');
    expect(md).toContain('d = 6');
    const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links).toEqual(['figure1.svg']);
    expect(readFileSync(join(dir('full'), links[0]!), 'utf8').startsWith('<svg')).toBe(true);
  });

  it('gives a reproduce command that recomputes the same numbers', async () => {
    const cmd = md.split('```sh\n')[1]!.split('\n')[0]!;
    expect(cmd).toBe(reproduceCommand(spec, cmd.split('--out ')[1]!));
    const args = cmd.replace(/^ntk /, '').replace(/--out \S+$/, '').trim().split(/\s+/);
    const r = await ntk(registerFigure1, args[0]!, ...args.slice(1), '--out', dir('again'), '--backend', 'js', '--quiet');
    expect(r.code).toBe(0);
    const again = readResults(join(dir('again'), FILES.results)).records;
    expect(again.map(recordNumbers)).toEqual(records.map(recordNumbers));
  });

  it('names a preset when the spec is one', () => {
    expect(reproduceCommand(baseSpec('figure1', { vary: 'nm', values: [200, 300] }), 'o')).toBe('ntk figure1 --widths 200,300 --out o');
    const paper = baseSpec('figure1', { vary: 'nm', values: Array.from({ length: 39 }, (_, i) => 200 + 100 * i) });
    expect(reproduceCommand(paper, 'out/p')).toBe('ntk figure1 --preset paper --out out/p');
    const sw = baseSpec('sweep', { vary: 'sigma0', values: [0.25, 0.5, 0.75], seeds: [4, 7], sigma0: null, n: 50, width: 80 });
    expect(reproduceCommand(sw, 'o')).toBe('ntk sweep --vary sigma0 --values 0.25:0.75:0.25 --n 50 --width 80 --seeds 4,7 --out o');
  });

  it('never prints NaN or Infinity: where λmin(K) <= 0 it says the orders of magnitude do not apply', () => {
    // relu at narrow widths: lambda_min(K) <= 0 at some points, so lambda_min / (c0 lambda_1) <= 0.
    const withSign = (sign: (i: number) => number) => records.map((r, i) => (r.activation !== 'tanh' || !r.bound ? r : {
      ...r, lambda_min: sign(i) * Math.abs(r.lambda_min), bound: { ...r.bound, ratio: sign(i) * Math.abs(r.lambda_min) / r.bound.c0_lambda1 },
    }));
    const report = (rs: PointRecord[]) => reportMarkdown({ config: { command: 'figure1', spec, shard: null }, records: rs, figures: [], dir: 'o' });
    const some = report(withSign((i) => (i % 2 ? -1 : i === 0 ? 0 : 1)));
    const none = report(withSign(() => -1));
    for (const text of [some, none]) expect(text).not.toMatch(/NaN|Infinity/);
    const nonPositive = records.filter((r, i) => r.activation === 'tanh' && r.bound && (i % 2 === 1 || i === 0)).length;
    const line = (text: string) => text.split('\n').find((l) => l.startsWith('- **tanh**'))!;
    expect(line(some)).toMatch(new RegExp(`orders of magnitude below it where λmin\\(K\\) > 0; at ${nonPositive} of 4 points λmin\\(K\\) ≤ 0`));
    expect(line(none)).toContain('sits above λmin(K) ≤ 0 at every point with a bound, so no orders of magnitude apply (holds at 0 of 4)');
    expect(tableAfter(none, '## How far Theorem 4.1').find((r) => r[0] === 'tanh')![3]).toBe('– (λmin(K) ≤ 0 at 4)');
  });

  it('written outside the folder, copies the figures and summary beside the report so its links resolve', () => {
    const out = join(root, 'docs', 'fig-report.md');
    const r = writeReport(dir('full'), { out });
    expect(r.copied.map((f) => f.slice(dirname(out).length + 1)).sort()).toEqual(
      ['fig-report/config.json', 'fig-report/figure1.svg', 'fig-report/figure1.vl.json', 'fig-report/summary.csv']);
    const text = readFileSync(out, 'utf8');
    const links = [...text.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links).toContain('fig-report/figure1.svg');
    for (const l of links) expect(existsSync(join(dirname(out), l))).toBe(true);
    expect(readFileSync(join(dirname(out), 'fig-report/figure1.svg'), 'utf8')).toBe(readFileSync(join(dir('full'), 'figure1.svg'), 'utf8'));
  });

  it('says how many points an unfinished run is missing', async () => {
    await runSweepToDir(spec, { ...run, dir: dir('partial'), limit: 3 });
    writeReport(dir('partial'));
    const text = readFileSync(join(dir('partial'), 'REPORT.md'), 'utf8');
    expect(text).toContain('3 of 8: **5 missing**');
  });

  it('refuses folders without a sweep or without finished points, and an --out over a data file', async () => {
    mkdirSync(dir('empty'));
    expect(() => writeReport(dir('empty'))).toThrow(NtkInputError);
    expect(() => writeReport(dir('nope'))).toThrow(/DIR: .* is not a folder/);
    mkdirSync(dir('noresults'));
    writeFileSync(join(dir('noresults'), FILES.config), readFileSync(join(dir('full'), FILES.config)));
    expect(() => writeReport(dir('noresults'))).toThrow(/no finished point/);
    expect(() => writeReport(dir('full'), { out: join(dir('full'), FILES.summary) })).toThrow(/--out/);
    const r = await ntk(registerReport, 'report', dir('empty'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ntk: error: DIR: .*config\.json/);
    const ok = await ntk(registerReport, 'report', dir('full'), '--out', join(dir('full'), 'R2.md'));
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir('full'), 'R2.md'), 'utf8')).toBe(md);
  });
});
