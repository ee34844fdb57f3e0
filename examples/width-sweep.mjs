// A small width sweep: lambda_min of the empirical NTK as the hidden width m grows, on the same
// data for every width and weight seed (the paper's Section 6 ties n = m; here n is fixed).
//
//   npm run build && node examples/width-sweep.mjs [n] [widths] [seeds] [activation]
//   node examples/width-sweep.mjs 200 100,200,400,800 3 tanh      # the defaults
//
// The command-line version, with resume, plots and a report: `ntk sweep --vary width` and
// `ntk figure1`.
import { createNetwork, empiricalNtk, gaussianData, getActivation, init, lambdaMin } from 'ntk-wasm';

const n = Number(process.argv[2] ?? 200);
const widths = (process.argv[3] ?? '100,200,400,800').split(',').map(Number);
const seeds = Number(process.argv[4] ?? 3);
const activation = getActivation(process.argv[5] ?? 'tanh'); // an unknown name throws NtkInputError
const d = 100;

const { note, backend } = await init();
console.log(`${note}; n = ${n}, d = ${d}, L = 2, ${activation.name}, sigma0 = 1, ${seeds} seeds`);
const X = gaussianData({ n, d, seed: 0 }); // one data set for the whole sweep

console.log('width m   lambda_min mean   std');
for (const m of widths) {
  const values = [];
  for (let seed = 0; seed < seeds; seed++) {
    const net = createNetwork({ d, widths: [m, m], activation, sigma0: 1, seed });
    values.push(lambdaMin(empiricalNtk(net, X).K).value);
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  console.log(`${String(m).padStart(7)}   ${mean.toExponential(6).padStart(15)}   ${std.toExponential(2)}`);
}
await backend.dispose();
