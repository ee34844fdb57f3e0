// Times Figure 1 points of the paper's setup (L = 2, d = 100, n = m, sigma0 = 1, tanh and
// sigmoid) at a few sizes, stage by stage, and estimates the wall time of the whole paper preset
// (n = m = 200..4000 step 100, 3 seeds, 2 activations) from them: each stage's time is
// interpolated in n on log-log axes between the measured sizes (and extrapolated with the end
// slopes), the per-seed stages counted 3 times per (activation, n) and the infinite-width kernel
// once (it is cached across seeds).
//
//   npm run build && node bench/figure1-estimate.mjs [--sizes 1000,2000,4000] [--threads 2] [--seeds 1] [--variant strict|relaxed]
//
// Measures the built library in dist/. Prints a table and writes bench/results/figure1-estimate.json
// (figure1-estimate-<variant>.json with --variant: the README's performance table,
// bench/perf-table.mjs, gives both builds' times).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBackend } from '../dist/backend/load.js';
import { enumeratePoints } from '../dist/experiments/grid.js';
import { runPoint } from '../dist/experiments/point.js';
import { figure1Preset } from '../dist/experiments/presets.js';
import { TheoryCache } from '../dist/experiments/theory-cache.js';
import { benchDir, machine, resultsDir } from './lib.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const sizes = arg('sizes', '1000,2000,4000').split(',').map(Number);
const threads = Number(arg('threads', '2'));
const seedsPerSize = Number(arg('seeds', '1'));
const variant = arg('variant', 'auto');

const { backend, note } = await loadBackend({ backend: 'wasm', threads, variant });
console.log(`backend: ${note}`);
const paper = figure1Preset('paper');
const perSeed = ['data', 'network', 'ntk', 'lambda_min', 'lambda_max', 'theorem'];
const measured = []; // { activation, n, stages: {stage: seconds}, infinite }
for (const n of sizes) {
  for (const activation of paper.activations) {
    const spec = { ...paper, values: [n], activations: [activation], seeds: Array.from({ length: seedsPerSize }, (_, i) => i) };
    const cache = new TheoryCache();
    const ctx = { backend, backendName: note, experiment: 'figure1', vary: 'nm', rmax: spec.rmax, cache };
    // CPU seconds of the whole process (worker threads included) per point, beside the wall
    // times: on a machine shared with other jobs, CPU time is what the work itself costs.
    const cpu = [];
    const recs = enumeratePoints(spec).map((p) => {
      const c0 = process.cpuUsage();
      const r = runPoint(p, ctx);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
      return r;
    });
    const stages = Object.fromEntries(perSeed.map((s) => [s, recs.reduce((a, r) => a + r.timings[s], 0) / recs.length]));
    const infinite = recs[0].timings.infinite + recs[0].timings.lambda_1;
    const wall = recs.map((r) => r.timings.total);
    measured.push({ activation, n, stages, infinite, wall, cpu, lambda_min: recs.map((r) => r.lambda_min), method: recs[0].lambda_min_method });
    const f = (x) => x.toFixed(2).padStart(6);
    console.log(`${activation.padEnd(8)} n=m=${String(n).padEnd(5)} ${perSeed.map((s) => `${s} ${f(stages[s])}`).join('  ')}  infinite ${f(infinite)}  (per seed ${f(perSeed.reduce((a, s) => a + stages[s], 0))} s; first point wall ${f(wall[0])} s, CPU ${f(cpu[0])} s)`);
  }
}
await backend.dispose();

// Log-log interpolation of a stage's time in n from the measured sizes.
function interp(points, n) {
  const pts = points.filter((p) => p.t > 0).sort((a, b) => a.n - b.n);
  if (pts.length === 0) return 0;
  if (pts.length === 1) return pts[0].t * (n / pts[0].n) ** 3;
  let i = pts.findIndex((p) => p.n >= n);
  if (i <= 0) i = 1;
  if (i === -1 || i >= pts.length) i = pts.length - 1;
  const a = pts[i - 1], b = pts[i];
  // Clamped to [0, 3]: nothing here grows faster than n^3, and timer noise on tiny stages
  // must not extrapolate wildly.
  const slope = Math.min(3, Math.max(0, Math.log(b.t / a.t) / Math.log(b.n / a.n)));
  return a.t * (n / a.n) ** slope;
}
let total = 0;
const byStage = Object.fromEntries([...perSeed, 'infinite'].map((s) => [s, 0]));
for (const activation of paper.activations) {
  const mine = measured.filter((m) => m.activation === activation);
  for (const n of paper.values) {
    for (const s of perSeed) {
      const t = interp(mine.map((m) => ({ n: m.n, t: m.stages[s] })), n) * paper.seeds.length;
      byStage[s] += t; total += t;
    }
    const t = interp(mine.map((m) => ({ n: m.n, t: m.infinite })), n);
    byStage.infinite += t; total += t;
  }
}
console.log(`\nestimated paper preset (${paper.values.length} sizes x ${paper.activations.length} activations x ${paper.seeds.length} seeds): ${(total / 60).toFixed(1)} min`);
console.log(Object.entries(byStage).map(([s, t]) => `  ${s}: ${(t / 60).toFixed(2)} min`).join('\n'));
// The same estimate in CPU time (first point of each size: with the infinite-width kernel;
// later seeds: without it, scaled by their wall-time share).
let cpuTotal = 0;
for (const activation of paper.activations) {
  const mine = measured.filter((m) => m.activation === activation);
  const firstCpu = mine.map((m) => ({ n: m.n, t: m.cpu[0] }));
  const seedCpu = mine.map((m) => ({ n: m.n, t: m.cpu[0] * (1 - (m.infinite / m.wall[0])) }));
  for (const n of paper.values) cpuTotal += interp(firstCpu, n) + (paper.seeds.length - 1) * interp(seedCpu, n);
}
console.log(`CPU time of the paper preset: ${(cpuTotal / 60).toFixed(1)} core-min (on ${threads} free cores the wall time lies between ${(cpuTotal / threads / 60).toFixed(1)} and ${(cpuTotal / 60).toFixed(1)} min)`);
mkdirSync(resultsDir, { recursive: true });
const out = join(resultsDir, variant === 'auto' ? 'figure1-estimate.json' : `figure1-estimate-${variant}.json`);
writeFileSync(out, JSON.stringify({ machine: machine(), backend: note, variant: backend.variant, threads: backend.threads, measured, estimate_minutes: total / 60, cpu_core_minutes: cpuTotal / 60, by_stage_minutes: Object.fromEntries(Object.entries(byStage).map(([s, t]) => [s, t / 60])) }, null, 2) + '\n');
console.log(`wrote ${out} (bench dir ${benchDir})`);
