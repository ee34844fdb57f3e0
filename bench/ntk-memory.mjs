// Peak memory of one empiricalNtk call at n = m (L = 2, d = 100, tanh), wasm backend.
// Usage: npm run build && node bench/ntk-memory.mjs [n=4000] [threads=2]
// Prints peak RSS (maxRSS of the process), wasm linear memory (its high-water mark) and time.
import { createNetwork, empiricalNtk, gaussianData, loadBackend } from '../dist/index.js';

const n = Number(process.argv[2] ?? 4000);
const threads = Number(process.argv[3] ?? 2);
const { backend, note } = await loadBackend({ backend: 'wasm', threads });
const net = createNetwork({ d: 100, widths: [n, n], activation: 'tanh', sigma0: 1, seed: 1 });
const X = gaussianData({ n, d: 100, seed: 2 });
const before = process.resourceUsage().maxRSS * 1024;
const t = performance.now();
const { K } = empiricalNtk(net, X, { backend });
const seconds = (performance.now() - t) / 1000;
const peak = process.resourceUsage().maxRSS * 1024;
const mib = (b) => (b / 2 ** 20).toFixed(0) + ' MiB';
console.log(JSON.stringify({
  n, m: n, L: 2, d: 100, backend: note, seconds: +seconds.toFixed(3),
  peakRss: mib(peak), rssBeforeNtk: mib(before), wasmMemory: mib(backend.memoryBytes()),
  K00: K.data[0],
}));
await backend.dispose();
