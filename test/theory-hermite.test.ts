import { describe, expect, it } from 'vitest';
import { hermiteTolerance, readFixture } from './helpers/fixtures.js';
import { activationNames, getActivation } from '../src/activations.js';
import { cPhi, nu0sq, sigma0ForNu0sq } from '../src/theory/cphi.js';
import { gaussExpectation } from '../src/theory/gauss.js';
import {
  convertCoefficients, hermite, hermiteCoefficients, hermiteSeries, normalizedHermiteTable,
} from '../src/theory/hermite.js';

const fx = readFixture<any>('hermite_coeffs.json');
const convKey = { expand: 'expand', orthonormal: 'orthonormal', weighted: 'weighted_literal' } as const;

describe('hermite_coeffs.json', () => {
  for (const act of Object.keys(fx.activations)) {
    for (const aKey of Object.keys(fx.activations[act].by_a)) {
      const a = Number(aKey);
      const e = fx.activations[act].by_a[aKey];
      for (const conv of ['expand', 'orthonormal', 'weighted'] as const) {
        it(`${act} a=${a} ${conv} coefficients r=0..10, each to 1e-12 of its size`, () => {
          const h = hermiteCoefficients(act, a, { rmax: 10, convention: conv });
          for (let r = 0; r <= 10; r++) {
            const want = e[convKey[conv]][r] as number;
            expect(Math.abs(h.coefficients[r]! - want), `r = ${r}`).toBeLessThanOrEqual(hermiteTolerance(want, r, a, conv, e.E_phi2));
          }
        });
      }
      it(`${act} a=${a} E[phi^2] and the truncated Parseval sum`, () => {
        const h = hermiteCoefficients(act, a, { rmax: 10 });
        expect(Math.abs(h.ePhi2 - e.E_phi2)).toBeLessThanOrEqual(1e-13 * e.E_phi2);
        expect(Math.abs((h.ePhi2 - h.parsevalResidual) - e['sum_orthonormal_sq_r0..10'])).toBeLessThanOrEqual(1e-13);
      });
    }
    it(`${act} c_by_sigma0 to 1e-13 and nu0sq`, () => {
      for (const [s, v] of Object.entries<{ c: number; nu0sq: number }>(fx.activations[act].c_by_sigma0)) {
        expect(Math.abs(cPhi(act, Number(s)) - v.c)).toBeLessThanOrEqual(1e-13 * v.c);
        expect(Math.abs(nu0sq(act, Number(s)) - v.nu0sq)).toBeLessThanOrEqual(1e-13 * v.nu0sq);
      }
    });
    it(`${act} sigma0_for_nu0sq_1`, () => {
      const want = fx.activations[act].sigma0_for_nu0sq_1 as number | null;
      const got = sigma0ForNu0sq(act, 1);
      if (want === null) expect(got).toBeNull();
      else {
        expect(got).not.toBeNull();
        expect(Math.abs(got! - want)).toBeLessThanOrEqual(1e-12 * want);
        expect(Math.abs(nu0sq(act, got!) - 1)).toBeLessThan(1e-13);
      }
    });
  }
  it('H_values: H_r^{[a]}(x) for r = 0..10 to 1e-12 relative', () => {
    for (const aKey of Object.keys(fx.H_values.by_a)) {
      for (const [r, vals] of Object.entries<number[]>(fx.H_values.by_a[aKey])) {
        (fx.H_values.x as number[]).forEach((x, k) => {
          const want = vals[k]!;
          expect(Math.abs(hermite(Number(r), Number(aKey), x) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
        });
      }
    }
  });
});

/** He_r(x) exactly, as a rational p/q with BigInt, from the explicit sum r! sum_m (-1)^m x^{r-2m} / (m! (r-2m)! 2^m). */
function exactHeSquaredOverFactorial(r: number, p: bigint, q: bigint): { num: bigint; den: bigint; sign: number } {
  const fact = (k: number) => { let f = 1n; for (let i = 2n; i <= BigInt(k); i++) f *= i; return f; };
  // He_r(p/q) = sum_m c_m p^{r-2m} q^{2m} / q^r with integer c_m = (-1)^m r! / (m! (r-2m)! 2^m).
  let num = 0n;
  for (let m = 0; 2 * m <= r; m++) {
    const c = fact(r) / (fact(m) * fact(r - 2 * m) * (1n << BigInt(m)));
    num += (m % 2 ? -c : c) * p ** BigInt(r - 2 * m) * q ** BigInt(2 * m);
  }
  const den = q ** BigInt(r);
  return { num: num * num, den: den * den * fact(r), sign: num < 0n ? -1 : num > 0n ? 1 : 0 };
}
function ratioToNumber(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  // Scale so the integer quotient has ~64 significant bits, then convert.
  const shift = num.toString(2).length - den.toString(2).length - 64;
  const qt = shift >= 0 ? num / (den << BigInt(shift)) : (num << BigInt(-shift)) / den;
  return Number(qt) * 2 ** shift;
}

describe('generalized Hermite polynomials', () => {
  it('recurrence equals the explicit definition a^{-r/2} He_r(x/sqrt a)/sqrt(r!) for r <= 12', () => {
    const fact = (k: number) => { let f = 1; for (let i = 2; i <= k; i++) f *= i; return f; };
    const He = (r: number, x: number) => {
      let s = 0;
      for (let m = 0; 2 * m <= r; m++) s += ((m % 2 ? -1 : 1) * fact(r) * x ** (r - 2 * m)) / (fact(m) * fact(r - 2 * m) * 2 ** m);
      return s;
    };
    for (const a of [0.3, 1, 2.7]) for (const x of [-3.1, -0.4, 0, 0.9, 2.2]) for (let r = 0; r <= 12; r++) {
      const want = a ** (-r / 2) * He(r, x / Math.sqrt(a)) / Math.sqrt(fact(r));
      expect(Math.abs(hermite(r, a, x) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    }
  });
  it('the derivative definition (-1)^r/sqrt(r!) e^{x^2/2a} d^r/dx^r e^{-x^2/2a} for r = 1, 2, 3', () => {
    for (const a of [0.5, 2]) for (const x of [-1.3, 0.2, 1.7]) {
      // d/dx e^{-x^2/2a} = -(x/a) e; d2 = (x^2/a^2 - 1/a) e; d3 = -(x^3/a^3 - 3x/a^2) e
      expect(hermite(1, a, x)).toBeCloseTo(x / a, 14);
      expect(hermite(2, a, x)).toBeCloseTo((x * x / (a * a) - 1 / a) / Math.SQRT2, 14);
      expect(hermite(3, a, x)).toBeCloseTo((x ** 3 / a ** 3 - 3 * x / (a * a)) / Math.sqrt(6), 14);
    }
  });
  it('is stable up to r = 100: matches exact rational arithmetic', () => {
    for (const [p, q] of [[7n, 10n], [-19n, 10n], [3n, 1n], [1n, 20n]] as const) {
      const x = Number(p) / Number(q);
      const table = normalizedHermiteTable(100, Float64Array.of(x));
      let envelope = 0;
      for (let r = 0; r <= 100; r++) {
        const ex = exactHeSquaredOverFactorial(r, p, q);
        const want = ex.sign * Math.sqrt(ratioToNumber(ex.num, ex.den));
        envelope = Math.max(envelope, Math.abs(want));
        // Near a zero of He_r only absolute accuracy relative to the size of p_0..p_r is meaningful.
        expect(Math.abs(table[r]! - want)).toBeLessThanOrEqual(1e-13 * envelope);
        expect(Math.abs(hermite(r, 1, x) - want)).toBeLessThanOrEqual(1e-13 * envelope);
      }
    }
  });
  it('is orthogonal under N(0, a): E[H_r H_s] = a^{-r} delta_rs up to r = 100', () => {
    for (const a of [0.5, 3]) {
      const R = 100;
      for (const [r, s] of [[R, R], [R, R - 2], [57, 57], [40, 41], [R - 1, 1]]) {
        // |t| reaches sqrt(4r+2) ~ 20 for r = 100: widen the grid.
        const v = gaussExpectation((x) => hermite(r!, a, x) * hermite(s!, a, x), a, { zmax: 40 });
        const want = r === s ? a ** -r! : 0;
        expect(Math.abs(v - want)).toBeLessThanOrEqual(1e-12 * a ** -Math.max(r!, s!) + 1e-14 * (r === s ? want : a ** -((r! + s!) / 2)));
      }
    }
  });
});

describe('coefficients of every activation', () => {
  const fns: [string, (x: number) => number][] = [
    // Smooth ones: relu's kink makes the trapezoid rule and its coefficients' decay slow
    // (test/closed-forms.test.ts checks relu's closed forms instead).
    ...activationNames.filter((n) => getActivation(n).smooth).map((n) => [n, getActivation(n).phi] as [string, (x: number) => number]),
    ['user x^3 - x', (x) => x * x * x - x],
  ];
  for (const [name, f] of fns) {
    for (const a of [0.3, 1, 2.5, 6]) {
      // tanh's poles at x = +-i pi/2 make its coefficients decay like exp(-(pi/sqrt(2a)) sqrt(r)): at
      // a >= 2.5 (and erf's (2a/(1+2a))^{r/2} at a = 6) 200 terms leave a tail above 1e-13.
      const slow = (name === 'tanh' && a >= 2.5) || (name === 'erf' && a === 6);
      it(`${name} a=${a}: Parseval E[phi^2] = sum_r b_r^2, tail shrinking in R${slow ? '' : ' and below 1e-13 at R = 200'}${!slow && a <= 2.5 ? '; the series rebuilds phi' : ''}`, () => {
        const h = hermiteCoefficients(f, a, { rmax: 200, convention: 'orthonormal' });
        const h100 = hermiteCoefficients(f, a, { rmax: 100, convention: 'orthonormal' });
        expect(h.parsevalResidual).toBeGreaterThanOrEqual(-1e-14 * h.ePhi2);
        expect(h.parsevalResidual).toBeLessThanOrEqual(h100.parsevalResidual + 1e-14 * h.ePhi2);
        let tail = 0;
        for (let r = 101; r <= 200; r++) tail += h.orthonormal[r]! ** 2;
        expect(Math.abs((h100.parsevalResidual - h.parsevalResidual) - tail)).toBeLessThanOrEqual(1e-14 * h.ePhi2);
        if (!slow) expect(Math.abs(h.parsevalResidual)).toBeLessThanOrEqual(1e-13 * h.ePhi2);
        // Pointwise, the truncation error is only bounded by sqrt(L2 tail) * |p_r(t)|: check where the tail is ~0.
        if (!slow && a <= 2.5) {
          const ex = hermiteCoefficients(f, a, { rmax: 200, convention: 'expand' });
          for (const x of [-1.3 * Math.sqrt(a), 0.37 * Math.sqrt(a)]) {
            expect(Math.abs(hermiteSeries(ex.coefficients, a, x, 'expand') - f(x))).toBeLessThan(1e-8);
          }
        }
      });
    }
  }
  it('x^3 - x has exactly the coefficients of its Hermite expansion', () => {
    // x^3 - x = a^{3/2} (He_3(t) + 3 He_1(t)) - a^{1/2} He_1(t) with t = x/sqrt(a): b_1 = 3a^{3/2} - a^{1/2}, b_3 = sqrt(6) a^{3/2}.
    const a = 1.7;
    const h = hermiteCoefficients((x) => x * x * x - x, a, { rmax: 6, convention: 'orthonormal' });
    const want = [0, 3 * a ** 1.5 - a ** 0.5, 0, Math.sqrt(6) * a ** 1.5, 0, 0, 0];
    want.forEach((w, r) => expect(Math.abs(h.coefficients[r]! - w)).toBeLessThan(1e-13));
  });
  it('erf: closed form b_{2j+1} = sqrt(a) 2/sqrt(pi) (1+2a)^{-1/2} (-a/(1+2a))^j (2j)!/j! / sqrt((2j+1)!)', () => {
    for (const a of [0.25, 1, 2.5, 9]) {
      const h = hermiteCoefficients('erf', a, { rmax: 41, convention: 'orthonormal' });
      let fj = 1; // (2j)!/j! / sqrt((2j+1)!) built incrementally in logs to avoid overflow
      for (let j = 0; 2 * j + 1 <= 41; j++) {
        const r = 2 * j + 1;
        let lg = 0;
        for (let k = j + 1; k <= 2 * j; k++) lg += Math.log(k);
        for (let k = 2; k <= r; k++) lg -= 0.5 * Math.log(k);
        fj = Math.exp(lg);
        const want = Math.sqrt(a) * (2 / Math.sqrt(Math.PI)) / Math.sqrt(1 + 2 * a) * (-a / (1 + 2 * a)) ** j * fj;
        expect(Math.abs(h.coefficients[r]! - want)).toBeLessThan(2e-16 * 16);
        expect(Math.abs(h.coefficients[r - 1]!)).toBeLessThan(1e-16 * 16);
      }
    }
  });
  it('sin: closed form b_r = (-1)^{(r-1)/2} a^{r/2} e^{-a/2} / sqrt(r!) for odd r', () => {
    for (const a of [0.5, 2, 7]) {
      const h = hermiteCoefficients('sin', a, { rmax: 30, convention: 'orthonormal' });
      let lf = 0;
      for (let r = 0; r <= 30; r++) {
        if (r > 0) lf += Math.log(r);
        const want = r % 2 ? (((r - 1) / 2) % 2 ? -1 : 1) * Math.exp((r / 2) * Math.log(a) - a / 2 - lf / 2) : 0;
        expect(Math.abs(h.coefficients[r]! - want)).toBeLessThan(1e-15);
      }
      expect(Math.abs(h.ePhi2 - (1 - Math.exp(-2 * a)) / 2)).toBeLessThan(1e-16 * 4);
    }
  });
  it('gelu: b_0 = a / sqrt(2 pi (1+a)), b_1 = sqrt(a)/2, b_2 = a (2+a) / ((1+a) sqrt(2 pi (1+a)) sqrt 2) (Stein)', () => {
    // Stein: E[g He_r(x/sqrt a)] = a^{r/2} E[g^{(r)}]; gelu' = Phi + x phi, gelu'' = phi (2 - x^2).
    for (const a of [0.3, 1, 4]) {
      const h = hermiteCoefficients('gelu', a, { rmax: 2, convention: 'orthonormal' });
      const s = Math.sqrt(2 * Math.PI * (1 + a));
      expect(Math.abs(h.coefficients[0]! - a / s)).toBeLessThan(1e-15);
      expect(Math.abs(h.coefficients[1]! - Math.sqrt(a) / 2)).toBeLessThan(1e-15);
      expect(Math.abs(h.coefficients[2]! - (a * (2 + a)) / ((1 + a) * s * Math.SQRT2))).toBeLessThan(1e-15);
    }
  });
  it('softplus: b_1 = sqrt(a)/2 (Stein: E[sigmoid] = 1/2) and b_0 = E[log(1+e^x)] - log 2 > 0', () => {
    for (const a of [0.3, 1, 4]) {
      const h = hermiteCoefficients('softplus', a, { rmax: 1, convention: 'orthonormal' });
      expect(Math.abs(h.coefficients[1]! - Math.sqrt(a) / 2)).toBeLessThan(1e-15);
      // log(1+e^x) = x/2 + log(2 cosh(x/2)): b_0 = E[log cosh(x/2)] > 0 and < E[x^2/8] = a/8.
      expect(h.coefficients[0]!).toBeGreaterThan(0);
      expect(h.coefficients[0]!).toBeLessThan(a / 8);
    }
  });
  it('conventions convert by powers of a and round-trip', () => {
    const h = hermiteCoefficients('tanh', 2.5, { rmax: 8, convention: 'orthonormal' });
    const ex = convertCoefficients(h.coefficients, 2.5, 'orthonormal', 'expand');
    const w = convertCoefficients(ex, 2.5, 'expand', 'weighted');
    for (let r = 0; r <= 8; r++) {
      expect(ex[r]).toBeCloseTo(h.coefficients[r]! * 2.5 ** (r / 2), 15);
      expect(w[r]).toBeCloseTo(h.coefficients[r]! * 2.5 ** (-r / 2), 15);
    }
  });
  it('Gauss-Hermite: exact for polynomials, and its documented error for tanh at a = 2.5', () => {
    const poly = gaussExpectation((x) => x ** 6, 2, { method: 'gauss-hermite', nodes: 8 });
    expect(Math.abs(poly - 15 * 8)).toBeLessThan(1e-12);
    const ref = fx.activations.tanh.by_a['2.5'].E_phi2 as number;
    const e64 = Math.abs(gaussExpectation((x) => Math.tanh(x) ** 2, 2.5, { method: 'gauss-hermite', nodes: 64 }) - ref);
    const e128 = Math.abs(gaussExpectation((x) => Math.tanh(x) ** 2, 2.5, { method: 'gauss-hermite', nodes: 128 }) - ref);
    const trap = Math.abs(gaussExpectation((x) => Math.tanh(x) ** 2, 2.5) - ref);
    expect(e64).toBeGreaterThan(1e-8);
    expect(e128).toBeLessThan(e64);
    expect(trap).toBeLessThan(1e-15);
    console.log(`Gauss-Hermite error of E[tanh^2] at a = 2.5: 64 nodes ${e64.toExponential(2)}, 128 nodes ${e128.toExponential(2)}; trapezoid ${trap.toExponential(2)}`);
  });
  it('rejects bad input with a clear NtkInputError', () => {
    expect(() => hermiteCoefficients('swish', 1)).toThrow(/activation/);
    expect(() => hermiteCoefficients('tanh', -1)).toThrow(/^a:/);
    expect(() => hermiteCoefficients('tanh', 1, { rmax: 2.5 })).toThrow(/rmax/);
    expect(() => hermiteCoefficients('tanh', 1, { convention: 'literal' as 'expand' })).toThrow(/convention/);
    expect(() => hermiteCoefficients((x) => (x > 3 ? NaN : x), 1)).toThrow(/phi/);
    expect(() => hermite(-1, 1, 0)).toThrow(/r/);
    expect(() => cPhi('tanh', 0)).toThrow(/sigma0/);
  });
});
