// The tridiagonal reduction with its opt-in stage split (the reduction driven panel by panel
// from JS) at n = 900: on every backend an orthogonal similarity (trace and Frobenius norm
// kept), the same d and |e| as the js reduction, and eigenvalues equal to the js backend's.
import { describe, expect, it } from 'vitest';
import { eigvalsh } from '../src/linalg/index.js';
import type { Backend, EigStages } from '../src/backend/types.js';
import { backendCases, jsCase } from './helpers/backends.js';
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
