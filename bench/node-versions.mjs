#!/usr/bin/env node
// GEMM on the wasm backend under each supported Node (20, 22, 24), side by side (issue 14):
// the V8 flag the backend sets (--no-wasm-dynamic-tiering, through v8.setFlagsFromString
// before compiling) must give optimized code at once on every version, and the rates of 22
// and 24 should equal or beat 20's. The versions run interleaved, one child process per
// (round, version), so machine load hits all alike; each child reports its best of `reps`
// calls after one warm-up call (which also grows the wasm memory and faults its pages in). Node 22 and 24 come from the npm
// packages node@22 and node@24 (`npx -p node@24 node`); the running node is the third.
// test/tiering.test.ts checks the flag itself (TurboFan code before any call) on the version
// that runs it; .ci/run runs that test on 20, 22 and 24.
// Usage: npm run build && node bench/node-versions.mjs [--n 1000] [--rounds 5] [--reps 8] [--threads 1] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  // One process: load the backend from dist/ (which sets the flag), time GEMM n x n x n.
  const [n, reps, threads] = process.argv.slice(3).map(Number);
  const { createWasmBackend } = await import(pathToFileURL(fileURLToPath(new URL('../dist/backend/wasm/index.js', import.meta.url))).href);
  const be = await createWasmBackend({ threads });
  const a = new Float64Array(n * n).map((_, i) => Math.sin(i)), b = new Float64Array(n * n).map((_, i) => Math.cos(i));
  const c = new Float64Array(n * n);
  const times = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    be.gemm(false, false, n, n, n, 1, a, b, 0, c);
    times.push((performance.now() - t) / 1000);
  }
  await be.dispose();
  const gflops = (s) => (2 * n ** 3) / s / 1e9;
  process.stdout.write(JSON.stringify({ node: process.version, best: gflops(Math.min(...times.slice(1))) }) + '\n');
  process.exit(0);
}

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '5' }, reps: { type: 'string', default: '8' },
    threads: { type: 'string', default: '1' }, json: { type: 'boolean', default: false },
  },
});
const [n, rounds, reps, threads] = [opt.n, opt.rounds, opt.reps, opt.threads].map(Number);

/** The node binary of npm's node@<major> package (downloaded into npx's cache on first use). */
function npxNode(major) {
  return execFileSync('npx', ['-y', '-p', `node@${major}`, 'node', '-p', 'process.execPath'], { encoding: 'utf8' }).trim();
}
const bins = [process.execPath, npxNode(22), npxNode(24)];
const load0 = loadavg()[0];
const runs = new Map(); // version -> [{ first, best }]
for (let r = 0; r < rounds; r++) {
  for (const bin of bins) {
    const p = spawnSync(bin, [self, '--child', String(n), String(reps), String(threads)], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`${bin} failed: ${p.stderr}`);
    const x = JSON.parse(p.stdout);
    if (!runs.has(x.node)) runs.set(x.node, []);
    runs.get(x.node).push(x);
  }
}
const median = (xs) => { const s = [...xs].sort((p, q) => p - q); return s[Math.floor(s.length / 2)]; };
const rows = [...runs].map(([node, xs]) => ({
  node, best: Math.max(...xs.map((x) => x.best)), median: median(xs.map((x) => x.best)),
}));
const base = rows[0];
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, load: `${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`, date: new Date().toISOString() };
if (opt.json) {
  process.stdout.write(JSON.stringify({ n, rounds, reps, threads, machine, rows }, null, 2) + '\n');
} else {
  process.stdout.write(`GEMM n = ${n}, wasm backend, ${threads} thread(s), ${rounds} interleaved rounds of ${reps} calls; ` +
    `${machine.cpu}, ${machine.cores} cores, 1-minute load ${machine.load}, ${machine.date.slice(0, 16)}Z\n\n`);
  process.stdout.write(`| Node | GFLOP/s, best round | median of the rounds' bests | median / ${base.node} |\n| --- | --- | --- | --- |\n`);
  for (const r of rows) {
    process.stdout.write(`| ${r.node} | ${r.best.toFixed(2)} | ${r.median.toFixed(2)} | ${(r.median / base.median).toFixed(3)} |\n`);
  }
}
