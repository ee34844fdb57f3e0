// The empirical NTK of a network whose weights were made elsewhere (numpy, PyTorch, JAX): read
// the .npy files, build the network, compute K and its smallest eigenvalue.
//
//   npm run build && node examples/npy-weights.mjs [dir]
//
// `dir` defaults to examples/data, whose files come from examples/data/make-data.mjs (its
// comment shows the numpy lines that write the same kind of files). Save yours with np.save in
// float64 (float32 files are read too); W_l must be m_l x m_{l-1} (rows = output units), X n x d
// (rows = samples). `ntk evaluate examples/data/network.json` does the same from the command line.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { empiricalNtk, init, lambdaMin, networkFromWeights, npyToMatrix } from 'ntk-wasm';
import { readNpyFile } from 'ntk-wasm/node';

const dir = process.argv[2] ?? fileURLToPath(new URL('./data/', import.meta.url));
const load = async (name) => npyToMatrix(await readNpyFile(join(dir, name)));

const { note, backend } = await init();
const X = await load('X.npy');
const [W1, W2] = [await load('W1.npy'), await load('W2.npy')];
const v = (await readNpyFile(join(dir, 'v.npy'))).data; // 1-D: a plain Float64Array

// Shapes are checked here (a mismatch names W[l] or v and what it should be). sigma0 (or nu0sq)
// is needed only by the theory functions, not by K itself.
const net = networkFromWeights({ W: [W1, W2], v, activation: 'tanh', sigma0: 1 });
const { K } = empiricalNtk(net, X); // n x n, the paper's layerwise formula, float64
const lmin = lambdaMin(K);

console.log(`backend: ${note}`);
console.log(`X: ${X.rows} x ${X.cols}, widths: ${net.widths.join(', ')}, activation: ${net.activation.name}`);
let trace = 0;
for (let i = 0; i < K.rows; i++) trace += K.data[i * K.cols + i]; // K is row-major: { rows, cols, data }
console.log(`K: ${K.rows} x ${K.cols}, trace ${trace}`);
console.log(`lambda_min(K) = ${lmin.value} (${lmin.method}, error <= ${lmin.errorBound.toExponential(1)})`);
await backend.dispose(); // stops the worker threads
