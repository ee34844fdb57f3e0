// GEMM (C = A B), Gram (C = A A^T, the SYRK kernel) and the fused Gram-Hadamard update of the
// empirical NTK (K += (A A^T) o (B B^T)) on n x n float64 operands, n = 500, 1000, 2000.
import { createRequire } from 'node:module';
import { fmt, mdTable } from '../lib.mjs';

const require = createRequire(import.meta.url);
const { Matrix } = require('ml-matrix');

export const title = 'BLAS-3: GEMM, Gram (SYRK) and Gram-Hadamard';

const SIZES = [500, 1000, 2000];
/** A js or ml-matrix case whose extrapolated time per case exceeds this many seconds is skipped. */
const MAX_CASE_SECONDS = 30;
/** Calls a slow case costs: warm-up, benny's calibration and 3 samples. */
const CALLS_PER_SLOW_CASE = 5;

function random(n, seed) {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

export async function run(ctx) {
  const { backends, cores } = ctx;
  const [wasm1, wasmAll, scalar, js] = await Promise.all([
    backends.wasm1(), backends.wasmAll(), backends.scalar(), backends.js()]);
  const T = wasmAll.threads;
  const impls = [
    ['wasm 1 thread', wasm1], [`wasm ${T} threads`, wasmAll], ['wasm-scalar', scalar], ['js', js]];
  const results = { gemm: {}, gram: {}, gramHadamard: {}, threads: T, cores };
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
    results.gramHadamard[n] = await ctx.measure(`Gram-Hadamard n=${n}`, impls.slice(0, 2).map(([name, be]) => ({
      name, fn: () => be.gramHadamardAcc(n, n, a, n, bm, 1, kk),
    })));

    for (const [kernel, r] of [['gemm', results.gemm[n]], ['gram', results.gram[n]]]) {
      for (const [name, v] of Object.entries(r)) if (v.median) prev[`${kernel} ${name}`] = v.median;
    }
    nPrev = n;
  }
  ctx.results = results;
  return report(results, impls.map(([name]) => name));
}

// Rates: GEMM 2 n^3 flops; Gram n(n+1) n (the lower triangle, diagonal included);
// Gram-Hadamard twice that.
const flops = {
  gemm: (n) => 2 * n ** 3,
  gram: (n) => n * (n + 1) * n,
  gramHadamard: (n) => 2 * n * (n + 1) * n,
};

function rate(kernel, n, r) {
  if (!r) return '–';
  if (r.skipped) return `skipped: ${r.skipped}`;
  const f = flops[kernel](n) / 1e9;
  return `${fmt(f / r.median)} (${fmt(f / r.best)})`;
}

function ratio(x, y, digits = 2) {
  return x?.median && y?.median ? fmt(x.median / y.median, digits) : '–';
}

function report(res, names) {
  const [one, all, , js] = names;
  const T = res.threads;
  const ml = 'ml-matrix mmul';
  const out = [];
  out.push('GFLOP/s (median sample, best in parentheses). GEMM counts 2n³ flops; Gram counts the ' +
    'n(n+1)n flops of the lower triangle it computes; Gram-Hadamard twice that. Wasm timings include ' +
    'copying operands into and out of wasm memory.');

  out.push('### GEMM C = A B (n x n)');
  out.push(mdTable(['n', ...names, ml, `wasm 1 thread / ml-matrix (time)`, `${T} threads / 1 (speed-up)`],
    SIZES.map((n) => {
      const r = res.gemm[n];
      return [n, ...names.map((k) => rate('gemm', n, r[k])), rate('gemm', n, r[ml]),
        ratio(r[ml], r[one], 1), ratio(r[one], r[all])];
    })));

  out.push('### Gram C = A A^T (SYRK, n x n, k = n)');
  out.push(mdTable(['n', ...names, 'Gram / GEMM time (1 thread)', `Gram / GEMM time (${T} threads)`, `${T} threads / 1 (speed-up)`, 'js / wasm 1 thread (time)'],
    SIZES.map((n) => {
      const r = res.gram[n], g = res.gemm[n];
      return [n, ...names.map((k) => rate('gram', n, r[k])), ratio(r[one], g[one]), ratio(r[all], g[all]),
        ratio(r[one], r[all]), ratio(r[js], r[one], 0)];
    })));

  out.push('### Gram-Hadamard K += (A A^T) o (B B^T) (the empirical NTK\'s layer term, n x n, k = n)');
  out.push(mdTable(['n', one, all, 'time / GEMM time (1 thread)', `${T} threads / 1 (speed-up)`],
    SIZES.map((n) => {
      const r = res.gramHadamard[n], g = res.gemm[n];
      return [n, rate('gramHadamard', n, r[one]), rate('gramHadamard', n, r[all]), ratio(r[one], g[one]), ratio(r[one], r[all])];
    })));

  // The targets, checked on the largest n where each was measured.
  const big = SIZES[SIZES.length - 1];
  const g1 = res.gemm[big][one];
  const gflops1 = g1?.median ? flops.gemm(big) / g1.median / 1e9 : NaN;
  const mlN = [...SIZES].reverse().find((n) => res.gemm[n][ml]?.median);
  const vsMl = mlN ? res.gemm[mlN][ml].median / res.gemm[mlN][one].median : NaN;
  const gramRatio = res.gram[big][one]?.median / g1?.median;
  const scaleGemm = g1?.median / res.gemm[big][all]?.median;
  const scaleGram = res.gram[big][one]?.median / res.gram[big][all]?.median;
  const mark = (ok) => (ok ? 'met' : '**not met**');
  out.push('### Targets');
  out.push(mdTable(['target', 'measured', ''], [
    [`wasm GEMM, 1 thread, n = ${big}: >= 25 GFLOP/s`, `${fmt(gflops1)} GFLOP/s`, mark(gflops1 >= 25)],
    [`wasm GEMM >= 15x ml-matrix mmul (n = ${mlN ?? '–'}, largest n measured for ml-matrix)`, `${fmt(vsMl)}x`, mark(vsMl >= 15)],
    [`Gram in about half the GEMM time (1 thread, n = ${big})`, `${fmt(gramRatio, 2)}`, mark(gramRatio <= 0.6)],
    [`GEMM on ${T} threads >= 1.8x 1 thread (n = ${big})`, `${fmt(scaleGemm, 2)}x`, mark(scaleGemm >= 1.8)],
    [`Gram (SYRK) on ${T} threads >= 1.8x 1 thread (n = ${big})`, `${fmt(scaleGram, 2)}x`, mark(scaleGram >= 1.8)],
  ]));
  return out.join('\n\n');
}
