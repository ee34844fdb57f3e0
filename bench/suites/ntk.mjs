// The empirical NTK (the layerwise formula, L = 2, n = m, d = 100, tanh) at n = 500, 1000, 2000:
// wasm (strict and relaxed builds) on 1 thread and on all threads against js, with numpy
// computing the same formula (bench/numpy/ntk.py, OPENBLAS_NUM_THREADS = the wasm thread count)
// in the same run when Debian's python3-numpy is installed; the NTK's useful flop rate against
// GEMM's at n = m = 2000 and 4000 and the 1 -> T thread speed-up (interleaved rounds, per build
// and thread count, medians of per-round ratios); where the time of a call goes, phase by phase
// (bench/ntk-phases.mjs); and the peak memory at n = m = 4000 (a child process).
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchDir, fmt, fromDist, mdTable } from '../lib.mjs';
import { phaseTable, profilePhases } from '../ntk-phases.mjs';
import { createPeakProbe, medianBest } from '../peak.mjs';

/** Rounds of (NTK call, GEMM call) per build and thread count, per n, for the rate table. */
const RATE_ROUNDS = { 2000: 3, 4000: 2 };
/** Size and rounds of the per-phase profile (bench/ntk-phases.mjs). */
const PHASE_N = 2000, PHASE_ROUNDS = 3;

export const title = 'Empirical NTK: layerwise formula, L = 2, n = m, d = 100, tanh';

const SIZES = [500, 1000, 2000];
const MAX_JS_N = 1000; // js at n = 2000 takes minutes per call

function numpy(sizes, threads) {
  const p = spawnSync('python3', [join(benchDir, 'numpy/ntk.py'), ...sizes.map(String)], {
    encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
  });
  if (p.status !== 0) return { error: (p.stderr || p.error?.message || 'python3 failed').trim().split('\n').pop() };
  const out = {};
  for (const line of p.stdout.trim().split('\n')) { const r = JSON.parse(line); out[r.n] = r.seconds; }
  return out;
}

export async function run(ctx) {
  const { createNetwork, gaussianData, empiricalNtk } = await fromDist('index.js');
  const { ntkUsefulFlops } = await fromDist('network/ntk.js');
  const b = ctx.backends;
  const [strict1, strictAll, relaxed1, relaxedAll, js] = await Promise.all([b.strict1(), b.strictAll(), b.relaxed1(), b.relaxedAll(), b.js()]);
  const T = strictAll.threads;
  const wasm = [['strict 1T', strict1], [`strict ${T}T`, strictAll]];
  if (relaxed1) wasm.push(['relaxed 1T', relaxed1], [`relaxed ${T}T`, relaxedAll]);
  const impls = [...wasm, ['js', js]];
  const results = { threads: T, sizes: {} };
  for (const n of SIZES) {
    const net = createNetwork({ d: 100, widths: [n, n], activation: 'tanh', sigma0: 1, seed: 1 });
    const X = gaussianData({ n, d: 100, seed: 2 });
    results.sizes[n] = await ctx.measure(`ntk n=m=${n}`, impls.map(([name, be]) => ({
      name, fn: () => empiricalNtk(net, X, { backend: be }),
      skip: be.kind === 'js' && n > MAX_JS_N ? `js skipped above n = ${MAX_JS_N} (minutes per call)` : undefined,
    })), { minSamples: 3, maxTime: 1 });
  }
  results.rates = await ntkVsGemm(wasm, { createNetwork, gaussianData, empiricalNtk, ntkUsefulFlops });
  results.phases = profilePhases(wasm, { createNetwork, gaussianData, empiricalNtk }, PHASE_N, PHASE_ROUNDS);
  const np1 = numpy(SIZES, 1), npT = numpy(SIZES, T);
  results.numpy = { 1: np1, [T]: npT };
  let mem = null;
  try {
    const out = execFileSync('node', ['--no-wasm-dynamic-tiering', join(benchDir, 'ntk-memory.mjs'), '4000', String(T)], { encoding: 'utf8' });
    mem = JSON.parse(out.trim().split('\n').pop());
  } catch (e) { mem = { error: String(e.message).split('\n')[0] }; }
  results.memory4000 = mem;
  ctx.results = results;
  const names = impls.map(([l]) => l);
  const sec = (r) => (r?.median ? `${fmt(r.median, 3)} (${fmt(r.best, 3)})` : r?.skipped ? 'skipped' : '–');
  const best = names.filter((k) => k.endsWith(`${T}T`)).pop(); // relaxed where it runs, else strict
  const rows = SIZES.map((n) => {
    const r = results.sizes[n];
    const npt = npT[n];
    return [n, ...names.map((k) => sec(r[k])), np1.error ? '–' : fmt(np1[n], 3), npT.error ? '–' : fmt(npt, 3),
      npt && r[best]?.median ? fmt(r[best].median / npt, 2) : '–'];
  });
  return [
    'Seconds per empiricalNtk call (median, best in parentheses), including copies in and out of wasm memory. ' +
    'numpy computes the same formula with full (not symmetric) products on Debian\'s OpenBLAS ' +
    '(`OPENBLAS_NUM_THREADS=N python3 bench/numpy/ntk.py 500 1000 2000`).' +
    (np1.error ? ` numpy was not run: ${np1.error} (apt-get install python3-numpy).` : ''),
    mdTable(['n = m', ...names, 'numpy 1 thread', `numpy ${T} threads`, `${best} / numpy ${T}T (time)`], rows),
    rateTable(results.rates, T),
    phaseTable(results.phases, T, Object.fromEntries(Object.entries(results.rates.sizes[PHASE_N]?.configs ?? {}).map(([k, v]) => [k, v.gemmRate.median]))),
    mem && !mem.error
      ? `Peak memory at n = m = 4000 (\`node --no-wasm-dynamic-tiering bench/ntk-memory.mjs 4000 ${T}\`): process peak RSS ${mem.peakRss} ` +
        `(wasm linear memory ${mem.wasmMemory}), ${mem.seconds} s.`
      : `Peak memory at n = m = 4000 not measured: ${mem?.error}`,
  ].join('\n\n');
}

