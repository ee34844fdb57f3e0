/**
 * Every script in examples/ runs against the built package (`npm run build` first; `npm test`
 * does it) with small sizes, type-checks against the package's declarations, and prints numbers
 * that match independent computations: K from an explicit Jacobian, Hermite coefficients by
 * Simpson's rule, the infinite-width NTK of erf from its arcsine closed form. The README's first
 * program is examples/first-program.mjs, verbatim.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/backend/js/index.js';
import { readNpyFile, npyToMatrix } from '../src/io/npy.js';
import { lambdaMin } from '../src/linalg/index.js';
import type { Matrix } from '../src/matrix.js';
import { gaussianData } from '../src/network/data.js';
import { createNetwork } from '../src/network/network.js';
import { empiricalNtk } from '../src/network/ntk.js';
import { jacobianNtk } from './helpers/jacobian.js';

const root = process.cwd();
const ex = (name: string) => resolve(root, 'examples', name);
const be = createJsBackend();
const built = existsSync(resolve(root, 'dist/index.js'));

/** Runs `node examples/<name> args...`; returns stdout (throws with stderr on a non-zero exit). */
async function runExample(name: string, ...args: string[]): Promise<string> {
  if (!built) throw new Error('dist/ is missing: run `npm run build` before these tests');
  const { stdout } = await promisify(execFile)(process.execPath, [ex(name), ...args], { cwd: root, timeout: 60_000 });
  return stdout;
}

