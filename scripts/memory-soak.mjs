#!/usr/bin/env node
// The long memory run (opt-in; test/memory.test.ts is the short one in `npm test`): many
// calls of empiricalNtk and lambdaMin (both methods) on fresh networks, printing every N calls
// the wasm linear memory, the live JS memory after a full collection (heap + array buffers)
// and the process RSS. Exits 1 when wasm memory grew after the warm-up or live memory grew by
// more than --max-growth MB. Run after `npm run build`:
//   node scripts/memory-soak.mjs [--calls 100000] [--every 5000] [--n 64] [--width 64] [--d 16]
//                                [--backend wasm|js] [--threads 2] [--max-growth 16] [--theory]
// --theory adds an infiniteWidth call (the theory's scratch buffers and pair kernel) to every tenth round.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(pathToFileURL(resolve(ROOT, 'dist/index.js')).href);

const { values: o } = parseArgs({
  options: {
    calls: { type: 'string', default: '100000' },
    every: { type: 'string', default: '5000' },
    n: { type: 'string', default: '64' },
    width: { type: 'string', default: '64' },
    d: { type: 'string', default: '16' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string', default: '2' },
    'max-growth': { type: 'string', default: '16' },
    theory: { type: 'boolean', default: false },
  },
});
const int = (name) => {
  const x = Number(o[name]);
  if (!Number.isInteger(x) || x < 1) { console.error(`memory-soak: --${name} expects a positive integer, got ${o[name]}`); process.exit(2); }
  return x;
};
const calls = int('calls'), every = int('every'), n = int('n'), width = int('width'), d = int('d'), threads = int('threads');
const maxGrowth = Number(o['max-growth']);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const MB = 2 ** 20;
const live = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };

const { backend, note } = await lib.loadBackend({ backend: o.backend, threads });
console.log(`memory-soak: ${note}; ${calls} rounds of empiricalNtk (n = ${n}, d = ${d}, widths [${width}, ${width}]) + lambdaMin x2${o.theory ? ' + infiniteWidth every 10th' : ''}`);
const X = lib.gaussianData({ n, d, seed: 1 });

function round(i) {
  const net = lib.createNetwork({ d, widths: [width, width], activation: i % 2 ? 'tanh' : 'sigmoid', seed: i });
  const { K } = lib.empiricalNtk(net, X, { backend });
  let s = lib.lambdaMin(K, { backend, method: 'tridiagonal' }).value + lib.lambdaMin(K, { backend, method: 'cholesky' }).value;
  if (o.theory && i % 10 === 0) s += lib.infiniteWidth(X, { depth: 2, activation: 'tanh', nu0sq: net.nu0sq, backend }).lambdaMin;
  if (!Number.isFinite(s)) throw new Error(`round ${i}: non-finite lambda_min`);
}

const warmup = Math.min(every, Math.max(10, Math.floor(calls / 20)));
const t0 = performance.now();
let base = null;
let failed = false;
const row = (i) => {
  const m = process.memoryUsage();
  const l = live();
  const w = backend.memoryBytes();
  if (base === null) base = { live: l, rss: m.rss, wasm: w };
  const grow = (l - base.live) / MB;
  console.log([
    `calls ${String(i).padStart(8)}`, `${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s`,
    `wasm ${(w / MB).toFixed(2).padStart(8)} MB`, `live ${(l / MB).toFixed(2).padStart(8)} MB (${grow >= 0 ? '+' : ''}${grow.toFixed(2)})`,
    `rss ${(m.rss / MB).toFixed(1).padStart(7)} MB (${m.rss >= base.rss ? '+' : ''}${((m.rss - base.rss) / MB).toFixed(1)})`,
  ].join('  '));
  if (w !== base.wasm) { console.log(`memory-soak: wasm memory grew after the warm-up (${base.wasm} -> ${w} bytes)`); failed = true; }
  if (grow > maxGrowth) { console.log(`memory-soak: live memory grew by ${grow.toFixed(2)} MB > ${maxGrowth} MB`); failed = true; }
};

for (let i = 0; i < warmup; i++) round(i);
row(warmup);
for (let i = warmup; i < calls; i++) {
  round(i);
  if ((i + 1) % every === 0) row(i + 1);
}
if (calls % every !== 0) row(calls);
await backend.dispose();
console.log(failed ? 'memory-soak: FAILED' : 'memory-soak: bounded');
process.exit(failed ? 1 : 0);
