// The tridiagonal reduction with its opt-in stage split (the reduction driven panel by panel
// from JS) at n = 900: on every backend an orthogonal similarity (trace and Frobenius norm
// kept), the same d and |e| as the js reduction, and eigenvalues equal to the js backend's.
// Then at n = 2100, above the wasm backend's split point of each column's symmetric product
// (2048), so the first panels run column by column with the products split over 2 threads:
// the same identities, and the eigenvalues of the one-thread build (itself held to js above).
import { describe, expect, it } from 'vitest';
import { eigvalsh } from '../src/linalg/index.js';
import type { EigStages } from '../src/backend/types.js';
import { backendCases, jsCase, relaxed2Case, relaxedCase, wasm2Case, wasmCase } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';

const n = 900;
const g = randomArray(n * n, 23);
const A = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = g[i * n + j]!;
const trace = Array.from({ length: n }, (_, i) => A[i * n + i]!).reduce((s, x) => s + x, 0);
const frob2 = A.reduce((s, x) => s + x * x, 0);
const frob = Math.sqrt(frob2);

let jsRef: { d: Float64Array; e: Float64Array; w: Float64Array } | undefined;
async function reference() {
  if (!jsRef) {
    const js = await jsCase.get();
    const d = new Float64Array(n), e = new Float64Array(n);
    js.symTridiagonal(n, A.slice(), d, e);
    jsRef = { d, e, w: eigvalsh({ rows: n, cols: n, data: A }, { backend: js }) };
  }
  return jsRef;
}

describe.each(backendCases)('tridiagonal reduction at n = 900: $name', ({ get }) => {
  it('is an orthogonal similarity with the js reduction\'s d and |e|', async () => {
    const be = await get();
    const d = new Float64Array(n), e = new Float64Array(n);
    be.symTridiagonal(n, A.slice(), d, e);
    const td = d.reduce((s, x) => s + x, 0);
    const f2 = d.reduce((s, x) => s + x * x, 0) + 2 * e.reduce((s, x) => s + x * x, 0);
    expect(Math.abs(td - trace)).toBeLessThan(1e-12 * n * frob);
    expect(Math.abs(f2 - frob2)).toBeLessThan(1e-12 * n * frob2);
    const ref = await reference();
    for (let i = 0; i < n; i++) {
      expect(Math.abs(d[i]! - ref.d[i]!)).toBeLessThan(1e-10 * frob);
      expect(Math.abs(Math.abs(e[i]!) - Math.abs(ref.e[i]!))).toBeLessThan(1e-10 * frob);
    }
  });

  it('gives the js eigenvalues, also with the reduction\'s stages timed apart', async () => {
    const be = await get();
    const ref = await reference();
    const stages: EigStages = { reductionPanel: 0, reductionUpdate: 0 };
    for (const w of [eigvalsh({ rows: n, cols: n, data: A }, { backend: be }), eigvalsh({ rows: n, cols: n, data: A }, { backend: be, stages })]) {
      let err = 0;
      for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(w[i]! - ref.w[i]!));
      expect(err).toBeLessThan(1e-12 * n * frob);
    }
    if (stages.tridiagonalize !== undefined) {
      // The sub-stages are parts of the reduction's time.
      expect(stages.reductionPanel! + stages.reductionUpdate!).toBeLessThanOrEqual(stages.tridiagonalize * (1 + 1e-9));
    }
  });
});

describe.each([[wasmCase, wasm2Case], [relaxedCase, relaxed2Case]])('products split over threads at n = 2100', (oneCase, twoCase) => {
  const N = 2100;
  const gN = randomArray(N * N, 29);
  const B = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j <= i; j++) B[i * N + j] = B[j * N + i] = gN[i * N + j]!;
  const trB = Array.from({ length: N }, (_, i) => B[i * N + i]!).reduce((s, x) => s + x, 0);
  const f2B = B.reduce((s, x) => s + x * x, 0);
  it(`${twoCase.name}: an orthogonal similarity with ${oneCase.name}'s eigenvalues`, async () => {
    const two = await twoCase.get(), one = await oneCase.get();
    const d = new Float64Array(N), e = new Float64Array(N);
    two.symTridiagonal(N, B.slice(), d, e);
    const td = d.reduce((s, x) => s + x, 0);
    const f2 = d.reduce((s, x) => s + x * x, 0) + 2 * e.reduce((s, x) => s + x * x, 0);
    expect(Math.abs(td - trB)).toBeLessThan(1e-12 * N * Math.sqrt(f2B));
    expect(Math.abs(f2 - f2B)).toBeLessThan(1e-12 * N * f2B);
    const K = { rows: N, cols: N, data: B };
    const w2 = eigvalsh(K, { backend: two }), w1 = eigvalsh(K, { backend: one });
    let err = 0;
    for (let i = 0; i < N; i++) err = Math.max(err, Math.abs(w2[i]! - w1[i]!));
    expect(err).toBeLessThan(1e-12 * N * Math.sqrt(f2B));
  });
});
