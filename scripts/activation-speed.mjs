// Quick speed check of the activation kernel (not the benchmark suite, which is bench/):
// backend.activation(id, x, phi, dphi) over 4M elements on each backend, and the SIMD wasm
// kernel alone (no copies in and out), against a plain JS Math.tanh loop. CPU time of this
// process (best of 5), so a busy machine disturbs it less; the 2-thread case uses wall time.
// Usage: npm run build && node --no-wasm-dynamic-tiering scripts/activation-speed.mjs
import { readFileSync } from 'node:fs';
import { createJsBackend } from '../dist/backend/js/index.js';
import { createWasmBackend } from '../dist/backend/wasm/index.js';

const N = 4 << 20;
const names = ['tanh', 'sigmoid', 'erf', 'gelu', 'softplus', 'sin'];
const x = new Float64Array(N);
let s = 1;
for (let i = 0; i < N; i++) { s = (s * 1103515245 + 12345) % 2147483648; x[i] = -4 + (8 * s) / 2147483648; }
const phi = new Float64Array(N), dphi = new Float64Array(N);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const wall = () => performance.now();
const best = (f, clock = cpu, reps = 5) => {
  f();
  let t = Infinity;
  for (let r = 0; r < reps; r++) { const t0 = clock(); f(); t = Math.min(t, clock() - t0); }
  return t;
};

const tanhLoop = best(() => { for (let i = 0; i < N; i++) phi[i] = Math.tanh(x[i]); });
console.log(`N = ${N}, x uniform in [-4, 4]; JS loop phi[i] = Math.tanh(x[i]): ${tanhLoop.toFixed(1)} ms`);
console.log('ms for phi and phi\' (tanh: also phi only), and Math.tanh loop / tanh');
const cases = [
  ['js', async () => createJsBackend(), cpu],
  ['wasm-scalar', () => createWasmBackend({ threads: 1, variant: 'scalar' }), cpu],
  ['wasm 1 thread', () => createWasmBackend({ threads: 1 }), cpu],
  ['wasm 2 threads', () => createWasmBackend({ threads: 2 }), wall],
];
for (const [label, make, clock] of cases) {
  const be = await make();
  const cells = names.map((name, id) => {
    const both = best(() => be.activation(id, x, phi, dphi), clock);
    if (id !== 0) return `${name} ${both.toFixed(0)}`;
    const only = best(() => be.activation(id, x, phi, null), clock);
    return `tanh ${both.toFixed(0)} (phi only ${only.toFixed(0)}; ${(tanhLoop / both).toFixed(2)}x / ${(tanhLoop / only).toFixed(2)}x)`;
  });
  console.log(`${label.padEnd(15)} ${cells.join(', ')}`);
  await be.dispose();
}

// The kernel alone (build/ntk-single.wasm, data already in wasm memory: no copies).
const mod = await WebAssembly.compile(readFileSync(new URL('../build/ntk-single.wasm', import.meta.url)));
const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536 });
const { exports: ex } = await WebAssembly.instantiate(mod, { env: { memory, abort() { throw new Error('abort'); } } });
const base = Math.ceil(ex.heapBase() / 64) * 64;
memory.grow(Math.ceil((base + 24 * N) / 65536));
new Float64Array(memory.buffer, base, N).set(x);
const [px, pp, pd] = [base, base + 8 * N, base + 16 * N];
const raw = names.map((name, id) => {
  const both = best(() => ex.activation(id, px, pp, pd, N));
  if (id !== 0) return `${name} ${both.toFixed(0)}`;
  const only = best(() => ex.activation(id, px, pp, 0, N));
  return `tanh ${both.toFixed(0)} (phi only ${only.toFixed(0)}; ${(tanhLoop / both).toFixed(2)}x / ${(tanhLoop / only).toFixed(2)}x)`;
});
console.log(`${'kernel only'.padEnd(15)} ${raw.join(', ')}`);
