// lambdaMin's route on the NTKs of every activation and on a dense bottom of the spectrum,
// per order and thread count: what the cost model (src/linalg/lambda-min-plan.ts) decided,
// the Lanczos solves, and the route's total in model seconds over the tridiagonal route's
// (what was spent, plus the tridiagonal route when it was left for it). Model seconds are
// nominal kernel rates, so this table is the same on a loaded machine as on a quiet one: it
// shows the planner's decisions, not the clock (bench/suites/lambda-min.mjs times them).
//
//   npm run build && node --no-wasm-dynamic-tiering bench/lambda-min-routes.mjs 1000,2000,3000 [threads: 1,2]
//
// Matrices (bench/suites/lambda-min.mjs's): the infinite-width NTK (L = 2, Gaussian data,
// d = 100, seed 2) of each activation, and G G^T / n + 0.1 I (G square Gaussian: a
// Marchenko-Pastur hard edge shifted by 0.1, whose bottom Lanczos cannot resolve; the
// tridiagonal route must win there). A total below 1 is a
// route that beat the tridiagonal one; the dense bottom's total above 1 is what lambdaMin pays
// for having looked (the factorization and the probe's solves).
import { fromDist } from './lib.mjs';
import { matrix } from './suites/lambda-min.mjs';

const sizes = (process.argv[2] ?? '1000,2000').split(',').map(Number);
const threads = (process.argv[3] ?? '1,2').split(',').map(Number);
const { createWasmBackend } = await fromDist('backend/wasm/index.js');
const { lambdaMin } = await fromDist('linalg/index.js');
const { activations } = await fromDist('index.js');
// The bench's own matrices (bench/suites/lambda-min.mjs): the NTK of every activation, the dense bottom.
const shapes = [...Object.keys(activations).map((a) => `ntk-${a}`), 'dense-low'];

console.log('| n | threads | matrix | route | decision | solves | model total / tridiagonal route |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const t of threads) {
  const be = await createWasmBackend({ threads: t });
  for (const n of sizes) {
    for (const shape of shapes) {
      const r = lambdaMin(await matrix(shape, n, be), { backend: be });
      const c = r.cost;
      const total = c ? (c.spent + (r.method === 'tridiagonal' ? c.tridiagonal : 0)) / c.tridiagonal : NaN;
      console.log(`| ${n} | ${t} | ${shape} | ${r.method} | ${c?.decision ?? '–'} | ${r.iterations ?? '–'} | ${total.toFixed(3)} |`);
    }
  }
  await be.dispose();
}
