// The tridiagonal reductions for eigenvalues, on every backend. One stage (below
// TWO_STAGE_MIN), with its opt-in stage split (the reduction driven panel by panel from JS), at
// n = 900; two stages (through a band matrix) at an order whose last band panel is 2 rows
// short of the band. Each is an orthogonal similarity (trace and Frobenius norm kept), with
// the same d and |e| as the js backend's reduction and the eigenvalues of an independent
// route (js: the one-stage reduction, or for two stages eigh's one-stage reduction and divide
// and conquer). The js twin of the two-stage kernels at the small orders and band widths that
// reach their edge cases (the assembly specs check the wasm kernels at the same ones). And
// eigh at an order where the wasm backend on 2 threads splits each panel column's symmetric
// product between the threads (order >= 1024, first panels): LAPACK's residual and
// orthogonality ratios, and the eigenvalues of the 1-thread build.
import { describe, expect, it } from 'vitest';
import { eigh, eigvalsh } from '../src/linalg/index.js';
import { BAND_WIDTH, TWO_STAGE_MIN } from '../src/backend/common/eig-layout.js';
import { tql } from '../src/backend/common/tql.js';
import { sb2st, sy2sb } from '../src/backend/js/band.js';
import { sytrd } from '../src/backend/js/tridiag.js';
import type { Backend, EigStages } from '../src/backend/types.js';
import { eighAccuracy } from '../src/linalg/accuracy.js';
import { backendCases, jsCase, relaxed2Case, relaxedCase, wasm2Case, wasmCase } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

/** A random symmetric n x n matrix with its trace and Frobenius norm. */
function symmetric(n: number, seed: number) {
  const g = randomArray(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = g[i * n + j]!;
  const trace = Array.from({ length: n }, (_, i) => a[i * n + i]!).reduce((s, x) => s + x, 0);
  const frob2 = a.reduce((s, x) => s + x * x, 0);
  return { n, a, trace, frob2, frob: Math.sqrt(frob2) };
}

/** The backend's (d, e) after checking that they keep the trace and the Frobenius norm. */
function reduceChecked(be: Backend, m: ReturnType<typeof symmetric>) {
  const { n } = m;
  const d = new Float64Array(n), e = new Float64Array(n);
  be.symTridiagonal(n, m.a.slice(), d, e);
  const td = d.reduce((s, x) => s + x, 0);
  const f2 = d.reduce((s, x) => s + x * x, 0) + 2 * e.reduce((s, x) => s + x * x, 0);
  expect(Math.abs(td - m.trace)).toBeLessThan(1e-12 * n * m.frob);
  expect(Math.abs(f2 - m.frob2)).toBeLessThan(1e-12 * n * m.frob2);
  return { d, e };
}

function maxDiff(x: Float64Array, y: Float64Array): number {
  let err = 0;
  for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(x[i]! - y[i]!));
  return err;
}

const small = symmetric(900, 23);
let jsRef: { d: Float64Array; e: Float64Array; w: Float64Array } | undefined;
async function reference() {
  if (!jsRef) {
    const js = await jsCase.get();
    jsRef = { ...reduceChecked(js, small), w: eigvalsh({ rows: small.n, cols: small.n, data: small.a }, { backend: js }) };
  }
  return jsRef;
}

describe.each(backendCases)('tridiagonal reduction at n = 900: $name', ({ get }) => {
  it('is an orthogonal similarity with the js reduction\'s d and |e|', async () => {
    const { d, e } = reduceChecked(await get(), small);
    const ref = await reference();
    for (let i = 0; i < small.n; i++) {
      expect(Math.abs(d[i]! - ref.d[i]!)).toBeLessThan(1e-10 * small.frob);
      expect(Math.abs(Math.abs(e[i]!) - Math.abs(ref.e[i]!))).toBeLessThan(1e-10 * small.frob);
    }
  });

  it('gives the js eigenvalues, also with the reduction\'s stages timed apart', async () => {
    const be = await get();
    const ref = await reference();
    const K = { rows: small.n, cols: small.n, data: small.a };
    const stages: EigStages = { reductionPanel: 0, reductionUpdate: 0 };
    for (const w of [eigvalsh(K, { backend: be }), eigvalsh(K, { backend: be, stages })]) {
      expect(maxDiff(w, ref.w)).toBeLessThan(1e-12 * small.n * small.frob);
    }
    if (stages.tridiagonalize !== undefined) {
      // The sub-stages are parts of the reduction's time.
      expect(stages.reductionPanel! + stages.reductionUpdate!).toBeLessThanOrEqual(stages.tridiagonalize * (1 + 1e-9));
    }
  });
});

