/**
 * `--data FILE` and the API's `data`: .npy and .csv round trips, headers and comments, clear
 * errors (ragged rows, non-numbers, too few rows), and the experiments on a file: figure1, sweep,
 * threshold and spectrum take its first n rows (checked against the library on those rows), key
 * their points by its hash, and refuse a changed file on resume.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/backend/js/index.js';
import { registerFigure1 } from '../src/cli/figure1.js';
import { registerSpectrum } from '../src/cli/spectrum.js';
import { registerSweep } from '../src/cli/sweep.js';
import { registerThreshold } from '../src/cli/threshold.js';
import { NtkInputError } from '../src/errors.js';
import { FILES, readResults } from '../src/node/run-dir.js';
import { baseSpec } from '../src/experiments/presets.js';
import { runSweep } from '../src/experiments/runner.js';
import { dataHash, dataSource, firstRows, parseCsv, parseDataFile, readDataFile } from '../src/io/data-file.js';
import { writeNpy } from '../src/io/npy.js';
import { lambdaMin } from '../src/linalg/index.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { runCommand } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const be = createJsBackend();

/** 30 x 5 data with a header, written as CSV, and the same as .npy. */
const X = gaussianData({ n: 30, d: 5, seed: 11 });
const csvText = `# made by the test\na,b,c,d,e\n${Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * 5, i * 5 + 5)).join(',')).join('\n')}\n`;
const csvFile = join(root, 'x.csv'), npyFile = join(root, 'x.npy');
writeFileSync(csvFile, csvText);
writeFileSync(npyFile, writeNpy(X));

