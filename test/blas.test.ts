import { describe, expect, it } from 'vitest';
import { backendCases } from './helpers/backends.js';
import { naiveGemm, randomArray, relErr } from './helpers/reference.js';

describe.each(backendCases)('BLAS-3 kernels on $name', ({ get }) => {
  const shapes = [[1, 1, 1], [2, 3, 5], [17, 5, 63], [65, 33, 17], [64, 64, 64], [3, 70, 9]];
  for (const [m, n, k] of shapes) {
    for (const tA of [false, true]) for (const tB of [false, true]) {
      it(`gemm ${m}x${n}x${k} transA=${tA} transB=${tB} matches the naive triple loop`, async () => {
        const be = await get();
        const a = randomArray(m! * k!, 1), b = randomArray(k! * n!, 2), c0 = randomArray(m! * n!, 3);
        const c = c0.slice();
        be.gemm(tA, tB, m!, n!, k!, 0.7, a, b, -1.3, c);
        const ref = naiveGemm(tA, tB, m!, n!, k!, 0.7, a, b, -1.3, c0);
        expect(relErr(c, ref)).toBeLessThan(1e-13);
      });
    }
  }
  it('syrk equals gemm(A, A^T) and is exactly symmetric', async () => {
    const be = await get();
    const n = 37, k = 19;
    const a = randomArray(n * k, 4);
    const c = new Float64Array(n * n);
    be.syrk(n, k, 2, a, 0, c);
    const ref = naiveGemm(false, true, n, n, k, 2, a, a, 0, new Float64Array(n * n));
    expect(relErr(c, ref)).toBeLessThan(1e-13);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(c[i * n + j]).toBe(c[j * n + i]);
  });
  it('gramHadamardAcc adds alpha (A A^T) o (B B^T)', async () => {
    const be = await get();
    const n = 23, ka = 7, kb = 11;
    const a = randomArray(n * ka, 5), b = randomArray(n * kb, 6), k0 = randomArray(n * n, 7);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) k0[j * n + i] = k0[i * n + j]!;
    const k = k0.slice();
    be.gramHadamardAcc(n, ka, a, kb, b, 0.5, k);
    const ga = naiveGemm(false, true, n, n, ka, 1, a, a, 0, new Float64Array(n * n));
    const gb = naiveGemm(false, true, n, n, kb, 1, b, b, 0, new Float64Array(n * n));
    const ref = k0.map((v, i) => v + 0.5 * ga[i]! * gb[i]!);
    expect(relErr(k, ref)).toBeLessThan(1e-13);
  });
});