// Smallest order >= TWO_STAGE_MIN whose last band panel has 2 rows fewer than the band.
const nTwo = TWO_STAGE_MIN + ((((2 + BAND_WIDTH - TWO_STAGE_MIN) % BAND_WIDTH) + BAND_WIDTH) % BAND_WIDTH);
const big = symmetric(nTwo, 29);
let jsTwo: { d: Float64Array; e: Float64Array; w: Float64Array } | undefined;
async function referenceTwo() {
  if (!jsTwo) {
    const js = await jsCase.get();
    jsTwo = { ...reduceChecked(js, big), w: eigh({ rows: big.n, cols: big.n, data: big.a }, { backend: js }).values };
  }
  return jsTwo;
}

describe.each(backendCases)(`two-stage reduction at n = ${nTwo}: $name`, ({ get }) => {
  it('is an orthogonal similarity with the js reduction\'s d and |e| and eigh\'s eigenvalues', async () => {
    expect((nTwo - BAND_WIDTH) % BAND_WIDTH).toBe(2);
    const be = await get();
    const { d, e } = reduceChecked(be, big);
    const ref = await referenceTwo();
    for (let i = 0; i < big.n; i++) {
      expect(Math.abs(d[i]! - ref.d[i]!)).toBeLessThan(1e-10 * big.frob);
      expect(Math.abs(Math.abs(e[i]!) - Math.abs(ref.e[i]!))).toBeLessThan(1e-10 * big.frob);
    }
    const stages: EigStages = {};
    const w = eigvalsh({ rows: big.n, cols: big.n, data: big.a }, { backend: be, stages });
    expect(maxDiff(w, ref.w)).toBeLessThan(1e-12 * big.n * big.frob);
    if (stages.tridiagonalize !== undefined) {
      expect(stages.band! + stages.bulge!).toBeLessThanOrEqual(stages.tridiagonalize * (1 + 1e-9));
    }
  });
});

describe('two-stage kernels (js twin) at small orders', () => {
  it('reduce to a band, then to a tridiagonal matrix with the one-stage eigenvalues', () => {
    // (n - nb) mod nb: 0, 1, 2 and nb - 1; one panel; n < 2 nb; n <= nb + 1 (nothing to do).
    const cases = [[40, 5], [41, 5], [37, 5], [39, 5], [64, 8], [97, 32], [130, 32], [162, 32], [50, 32], [33, 32], [3, 2], [2, 1]] as const;
    for (const [n, nb] of cases) {
      const m = symmetric(n, n + nb);
      const a = m.a.slice();
      sy2sb(n, a, 0, n, nb);
      for (let j = 0; j < n; j++) for (let i = j + nb + 1; i < n; i++) expect(a[i + j * n]).toBe(0);
      const d = new Float64Array(n), e = new Float64Array(n);
      sb2st(n, a, 0, n, nb, d, e);
      e[n - 1] = 0;
      const f2 = d.reduce((s, x) => s + x * x, 0) + 2 * e.reduce((s, x) => s + x * x, 0);
      expect(Math.abs(d.reduce((s, x) => s + x, 0) - m.trace)).toBeLessThan(1e-13 * n * m.frob);
      expect(Math.abs(f2 - m.frob2)).toBeLessThan(1e-13 * n * m.frob2);
      const d1 = new Float64Array(n), e1 = new Float64Array(n);
      sytrd(n, m.a.slice(), 0, n, d1, e1, new Float64Array(n), new Float64Array(3 * n * 8), 8);
      expect(tql(n, d, e, null, 0, 0)).toBe(0);
      expect(tql(n, d1, e1, null, 0, 0)).toBe(0);
      d.sort();
      d1.sort();
      expect(maxDiff(d, d1)).toBeLessThan(1e-14 * m.frob);
    }
  });
});

describe.each([[wasmCase, wasm2Case], [relaxedCase, relaxed2Case]])('eigh with products split over 2 threads at n = 1100', (oneCase, twoCase) => {
  it(`${twoCase.name}: LAPACK's accuracy ratios and ${oneCase.name}'s eigenvalues`, async () => {
    const m = symmetric(1100, 31);
    const K = { rows: m.n, cols: m.n, data: m.a };
    const two = await twoCase.get(), one = await oneCase.get();
    const e = eigh(K, { backend: two });
    const acc = eighAccuracy(K, e.values, e.vectors, two);
    expect(acc.residual).toBeLessThan(30);
    expect(acc.orthogonality).toBeLessThan(30);
    expect(maxDiff(e.values, eigh(K, { backend: one }).values)).toBeLessThan(1e-12 * m.n * m.frob);
  });
});