/** The numbers of the lines that start with a number (table rows), one array per line. */
function tableRows(out: string): number[][] {
  return out.split('\n').filter((l) => /^\s*\d/.test(l)).map((l) => l.trim().split(/\s+/).map(Number));
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('examples/', () => {
  it('type-check against the package\'s declarations (dist/*.d.ts via the package name)', () => {
    expect(built).toBe(true);
    const files = [...readdirSync(ex('.')).filter((f) => f.endsWith('.mjs')).map(ex), ex('data/make-data.mjs')];
    expect(files.length).toBeGreaterThanOrEqual(5);
    const program = ts.createProgram(files, {
      allowJs: true, checkJs: true, noEmit: true, skipLibCheck: true, types: ['node'],
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) =>
      `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diags).toEqual([]);
  });

  it('the README\'s first program is examples/first-program.mjs and runs', async () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const block = /## A first program[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const code = readFileSync(ex('first-program.mjs'), 'utf8').split('\n').filter((l) => !l.startsWith('//')).join('\n').trim();
    expect(block!.trim()).toBe(code);
    const words = (await runExample('first-program.mjs')).trim().split(' ');
    expect(words.slice(0, -3).join(' ')).toMatch(/backend/); // the note
    const [lmin, l1, inf] = words.slice(-3).map(Number);
    // The same network and data through the js backend.
    const X = gaussianData({ n: 500, d: 100, seed: 1 });
    const net = createNetwork({ d: 100, widths: [500, 500], activation: 'tanh', sigma0: 1, seed: 7 });
    // K's entries differ between backends by rounding only (summation order), and lambda_min
    // (0.19, lambda_max 9.2) moves by about cond * eps: measured equal to the last bit here.
    expect(rel(lmin!, lambdaMin(empiricalNtk(net, X, { backend: be }).K, { backend: be }).value)).toBeLessThan(1e-12);
    expect(l1).toBeGreaterThan(0);
    expect(inf).toBeGreaterThan(lmin!); // at m = 500, K's lambda_min is still below the limit's
  });

  it('npy-weights: lambda_min and trace of K equal those of J J^T from an explicit Jacobian of the .npy network', async () => {
    const out = await runExample('npy-weights.mjs');
    const lmin = Number(/lambda_min\(K\) = (\S+)/.exec(out)![1]);
    const trace = Number(/trace (\S+)/.exec(out)![1]);
    const load = async (f: string) => npyToMatrix(await readNpyFile(ex(`data/${f}`)));
    const [X, W1, W2] = [await load('X.npy'), await load('W1.npy'), await load('W2.npy')];
    const v = (await readNpyFile(ex('data/v.npy'))).data;
    const K = jacobianNtk(X, [W1, W2], v, Math.tanh, (x) => 1 - Math.tanh(x) ** 2);
    let tr = 0;
    for (let i = 0; i < K.rows; i++) tr += K.data[i * K.rows + i]!;
    expect(rel(trace, tr)).toBeLessThan(1e-13);
    expect(rel(lmin, lambdaMin(K, { backend: be }).value)).toBeLessThan(1e-10);
    expect(lmin).toBeGreaterThan(0);
    // examples/data/K.npy (for the README's `ntk eig` example) is the same K.
    const saved = await load('K.npy');
    const big = Math.max(...K.data.map(Math.abs));
    expect(saved.rows).toBe(K.rows);
    expect(Math.max(...saved.data.map((x, i) => Math.abs(x - K.data[i]!)))).toBeLessThan(1e-13 * big);
  });

  it('width-sweep: each mean lambda_min equals the js backend\'s over the same seeds', async () => {
    const out = await runExample('width-sweep.mjs', '30', '20,40', '2', 'sigmoid');
    const rows = tableRows(out);
    expect(rows.map((r) => r[0])).toEqual([20, 40]);
    const X = gaussianData({ n: 30, d: 100, seed: 0 });
    for (const [m, mean, std] of rows) {
      const vals = [0, 1].map((seed) => lambdaMin(empiricalNtk(createNetwork({ d: 100, widths: [m!, m!], activation: 'sigmoid', sigma0: 1, seed }), X, { backend: be }).K, { backend: be }).value);
      expect(rel(mean!, (vals[0]! + vals[1]!) / 2)).toBeLessThan(1e-6); // printed to 7 digits
      expect(rel(std!, Math.abs(vals[0]! - vals[1]!) / Math.SQRT2)).toBeLessThan(1e-2);
      expect(mean).toBeGreaterThan(0);
    }
  });

  it('hermite-custom: coefficients of x/sqrt(1+x^2) equal Simpson\'s rule, and Parseval closes', async () => {
    const out = await runExample('hermite-custom.mjs', '2.5', '8');
    const phi = (x: number) => x / Math.sqrt(1 + x * x);
    const a = 2.5, rows = tableRows(out).filter((r) => r.length === 3);
    expect(rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const { b, e2 } = simpsonHermite(phi, a, 8);
    let sum = 0;
    for (const [r, mu, br] of rows) {
      expect(Math.abs(br! - b[r!]!)).toBeLessThan(1e-12);
      expect(Math.abs(mu! - a ** (r! / 2) * b[r!]!)).toBeLessThan(1e-11 * Math.max(1, Math.abs(mu!)));
      sum += br! * br!;
    }
    const ePhi2 = Number(/E\[phi\^2\] = (\S+),/.exec(out)![1]);
    expect(Math.abs(ePhi2 - e2)).toBeLessThan(1e-13);
    const residual = Number(/Parseval residual \(.*?\) = (\S+)/.exec(out)![1]);
    expect(Math.abs(residual - (e2 - sum))).toBeLessThan(1e-3 * residual);
    const c = Number(/c_phi = (\S+),/.exec(out)![1]);
    expect(Math.abs(c - simpsonHermite(phi, 1, 0).e2)).toBeLessThan(1e-13);
    expect(out).toContain('assumptions broken: none');
  });

  it('infinite-width: lambda_min(Theta) of erf equals the arcsine closed form, and K approaches Theta', async () => {
    const out = await runExample('infinite-width.mjs', 'erf', '12', '12,48,192', '2');
    const X = gaussianData({ n: 12, d: 100, seed: 0 });
    const theta = erfTheta(X, 1 / ((2 / Math.PI) * Math.asin(2 / 3)), 1);
    const printed = Number(/lambda_min\(Theta\) = (\S+)/.exec(out)![1]);
    expect(rel(printed, lambdaMin(theta, { backend: be }).value)).toBeLessThan(1e-10);
    const rows = tableRows(out);
    expect(rows.map((r) => r[0])).toEqual([12, 48, 192]);
    // ||K - Theta|| / ||Theta|| falls like 1/sqrt(m): 16 times the width, about a quarter.
    expect(rows[2]![1]!).toBeLessThan(0.5 * rows[0]![1]!);
    for (const r of rows) expect(r[2]).toBeGreaterThan(0);
  });
});

/** b_r = E_{N(0,a)}[g He_r(x/sqrt a)/sqrt(r!)] and E[g^2] by composite Simpson on [-14 sqrt a, 14 sqrt a]. */
function simpsonHermite(g: (x: number) => number, a: number, R: number): { b: number[]; e2: number } {
  const N = 20000, T = 14, h = (2 * T) / N;
  const b = new Array<number>(R + 1).fill(0);
  let e2 = 0;
  for (let k = 0; k <= N; k++) {
    const t = -T + k * h;
    const w = (k === 0 || k === N ? 1 : k % 2 ? 4 : 2) * h / 3 * Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    const gx = g(t * Math.sqrt(a));
    e2 += w * gx * gx;
    // Normalized probabilists' Hermite: He_r(t)/sqrt(r!) by its three-term recursion.
    let p0 = 1, p1 = t;
    b[0]! += w * gx * p0;
    if (R >= 1) b[1]! += w * gx * p1;
    for (let r = 2; r <= R; r++) {
      const p2 = (t * p1 - Math.sqrt(r - 1) * p0) / Math.sqrt(r);
      b[r]! += w * gx * p2;
      p0 = p1; p1 = p2;
    }
  }
  return { b, e2 };
}

/** The infinite-width NTK of an erf network with 2 hidden layers, from the arcsine closed forms (docs/conventions.md's recursion). */
function erfTheta(X: Matrix, nu0sq: number, sv2: number): Matrix {
  const n = X.rows, d = X.cols;
  const gram = (i: number, j: number) => { let s = 0; for (let k = 0; k < d; k++) s += X.data[i * d + k]! * X.data[j * d + k]!; return s / d; };
  const pairs = (S: number[][]) => {
    const E = S.map(() => new Array<number>(n).fill(0)), Ed = S.map(() => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const p = (1 + 2 * S[i]![i]!) * (1 + 2 * S[j]![j]!), s = S[i]![j]!;
        E[i]![j] = (2 / Math.PI) * Math.asin(2 * s / Math.sqrt(p));
        Ed[i]![j] = (4 / Math.PI) / Math.sqrt(p - 4 * s * s);
      }
    }
    return { E, Ed };
  };
  const T1 = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => gram(i, j)));
  const { E: E1, Ed: Ed1 } = pairs(T1.map((r) => r.map((x) => nu0sq * x)));
  const T2 = E1.map((r, i) => r.map((e, j) => e + nu0sq * Ed1[i]![j]! * T1[i]![j]!));
  const { E: E2, Ed: Ed2 } = pairs(E1.map((r) => r.map((x) => nu0sq * x)));
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = E2[i]![j]! + sv2 * Ed2[i]![j]! * T2[i]![j]!;
  return { rows: n, cols: n, data };
}
