// erf, erfc, the normal CDF and density (src/special.ts) against a BigInt reference computed
// here (test/helpers/bigfloat.ts: power series at 200+ bits), known values and identities; and
// the wasm twin's coefficient tables against the TypeScript ones.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uniformPoints } from './helpers/reference.js';
import { erf, erfc, expNegSquare, normalCdf, normalPdf } from '../src/special.js';
import * as B from './helpers/bigfloat.js';

const uniform = uniformPoints;

function worst(points: number[], f: (x: number) => number, ref: (x: B.BF) => B.BF): { err: number; at: number } {
  let err = 0, at = NaN;
  for (const x of points) {
    const e = B.relError(f(x), ref(B.bf(x)));
    if (e > err) { err = e; at = x; }
  }
  return { err, at };
}

const ULP1 = 2 ** -52; // one ulp of 1.0, 2.2e-16

// Far from zero the interval boundaries of the erfcx table (z = 0.5 * 2^(j/16) steps) and the
// erf/erfc switch points at 0.5, 1 and 6 are where a fit would show its seams: include them.
const SEAMS = [0.5, 0.53125, 1, 1.0625, 2, 4, 5.9, 6, 8, 16, 26].flatMap((z) => [z, z * (1 - 2 ** -52), z * (1 + 2 ** -52)]);

describe('erf', () => {
  it('matches known values', () => {
    expect(erf(0.5)).toBe(0.5204998778130465);
    expect(erf(1)).toBe(0.8427007929497149);
    expect(erf(2)).toBe(0.9953222650189527);
    expect(erf(-1)).toBe(-0.8427007929497149);
  });

  it('is within about 1 ulp of a 200-bit reference on [-6.5, 6.5] and near 0', () => {
    const pts = [...uniform(1500, -6.5, 6.5, 1), ...uniform(300, -1e-3, 1e-3, 2), 1e-300, -1e-300, 2.5e-308,
      1e-8, 0.99999, 1.00001, ...SEAMS.filter((z) => z < 7), ...SEAMS.filter((z) => z < 7).map((z) => -z)];
    const { err, at } = worst(pts, erf, (x) => B.erfPair(x).erf);
    expect(err, `worst at ${at}`).toBeLessThanOrEqual(ULP1);
  });

  it('is odd, exactly, and keeps the sign of zero', () => {
    for (const x of uniform(200, 0, 7, 3)) expect(erf(-x)).toBe(-erf(x));
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(Object.is(erf(0), 0)).toBe(true);
  });

  it('gives NaN for NaN and +-1 at +-Infinity', () => {
    expect(erf(NaN)).toBeNaN();
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(6)).toBe(1);
  });
});

describe('erfc', () => {
  it('is relatively accurate (a few ulps) from -6 to underflow', () => {
    const pts = [...uniform(400, -6, 6, 4), ...uniform(150, 6, 26.5, 5), ...SEAMS.filter((z) => z <= 26.5)];
    const { err, at } = worst(pts, erfc, (x) => B.erfPair(x).erfc);
    expect(err, `worst at ${at}`).toBeLessThanOrEqual(3 * ULP1);
  });

  it('matches known tail values and limits', () => {
    // erfc(10) = 2.088487583762545e-45, erfc(26) = 5.663192408856143e-296 (tabulated).
    expect(B.relError(erfc(10), B.bf(2.088487583762545e-45))).toBeLessThan(4 * ULP1);
    expect(B.relError(erfc(26), B.bf(5.663192408856143e-296))).toBeLessThan(4 * ULP1);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(30)).toBe(0);
    expect(erfc(NaN)).toBeNaN();
    expect(erfc(0)).toBe(1);
  });

  it('agrees with 1 - erf where that does not cancel', () => {
    for (const x of uniform(300, -6, 0.4, 6)) {
      expect(Math.abs(erfc(x) - (1 - erf(x)))).toBeLessThanOrEqual(2 * ULP1 * Math.max(1, erfc(x)));
    }
  });
});

describe('normal CDF and density', () => {
  it('Phi is relatively accurate down to x = -37.4 (where the GELU needs it)', () => {
    // Phi(-37.4) ~ 1e-307 is the last normal value; below, relative error means nothing.
    const pts = [...uniform(300, -8, 8, 7), ...uniform(60, -37.4, -8, 8), -0.7071067811865476, 0.7071067811865476];
    const { err, at } = worst(pts, normalCdf, (x) => B.normalCdf(x));
    expect(err, `worst at ${at}`).toBeLessThanOrEqual(3 * ULP1);
  });

  it('the density and e^{-x^2} are relatively accurate where x^2 is large', () => {
    // |x| <= 37.5 keeps the density above the subnormals (where relative error means nothing).
    const pts = [...uniform(300, -37.5, 37.5, 9), 0, 1e-300];
    let r = worst(pts, normalPdf, (x) => B.normalPdf(x));
    expect(r.err, `normalPdf worst at ${r.at}`).toBeLessThanOrEqual(3 * ULP1);
    r = worst(uniform(300, -26.5, 26.5, 10), (x) => expNegSquare(x), (x) => B.exp(B.neg(B.mul(x, x))));
    expect(r.err, `e^{-x^2} worst at ${r.at}`).toBeLessThanOrEqual(3 * ULP1);
  });

  it('Phi(x) + Phi(-x) = 1 and the limits hold', () => {
    for (const x of uniform(200, -8, 8, 11)) {
      expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThanOrEqual(2 * ULP1);
    }
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
    expect(normalPdf(Infinity)).toBe(0);
    expect(normalPdf(NaN)).toBeNaN();
    expect(normalPdf(0)).toBe(0.3989422804014327);
  });
});

describe('wasm twin (assembly/special.ts)', () => {
  // The kernels' own accuracy is tested through the activation kernel (test/activations.test.ts);
  // here: the two files carry the same coefficients, so they compute the same function.
  const numbers = (src: string, name: string): number[] => {
    const start = src.indexOf(name);
    expect(start, name).toBeGreaterThan(0);
    const open = src.indexOf('[', start), close = src.indexOf(']', open);
    return src.slice(open + 1, close).split(',').map((t) => t.trim()).filter((t) => t !== '').map(Number);
  };
  // A table stored as base64 float64 bytes (src/special.ts keeps its large table that way),
  // decoded here independently of the library's decoder.
  const tsNumbers = (src: string, name: string): number[] => {
    const start = src.indexOf(name);
    const call = src.indexOf('float64FromBase64(', start);
    if (call < 0 || call > src.indexOf(';', start)) return numbers(src, name);
    const b64 = [...src.slice(call, src.indexOf(');', call)).matchAll(/'([A-Za-z0-9+/=]*)'/g)].map((m) => m[1]).join('');
    const bytes = Buffer.from(b64, 'base64');
    return Array.from({ length: bytes.length / 8 }, (_, i) => bytes.readDoubleLE(8 * i));
  };
  const ts = readFileSync(resolve(process.cwd(), 'src/special.ts'), 'utf8');
  const as = readFileSync(resolve(process.cwd(), 'assembly/special.ts'), 'utf8');

  it('has the same erf and erfcx coefficients', () => {
    for (const name of ['const ERF_SMALL', 'const ERFCX']) {
      const a = tsNumbers(ts, name), b = numbers(as, name);
      expect(a.length).toBeGreaterThan(10);
      expect(b).toEqual(a);
    }
    expect(tsNumbers(ts, 'const ERFCX').length).toBe(96 * 10);
  });
});
