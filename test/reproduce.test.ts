/**
 * The report's reproduce command round-trips through the CLI: for specs the CLI makes (every
 * preset, and random combinations of `ntk figure1`, `ntk threshold` and `ntk sweep` options,
 * a data file among them), `reproduceCommand(spec)` parsed by the real commands' option
 * definitions and spec builders gives back the same spec. The command is built from the
 * presets and `ntk sweep`'s defaults (presets.ts), so it stays right when they change.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { figure1SpecFrom, registerFigure1, type Figure1CliOptions } from '../src/cli/figure1.js';
import { parseDataOption, registerSweep, sweepSpecFrom, type SweepCliOptions } from '../src/cli/sweep.js';
import { registerThreshold, thresholdSpecFrom, type ThresholdCliOptions } from '../src/cli/threshold.js';
import type { SweepSpec } from '../src/experiments/grid.js';
import { figure1Presets, sweepBase, sweepDefaults, thresholdPresets } from '../src/experiments/presets.js';
import { reproduceArgs, reproduceCommand } from '../src/experiments/reproduce.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-reproduce-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const csv = join(root, 'x.csv');
writeFileSync(csv, 'a,b,c\n' + Array.from({ length: 30 }, (_, i) => `${i},${(i * 7) % 5},${-i / 4}`).join('\n') + '\n');

type Builder = (o: never, saved: SweepSpec | null) => SweepSpec;
const builders: Record<string, Builder> = { figure1: figure1SpecFrom, threshold: thresholdSpecFrom, sweep: sweepSpecFrom };

/** The words a POSIX shell makes of `line` (blanks, single quotes, backslash escapes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ') { if (word !== null) words.push(word); word = null; continue; }
    word ??= '';
    if (c === '\\') word += line[++i]!;
    else if (c === "'") { const end = line.indexOf("'", i + 1); word += line.slice(i + 1, end); i = end; }
    else word += c;
  }
  if (word !== null) words.push(word);
  return words;
}

/** The spec the CLI runs for a command line `ntk <command> ... --out DIR` (nothing is run). */
function parseCommandLine(line: string): { spec: SweepSpec; out: string } {
  const tokens = shellWords(line);
  expect(tokens[0]).toBe('ntk');
  const program = new Command().exitOverride();
  registerFigure1(program);
  registerThreshold(program);
  registerSweep(program);
  let got: { spec: SweepSpec; out: string } | null = null;
  for (const c of program.commands) {
    c.action((o: { out: string }) => { got = { spec: builders[c.name()]!(o as never, null), out: o.out }; });
  }
  program.parse(tokens.slice(1), { from: 'user' });
  return got!;
}

/** reproduceCommand(spec) parsed back by the CLI. */
function roundTrip(spec: SweepSpec, out = 'out/again'): SweepSpec {
  const line = reproduceCommand(spec, out);
  const back = parseCommandLine(line);
  expect(back.out).toBe(out);
  return back.spec;
}

