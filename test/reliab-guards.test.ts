/**
 * Issue 15's last guards, each tested so that removing it fails the test: activation objects
 * checked field by field, config.json's unknown fields refused, the eigensolvers' memory
 * estimated before allocating (against a limit and the machine's available memory), the
 * library's file readers refusing devices, FIFOs and directories, the cost cap of the Hermite
 * expansion, and a sweep on near-duplicate data refused before its first point (with the
 * prediction checked against the pairs the kernels really send to their fallback).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { activations, getActivation, type Activation } from '../src/activations.js';
import { createJsBackend } from '../src/backend/js/index.js';
import { NtkInputError, NtkMemoryError } from '../src/errors.js';
import { FILES, readConfig, writeConfig } from '../src/node/run-dir.js';
import { baseSpec } from '../src/experiments/presets.js';
import { runSweep } from '../src/experiments/runner.js';
import { dataSource, firstRows, readDataFile } from '../src/io/data-file.js';
import { readNpyFile } from '../src/io/npy.js';
import { eigh, eigvalsh, isPositiveDefinite, lambdaMin } from '../src/linalg/index.js';
import type { Matrix } from '../src/matrix.js';
import { normalizeRows } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { fallbackCosts } from '../src/theory/fallback-estimate.js';
import { hermiteCoefficients, infiniteWidth } from '../src/theory/index.js';

const be = createJsBackend();
const root = mkdtempSync(join(tmpdir(), 'ntk-reliab-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const inputError = (f: () => unknown, parameter: string, message: RegExp) => {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err, 'expected an NtkInputError').toBeInstanceOf(NtkInputError);
  expect((err as NtkInputError).parameter).toBe(parameter);
  expect((err as Error).message).toMatch(message);
};

describe('an Activation object is checked field by field', () => {
  const tanh = activations.tanh;
  // A custom activation: tanh(x/2) with its own id (outside the built-ins').
  const half: Activation = {
    ...tanh, name: 'tanh' as const, id: 99 as Activation['id'], formula: 'tanh(x/2)', lipschitz: 0.5, closedForms: null,
    phi: (x) => Math.tanh(x / 2), dphi: (x) => 0.5 / Math.cosh(x / 2) ** 2,
  };
  const net = () => ({ d: 3, widths: [4], seed: 1 });

  it('a missing or mistyped field is named', () => {
    const { phi: _p, ...noPhi } = tanh;
    inputError(() => createNetwork({ ...net(), activation: { ...noPhi, id: 99 } as unknown as Activation }), 'activation.phi', /must be a function .* got nothing/);
    inputError(() => createNetwork({ ...net(), activation: { ...half, dphi: 3 } as unknown as Activation }), 'activation.dphi', /must be a function/);
    inputError(() => getActivation({ ...half, odd: 'yes' } as unknown as Activation), 'activation.odd', /must be true or false, got "yes"/);
    inputError(() => getActivation({ ...half, lipschitz: NaN }), 'activation.lipschitz', /finite number >= 0/);
    inputError(() => getActivation({ ...half, name: '' } as unknown as Activation), 'activation.name', /non-empty string/);
    inputError(() => getActivation({ ...half, closedForms: { kernel: 'k', pair: 1 } } as unknown as Activation), 'activation.closedForms.pair', /must be a function/);
    inputError(() => getActivation({ ...half, id: 1.5 } as unknown as Activation), 'activation.id', /an integer/);
    inputError(() => getActivation({ ...half, extra: Number.NaN } as unknown as Activation), 'activation.extra', /not a field of an Activation/);
  });

  it('phi must return numbers, phi0 must be phi(0), odd must hold', () => {
    inputError(() => getActivation({ ...half, phi: () => 'x' } as unknown as Activation), 'activation.phi', /returned "x" at x = 0.5/);
    inputError(() => getActivation({ ...half, phi: () => { throw new Error('boom'); } }), 'activation.phi', /threw at x = 0.5 \(boom\)/);
    inputError(() => getActivation({ ...half, phi0: 0.5 }), 'activation.phi0', /is 0.5 but phi\(0\) = 0/);
    inputError(() => getActivation({ ...half, phi: (x) => Math.tanh(x) + 0.1 * x * x, phi0: 0 }), 'activation.odd', /is true but phi\(-0.37\)/);
  });

  it('a built-in id on another phi is refused (the backends would compute the built-in)', () => {
    inputError(() => createNetwork({ ...net(), activation: { ...half, id: 0 } }), 'activation.id', /0 is the built-in tanh's id, but phi and dphi are not tanh's/);
    inputError(() => infiniteWidth([[1, 0, 0]], { depth: 1, activation: { ...half, id: 0 }, nu0sq: 1 }), 'activation.id', /built-in tanh's id/);
  });

  it('a custom activation works in the theory, not in a network (no kernel)', () => {
    inputError(() => createNetwork({ ...net(), activation: half }), 'activation.id', /99 is not a built-in activation's id/);
    const a = 1.7;
    // tanh(x/2) under N(0, a) is tanh under N(0, a/4): b_r agree (the orthonormal coefficients
    // depend on phi(sqrt(a) t) only).
    const got = hermiteCoefficients(half, a, { rmax: 12, convention: 'orthonormal' }).coefficients;
    const want = hermiteCoefficients('tanh', a / 4, { rmax: 12, convention: 'orthonormal' }).coefficients;
    for (let r = 0; r <= 12; r++) expect(Math.abs(got[r]! - want[r]!)).toBeLessThanOrEqual(1e-14);
  });

  it('a mutated network is caught before the kernels run', () => {
    const n = createNetwork({ ...net(), activation: 'tanh' });
    const bad = { ...n, activation: { ...n.activation, phi: (x: number) => x } };
    inputError(() => empiricalNtk(bad, [[1, 2, 3]], { backend: be }), 'activation.id', /built-in tanh's id/);
    // A copy of a built-in (same phi and dphi) is that built-in.
    const copy = createNetwork({ ...net(), activation: { ...activations.tanh } });
    expect(empiricalNtk(copy, [[1, 2, 3], [0, 1, 0]], { backend: be }).K.data).toEqual(empiricalNtk(n, [[1, 2, 3], [0, 1, 0]], { backend: be }).K.data);
  });
});

describe('config.json: unknown fields are errors naming the field and the valid ones', () => {
  const spec = baseSpec('figure1', { vary: 'nm', values: [8], activations: ['tanh'], seeds: [0], d: 4 });
  const write = (name: string, edit: (cfg: Record<string, unknown>) => void): string => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeConfig(dir, { tool: 'ntk-wasm', command: 'figure1', spec: structuredClone(spec), shard: null, created: 'now' });
    const cfg = JSON.parse(readFileSync(join(dir, FILES.config), 'utf8')) as Record<string, unknown>;
    edit(cfg);
    writeFileSync(join(dir, FILES.config), JSON.stringify(cfg));
    return dir;
  };

  it('a valid config reads back', () => {
    expect(readConfig(write('ok', () => {}))!.spec).toEqual(spec);
  });

  it.each([
    ['top', (c: Record<string, unknown>) => { c.version = 2; }, /has an unknown field version; use only tool, command, spec, shard, created/],
    ['spec', (c: Record<string, unknown>) => { (c.spec as Record<string, unknown>).seed = 5; }, /has an unknown field spec\.seed; use only experiment, vary, values, activations, seeds,/],
    ['threshold', (c: Record<string, unknown>) => { (c.spec as Record<string, unknown>).threshold = { taus: [0.5], quantile: 0.9, bootstrap: 0, tau: 1 }; }, /unknown field spec\.threshold\.tau; use only taus, quantile, bootstrap/],
    ['data', (c: Record<string, unknown>) => { (c.spec as Record<string, unknown>).data = { file: 'x', rows: 8, cols: 4, hash: 'h', path: 'y' }; }, /unknown field spec\.data\.path; use only file, rows, cols, hash/],
  ])('%s', (name, edit, message) => {
    const dir = write(name, edit);
    inputError(() => readConfig(dir), join(dir, FILES.config), message);
  });

  it('own keys only: "__proto__" and "constructor" are unknown fields', () => {
    const dir = write('proto', () => {});
    const f = join(dir, FILES.config);
    writeFileSync(f, readFileSync(f, 'utf8').replace('"experiment"', '"__proto__": {"x": 1}, "experiment"'));
    inputError(() => readConfig(dir), f, /unknown field spec\.__proto__/);
    const dir2 = write('ctor', (c) => { (c as Record<string, unknown>)['constructor'] = 1; });
    inputError(() => readConfig(dir2), join(dir2, FILES.config), /unknown field constructor/);
  });
});

describe('the eigensolvers estimate memory before allocating', () => {
  afterEach(() => vi.restoreAllMocks());
  const spd = (n: number): Matrix => {
    const data = new Float64Array(n * n);
    for (let i = 0; i < n; i++) { data[i * n + i] = 2; if (i > 0) { data[i * n + i - 1] = -1; data[(i - 1) * n + i] = -1; } }
    return { rows: n, cols: n, data };
  };
  const limit = 20 * 2 ** 20; // 16 MiB of engine overhead leaves 4 MiB for the work

  it.each([['eigvalsh', eigvalsh], ['eigh', eigh], ['lambdaMin', lambdaMin], ['isPositiveDefinite', isPositiveDefinite]] as const)(
    '%s: the largest n it names fits, one more does not', (_name, f) => {
      let err: unknown;
      try { f(spd(600), { backend: be, maxMemory: limit }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(NtkMemoryError);
      expect((err as NtkMemoryError).parameter).toBe('K');
      const fits = Number(/n <= (\d+) fits/.exec((err as Error).message)![1]);
      expect(fits).toBeGreaterThan(100);
      expect(fits).toBeLessThan(600);
      expect(() => f(spd(fits), { backend: be, maxMemory: limit })).not.toThrow();
      expect(() => f(spd(fits + 1), { backend: be, maxMemory: limit })).toThrow(NtkMemoryError);
    });

  it('nested arrays count the copy they are turned into', () => {
    const m = spd(300);
    const nested = Array.from({ length: 300 }, (_, i) => Array.from(m.data.subarray(i * 300, i * 300 + 300)));
    const fits = (k: unknown) => { try { eigvalsh(k as Matrix, { backend: be, maxMemory: limit }); return null; } catch (e) { return Number(/n <= (\d+) fits/.exec((e as Error).message)?.[1]); } };
    const flat = fits(spd(700)), arr = fits(Array.from({ length: 700 }, () => nested[0]));
    expect(arr).toBeLessThan(flat!);
    expect(fits(nested)).toBeNull();
  });

  it('the machine\'s available memory is the default limit', () => {
    vi.spyOn(process, 'availableMemory').mockReturnValue(limit);
    expect(() => lambdaMin(spd(600), { backend: be })).toThrow(/^K: needs .* lambdaMin of an n x n matrix at n = 600 exceeds available memory; n <= \d+ fits/);
  });
});

describe('the library\'s readers refuse what is not a regular file, before opening it', () => {
  const fifo = join(root, 'pipe.npy');
  execFileSync('mkfifo', [fifo]);
  it.each([
    ['a FIFO', fifo, /is a FIFO \(named pipe\), not a regular file/],
    ['a device', '/dev/zero', /is a character device \(like \/dev\/zero\), not a regular file/],
    ['a directory', root, /is a directory, not a regular file/],
  ])('%s', async (_what, path, message) => {
    await expect(readNpyFile(path)).rejects.toThrow(message);
    await expect(readDataFile(path)).rejects.toThrow(message);
    await expect(readNpyFile(path)).rejects.toBeInstanceOf(NtkInputError);
  });
});

describe('the Hermite expansion\'s work is bounded', () => {
  it('a = 1e9 with rmax = 10000 is an error at once, naming the rmax that fits', () => {
    for (const convention of ['expand', 'orthonormal'] as const) {
      inputError(() => hermiteCoefficients('tanh', 1e9, { rmax: 10000, convention }), 'rmax',
        /^rmax: 10000 at a = 1000000000 needs \d+ grid nodes x 10001 degrees = .* use rmax <= \d+ at this a, or a smaller variance a/);
    }
    // A step given by hand is named instead of the variance.
    inputError(() => hermiteCoefficients('tanh', 1, { rmax: 10000, h: 1e-5 }), 'rmax', /or a larger step h$/);
  });

  it('the rmax it names runs, and every rmax runs at moderate variances', () => {
    const msg = (() => { try { hermiteCoefficients('tanh', 1e7, { rmax: 5000, convention: 'orthonormal' }); return ''; } catch (e) { return (e as Error).message; } })();
    const fits = Number(/use rmax <= (\d+)/.exec(msg)![1]);
    expect(hermiteCoefficients('tanh', 1e7, { rmax: Math.min(fits, 40), convention: 'orthonormal' }).rmax).toBe(Math.min(fits, 40));
    const r = hermiteCoefficients('tanh', 1, { rmax: 10000, convention: 'orthonormal' });
    expect(Math.abs(r.parsevalResidual)).toBeLessThan(1e-14);
  });
});

describe('a sweep on near-duplicate data is refused before its first point', () => {
  // Five directions, each twice with a small perturbation (an iris-like set, normalized).
  const base = [[5.1, 3.5, 1.4, 0.2], [4.9, 3.0, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5], [5.8, 2.7, 5.1, 1.9], [7.0, 3.2, 4.7, 1.4]];
  const rows = base.flatMap((r, k) => [r, r.map((x, j) => x + (j === k % 4 ? 0.02 : 0))]);
  const X = normalizeRows({ rows: rows.length, cols: 4, data: Float64Array.from(rows.flat()) });

  it('the predicted fallback pairs are the ones the kernels compute by the fallback', () => {
    for (const nu of [1, 3]) {
      const pred = fallbackCosts(X, 'tanh', nu, [4, 7, 10], be);
      for (const c of pred) {
        const r = infiniteWidth(firstRows(X, c.n), { depth: 1, activation: 'tanh', nu0sq: nu, spectrum: false, backend: be });
        expect(c.pairs, `n = ${c.n}, nu0sq = ${nu}`).toBe(r.stats[0]!.fallbackPairs);
      }
      expect(pred[2]!.pairs).toBeGreaterThan(0);
      expect(pred[2]!.evaluations).toBeGreaterThan(0);
    }
    // Closed-form kernels never fall back.
    expect(fallbackCosts(X, 'erf', 1, [10], be)[0]!.evaluations).toBe(0);
  });

  it('runSweep throws before computing any point', async () => {
    const spec = baseSpec('figure1', { vary: 'nm', values: [6, 8, 10], activations: ['tanh'], seeds: [0], data: dataSource('iris-like', X), d: 4 });
    const onRecord = vi.fn();
    await expect(runSweep(spec, { backend: be, data: X, onRecord, fallbackBudget: 1e6 }))
      .rejects.toThrow(/^data: has rows so nearly parallel that the infinite-width kernels' series cannot converge for \d+ pairs over the sweep \(e\.g\. rows \d+ and \d+: correlation 0\.99\d+ under tanh\)/);
    expect(onRecord).not.toHaveBeenCalled();
    // With the default budget this small set runs.
    const ok = await runSweep({ ...spec, values: [6] }, { backend: be, data: X, onRecord: () => {} });
    expect(ok.records).toHaveLength(1);
  });
});
