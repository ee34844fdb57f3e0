import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './helpers/cli.js';
import { registerEig } from '../src/cli/eig.js';
import { writeNpy } from '../src/io/npy.js';
import { writeFileSync } from 'node:fs';
import { FIXTURES, readFixture } from './helpers/fixtures.js';

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
        expect(j.error_bound).toBeGreaterThan(0);
        // The time of the eigenvalue computation, in seconds: within the command's own run.
        expect(j.seconds).toBeGreaterThan(0);
        expect(j.seconds).toBeLessThanOrEqual(wall);
        expect(j.backend).toMatch(backend);
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
