// GEMM (C = A B), Gram (C = A A^T, the SYRK kernel) and the fused Gram-Hadamard update of the
// empirical NTK (K += (A A^T) o (B B^T)) on n x n float64 operands, n = 500, 1000, 2000, for
// both SIMD builds (strict: multiply then add; relaxed: f64x2.relaxed_madd) on 1 and all
// threads, and each kernel at n = 2000 as a percentage of the build's register-only
// multiply-add ceiling on this machine (bench/peak.mjs), measured interleaved with the kernels.
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { fmt, mdTable } from '../lib.mjs';
import { createPeakProbe, medianBest } from '../peak.mjs';

const require = createRequire(import.meta.url);
const { Matrix } = require('ml-matrix');

export const title = 'BLAS-3: GEMM, Gram (SYRK) and Gram-Hadamard, strict and relaxed SIMD, against the machine\'s peak';

const SIZES = [500, 1000, 2000];
/** A js or ml-matrix case whose extrapolated time per case exceeds this many seconds is skipped. */
const MAX_CASE_SECONDS = 30;
/** Calls a slow case costs: warm-up, benny's calibration and 3 samples. */
const CALLS_PER_SLOW_CASE = 5;
/** Rounds of (peak, kernels, peak) per build and thread count for the percentage table. */
const PEAK_ROUNDS = 5;