/**
 * The NTK's useful flop rate (ntkUsefulFlops in src/network/ntk.ts) against GEMM's (2 n^3 flops,
 * n x n, same backend, operands resident in wasm memory: the kernel's own rate, no copies) and
 * against the build's register-only peak (bench/peak.mjs) at n = m = 2000 and 4000. Per round, on
 * each build and thread count: a peak sample, one NTK call, one GEMM call, a peak sample; the
 * ratios per round, the median over rounds (interleaving cancels a slowly drifting load).
 */
async function ntkVsGemm(wasm, lib) {
  const out = { load: [loadavg()[0]], sizes: {} };
  const T = Math.max(...wasm.map(([, be]) => be.threads));
  const probe = await createPeakProbe([...new Set(wasm.map(([, be]) => be.variant))], T);
  try {
    for (const [ns, rounds] of Object.entries(RATE_ROUNDS)) {
      const n = Number(ns);
      const dims = [100, n, n];
      const flops = lib.ntkUsefulFlops(n, dims);
      const net = lib.createNetwork({ d: 100, widths: [n, n], activation: 'tanh', sigma0: 1, seed: 1 });
      const X = lib.gaussianData({ n, d: 100, seed: 2 });
      const acc = {};
      const operands = new Map();
      for (const [name, be] of wasm) {
        lib.empiricalNtk(net, X, { backend: be }); // warm-up; its buffers stay resident
        // GEMM operands resident above the NTK's buffers (same n: the NTK keeps its buffers).
        const a = be.allocate(n * n), c = be.allocate(n * n);
        for (let q = 0; q < n * n; q++) a[q] = Math.sin(q);
        operands.set(name, { a, c });
      }
      for (let r = 0; r < rounds; r++) {
        for (const [name, be] of wasm) {
          const { a, c } = operands.get(name);
          const p0 = await probe.sample(be.variant, be.threads);
          let t = performance.now();
          lib.empiricalNtk(net, X, { backend: be });
          const ntk = (performance.now() - t) / 1e3;
          t = performance.now();
          be.gemm(false, false, n, n, n, 1, a, a, 0, c);
          const gemm = (performance.now() - t) / 1e3;
          const peak = (p0 + await probe.sample(be.variant, be.threads)) / 2;
          acc[name] ??= { ntk: [], gemmRate: [], ratio: [], ntkPeak: [], gemmPeak: [] };
          acc[name].ntk.push(ntk);
          acc[name].gemmRate.push(2 * n ** 3 / gemm);
          acc[name].ratio.push((flops / ntk) / (2 * n ** 3 / gemm));
          acc[name].ntkPeak.push(flops / ntk / peak);
          acc[name].gemmPeak.push(2 * n ** 3 / gemm / peak);
          console.log(`  ntk vs gemm n=${n} round ${r} ${name}: ${ntk.toFixed(2)} s, ${(100 * acc[name].ratio.at(-1)).toFixed(0)}% of GEMM's rate, ${(100 * acc[name].ntkPeak.at(-1)).toFixed(0)}% of peak`);
        }
        // 1 -> T threads per round, within a build: the two calls ran seconds apart.
        for (const [name] of wasm.filter(([, be]) => be.threads === T && T > 1)) {
          const one = acc[name.replace(` ${T}T`, ' 1T')];
          if (!one) continue;
          acc[name].ntkSpeedup ??= [];
          acc[name].gemmSpeedup ??= [];
          acc[name].ntkSpeedup.push(one.ntk[r] / acc[name].ntk[r]);
          acc[name].gemmSpeedup.push(acc[name].gemmRate[r] / one.gemmRate[r]);
        }
      }
      out.sizes[n] = { flops, rounds, configs: Object.fromEntries(Object.entries(acc).map(([k, v]) => [k,
        Object.fromEntries(Object.entries(v).map(([q, xs]) => [q, medianBest(xs)]))])) };
    }
  } finally {
    await probe.dispose();
  }
  out.load.push(loadavg()[0]);
  return out;
}

