// Where a Figure 1 run's time went, from its results.jsonl: seconds per stage summed over all
// points, and the empirical NTK's throughput point by point (useful flops as counted by
// ntkUsefulFlops, src/network/ntk.ts; needs the built dist/), as a histogram. On a shared machine the
// throughput shows the host's load: points that ran while other tenants used the cores' shared
// resources sit in a lower band.
//
//   node bench/figure1-timing.mjs out/figure1-paper [--min-n 1000]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromDist } from './lib.mjs';

const { ntkUsefulFlops } = await fromDist('network/ntk.js');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bench/figure1-timing.mjs <run folder> [--min-n N]');
  process.exit(2);
}
const i = process.argv.indexOf('--min-n');
const minN = i > 0 ? Number(process.argv[i + 1]) : 1000;
const records = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

const stages = {};
for (const r of records) for (const [k, v] of Object.entries(r.timings)) stages[k] = (stages[k] ?? 0) + v;
console.log(`${records.length} points; seconds per stage, summed:`);
for (const [k, v] of Object.entries(stages)) console.log(`  ${k.padEnd(11)} ${v.toFixed(0).padStart(6)}  (${((100 * v) / stages.total).toFixed(0)}%)`);

const ntkFlops = (r) => ntkUsefulFlops(r.n, [r.d, ...Array(r.depth).fill(r.m)]);
const rates = records.filter((r) => r.n >= minN && r.timings.ntk > 0).map((r) => ntkFlops(r) / r.timings.ntk / 1e9);
const best = Math.max(...rates);
console.log(`\nempirical NTK throughput, points with n >= ${minN} (GFLOP/s):`);
const edges = [0, 20, 25, 30, 35, 40, 45, 50, Infinity];
for (let b = 0; b + 1 < edges.length; b++) {
  const c = rates.filter((x) => x >= edges[b] && x < edges[b + 1]).length;
  if (c) console.log(`  ${String(edges[b]).padStart(3)}-${edges[b + 1] === Infinity ? '   ' : String(edges[b + 1]).padEnd(3)} ${'#'.repeat(c)} ${c}`);
}
const atBest = records.reduce((s, r) => s + (r.n >= minN ? ntkFlops(r) / (best * 1e9) : r.timings.ntk), 0);
console.log(`\nNTK ${stages.ntk.toFixed(0)} s as run; ${atBest.toFixed(0)} s if every point with n >= ${minN} had run at the best rate seen (${best.toFixed(1)} GFLOP/s):` +
  ` the run would have taken ${((stages.total - stages.ntk + atBest) / 60).toFixed(1)} min of points instead of ${(stages.total / 60).toFixed(1)}.`);
