// Measures the stage rates behind lambdaMin's cost model (src/linalg/lambda-min-plan.ts, RATES)
// on this machine, on 1 and 2 threads: the Cholesky factorization (n^3/3 multiply-adds), one
// Lanczos step on the backend's Krylov basis (solve + reorthogonalization against `steps`
// vectors, modelled as 2 n^2 flops), a bare solve, and eigvalsh (4n^3/3 flops: half at the
// factorization's rate, the rest at the memory-bound `symv` rate printed here). The model's
// rates are constants fitted to these numbers (the route is never chosen by a clock); re-run
// on a quiet machine to refit them:
//
//   npm run build && node --no-wasm-dynamic-tiering bench/lambda-min-rates.mjs 1000,2000,4000
//
// Matrix: G G^T / n + 0.1 I (any positive definite matrix gives the same rates).
import { fromDist, gaussian } from './lib.mjs';

const sizes = (process.argv[2] ?? '1000,2000').split(',').map(Number);
const STEPS = 64;
const { createWasmBackend } = await fromDist('backend/wasm/index.js');
const { eigvalsh } = await fromDist('linalg/index.js');
const backends = [['1T', await createWasmBackend({ threads: 1 })], ['2T', await createWasmBackend({ threads: 2 })]];
const median = (fn, reps = 3) => {
  fn();
  const a = [];
  for (let r = 0; r < reps; r++) { const t = performance.now(); fn(); a.push((performance.now() - t) / 1000); }
  return a.sort((x, y) => x - y)[reps >> 1];
};
for (const n of sizes) {
  const K = new Float64Array(n * n);
  backends[1][1].syrk(n, n, 1 / n, gaussian(n * n, 1000 + n), 0, K);
  for (let i = 0; i < n; i++) K[i * n + i] += 0.1;
  const raw = Float64Array.from({ length: n }, (_, i) => 1 + Math.sin(i));
  const norm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0));
  const start = raw.map((x) => x / norm);
  const row = { n };
  for (const [name, be] of backends) {
    const factor = median(() => be.cholesky(n, K, 0, true, (f) => f.info));
    const lanczos = median(() => be.cholesky(n, K, 0, true, (f) => {
      const kb = f.krylov, ab = new Float64Array(2);
      kb.start(start);
      for (let k = 0, b = 0; k < STEPS; k++) { kb.step(k, b, ab); b = ab[1]; }
    }, STEPS));
    const solves = median(() => be.cholesky(n, K, 0, true, (f) => {
      const x = start.slice();
      for (let k = 0; k < STEPS; k++) f.solve(x);
    }));
    const ev = median(() => eigvalsh({ rows: n, cols: n, data: K }, { backend: be }), 1);
    const step = (lanczos - factor) / STEPS, solve = (solves - factor) / STEPS;
    const gemm = n ** 3 / 3 / factor;
    row[name] = {
      'factor s': +factor.toFixed(4), 'step ms': +(1e3 * step).toFixed(3), 'solve ms': +(1e3 * solve).toFixed(3), 'eigvalsh s': +ev.toFixed(3),
      'rate gemm': gemm.toPrecision(3), 'rate solve': (2 * n * n / step).toPrecision(3),
      'rate symv': ((2 * n ** 3 / 3) / Math.max(1e-9, ev - (2 * n ** 3 / 3) / gemm)).toPrecision(3),
    };
  }
  console.log(JSON.stringify(row));
}
for (const [, be] of backends) await be.dispose();
