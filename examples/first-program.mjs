// The README's first program, verbatim (test/examples.test.ts keeps the two equal):
// a network at initialization, its empirical NTK K, lambda_min(K), lambda_1 of Theorem 4.1 and
// the infinite-width value for the same data.   npm run build && node examples/first-program.mjs
import { init, createNetwork, gaussianData, empiricalNtk, lambdaMin, lambda1, infiniteWidth } from 'ntk-wasm';

const { note } = await init();                       // wasm SIMD on all cores, or js (note says why)
const X = gaussianData({ n: 500, d: 100, seed: 1 }); // x ~ N(0, I_100), rows are samples
const net = createNetwork({ d: 100, widths: [500, 500], activation: 'tanh', sigma0: 1, seed: 7 });
const { K } = empiricalNtk(net, X);                  // 500 x 500, layerwise formula
const lmin = lambdaMin(K);                           // { value, method, errorBound, converged }
const l1 = lambda1(X, 'tanh', net.nu0sq);            // lambda_1 of Theorem 4.1
const inf = infiniteWidth(X, { depth: 2, activation: 'tanh', nu0sq: net.nu0sq, sv2: 1 });
console.log(note, lmin.value, l1, inf.lambdaMin);
