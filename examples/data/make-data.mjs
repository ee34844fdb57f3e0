// Writes the .npy files of examples/npy-weights.mjs: data X and the weights of a tanh network
// with 2 hidden layers, drawn with the paper's initialization (sigma0 = 1). They stand in for
// arrays written by numpy; numpy would make the same kind of files with
//
//   import numpy as np
//   rng = np.random.default_rng(0)
//   n, d, m, nu0sq = 40, 10, 64, 2.536175433217451  # nu0^2 = sigma0^2 / E[tanh(z)^2], z ~ N(0, 1)
//   np.save('X.npy', rng.standard_normal((n, d)))                  # rows are samples
//   np.save('W1.npy', rng.normal(0, np.sqrt(nu0sq), (m, d)))       # m_1 x d: rows = output units
//   np.save('W2.npy', rng.normal(0, np.sqrt(nu0sq), (m, m)))
//   np.save('v.npy', rng.standard_normal(m))
//
// (float64, C order: what np.save writes by default.) Run from the repo root after `npm run build`:
//   node examples/data/make-data.mjs
import { fileURLToPath } from 'node:url';
import { Rng, empiricalNtk, networkFromWeights, nu0sq } from 'ntk-wasm';
import { writeNpyFile } from 'ntk-wasm/node';

const file = (name) => fileURLToPath(new URL(name, import.meta.url));
const n = 40, d = 10, m = 64;
const nu0 = nu0sq('tanh', 1); // 2.5361...
const gaussian = (rows, cols, variance, stream) => ({ rows, cols, data: new Rng(0, stream).fillGaussian(new Float64Array(rows * cols), variance) });

const X = gaussian(n, d, 1, 1), W1 = gaussian(m, d, nu0, 2), W2 = gaussian(m, m, nu0, 3);
const v = gaussian(1, m, 1, 4).data;
await writeNpyFile(file('X.npy'), X);
await writeNpyFile(file('W1.npy'), W1);
await writeNpyFile(file('W2.npy'), W2);
await writeNpyFile(file('v.npy'), v); // 1-D, like np.save of a vector
// Their NTK, for `ntk eig examples/data/K.npy` (the js backend: the same bits on every machine).
const { K } = empiricalNtk(networkFromWeights({ W: [W1, W2], v, activation: 'tanh', sigma0: 1 }), X);
await writeNpyFile(file('K.npy'), K);
console.log(`wrote X (${n} x ${d}), W1 (${m} x ${d}), W2 (${m} x ${m}), v (${m}) with nu0^2 = ${nu0}, and their NTK K (${n} x ${n})`);
