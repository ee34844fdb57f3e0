/**
 * Tests that hunt (issue 15, item 8): fast-check over public API inputs and over `ntk` argument
 * vectors. Whatever the input, the answer is a finite result or one clear error: an
 * NtkInputError / NtkMemoryError from the API (never a TypeError, a coerced value or a NaN), and
 * from the CLI exit 0 with no NaN/Infinity printed, or exit 2 with one `ntk: error:` line and no
 * stack trace. `npm test` runs a short version; `node scripts/fuzz-long.mjs` a long one
 * (NTK_FUZZ_RUNS sets the number of runs). The CLI half needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMemoryLimit } from '../src/memory.js';
import { NtkInputError, NtkMemoryError } from '../src/errors.js';
import { loadSpec } from '../src/io/spec.js';
import { lambdaMin } from '../src/linalg/index.js';
import { toData } from '../src/network/data.js';
import { createNetwork, networkFromWeights } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { hermiteCoefficients, convertCoefficients, MAX_HERMITE_WORK } from '../src/theory/hermite.js';
import { defaultStep, Z_MAX } from '../src/theory/gauss.js';
import { activationNames, activations, getActivation, type Activation } from '../src/activations.js';
import { readConfig } from '../src/node/run-dir.js';
import { baseSpec } from '../src/experiments/presets.js';
import { writeNpy } from '../src/io/npy.js';
import { jsCase } from './helpers/backends.js';

const RUNS = Number(process.env.NTK_FUZZ_RUNS ?? 60);
const CLI_RUNS = Math.max(8, Math.round(RUNS / 3));
const CLI = resolve('dist/cli/main.js');

/** Every number in a result, recursively. */
function numbers(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (v instanceof Float64Array || Array.isArray(v)) for (const x of v) numbers(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) numbers(x, out);
  return out;
}

