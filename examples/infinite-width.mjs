// Empirical NTK against its infinite-width limit: as the width m grows (data fixed), K
// approaches Theta, the infinite-width NTK of the same network (docs/conventions.md's recursion),
// and lambda_min(K) approaches lambda_min(Theta). The relative distance falls like 1/sqrt(m).
//
//   npm run build && node examples/infinite-width.mjs [activation] [n] [widths] [seeds]
//   node examples/infinite-width.mjs tanh 100 50,200,800,3200 2      # the defaults
import { createNetwork, empiricalNtk, gaussianData, getActivation, infiniteWidth, init, lambdaMin, relativeFrobenius } from 'ntk-wasm';

const activation = getActivation(process.argv[2] ?? 'tanh'); // an unknown name throws NtkInputError
const n = Number(process.argv[3] ?? 100);
const widths = (process.argv[4] ?? '50,200,800,3200').split(',').map(Number);
const seeds = Number(process.argv[5] ?? 2);
const d = 100, depth = 2;

const { note, backend } = await init();
const X = gaussianData({ n, d, seed: 0 });
// nu0^2 = sigma0^2 / c_{phi,sigma0} with sigma0 = 1, as createNetwork draws the weights.
const { nu0sq } = createNetwork({ d, widths: [1], activation, sigma0: 1 });
const inf = infiniteWidth(X, { depth, activation, nu0sq, sv2: 1 }); // Theta and the NNGP, ~1e-12 accurate
console.log(`${note}; ${activation.name}, n = ${n}, d = ${d}, L = ${depth}, nu0^2 = ${nu0sq}`);
console.log(`lambda_min(Theta) = ${inf.lambdaMin}`);
console.log('width m   ||K - Theta||_F / ||Theta||_F   lambda_min(K)   (mean over seeds)');
for (const m of widths) {
  let dist = 0, lmin = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const { K } = empiricalNtk(createNetwork({ d, widths: [m, m], activation, sigma0: 1, seed }), X);
    dist += relativeFrobenius(K, inf.Theta) / seeds;
    lmin += lambdaMin(K).value / seeds;
  }
  console.log(`${String(m).padStart(7)}   ${dist.toExponential(4).padStart(29)}   ${lmin.toExponential(6)}`);
}
await backend.dispose();
