// Specs of the activation kernel (assembly/activation.ts) and the special functions
// (assembly/special.ts): hand-checkable values, identities, NaN and infinities, aliasing and
// skipped outputs, and, on every length that exercises the f64x2 pairs and the scalar tail,
// the vector path against the scalar one element at a time (in the scalar build both are the
// scalar code, so there the spec checks the tail logic).
import { activation } from '../activation';
import { ACT_ERF, ACT_GELU, ACT_RELU, ACT_SIGMOID, ACT_SIN, ACT_SOFTPLUS, ACT_TANH } from '../activation-ids';
import { erf, erfc, normalCdf } from '../special';
import { at, buf, fillRandom, resetBuffers } from './setup/blas';

const IDS: StaticArray<i32> = [ACT_TANH, ACT_SIGMOID, ACT_ERF, ACT_GELU, ACT_SOFTPLUS, ACT_SIN, ACT_RELU];
const LENGTHS: StaticArray<i32> = [1, 2, 3, 5, 17, 63, 65];

function set(p: usize, vals: StaticArray<f64>): void {
  for (let i = 0; i < vals.length; i++) store<f64>(p + (<usize>i << 3), vals[i]);
}

function rel(a: f64, b: f64): f64 {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

// phi and phi' of one element, through the kernel with n = 1 (the scalar tail).
let one: usize = 0;
function single(id: i32, v: f64, deriv: bool): f64 {
  if (one == 0) one = heap.alloc(32);
  store<f64>(one, v);
  activation(id, one, one + 8, one + 16, 1);
  return load<f64>(one + (deriv ? 16 : 8));
}

describe('activation kernel', () => {
  afterEach(() => { resetBuffers(); });

  it('has the hand-checkable values at 0', () => {
    const x = buf(2), f = buf(2), d = buf(2);
    for (let k = 0; k < IDS.length; k++) {
      activation(IDS[k], x, f, d, 2);
      const f0 = at(f, 0), d0 = at(d, 0);
      if (IDS[k] == ACT_TANH) { expect(f0).toBe(0); expect(d0).toBe(1); }
      if (IDS[k] == ACT_SIGMOID) { expect(f0).toBe(0.5); expect(d0).toBe(0.25); }
      if (IDS[k] == ACT_ERF) { expect(f0).toBe(0); expect(d0).toBe(1.1283791670955126); }
      if (IDS[k] == ACT_GELU) { expect(f0).toBe(0); expect(d0).toBe(0.5); }
      if (IDS[k] == ACT_SOFTPLUS) { expect(f0).toBe(0); expect(d0).toBe(0.5); }
      if (IDS[k] == ACT_SIN) { expect(f0).toBe(0); expect(d0).toBe(1); }
      if (IDS[k] == ACT_RELU) { expect(f0).toBe(0); expect(d0).toBe(0); } // phi'(0) = 0 by convention
      expect(at(f, 1)).toBe(f0);
    }
  });

  it('matches known values of erf and GELU on the vector path', () => {
    const x = buf(4), f = buf(4);
    set(x, [0.5, 1, 2, -3]);
    activation(ACT_ERF, x, f, 0, 4);
    expect(rel(at(f, 0), 0.5204998778130465)).toBeLessThanOrEqual(2.3e-16);
    expect(rel(at(f, 1), 0.8427007929497149)).toBeLessThanOrEqual(2.3e-16);
    expect(rel(at(f, 2), 0.9953222650189527)).toBeLessThanOrEqual(2.3e-16);
    activation(ACT_GELU, x, f, 0, 4);
    expect(rel(at(f, 1), 0.8413447460685429)).toBeLessThanOrEqual(2.3e-16);
    expect(rel(at(f, 3), -3 * 0.0013498980316300946)).toBeLessThanOrEqual(4.5e-16);
  });

  it('computes pairs as the scalar tail does, on every length', () => {
    let worst: f64 = 0;
    for (let li = 0; li < LENGTHS.length; li++) {
      const n = LENGTHS[li];
      const x = buf(n), f = buf(n), d = buf(n);
      fillRandom(x, n, 17 + n);
      for (let i = 0; i < n; i++) store<f64>(x + (<usize>i << 3), at(x, i) * 6);
      for (let k = 0; k < IDS.length; k++) {
        activation(IDS[k], x, f, d, n);
        for (let i = 0; i < n; i++) {
          const v = at(x, i);
          worst = Math.max(worst, rel(at(f, i), single(IDS[k], v, false)));
          // GELU' has a zero near -0.75 and sin/cos have zeros: absolute there (values are O(1)).
          worst = Math.max(worst, Math.abs(at(d, i) - single(IDS[k], v, true)) / Math.max(Math.abs(at(d, i)), 1));
        }
      }
      resetBuffers();
    }
    expect(worst).toBeLessThanOrEqual(1e-15);
  });

  it('satisfies tanh\' = 1 - tanh^2, sigma\' = sigma(1 - sigma), sin^2 + cos^2 = 1', () => {
    const n = 64;
    const x = buf(n), f = buf(n), d = buf(n);
    fillRandom(x, n, 5);
    let worst: f64 = 0;
    activation(ACT_TANH, x, f, d, n);
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(at(d, i) - (1 - at(f, i) * at(f, i))));
    activation(ACT_SIGMOID, x, f, d, n);
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(at(d, i) - at(f, i) * (1 - at(f, i))));
    activation(ACT_SIN, x, f, d, n);
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(at(f, i) * at(f, i) + at(d, i) * at(d, i) - 1));
    expect(worst).toBeLessThanOrEqual(1e-15);
  });

  it('propagates NaN and reaches the limits at +-Infinity, in pairs and in the tail', () => {
    const x = buf(5), f = buf(5), d = buf(5);
    set(x, [NaN, Infinity, -Infinity, NaN, Infinity]);
    for (let k = 0; k < IDS.length; k++) {
      activation(IDS[k], x, f, d, 5);
      expect(at(f, 0)).toBeNaN(); expect(at(d, 0)).toBeNaN();
      expect(at(f, 3)).toBeNaN(); expect(at(d, 3)).toBeNaN();
      if (IDS[k] == ACT_SIN) { expect(at(f, 1)).toBeNaN(); continue; }
      expect(at(f, 1)).toBe(at(f, 4));
      expect(at(d, 1)).toBe(at(d, 4));
      if (IDS[k] == ACT_TANH || IDS[k] == ACT_ERF) { expect(at(f, 1)).toBe(1); expect(at(f, 2)).toBe(-1); }
      if (IDS[k] == ACT_SIGMOID) { expect(at(f, 1)).toBe(1); expect(at(f, 2)).toBe(0); }
      if (IDS[k] == ACT_GELU || IDS[k] == ACT_SOFTPLUS || IDS[k] == ACT_RELU) { expect(at(f, 1)).toBe(Infinity); expect(at(d, 1)).toBe(1); }
      if (IDS[k] == ACT_SOFTPLUS) expect(at(f, 2)).toBe(-0.6931471805599453);
      if (IDS[k] == ACT_RELU) expect(at(f, 2)).toBe(0);
      if (IDS[k] != ACT_GELU && IDS[k] != ACT_SOFTPLUS && IDS[k] != ACT_RELU) expect(at(d, 1)).toBe(0);
      expect(at(d, 2) == 0).toBe(true);
    }
  });

  it('writes phi over x, skips a null output, and leaves the rest of memory alone', () => {
    const n = 7;
    const x = buf(n + 1), f = buf(n + 1), d = buf(n + 1), keep = buf(n);
    fillRandom(x, n, 9);
    memory.copy(keep, x, <usize>n << 3);
    store<f64>(f + (<usize>n << 3), 42);
    store<f64>(d + (<usize>n << 3), 43);
    activation(ACT_GELU, x, f, d, n);
    expect(at(f, n)).toBe(42);
    expect(at(d, n)).toBe(43);
    const d2 = buf(n);
    activation(ACT_GELU, x, x, d2, n);
    for (let i = 0; i < n; i++) { expect(at(x, i)).toBe(at(f, i)); expect(at(d2, i)).toBe(at(d, i)); }
    memory.copy(x, keep, <usize>n << 3);
    const f3 = buf(n);
    fillRandom(f3, n, 10);
    const before = at(f3, 3);
    activation(ACT_TANH, x, 0, f3, n);
    expect(at(f3, 3) != before).toBe(true);
    const f4 = buf(n), d4 = buf(n);
    activation(ACT_TANH, x, f4, d4, n);
    for (let i = 0; i < n; i++) expect(at(f3, i)).toBe(at(d4, i));
    activation(ACT_TANH, x, f3, 0, n);
    for (let i = 0; i < n; i++) expect(at(f3, i)).toBe(at(f4, i));
  });

  it('writes NaN for an unknown id rather than trapping', () => {
    const x = buf(3), f = buf(3), d = buf(3);
    activation(99, x, f, d, 3);
    expect(at(f, 2)).toBeNaN();
    expect(at(d, 0)).toBeNaN();
  });
});

describe('special functions', () => {
  it('erf, erfc and Phi at known values', () => {
    expect(rel(erf(0.5), 0.5204998778130465)).toBeLessThanOrEqual(2.3e-16);
    expect(rel(erf(-1), -0.8427007929497149)).toBeLessThanOrEqual(2.3e-16);
    expect(rel(erfc(10), 2.088487583762545e-45)).toBeLessThanOrEqual(8e-16);
    expect(rel(erfc(26), 5.663192408856143e-296)).toBeLessThanOrEqual(8e-16);
    expect(rel(normalCdf(-3), 0.0013498980316300946)).toBeLessThanOrEqual(4.5e-16);
    expect(erf(Infinity)).toBe(1);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(NaN)).toBeNaN();
    expect(normalCdf(-40)).toBe(0);
  });
});