describe('the reproduce command', () => {
  it('names each preset, and nothing but the preset', () => {
    for (const [name, spec] of Object.entries(figure1Presets)) {
      expect(reproduceArgs(spec)).toEqual(name === 'quick' ? [] : [`--preset ${name}`]);
      expect(roundTrip(spec)).toEqual(spec);
    }
    for (const [name, spec] of Object.entries(thresholdPresets)) {
      expect(reproduceArgs(spec)).toEqual(name === 'quick' ? [] : [`--preset ${name}`]);
      expect(roundTrip(spec)).toEqual(spec);
    }
    for (const vary of Object.keys(sweepDefaults) as (keyof typeof sweepDefaults)[]) {
      expect(reproduceArgs(sweepBase(vary))).toEqual([`--vary ${vary}`]);
    }
  });

  it('starts from the preset closest to the spec', () => {
    const full = { ...structuredClone(thresholdPresets.full), dataSeed: 3 };
    expect(reproduceArgs(full)).toEqual(['--preset full', '--data-seed 3']);
    expect(roundTrip(full)).toEqual(full);
  });

  it('keeps a threshold run\'s seeds when they equal figure1\'s default count (3)', () => {
    const spec = thresholdSpecFrom({ seeds: [0, 1, 2] }, null);
    expect(reproduceArgs(spec)).toEqual(['--seeds 3']);
    expect(roundTrip(spec)).toEqual(spec);
  });

  it('quotes folders and files for the shell', () => {
    const odd = join(root, "my data's copy.csv");
    writeFileSync(odd, 'a,b\n1,2\n3,4\n');
    const spec = figure1SpecFrom({ data: parseDataOption(odd), widths: '2' }, null);
    const line = reproduceCommand(spec, 'out/run 1');
    expect(line).toContain(`--data '${root}/my data'\\''s copy.csv'`);
    expect(line.endsWith("--out 'out/run 1'")).toBe(true);
    expect(roundTrip(spec, "out/it's here")).toEqual(spec);
  });

  it('round-trips a data file', () => {
    const data = parseDataOption(csv);
    for (const spec of [
      figure1SpecFrom({ data, widths: '10,20' }, null),
      thresholdSpecFrom({ data, ns: [10, 20], normalize: true }, null),
      sweepSpecFrom({ vary: 'width', data, n: 25 }, null),
    ]) {
      expect(reproduceCommand(spec, 'o')).toContain(`--data ${csv}`);
      expect(roundTrip(spec)).toEqual(spec);
    }
  });

  it('gives back the same spec for random option sets of figure1, threshold and sweep', () => {
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const pos = fc.integer({ min: 1, max: 5000 });
    const setup = fc.record({
      activations: opt(fc.shuffledSubarray(['tanh', 'sigmoid', 'erf', 'relu', 'sin'] as const, { minLength: 1 })),
      seeds: opt(fc.oneof(fc.uniqueArray(fc.nat(50), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 8 }).map((k) => Array.from({ length: k }, (_, i) => i)))),
      dataSeed: opt(fc.nat(20)),
      init: fc.oneof(fc.constant(undefined), fc.record({ sigma0: fc.double({ min: 0.1, max: 3, noNaN: true }) }), fc.record({ nu0sq: fc.double({ min: 0.1, max: 5, noNaN: true }) })),
      sv2: opt(fc.double({ min: 0.1, max: 4, noNaN: true })),
      unitV: opt(fc.constant(true)),
      normalize: opt(fc.constant(true)),
      depth: opt(fc.integer({ min: 1, max: 6 })),
      d: opt(fc.integer({ min: 1, max: 300 })),
      rmax: opt(fc.integer({ min: 2, max: 60 })),
    }).map(({ init, ...o }) => ({ ...o, ...(init ?? {}) }));
    const values = fc.uniqueArray(pos, { minLength: 1, maxLength: 7 });
    const figure1 = fc.record({
      preset: opt(fc.constantFrom('quick', 'paper')),
      widths: opt(fc.oneof(values.map((v) => v.join(',')), fc.constantFrom('100:900:200', '50:50:1'))),
    });
    const threshold = fc.record({
      preset: opt(fc.constantFrom('quick', 'full')),
      ns: opt(fc.uniqueArray(fc.integer({ min: 2, max: 900 }), { minLength: 1, maxLength: 5 })),
      ratios: opt(fc.oneof(fc.uniqueArray(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.constant([0.5, 1, 2, 4]))),
      dPerN: opt(fc.double({ min: 0.05, max: 3, noNaN: true })),
      taus: opt(fc.uniqueArray(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 })),
      quantile: opt(fc.double({ min: 0.05, max: 1, noNaN: true })),
      bootstrap: opt(fc.integer({ min: 1, max: 5000 })),
    });
    const sweep = fc.record({
      vary: fc.constantFrom('nm', 'width', 'n', 'depth', 'sigma0'),
      values: opt(values.map((v) => v.join(','))),
      n: opt(pos),
      width: opt(pos),
    });
    const cases = fc.oneof(
      fc.tuple(fc.constant('figure1'), figure1, setup),
      fc.tuple(fc.constant('threshold'), threshold, setup),
      fc.tuple(fc.constant('sweep'), sweep, setup),
    );
    fc.assert(fc.property(cases, ([command, own, common]) => {
      const o = { ...common, ...own } as Record<string, unknown>;
      // sigma0 is varied: the CLI refuses a fixed one.
      if (o.vary === 'sigma0') { delete o.sigma0; delete o.nu0sq; }
      const spec = builders[command]!(o as never, null);
      expect(roundTrip(spec)).toEqual(spec);
    }), { numRuns: 300 });
  });
});

// The option types the builders take are the ones the commands parse into.
export type { Figure1CliOptions, SweepCliOptions, ThresholdCliOptions };
