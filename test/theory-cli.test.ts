import { describe, expect, it } from 'vitest';
import { hermiteTolerance, readFixture } from './helpers/fixtures.js';
import { activationNames } from '../src/activations.js';
import { runCommand } from './helpers/cli.js';
import { registerHermite } from '../src/cli/hermite.js';
import { hermiteCoefficients } from '../src/theory/hermite.js';

const fx = readFixture<any>('hermite_coeffs.json');

/** Runs `ntk hermite ...args` in process. */
const ntkHermite = (...args: string[]) => runCommand(registerHermite, 'hermite', args);

describe('ntk hermite', () => {
  for (const act of ['tanh', 'sigmoid', 'erf']) {
    for (const [conv, key] of [['expand', 'expand'], ['orthonormal', 'orthonormal'], ['weighted', 'weighted_literal']] as const) {
      it(`${act} --a 2.5 --convention ${conv} --json reproduces hermite_coeffs.json`, async () => {
        const r = await ntkHermite('--activation', act, '--a', '2.5', '--rmax', '10', '--convention', conv, '--json');
        expect(r.code).toBe(0);
        const j = JSON.parse(r.out);
        const e = fx.activations[act].by_a['2.5'];
        const want = e[key] as number[];
        expect(j.coefficients).toHaveLength(11);
        want.forEach((v, q) => expect(Math.abs(j.coefficients[q] - v), `r = ${q}`).toBeLessThanOrEqual(hermiteTolerance(v, q, 2.5, conv, e.E_phi2)));
        expect(Math.abs(j.E_phi2 - e.E_phi2)).toBeLessThan(1e-14);
        expect(Math.abs(j.parseval_residual - (e.E_phi2 - e['sum_orthonormal_sq_r0..10']))).toBeLessThan(1e-14);
      });
    }
  }
  for (const act of activationNames) {
    it(`${act}: the text output lists r = 0..rmax, E[phi^2] and the Parseval residual`, async () => {
      const r = await ntkHermite('--activation', act, '--a', '1.3', '--rmax', '6', '--convention', 'orthonormal');
      expect(r.code).toBe(0);
      const h = hermiteCoefficients(act, 1.3, { rmax: 6, convention: 'orthonormal' });
      const rows = r.out.split('\n').filter((l) => /^\s+r =/.test(l));
      expect(rows.length).toBe(7);
      rows.forEach((l, q) => expect(Number(l.split(/\s+/).pop())).toBeCloseTo(h.coefficients[q]!, 15));
      expect(r.out).toMatch(/E\[phi\^2\]\s+\S+/);
      expect(r.out).toMatch(/Parseval residual/);
      if (act === 'sigmoid' || act === 'erf' || act === 'gelu') expect(r.out).toMatch(/outside Theorem 4.1's assumptions/);
    });
  }
  for (const [args, re] of [
    [['--a', '-1'], /--a: must be > 0/],
    [['--a', 'x'], /--a: expects a number/],
    [['--rmax', '2.5'], /--rmax: must be an integer/],
    [['--rmax', '-3'], /--rmax: must be an integer/],
    [['--activation', 'swish'], /--activation: unknown activation "swish"; use one of tanh/],
    [['--convention', 'literal'], /--convention: unknown convention/],
  ] as const) {
    it(`rejects ${args.join(' ')} with one line`, async () => {
      const r = await ntkHermite(...args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n').length).toBe(1);
      expect(r.err).toMatch(re);
    });
  }
});