describe('data files', () => {
  it('CSV and .npy give the same matrix, bit for bit (shortest round-trip decimals)', async () => {
    const a = await readDataFile(csvFile), b = await readDataFile(npyFile);
    expect(a).toEqual({ rows: 30, cols: 5, data: X.data });
    expect(b.data).toEqual(X.data);
    expect(dataHash(a)).toBe(dataHash(b));
    expect(dataHash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(dataHash(firstRows(a, 29))).not.toBe(dataHash(a));
  });

  it('reads semicolons, tabs, spaces, CRLF and comments; no header needed', () => {
    expect(parseCsv('1;2\r\n3\t4\n\n# c\n5   6\n')).toEqual({ rows: 3, cols: 2, data: Float64Array.of(1, 2, 3, 4, 5, 6) });
    expect(parseDataFile(new TextEncoder().encode('x,y\n1e-3,-2\n'), 'f.csv').data).toEqual(Float64Array.of(1e-3, -2));
  });

  it('names the file, the line and the column of what is wrong', () => {
    const err = (t: string) => { try { parseCsv(t, 'f.csv'); } catch (e) { expect(e).toBeInstanceOf(NtkInputError); return (e as Error).message; } return ''; };
    expect(err('1,2\n3,x\n')).toBe('f.csv: line 2, column 2 is "x", not a finite number; pass a table of numbers (one sample per line, an optional header row)');
    expect(err('1,2\n3\n')).toMatch(/^f\.csv: line 2 has 1 values, the rows above have 2/);
    expect(err('a,b\n1,2,3\n')).toMatch(/^f\.csv: line 2 has 3 values, the header has 2/);
    expect(err('# nothing\n')).toMatch(/^f\.csv: holds no rows of numbers/);
    expect(err('1,NaN\n')).toMatch(/column 2 is "NaN"/);
    expect(() => firstRows(X, 31, '--data')).toThrow(/^--data: has 30 rows but n = 31 needs 31; use n <= 30/);
  });
});

describe('experiments on a data file', () => {
  it('figure1 --data: each point uses the first n rows (lambda_min equals the library on them)', async () => {
    const out = join(root, 'fig');
    const r = await runCommand(registerFigure1, 'figure1', ['--data', csvFile, '--widths', '10,20', '--activations', 'tanh', '--seeds', '1', '--backend', 'js', '--quiet', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const recs = readResults(join(out, FILES.results)).records;
    expect(recs.map((x) => [x.n, x.d])).toEqual([[10, 5], [20, 5]]);
    for (const rec of recs) {
      expect(rec.data_hash).toBe(dataHash(X));
      expect(rec.data_key).toContain(`data=file:${dataHash(X)}`);
      const net = createNetwork({ d: 5, widths: [rec.m, rec.m], activation: 'tanh', sigma0: 1, seed: 0 });
      const want = lambdaMin(empiricalNtk(net, firstRows(X, rec.n), { backend: be }).K, { backend: be }).value;
      expect(rec.lambda_min).toBe(want);
    }
    expect(readFileSync(join(out, FILES.config), 'utf8')).toContain(`"hash": "${dataHash(X)}"`);
  });

  it('a file with too few rows is refused before the folder is touched; --d must agree with it', async () => {
    const r = await runCommand(registerSweep, 'sweep', ['--vary', 'n', '--values', '10,40', '--width', '8', '--data', csvFile, '--out', join(root, 'few')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ntk: error: data: .*x\.csv has 30 rows but n = 40 needs 40; use n <= 30, or a file with more rows/);
    const d = await runCommand(registerSweep, 'sweep', ['--vary', 'n', '--values', '10', '--width', '8', '--data', npyFile, '--d', '7', '--out', join(root, 'dd')]);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/--d: is 7 but .*x\.npy has 5 columns/);
    const missing = await runCommand(registerSweep, 'sweep', ['--vary', 'n', '--values', '10', '--data', join(root, 'nope.csv'), '--out', join(root, 'nope')]);
    expect(missing.err).toMatch(/--data: .*nope\.csv cannot be read \(ENOENT\)/);
  });

  it('threshold --data runs, resumes, and refuses a changed file on resume', async () => {
    const file = join(root, 'y.csv');
    writeFileSync(file, csvText);
    const out = join(root, 'th');
    const args = ['--data', file, '--ns', '8,16', '--ratios', '1,2', '--seeds', '2', '--activations', 'relu', '--bootstrap', '20', '--backend', 'js', '--quiet', '--out', out];
    expect((await runCommand(registerThreshold, 'threshold', args)).code).toBe(0);
    expect(readResults(join(out, FILES.results)).records.every((x) => x.d === 5 && x.data_hash === dataHash(X))).toBe(true);
    const again = await runCommand(registerThreshold, 'threshold', [...args.filter((a) => a !== '--quiet'), '--resume']);
    expect(again.err).toMatch(/0 points computed, 8 already done/);
    const lines = csvText.split('\n');
    lines[2] = lines[2]!.replace(/^[^,]+/, '1.5'); // change the first number
    writeFileSync(file, lines.join('\n'));
    const changed = await runCommand(registerThreshold, 'threshold', ['--resume', '--backend', 'js', '--out', out]);
    expect(changed.code).toBe(2);
    expect(changed.err).toMatch(/data: .*y\.csv is not the data this sweep was set up with/);
  });

  it('spectrum --data takes the first n rows', async () => {
    const out = join(root, 'sp');
    const r = await runCommand(registerSpectrum, 'spectrum', ['--data', npyFile, '--n', '12', '--width', '9', '--activation', 'relu', '--backend', 'js', '--quiet', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const net = createNetwork({ d: 5, widths: [9, 9], activation: 'relu', sigma0: 1, seed: 0 });
    const want = lambdaMin(empiricalNtk(net, firstRows(X, 12), { backend: be }).K, { backend: be }).value;
    const got = Number(/^K\s+lambda_min (\S+)/m.exec(r.out)![1]);
    expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-6 * Math.abs(want)); // printed to 7 digits
  });

  it('the API: runSweep takes the matrix and checks it against the spec\'s data source', async () => {
    const spec = baseSpec('api', { vary: 'n', values: [6, 12], width: 7, activations: ['erf'], seeds: [0], data: dataSource('mine', X), d: 5 });
    const res = await runSweep(spec, { backend: be, data: X, onRecord: () => {} });
    expect(res.records.map((x) => x.n)).toEqual([6, 12]);
    await expect(runSweep(spec, { backend: be, onRecord: () => {} })).rejects.toThrow(/^data: is missing/);
    await expect(runSweep(spec, { backend: be, data: firstRows(X, 20), onRecord: () => {} })).rejects.toThrow(/^data: mine is not the data/);
  });
});
