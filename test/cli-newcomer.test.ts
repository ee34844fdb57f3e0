// The command line a newcomer expects (issue 14 item 6), limits checked before anything is
// allocated (issue 15 item 5), and successful runs of the commands the other suites call only
// in process or only with bad input (issue 20 item 7: spectrum, kernels).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { varyNames } from '../src/experiments/grid.js';
import { EtaEstimator } from '../src/node/progress.js';
import { parseRecords } from '../src/experiments/records.js';
import { formatSummaryTable, summarize } from '../src/experiments/summary.js';
import { activationNames } from '../src/activations.js';
import { ntkSync } from './helpers/processes.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-newcomer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const K_NPY = 'examples/data/K.npy';
const TINY = ['--vary', 'width', '--values', '4,8', '--n', '6', '--d', '3', '--activations', 'tanh', '--rmax', '4', '--threads', '1', '--backend', 'wasm'];

const records = (dir: string) => parseRecords(readFileSync(join(dir, 'results.jsonl'), 'utf8'), dir).records;

describe('ntk, --version and --help', () => {
  it('bare ntk prints the help on stdout and exits 0', () => {
    const r = ntkSync([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ntk \[options\] \[command\]/);
    expect(r.stdout).toContain('-V, --version');
    expect(r.stderr).toBe('');
  });

  it.each([['--version'], ['-V']])('%s prints the version and the backend and wasm build it would use', (flag) => {
    const r = ntkSync([flag]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`ntk-wasm ${pkg.version}`);
    expect(lines[1]).toBe(`node ${process.version} (${process.platform} ${process.arch})`);
    expect(lines[2]).toMatch(new RegExp(`^backend: wasm backend \\((relaxed )?SIMD, ${availableParallelism()} threads?\\)$`));
  });

  it('every computing command takes --backend, --variant, --threads and --quiet', () => {
    for (const cmd of ['eig', 'evaluate', 'figure1', 'sweep', 'threshold', 'spectrum', 'kernels', 'hermite']) {
      const help = ntkSync([cmd, '--help']).stdout;
      for (const opt of ['--backend <name>', '--variant <build>', '--threads <n>', '--quiet']) expect(help, `${cmd} ${opt}`).toContain(opt);
    }
  });

  it('help lists every accepted value', () => {
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const sweep = flat(ntkSync(['sweep', '--help']).stdout);
    // Every value but ratio, which is `ntk threshold`'s.
    expect(sweep).toContain(`what to vary: ${varyNames.filter((v) => v !== 'ratio').join(' | ')}`);
    for (const cmd of ['sweep', 'spectrum', 'hermite', 'figure1']) {
      const help = flat(ntkSync([cmd, '--help']).stdout);
      expect(help, cmd).toContain(activationNames.join(', '));
      expect(help, cmd).toContain('auto | wasm | js');
    }
    expect(flat(ntkSync(['figure1', '--help']).stdout)).toMatch(/quick \(.*\) or paper/);
    expect(flat(ntkSync(['eig', '--help']).stdout)).toContain('auto | cholesky | tridiagonal');
  });

  it('hermite checks --backend and --threads like every command, and its numbers do not depend on them', () => {
    const plain = ntkSync(['hermite', '--rmax', '4']);
    const js = ntkSync(['hermite', '--rmax', '4', '--backend', 'js', '--threads', '1']);
    expect(js.status).toBe(0);
    expect(js.stdout).toBe(plain.stdout);
    const bad = ntkSync(['hermite', '--backend', 'gpu']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('ntk: error: --backend: unknown backend "gpu"; use one of auto, wasm, js\n');
  });
});

describe('--variant chooses the wasm build', () => {
  it('strict and relaxed load the build asked for (the note says which), and give the same GEMM', () => {
    const strict = ntkSync(['kernels', '--n', '24', '--threads', '1', '--variant', 'strict']);
    expect(strict.status, strict.stderr).toBe(0);
    expect(strict.stderr).toBe('ntk: wasm backend (strict SIMD, 1 thread)\n');
    const relaxed = ntkSync(['kernels', '--n', '24', '--threads', '1', '--variant', 'relaxed']);
    expect(relaxed.status, relaxed.stderr).toBe(0);
    // Node 20+ runs relaxed SIMD (the loader sets the flag on Node 20); a host without it falls back, saying so.
    expect(relaxed.stderr).toMatch(/^ntk: wasm backend \((relaxed SIMD, 1 thread\)|strict SIMD, 1 thread\); relaxed SIMD unavailable: .+)\n$/);
  });

  it('an unknown build, or a build with --backend js, is an error naming --variant (exit 2, nothing computed)', () => {
    const bad = ntkSync(['kernels', '--n', '8', '--variant', 'fast']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('ntk: error: --variant: unknown wasm build "fast"; use one of auto, relaxed, strict\n');
    expect(bad.stdout).toBe('');
    const js = ntkSync(['hermite', '--rmax', '3', '--backend', 'js', '--variant', 'strict']);
    expect(js.status).toBe(2);
    expect(js.stderr).toBe('ntk: error: --variant: strict is a wasm build, and --backend js runs no wasm; pass --backend wasm (or auto), or leave --variant out\n');
    // The sweep commands check it before they touch the output folder.
    const dir = join(root, 'bad-variant');
    const sweep = ntkSync(['sweep', ...TINY, '--variant', 'scalar', '--out', dir]);
    expect(sweep.status).toBe(2);
    expect(sweep.stderr).toBe('ntk: error: --variant: unknown wasm build "scalar"; use one of auto, relaxed, strict\n');
    expect(existsSync(dir)).toBe(false);
  });

  it('the results file records the build, and the printed --resume command repeats --variant', () => {
    const dir = join(root, 'variant');
    const r = ntkSync(['sweep', ...TINY, '--seeds', '1', '--variant', 'strict', '--limit', '1', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    const recs = records(dir);
    expect(recs.length).toBe(1);
    expect(recs[0]!.backend).toBe('wasm backend (strict SIMD, 1 thread)');
    expect(r.stderr).toMatch(/Continue with:\n {2}node \S+ sweep --resume --out \S+ --backend wasm --variant strict --threads 1\n/);
  });
});

describe('--quiet is quiet', () => {
  it.each([
    ['eig', [K_NPY, '--threads', '1']],
    ['evaluate', ['examples/data/network.json', '--threads', '1']],
    ['kernels', ['--n', '16', '--threads', '1']],
    ['hermite', ['--rmax', '3']],
  ])('ntk %s --quiet prints its result and nothing on stderr', (cmd, args) => {
    const loud = ntkSync([cmd, ...args]);
    const quiet = ntkSync([cmd, ...args, '--quiet']);
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout.length).toBeGreaterThan(0);
    if (cmd !== 'hermite') expect(loud.stderr).toMatch(/^ntk: wasm backend/);
  });

  it('a sweep with --quiet prints the table and nothing else', () => {
    const r = ntkSync(['sweep', ...TINY, '--seeds', '2', '--out', join(root, 'quiet'), '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });
});

describe('ntk evaluate as text', () => {
  it('prints nested objects field by field, never [object Object]', () => {
    const r = ntkSync(['evaluate', 'examples/data/network.json', '--threads', '1', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('[object');
    expect(r.stdout).toMatch(/\n {2}lemma41_layers\[0\]:\n {4}l: 1\n {4}lambda_l: [\d.e-]+\n/);
    expect(r.stdout).toMatch(/\nlambda_min: 0\.07735479084\n/);
  });
});

describe('one seed, chosen by value', () => {
  it('--seed 4 recomputes exactly the point of seed 4 in a larger run; one seed shows no std', () => {
    const both = join(root, 'seeds-3-4'), one = join(root, 'seed-4');
    expect(ntkSync(['sweep', ...TINY, '--seeds', '3,4', '--out', both, '--quiet']).status).toBe(0);
    const r = ntkSync(['sweep', ...TINY, '--seed', '4', '--out', one]);
    expect(r.status, r.stderr).toBe(0);
    const mine = records(one);
    expect(mine.map((x) => x.seed)).toEqual([4, 4]);
    const ref = records(both).filter((x) => x.seed === 4);
    expect(mine.map((x) => x.lambda_min)).toEqual(ref.map((x) => x.lambda_min));
    // No fake "std 0.0e+0" for a mean over one seed: '-' in the table, empty in the CSV.
    const table = r.stdout.trim().split('\n');
    expect(table[0]).toMatch(/lambda_min mean\s+std/);
    for (const row of table.slice(1)) expect(row.split(/\s+/)[4]).toBe('-');
    const csv = readFileSync(join(one, 'summary.csv'), 'utf8').trim().split('\n');
    const col = csv[0]!.split(',').indexOf('lambda_min_std');
    for (const row of csv.slice(1)) expect(row.split(',')[col]).toBe('');
    expect(formatSummaryTable(summarize(records(both)))).not.toMatch(/\s-\s+\d/);
    const clash = ntkSync(['sweep', ...TINY, '--seed', '4', '--seeds', '2', '--out', join(root, 'clash')]);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/--seed: and --seeds are both given/);
  });
});

describe('limits before allocation', () => {
  it('--seeds 100000000 is refused at once (no V8 heap crash)', () => {
    const r = ntkSync(['sweep', ...TINY, '--seeds', '100000000', '--out', join(root, 'many')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('ntk: error: --seeds: asks for 100000000 seeds, more than the 10000 a sweep may have; pass at most 10000, or spread the seeds over shards\n');
  });

  it('a grid of more than a million points is refused before it is enumerated', () => {
    const r = ntkSync(['sweep', '--vary', 'width', '--values', '1:10000:1', '--seeds', '0:9999:1', '--activations', 'tanh', '--out', join(root, 'grid')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ntk: error: seeds: values x activations x seeds = 10000 x 1 x 10000 = 100000000 points, more than the 1000000 a sweep may have/);
  });

  it('--threads above the cores is refused, naming the cores; no workers start', () => {
    const cores = availableParallelism();
    for (const cmd of [['eig', K_NPY], ['kernels', '--n', '8'], ['sweep', ...TINY.slice(0, -4), '--out', join(root, 'threads')]]) {
      const r = ntkSync([...cmd, '--threads', '1000']);
      expect(r.status, cmd[0]).toBe(2);
      expect(r.stderr).toBe(`ntk: error: --threads: 1000 is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine; pass at most --threads ${cores}, or leave it out to use all cores\n`);
    }
  });
});

describe('progress when stderr is not a terminal', () => {
  it('one line per point; no ETA before 3 points, then one in m:ss', () => {
    const r = ntkSync(['sweep', ...TINY, '--seeds', '3', '--out', join(root, 'progress')]);
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('['));
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, 2).every((l) => l.endsWith('ETA ?'))).toBe(true);
    for (const l of lines.slice(2)) expect(l).toMatch(/elapsed \d+:\d\d ETA \d+:\d\d$/);
    expect(lines[5]).toMatch(/ETA 0:00$/);
  });

  it('the estimate fits a fixed cost per point plus one growing with the work', () => {
    const e = new EtaEstimator();
    expect(e.remaining(100, 3)).toBeNaN();
    // The first point (warm-up) is left out of the fit.
    e.observe(10, 9);
    for (const c of [10, 20, 40, 80]) e.observe(c, 0.5 + 0.01 * c);
    expect(e.remaining(1000, 5)).toBeCloseTo(5 * 0.5 + 0.01 * 1000, 12);
    expect(e.remaining(0, 0)).toBe(0);
  });
});

describe('commands that run to the end from the CLI', () => {
  it('ntk spectrum: every eigenvalue, agreeing with a sweep point of the same network', () => {
    const out = join(root, 'spectrum');
    const r = ntkSync(['spectrum', '--activation', 'tanh', '--n', '24', '--width', '40', '--d', '5', '--threads', '1', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const rows = readFileSync(join(out, 'spectrum.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(24);
    const eigK = rows.map((x) => x[1]!), eigT = rows.map((x) => x[2]!);
    for (let i = 1; i < 24; i++) expect(eigK[i]).toBeGreaterThanOrEqual(eigK[i - 1]!);
    expect(readFileSync(join(out, 'spectrum.svg'), 'utf8')).toMatch(/^<svg/);
    // The same network and data in a sweep: lambda_min by Cholesky + Lanczos, the trace, and the
    // infinite-width lambda_min, from another code path than the full eigendecomposition.
    const sweep = join(root, 'spectrum-sweep');
    expect(ntkSync(['sweep', '--vary', 'width', '--values', '40', '--n', '24', '--d', '5', '--seed', '0', '--activations', 'tanh', '--threads', '1', '--out', sweep, '--quiet']).status).toBe(0);
    const [p] = records(sweep);
    expect(Math.abs(eigK[0]! - p!.lambda_min)).toBeLessThanOrEqual(1e-12 * eigK[23]!);
    expect(Math.abs(eigK.reduce((a, b) => a + b, 0) - p!.trace)).toBeLessThanOrEqual(1e-12 * p!.trace);
    expect(Math.abs(eigT[0]! - p!.inf_lambda_min!)).toBeLessThanOrEqual(1e-12 * eigT[23]!);
    expect(r.stdout).toContain(`lambda_min ${eigK[0]!.toExponential(6)}`);
  });

  it('ntk kernels: the backend\'s GEMM agrees with js', () => {
    const r = ntkSync(['kernels', '--n', '48', '--backend', 'wasm', '--threads', '1']);
    expect(r.status, r.stderr).toBe(0);
    const m = /gemm n=48: wasm [\d.]+ s .* max rel diff ([\d.e+-]+)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1e-14);
  });
});