function random(n, seed) {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

// Rates: GEMM 2 n^3 flops; Gram n(n+1) n (the lower triangle, diagonal included);
// Gram-Hadamard twice that.
export const flops = {
  gemm: (n) => 2 * n ** 3,
  gram: (n) => n * (n + 1) * n,
  gramHadamard: (n) => 2 * n * (n + 1) * n,
};

export async function run(ctx) {
  const { backends, cores } = ctx;
  const [strict1, strictAll, relaxed1, relaxedAll, scalar, js] = await Promise.all([
    backends.strict1(), backends.strictAll(), backends.relaxed1(), backends.relaxedAll(), backends.scalar(), backends.js()]);
  const T = strictAll.threads;
  const builds = relaxed1 ? ['strict', 'relaxed'] : ['strict'];
  const wasm = { strict: { 1: strict1, [T]: strictAll }, relaxed: { 1: relaxed1, [T]: relaxedAll } };
  const label = (b, t) => `${b} ${t}T`;
  const impls = [];
  for (const b of builds) for (const t of [1, T]) impls.push([label(b, t), wasm[b][t]]);
  impls.push(['wasm-scalar', scalar], ['js', js]);
  const results = { gemm: {}, gram: {}, gramHadamard: {}, threads: T, cores, builds };
  const prev = {}; // seconds per call at the previous n, per kernel/case: for skipping
  const skipIfSlow = (key, n, nPrev) => {
    const t = prev[key];
    if (!/ js$|ml-matrix/.test(key)) return undefined;
    if (t === undefined || nPrev === undefined) return undefined;
    const est = t * (n / nPrev) ** 3;
    return est * CALLS_PER_SLOW_CASE > MAX_CASE_SECONDS
      ? `~${est.toFixed(0)} s per call (extrapolated from n = ${nPrev})` : undefined;
  };

  let nPrev;
  for (const n of SIZES) {
    const a = random(n * n, 1), bm = random(n * n, 2), c = new Float64Array(n * n);
    const A = Matrix.from1DArray(n, n, a), B = Matrix.from1DArray(n, n, bm);

    const gemmCases = impls.map(([name, be]) => ({
      name, fn: () => be.gemm(false, false, n, n, n, 1, a, bm, 0, c), skip: skipIfSlow(`gemm ${name}`, n, nPrev),
    }));
    gemmCases.push({ name: 'ml-matrix mmul', fn: () => A.mmul(B), skip: skipIfSlow('gemm ml-matrix mmul', n, nPrev) });
    results.gemm[n] = await ctx.measure(`GEMM n=${n}`, gemmCases);

    const gramCases = impls.map(([name, be]) => ({
      name, fn: () => be.syrk(n, n, 1, a, 0, c), skip: skipIfSlow(`gram ${name}`, n, nPrev),
    }));
    results.gram[n] = await ctx.measure(`Gram n=${n}`, gramCases);

    const kk = new Float64Array(n * n);
    results.gramHadamard[n] = await ctx.measure(`Gram-Hadamard n=${n}`, impls.filter(([, be]) => be.kind === 'wasm' && be.simd).map(([name, be]) => ({
      name, fn: () => be.gramHadamardAcc(n, n, a, n, bm, 1, kk),
    })));

    for (const [kernel, r] of [['gemm', results.gemm[n]], ['gram', results.gram[n]]]) {
      for (const [name, v] of Object.entries(r)) if (v.median) prev[`${kernel} ${name}`] = v.median;
    }
    nPrev = n;
  }
  results.peak = await percentOfPeak(builds, wasm, T);
  ctx.results = results;
  return report(results, impls.map(([name]) => name), builds, label);
}

/**
 * Each kernel at n = 2000 as a fraction of the ceiling: PEAK_ROUNDS rounds of (ceiling sample,
 * one call of each kernel, ceiling sample) per build and thread count, the ratio taken per
 * round against the mean of the two ceiling samples around it, then the median over rounds.
 * Interleaving makes the ratio robust to the load of a shared machine drifting during the run.
 */
async function percentOfPeak(builds, wasm, T) {
  const n = SIZES[SIZES.length - 1];
  const a = random(n * n, 1), bm = random(n * n, 2), c = new Float64Array(n * n), kk = new Float64Array(n * n);
  const kernels = {
    gemm: (be) => be.gemm(false, false, n, n, n, 1, a, bm, 0, c),
    gram: (be) => be.syrk(n, n, 1, a, 0, c),
    gramHadamard: (be) => be.gramHadamardAcc(n, n, a, n, bm, 1, kk),
  };
  const probe = await createPeakProbe(builds, T);
  const acc = {};
  const load0 = loadavg()[0];
  try {
    for (let r = 0; r < PEAK_ROUNDS; r++) {
      for (const b of builds) {
        for (const t of [1, T]) {
          const be = wasm[b][t];
          const p0 = await probe.sample(b, t);
          const rates = {};
          for (const [k, f] of Object.entries(kernels)) {
            const t0 = performance.now();
            f(be);
            rates[k] = flops[k](n) / ((performance.now() - t0) / 1e3);
          }
          const peak = (p0 + await probe.sample(b, t)) / 2;
          const key = `${b} ${t}`;
          acc[key] ??= { peak: [], gemm: [], gram: [], gramHadamard: [], rate: { gemm: [], gram: [], gramHadamard: [] } };
          acc[key].peak.push(peak);
          for (const k of Object.keys(kernels)) {
            acc[key][k].push(rates[k] / peak);
            acc[key].rate[k].push(rates[k]);
          }
        }
      }
    }
  } finally {
    await probe.dispose();
  }
  const out = { n, rounds: PEAK_ROUNDS, load: [load0, loadavg()[0]], configs: {} };
  for (const [key, v] of Object.entries(acc)) {
    const { rate, ...fractions } = v;
    out.configs[key] = Object.fromEntries(Object.entries(fractions).map(([k, xs]) => [k, medianBest(xs)]));
    out.configs[key].rate = Object.fromEntries(Object.entries(rate).map(([k, xs]) => [k, medianBest(xs)]));
  }
  return out;
}

function rate(kernel, n, r) {
  if (!r) return '–';
  if (r.skipped) return `skipped: ${r.skipped}`;
  const f = flops[kernel](n) / 1e9;
  return `${fmt(f / r.median)} (${fmt(f / r.best)})`;
}

function ratio(x, y, digits = 2) {
  return x?.median && y?.median ? fmt(x.median / y.median, digits) : '–';
}

function report(res, names, builds, label) {
  const T = res.threads;
  const ml = 'ml-matrix mmul';
  const out = [];
  out.push('GFLOP/s (median sample, best in parentheses). GEMM counts 2n³ flops; Gram counts the ' +
    'n(n+1)n flops of the lower triangle it computes; Gram-Hadamard twice that. Wasm timings include ' +
    'copying operands into and out of wasm memory. `strict`: the SIMD build that multiplies then adds ' +
    '(the same bits on every CPU); `relaxed`: the build with f64x2.relaxed_madd (fused multiply-add; ' +
    'what loadBackend picks where the host supports it).');

  const pk = res.peak;
  const pct = (x) => (x ? `${(100 * x.median).toFixed(0)}%` : '–');
  out.push(`### Against the register-only peak (n = ${pk.n}, 1-minute load ${pk.load[0].toFixed(2)} -> ${pk.load[1].toFixed(2)})`);
  out.push('Peak: twelve independent f64x2 multiply-add chains in registers (assembly/peak.ts, run by bench/peak.mjs ' +
    'on every thread at once): the most this build can do on this CPU. Percentages: kernel rate over the peak ' +
    `measured just before and after it, median of ${pk.rounds} interleaved rounds (the load of a shared machine ` +
    `cancels in the ratio as long as it changes slowly); on the ${res.threads}-thread rows, in parentheses, the kernel's ` +
    'speed-up over one thread in the same rounds.');
  // On the rows of more than one thread, each kernel's speed-up over the same build's 1-thread
  // row (median rates of the same interleaved rounds).
  const cell = (b, t, v, k) => {
    const one = pk.configs[`${b} 1`]?.rate?.[k]?.median, here = v.rate?.[k]?.median;
    return t === '1' || !one || !here ? pct(v[k]) : `${pct(v[k])} (${fmt(here / one, 2)}x 1T)`;
  };
  out.push(mdTable(['build', 'threads', 'peak GFLOP/s (median, best)', 'GEMM', 'Gram (SYRK)', 'Gram-Hadamard'],
    Object.entries(pk.configs).map(([key, v]) => {
      const [b, t] = key.split(' ');
      return [b, t, `${fmt(v.peak.median / 1e9)} (${fmt(v.peak.best / 1e9)})`, cell(b, t, v, 'gemm'), cell(b, t, v, 'gram'), cell(b, t, v, 'gramHadamard')];
    })));

  out.push('### GEMM C = A B (n x n)');
  const one = label('strict', 1), all = label('strict', T);
  const speedups = builds.map((b) => [`${b}: ${T}T / 1T`, (r) => ratio(r[label(b, 1)], r[label(b, T)])]);
  const relVsStrict = builds.includes('relaxed') ? [['relaxed / strict 1T (speed)', (r) => ratio(r[one], r[label('relaxed', 1)])]] : [];
  out.push(mdTable(['n', ...names, ml, ...speedups.map(([h]) => h), ...relVsStrict.map(([h]) => h)],
    SIZES.map((n) => {
      const r = res.gemm[n];
      return [n, ...names.map((k) => rate('gemm', n, r[k])), rate('gemm', n, r[ml]),
        ...speedups.map(([, f]) => f(r)), ...relVsStrict.map(([, f]) => f(r))];
    })));

  out.push('### Gram C = A A^T (SYRK, n x n, k = n)');
  out.push(mdTable(['n', ...names, 'Gram / GEMM time (strict 1T)', ...speedups.map(([h]) => h), ...relVsStrict.map(([h]) => h)],
    SIZES.map((n) => {
      const r = res.gram[n], g = res.gemm[n];
      return [n, ...names.map((k) => rate('gram', n, r[k])), ratio(r[one], g[one]), ...speedups.map(([, f]) => f(r)), ...relVsStrict.map(([, f]) => f(r))];
    })));

  const simdNames = names.filter((k) => !/scalar|js/.test(k));
  out.push('### Gram-Hadamard K += (A A^T) o (B B^T) (the empirical NTK\'s layer term, n x n, k = n)');
  out.push(mdTable(['n', ...simdNames, 'time / GEMM time (strict 1T)', ...speedups.map(([h]) => h)],
    SIZES.map((n) => {
      const r = res.gramHadamard[n], g = res.gemm[n];
      return [n, ...simdNames.map((k) => rate('gramHadamard', n, r[k])), ratio(r[one], g[one]), ...speedups.map(([, f]) => f(r))];
    })));

  // The targets, on the largest n.
  const big = SIZES[SIZES.length - 1];
  const mark = (ok) => (ok ? 'met' : '**not met**');
  const rows = [];
  for (const b of builds) {
    const c1 = pk.configs[`${b} 1`];
    for (const k of ['gemm', 'gram']) {
      const p = c1?.[k]?.median;
      rows.push([`${b} ${k === 'gemm' ? 'GEMM' : 'SYRK'}, 1 thread, n = ${big}: >= 85% of the ${b} peak`, pct(c1?.[k]), mark(p >= 0.85)]);
    }
    // From the interleaved rounds of the peak table (robust to a drifting load).
    for (const [k, key] of [['GEMM', 'gemm'], ['SYRK', 'gram']]) {
      const s = pk.configs[`${b} ${T}`]?.rate?.[key]?.median / c1?.rate?.[key]?.median;
      rows.push([`${b} ${k} on ${T} threads >= 1.85x 1 thread (n = ${big})`, `${fmt(s, 2)}x`, mark(s >= 1.85)]);
    }
  }
  if (builds.includes('relaxed')) {
    const s = res.gemm[big][one]?.median / res.gemm[big][label('relaxed', 1)]?.median;
    const pr = pk.configs['relaxed 1']?.peak.median / pk.configs['strict 1']?.peak.median;
    rows.push([`relaxed GEMM no slower than strict where the peaks are equal (peak ratio ${fmt(pr, 2)}; 1T, n = ${big})`, `${fmt(s, 2)}x`, mark(s >= 0.97 * Math.min(1, pr))]);
  }
  out.push('### Targets');
  out.push(mdTable(['target', 'measured', ''], rows));
  return out.join('\n\n');
}
