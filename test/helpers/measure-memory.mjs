// Child process of test/memory-estimate.test.ts: runs one request in a fresh process and prints,
// as JSON, its estimate (src/memory.ts) beside the measured peak: growth of the process's peak
// RSS over its RSS before the call, and growth of wasm linear memory.
// Usage: node measure-memory.mjs <root> <what> <n> <m> <backend>
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [root, what, nArg, mArg, bk] = process.argv.slice(2);
const lib = await import(pathToFileURL(resolve(root, 'dist/index.js')).href);
const mem = await import(pathToFileURL(resolve(root, 'dist/memory.js')).href);
const n = Number(nArg), m = Number(mArg), d = 10, widths = [m, m];
const { backend } = await lib.loadBackend({ backend: bk, threads: 2 });
const net = lib.createNetwork({ d, widths, activation: 'tanh', seed: 1 });
const X = lib.gaussianData({ n, d, seed: 2 });
// Warm-up at a small size, so compiled code and the backend's static buffers are in the baseline.
const Xs = lib.gaussianData({ n: 80, d, seed: 3 });
lib.evaluateNetwork(net, Xs, { backend });
lib.lambdaMin(lib.empiricalNtk(net, Xs, { backend }).K, { backend });
// lambdaMin's matrix, made in plain JS so that making it does not grow wasm memory: X X^T / d + I.
let K0;
if (what === 'lambdaMin') {
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) s += X.data[i * d + q] * X.data[j * d + q];
      k[i * n + j] = k[j * n + i] = s / d + (i === j ? 1 : 0);
    }
  }
  K0 = { rows: n, cols: n, data: k };
}
const rss0 = process.memoryUsage().rss, wasm0 = backend.memoryBytes();
let est;
switch (what) {
  case 'evaluate': est = mem.evaluateMemory(n, d, widths); lib.evaluateNetwork(net, X, { backend }); break;
  case 'ntk': est = mem.ntkMemory(n, d, widths); lib.empiricalNtk(net, X, { backend }); break;
  case 'infiniteWidth': est = mem.infiniteWidthMemory(n, d); lib.infiniteWidth(X, { depth: 2, activation: 'tanh', nu0sq: 1, backend }); break;
  case 'lambdaMin': est = mem.eigMemory(n, 'lambdaMin'); lib.lambdaMin(K0, { backend }); break;
  default: throw new Error(`unknown request ${what}`);
}
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({
  estimate: mem.totalBytes(est, backend.kind), kernel: est.kernel, rssGrowth: peak - rss0,
  wasmGrowth: backend.memoryBytes() - wasm0, wasmBefore: wasm0,
}) + '\n');
await backend.dispose();