function rateTable(rates, T) {
  const rows = [];
  const verdicts = [];
  for (const [n, r] of Object.entries(rates.sizes)) {
    for (const [name, v] of Object.entries(r.configs)) {
      const sec = v.ntk.median;
      const x = (q) => (q ? fmt(q.median, 2) + 'x' : '');
      const pct = (q) => (q ? `${(100 * q.median).toFixed(0)}%` : '–');
      rows.push([n, name, fmt(sec, 2), fmt(r.flops / sec / 1e9), fmt(v.gemmRate.median / 1e9), pct(v.ratio), pct(v.ntkPeak), pct(v.gemmPeak), x(v.ntkSpeedup), x(v.gemmSpeedup)]);
      const met = (ok) => (ok ? 'MET' : 'NOT MET');
      let line = `n = ${n}, ${name}: NTK / GEMM ${pct(v.ratio)} (${met(v.ratio.median >= 0.9)})`;
      if (v.ntkSpeedup) line += `; ${T}T / 1T ${x(v.ntkSpeedup)} (${met(v.ntkSpeedup.median >= 1.9)}; GEMM's own ${x(v.gemmSpeedup)})`;
      verdicts.push(`- ${line}`);
    }
  }
  return [
    `### NTK at the kernels' speed (1-minute load ${rates.load[0].toFixed(2)} -> ${rates.load[1].toFixed(2)})`,
    'Useful flops of one call: forward and backward GEMMs (2 n m_l m_{l-1} each) and one n² k Gram ' +
    'product per factor of the layer sum (A_l A_lᵀ, l = 0..L, and B_l B_lᵀ, l = 1..L; symmetric, so half ' +
    'of 2n²k): 2ndm + 4nm² + n²(d + 4m) for n = m, L = 2, i.e. 65.2 GFLOP at n = 2000 and 517 GFLOP at ' +
    'n = 4000 (ntkUsefulFlops, src/network/ntk.ts). Activations, Hadamard products and copies are not counted: they are overhead. Each round ' +
    'runs a peak sample (bench/peak.mjs), one NTK call, one n x n GEMM on resident operands (the kernel\'s rate, no copies) ' +
    'on the same backend, and a peak sample; ratios per round, ' +
    `median over ${Object.values(rates.sizes).map((r) => r.rounds).join(' / ')} rounds. Targets: >= 90% of GEMM, >= 1.9x from 1 to ${T} threads. ` +
    `The ${T}T / 1T columns are medians of per-round ratios (the ${T}T and 1T calls of one round ran seconds apart, so a drifting load cancels).`,
    mdTable(['n = m', 'build, threads', 'NTK seconds (median)', 'NTK useful GFLOP/s', 'GEMM GFLOP/s', 'NTK / GEMM rate', 'NTK % of peak', 'GEMM % of peak', `NTK ${T}T / 1T`, `GEMM ${T}T / 1T`], rows),
    `Against the targets (ratios per round, median; ${T}T / 1T compares the two calls of one round, seconds apart):`,
    verdicts.join('\n'),
    // A 1-minute load of 1 on 2 cores is one core busy elsewhere: the T-thread calls then get
    // less than T cores, and their speed-up says more about the machine than about the code.
    Math.max(...rates.load) > 0.5 * T - 0.25
      ? `**The machine was not quiet** (1-minute load ${rates.load.map((x) => x.toFixed(2)).join(' -> ')} on ${T} cores): ` +
        `the ${T}-thread rows competed with other work; re-measure the ${T}T / 1T ratios on an idle machine.`
      : '',
  ].join('\n\n');
}
