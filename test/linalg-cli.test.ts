import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './helpers/cli.js';
import { registerEig } from '../src/cli/eig.js';
import { readNpy, writeNpy } from '../src/io/npy.js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { FIXTURES, readFixture } from './helpers/fixtures.js';
import { toeplitz121 } from './helpers/spectra.js';

const EPS = 2.220446049250313e-16;
const K_NPY = join(FIXTURES, 'npy/tanh_n64_d16_m128_L2/K.npy');
const fx = readFixture<{ expected: { lambda_min: number; lambda_max: number; eigvals_K: number[] } }>('net_tanh_n64_d16_m128_L2.json');

/** Runs `ntk eig ...args` in process. */
const ntkEig = (...args: string[]) => runCommand(registerEig, 'eig', args);

describe('ntk eig', () => {
  const tol = 1e-12 * fx.expected.lambda_max;
  for (const backend of ['js', 'wasm']) {
    for (const method of ['auto', 'cholesky', 'tridiagonal']) {
      it(`prints lambda_min of the fixture's K.npy (--backend ${backend} --method ${method} --json)`, async () => {
        const t0 = performance.now();
        const r = await ntkEig(K_NPY, '--backend', backend, '--method', method, '--json', '--threads', '1');
        const wall = (performance.now() - t0) / 1000;
        expect(r.code).toBe(0);
        const j = JSON.parse(r.out);
        expect(j.n).toBe(64);
        expect(Math.abs(j.lambda_min - fx.expected.lambda_min)).toBeLessThanOrEqual(tol);
        expect(j.method).toBe(method === 'cholesky' ? 'cholesky-lanczos' : 'tridiagonal');
        // The bound holds against numpy's value, is never below the rounding level, and was met.
        expect(Math.abs(j.lambda_min - fx.expected.lambda_min)).toBeLessThanOrEqual(j.error_bound);
        expect(j.error_bound).toBeGreaterThanOrEqual(64 * EPS * fx.expected.lambda_max * (1 - 1e-12));
        expect(j.converged).toBe(true);
        expect(j.error_bound).toBeLessThanOrEqual(j.tolerance);
        expect(j.lambda_max_converged).toBe(true);
        expect(Math.abs(j.lambda_max - fx.expected.lambda_max)).toBeLessThanOrEqual(j.lambda_max_error);
        // The time of the eigenvalue computation, in seconds: within the command's own run.
        expect(j.seconds).toBeGreaterThan(0);
        expect(j.seconds).toBeLessThanOrEqual(wall);
        expect(j.backend).toMatch(backend);
        // Seconds per stage of the route taken, within the computation's own time.
        const want = j.method === 'cholesky-lanczos' ? ['factorize', 'lanczos', 'largest'] : ['bisection', 'tridiagonalize'];
        expect(Object.keys(j.stages).sort()).toEqual(want);
        const spent = (Object.values(j.stages) as number[]).reduce((a, b) => a + b, 0);
        expect(spent).toBeGreaterThan(0);
        expect(spent).toBeLessThanOrEqual(j.seconds);
      });
    }
  }
  it('--all prints every eigenvalue, matching eigvals_K', async () => {
    const r = await ntkEig(K_NPY, '--all', '--backend', 'wasm', '--threads', '1');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const at = lines.indexOf('eigenvalues (ascending):');
    expect(at).toBeGreaterThan(0);
    const w = lines.slice(at + 1).filter((l) => l.trim() !== '').map(Number);
    expect(w.length).toBe(64);
    for (let i = 0; i < 64; i++) expect(Math.abs(w[i]! - fx.expected.eigvals_K[i]!)).toBeLessThanOrEqual(tol);
    const lm = Number(/^lambda_min: (\S+)$/m.exec(r.out)?.[1]);
    expect(Math.abs(lm - fx.expected.lambda_min)).toBeLessThanOrEqual(tol);
    expect(r.out).toMatch(/^seconds: \d/m);
  });
  const dir = mkdtempSync(join(tmpdir(), 'ntk-eig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reports an indefinite matrix through the fallback', async () => {
    const p = join(dir, 'ind.npy');
    writeFileSync(p, writeNpy({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 1]) }));
    const r = await ntkEig(p, '--method', 'cholesky', '--backend', 'js', '--json');
    const j = JSON.parse(r.out);
    expect(j.lambda_min).toBeCloseTo(-1, 14);
    expect(j.method).toBe('tridiagonal');
    expect(j.fallback).toMatch(/not numerically positive definite/);
  });
  it('says when lambda_max did not converge (1-2-1 Toeplitz of order 1000), in --json and in text', async () => {
    const n = 1000;
    const p = join(dir, 't.npy');
    writeFileSync(p, writeNpy({ rows: n, cols: n, data: toeplitz121(n) }));
    const top = 2 + 2 * Math.cos(Math.PI / (n + 1));
    const r = await ntkEig(p, '--backend', 'wasm', '--threads', '1', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.converged).toBe(true);
    expect(j.lambda_max_converged).toBe(false);
    expect(Math.abs(j.lambda_max - top)).toBeLessThanOrEqual(j.lambda_max_error);
    const t = await ntkEig(p, '--backend', 'wasm', '--threads', '1');
    expect(t.out).toMatch(/^converged: yes$/m);
    expect(t.out).toMatch(/^lambda_max_converged: NO/m);
  });
  it('a matrix of subnormal numbers gives finite results within their bound (used to print NaN)', async () => {
    const u = 2 ** -1074;
    const p = join(dir, 'sub.npy');
    writeFileSync(p, writeNpy({ rows: 2, cols: 2, data: Float64Array.of(6072 * u, 2024 * u, 2024 * u, 4048 * u) }));
    const exact = (5060 - Math.hypot(1012, 2024)) * u;
    for (const backend of ['js', 'wasm']) {
      const r = await ntkEig(p, '--backend', backend, '--json');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(Math.abs(j.lambda_min - exact)).toBeLessThanOrEqual(j.error_bound);
      expect(j.error_bound).toBeLessThan(1e-320);
      const t = await ntkEig(p, '--backend', backend, '--all');
      expect(t.out).not.toMatch(/NaN|Infinity/);
    }
  });
  it('--vectors V.npy writes the eigenvectors; --json reports the method, the stages and LAPACK-style ratios', async () => {
    const out = join(dir, 'V.npy');
    for (const backend of ['js', 'wasm']) {
      const r = await ntkEig(K_NPY, '--vectors', out, '--backend', backend, '--threads', '1', '--json');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.method).toMatch(/divide and conquer/);
      expect(Object.keys(j.stages).sort()).toEqual(['backTransform', 'tridiagonal', 'tridiagonalize']);
      expect(j.residual_ratio).toBeLessThan(10);
      expect(j.orthogonality_ratio).toBeLessThan(10);
      expect(j.vectors_file).toBe(out);
      // The file: 64 x 64, K V = V diag(eigvals_K) checked here against numpy's eigenvalues.
      const V = readNpy(readFileSync(out));
      expect(V.shape).toEqual([64, 64]);
      const K = readNpy(readFileSync(K_NPY)).data;
      let res = 0;
      for (let i = 0; i < 64; i++) {
        for (let c = 0; c < 64; c++) {
          let s = 0;
          for (let k = 0; k < 64; k++) s += K[i * 64 + k]! * V.data[k * 64 + c]!;
          res = Math.max(res, Math.abs(s - fx.expected.eigvals_K[c]! * V.data[i * 64 + c]!));
        }
      }
      expect(res).toBeLessThan(1e-12 * fx.expected.lambda_max);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
    const t = await ntkEig(K_NPY, '--vectors', out, '--backend', 'wasm');
    expect(t.out).toMatch(/^orthogonality_ratio: \d/m);
    expect(t.out).toMatch(/^ {2}backTransform: \d/m);
    const bad = await ntkEig(K_NPY, '--vectors', join(dir, 'no', 'such', 'V.npy'), '--backend', 'js');
    // An I/O failure, like every file error: one line naming the path, exit status 1.
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/V\.npy: cannot write \(no such file or folder, ENOENT\)/);
    const chol = await ntkEig(K_NPY, '--vectors', out, '--method', 'cholesky', '--backend', 'js');
    expect(chol.err).toMatch(/--vectors computes the whole spectrum/);
  });
  it('fails with one line and exit code 2 on bad input', async () => {
    const vec = join(dir, 'v.npy');
    writeFileSync(vec, writeNpy(Float64Array.from([1, 2, 3])));
    const rect = join(dir, 'r.npy');
    writeFileSync(rect, writeNpy({ rows: 2, cols: 3, data: new Float64Array(6) }));
    for (const [args, msg] of [
      [[vec], /1-D array/],
      [[rect], /must be square/],
      [[join(dir, 'missing.npy')], /cannot be read/],
      [[K_NPY, '--method', 'qr'], /unknown method/],
      [[K_NPY, '--all', '--method', 'cholesky'], /--all computes the whole spectrum/],
    ] as [string[], RegExp][]) {
      const r = await ntkEig(...args, '--backend', 'js');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n').filter((l) => l.startsWith('ntk: error')).length).toBe(1);
    }
  });
});