/** Runs `f`: it returns a result whose numbers are all finite, or throws an input/memory error. */
function finiteOrClearError(f: () => unknown, what: string): unknown {
  let r: unknown;
  try {
    r = f();
  } catch (e) {
    if (!(e instanceof NtkInputError || e instanceof NtkMemoryError)) throw new Error(`${what}: threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    expect((e as Error).message, what).not.toMatch(/\n|undefined/);
    return undefined;
  }
  for (const x of numbers(r)) expect(Number.isFinite(x), `${what}: non-finite ${x}`).toBe(true);
  return r;
}

/** Values a careless or hostile caller might put where a number belongs. */
const hostileScalar = fc.oneof(
  fc.double({ noNaN: false }), fc.integer(), fc.constantFrom(null, undefined, true, false, '', '1', '1e3', 'NaN', [], [1], {}, Infinity, -Infinity, NaN, -0, 1e308, 5e-324),
);
/** Mostly-numeric matrices with occasional hostile entries and ragged rows. */
const hostileMatrix = fc.array(fc.array(fc.oneof({ weight: 8, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) }, { weight: 1, arbitrary: hostileScalar }), { minLength: 0, maxLength: 5 }), { minLength: 0, maxLength: 5 });

describe('API inputs: a finite result or one clear error', () => {
  // Hostile sizes (n = 1e9 fits a 16 GB X into a 24 GB machine) must meet the memory check,
  // not this test's worker: the budget here is 512 MiB (the CLI half passes --max-memory).
  beforeAll(() => setMemoryLimit(512 * 2 ** 20));
  afterAll(() => setMemoryLimit(null));

  it('toData never coerces: any entry that is not a number is an error naming it', () => {
    fc.assert(fc.property(hostileMatrix, (m) => {
      const r = finiteOrClearError(() => toData(m as number[][]), `toData(${JSON.stringify(m)})`);
      const entries = m.flat();
      const clean = m.length > 0 && m[0]!.length > 0 && m.every((row) => row.length === m[0]!.length) &&
        entries.every((x) => typeof x === 'number' && Number.isFinite(x));
      expect(r !== undefined, JSON.stringify(m)).toBe(clean);
    }), { numRuns: RUNS * 4 });
  });

  it('lambdaMin, empiricalNtk and networkFromWeights on hostile matrices', async () => {
    const backend = await jsCase.get();
    fc.assert(fc.property(hostileMatrix, hostileMatrix, fc.array(hostileScalar, { maxLength: 4 }), fc.constantFrom('tanh', 'erf', 'constructor', 'toString', '__proto__', 'relu', ''),
      (a, b, v, act) => {
        const sym = a.map((row, i) => row.map((x, j) => (typeof x === 'number' && typeof a[j]?.[i] === 'number' ? (x + (a[j]![i] as number)) / 2 : x)));
        // Subnormal matrices included: this property found lambdaMin([[5e-324]]) = NaN before the
        // eigensolver scaled in two steps.
        finiteOrClearError(() => lambdaMin(sym as number[][], { backend }), `lambdaMin(${JSON.stringify(sym)})`);
        const net = finiteOrClearError(() => networkFromWeights({ W: [a as number[][]], v: v as number[], activation: act as 'tanh' }), 'networkFromWeights');
        if (net) finiteOrClearError(() => empiricalNtk(net as ReturnType<typeof networkFromWeights>, b as number[][], { backend }), 'empiricalNtk');
      }), { numRuns: RUNS });
  });

  it('createNetwork and loadSpec with hostile fields', async () => {
    const field = fc.oneof(hostileScalar, fc.constantFrom([4], [0], [1e9, 1e9], ['4'], [null], 'tanh', 'constructor'));
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.constantFrom('activation', 'widths', 'd', 'n', 'sigma0', 'nu0sq', 'sv2', 'seed', 'data_seed', 'normalize', 'X', 'constructor', 'widht', '__proto__'), field, { maxKeys: 7 }),
      async (spec) => {
        const full = { activation: 'tanh', widths: [3], d: 2, n: 3, ...spec };
        try {
          const r = await loadSpec(full);
          for (const x of r.X.data) expect(Number.isFinite(x)).toBe(true);
        } catch (e) {
          if (!(e instanceof NtkInputError || e instanceof NtkMemoryError)) throw new Error(`loadSpec(${JSON.stringify(full)}): ${(e as Error).name}: ${(e as Error).message}`);
        }
        finiteOrClearError(() => createNetwork(full as never), `createNetwork(${JSON.stringify(full)})`);
      }), { numRuns: RUNS });
  });

  it('Hermite coefficients in every convention, any order and variance', () => {
    fc.assert(fc.property(fc.constantFrom('tanh', 'sigmoid', 'erf', 'gelu', 'softplus', 'sin'),
      fc.oneof(fc.double({ min: 1e-300, max: 1e6, noNaN: true }), fc.constantFrom(1e-300, 1e-8, 1, 50, 1e5)),
      fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constantFrom(400, 1500)), fc.constantFrom('expand', 'orthonormal', 'weighted'),
      (act, a, rmax, convention) => {
        const h = finiteOrClearError(() => hermiteCoefficients(act, a, { rmax, convention: convention as 'expand' }), `hermite ${act} a=${a} rmax=${rmax} ${convention}`) as ReturnType<typeof hermiteCoefficients> | undefined;
        if (!h) return;
        // The orthonormal coefficients obey Bessel's inequality: sum b_r^2 <= E[phi^2] (to rounding).
        expect(h.parsevalResidual).toBeGreaterThanOrEqual(-1e-12 * Math.max(1, h.ePhi2));
        finiteOrClearError(() => convertCoefficients(h.orthonormal, a, 'orthonormal', 'expand'), 'convert');
      }), { numRuns: RUNS });
  });
});

describe('activation objects, config.json fields and long Hermite expansions', () => {
  const fieldNames = ['name', 'id', 'phi', 'dphi', 'phi0', 'lipschitz', 'odd', 'formula', 'smooth', 'closedForms', 'extra'];
  const fieldValue = fc.oneof(hostileScalar, fc.constantFrom(Math.tanh, Math.sin, (x: number) => String(x), () => NaN, () => { throw new Error('inside phi'); }, 0, 1, 6, 7, 99, -1));

  it('an Activation object with hostile fields: a clear error, or one that works in the theory and (built-in id) a network', () => {
    fc.assert(fc.property(fc.constantFrom(...activationNames), fc.dictionary(fc.constantFrom(...fieldNames), fieldValue, { maxKeys: 3 }), (base, over) => {
      const obj = { ...activations[base], ...over } as Activation;
      const act = finiteOrClearError(() => getActivation(obj), `getActivation(${base} with ${Object.keys(over).join(', ')})`) as Activation | undefined;
      if (!act) return;
      finiteOrClearError(() => hermiteCoefficients(act, 1.5, { rmax: 6, convention: 'orthonormal' }).coefficients, 'hermite of a checked object');
      const net = finiteOrClearError(() => createNetwork({ d: 2, widths: [3], activation: act }), 'createNetwork of a checked object');
      // A network built from it computes what the built-in of that id computes.
      if (net) expect((net as { activation: Activation }).activation.phi).toBe(activations[activationNames[act.id]!].phi);
    }), { numRuns: RUNS * 2 });
  });

  it('config.json with unknown fields at any level is refused by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ntk-fuzz-config-'));
    try {
      const spec = baseSpec('figure1', { vary: 'nm', values: [8], activations: ['tanh'], seeds: [0], d: 4, threshold: { taus: [0.5], quantile: 0.9, bootstrap: 0 } });
      fc.assert(fc.property(fc.constantFrom('', 'spec', 'spec.threshold'), fc.string({ minLength: 1, maxLength: 12 }), hostileScalar, (where, key, value) => {
        const cfg = JSON.parse(JSON.stringify({ tool: 'ntk-wasm', command: 'figure1', spec, shard: null, created: 'x' })) as Record<string, unknown>;
        let target: Record<string, unknown> = cfg;
        for (const k of where ? where.split('.') : []) target = target[k] as Record<string, unknown>;
        const known = Object.hasOwn(target, key);
        if (!known) Object.defineProperty(target, key, { value: value ?? null, enumerable: true, configurable: true, writable: true });
        writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
        let err: unknown;
        try { readConfig(dir); } catch (e) { err = e; }
        if (known) return; // an existing field overwritten is validateSpec's business
        expect(err, `${where}.${key}`).toBeInstanceOf(NtkInputError);
        expect((err as Error).message).toContain(`has an unknown field ${where ? `${where}.` : ''}${key}`);
      }), { numRuns: RUNS * 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('any variance with rmax up to 10000 is a result or an error at once, never minutes', () => {
    fc.assert(fc.property(fc.constantFrom('tanh', 'sigmoid', 'gelu', 'softplus'), fc.double({ min: 1e7, max: 5e9, noNaN: true }), fc.integer({ min: 700, max: 10000 }), (act, a, rmax) => {
      // Each of these exceeds the cap (>= 3.8e5 nodes x 701 degrees): refused before the grid is walked.
      expect((Math.ceil(Z_MAX / defaultStep(a)) + 1) * (rmax + 1)).toBeGreaterThan(MAX_HERMITE_WORK);
      expect(() => hermiteCoefficients(act, a, { rmax, convention: 'orthonormal' })).toThrow(/^rmax: \d+ at a = .* products, more than the 2\.5e\+8/);
    }), { numRuns: RUNS });
  });
});

describe('ntk argument vectors: exit 0 with finite output, or exit 2 with one error line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'spd.npy'), writeNpy({ rows: 3, cols: 3, data: Float64Array.of(2, 1, 0, 1, 2, 1, 0, 1, 2) }));
  // Scaled near the ends of the range, and subnormal.
  writeFileSync(join(dir, 'tiny.npy'), writeNpy({ rows: 2, cols: 2, data: Float64Array.of(1e-300, 0, 0, 2e-300) }));
  writeFileSync(join(dir, 'subnormal.npy'), writeNpy({ rows: 2, cols: 2, data: Float64Array.of(1e-310, 0, 0, 2e-310) }));
  writeFileSync(join(dir, 'huge.npy'), writeNpy({ rows: 2, cols: 2, data: Float64Array.of(1e300, 1e299, 1e299, 2e300) }));
  writeFileSync(join(dir, 'spec.json'), '{ "activation": "tanh", "widths": [5, 5], "d": 3, "n": 4 }');
  writeFileSync(join(dir, 'hostile.json'), '{ "activation": "constructor", "widths": [5], "d": 3, "X": [[1, null, "2"]] }');
  writeFileSync(join(dir, 'big.json'), '{ "activation": "tanh", "widths": [64, 64], "d": 10, "n": 20000 }');

  const value = fc.constantFrom('0', '1', '-1', '2.5', '1e308', '1e-320', 'NaN', 'Infinity', '', 'abc', 'constructor', '__proto__', '99999999999', '10000', '10001', '3', '1e9');
  const args = fc.oneof(
    fc.tuple(fc.constant('hermite'), fc.constantFrom('--a', '--rmax', '--activation', '--convention'), value, fc.constantFrom('--a', '--rmax', '--convention', '--json'), value, fc.constantFrom('--rmax', '--json'), fc.constantFrom('400', '2000', '10000', '--json')),
    fc.tuple(fc.constant('eig'), fc.constantFrom('spd.npy', 'tiny.npy', 'subnormal.npy', 'huge.npy', 'none.npy', 'spec.json'), fc.constantFrom('--all', '--json', '--method', '--max-memory'), value),
    fc.tuple(fc.constant('evaluate'), fc.constantFrom('spec.json', 'hostile.json', 'big.json'), fc.constantFrom('--json', '--no-theory', '--max-memory', '--backend'), value),
    fc.tuple(fc.constant('spectrum'), fc.constantFrom('--n', '--width', '--sigma0', '--activation', '--depth'), fc.constantFrom('0', '-1', 'abc', '1e12', '99999999999', 'constructor', 'NaN'), fc.constant('--out'), fc.constant('out-spectrum')),
  ).map((t) => t.filter((x) => x !== undefined) as string[]);

  it('every vector', () => {
    fc.assert(fc.property(args, (argv) => {
      const r = spawnSync(process.execPath, [CLI, ...argv, ...(argv[0] === 'evaluate' || argv[0] === 'eig' || argv[0] === 'spectrum' ? ['--backend', 'js', ...(argv.includes('--max-memory') ? [] : ['--max-memory', '1G'])] : [])],
        { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      const what = `ntk ${argv.join(' ')} -> exit ${r.status}\nstdout: ${r.stdout.slice(0, 300)}\nstderr: ${r.stderr.slice(0, 500)}`;
      expect(r.status === 0 || r.status === 2, what).toBe(true);
      if (r.status === 0) expect(r.stdout, what).not.toMatch(/\bNaN\b|Infinity/);
      else {
        const errors = r.stderr.split('\n').filter((l) => l.startsWith('ntk: error:') || /^ntk: .*\(--help/.test(l));
        expect(errors.length, what).toBe(1);
        expect(r.stderr, what).not.toMatch(/^\s+at /m);
      }
    }), { numRuns: CLI_RUNS });
  });
});
