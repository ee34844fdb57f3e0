// The symmetric eigensolver (issues 3, 17): lambdaMin (blocked Cholesky + Lanczos on K^-1),
// eigvalsh (blocked Householder + QL) and eigh (the same reduction, divide and conquer, compact
// WY back-transformation) at n = 1000, 2000, 4000 on NTK-like matrices, wasm on 1 and 2 threads
// vs js vs ml-matrix, with numpy.linalg.eigvalsh and eigh (LAPACK on OpenBLAS, one thread) run
// on the same matrices in the same run by bench/numpy/eig.py, and the fraction of the time
// each stage takes (tridiagonalize, tridiagonal, back-transform).
//
// NTK-like matrix: K = G G^T / n + (10 / n) 1 1^T + 1e-5 I with G n x n standard normal: a Gram
// matrix (its small eigenvalues near the hard edge, ~1/n^2, relatively well separated like an
// NTK's) plus a rank-one spike (the NTK's mean component, eigenvalue ~10), condition ~1e6.
//
// NTK_BENCH_EIG_SIZES=500,1000 narrows the sizes; NTK_BENCH_EIG_CASES=eigh keeps only the cases
// whose name contains one of the given words (comma-separated; the stage clock and numpy always
// run), e.g. the eigh comparison alone: NTK_BENCH_EIG_CASES=eigh npm run bench -- eig.
// NTK_BENCH_PYTHON picks the Python with numpy
// (default /usr/bin/python3, Debian's). numpy runs with OPENBLAS_NUM_THREADS=1 and with
// OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (see /work/.library/env/README.md: they slow a
// current OpenBLAS down), and reports the kernel OpenBLAS then picked.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDir, fmt, fromDist, gaussian, mdTable } from '../lib.mjs';
import { createPeakProbe } from '../peak.mjs';

const require = createRequire(import.meta.url);
const { Matrix, EigenvalueDecomposition } = require('ml-matrix');

export const title = 'Symmetric eigensolver: lambdaMin and eigvalsh vs numpy';

const SIZES = (process.env.NTK_BENCH_EIG_SIZES ?? '1000,2000,4000').split(',').map(Number);
const CASES = process.env.NTK_BENCH_EIG_CASES?.split(',').filter(Boolean);
/** A case whose extrapolated (n^3) time per call times 5 calls exceeds this is skipped. */
const MAX_CASE_SECONDS = 60;
const CALLS_PER_CASE = 5;
/** eigh calls with the stage clock per thread count (the one with the least total is kept). */
const STAGE_CALLS = 3;

/**
 * CPU seconds this process has used: a one-thread call's CPU time, which a shared machine's
 * load stretches far less than its wall time (the pool's idle workers use none).
 */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Seconds of all stages of one call's stage record. */
const sum = (s) => (s ? Object.values(s).reduce((a, b) => a + b, 0) : undefined);

/** The NTK-like test matrix described at the top. */
export function ntkLike(n, be) {
  const g = gaussian(n * n, 1000 + n);
  const k = new Float64Array(n * n);
  be.syrk(n, n, 1 / n, g, 0, k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) k[i * n + j] += 10 / n;
    k[i * n + i] += 1e-5;
  }
  return { rows: n, cols: n, data: k };
}

function python() {
  return process.env.NTK_BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/**
 * Runs bench/numpy/eig.py on one file (`reps` calls, with eigh unless `withEigh` is false);
 * returns its JSON lines, or { error }.
 */
export function runNumpy(file, { withEigh = true, reps = 3 } = {}) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const args = ['--reps', String(reps), ...(withEigh ? ['--eigh'] : []), file];
  const r = spawnSync(python(), [join(benchDir, 'numpy', 'eig.py'), ...args], { env, encoding: 'utf8', timeout: 1_200_000 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() };
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  return { info: lines[0], result: lines[1] };
}

export async function run(ctx) {
  const { eigh, eigvalsh, lambdaMin } = await fromDist('linalg/index.js');
  const { eighAccuracy } = await fromDist('linalg/accuracy.js');
  const { writeNpy, readNpy } = await fromDist('io/npy.js');
  const [wasm1, wasmAll, js] = await Promise.all([ctx.backends.wasm1(), ctx.backends.wasmAll(), ctx.backends.js()]);
  const dir = mkdtempSync(join(tmpdir(), 'ntk-bench-eig-'));
  const results = { sizes: SIZES, cases: {}, numpy: {}, numpyEigh: {}, numpyEighStages: {}, numpyEighCpu: {}, accuracy: {}, lambdaMin: {}, stages: {}, numpyInfo: null, load: {} };
  const prev = {};
  const skipIfSlow = (key, n, nPrev) => {
    const t = prev[key];
    if (t === undefined || nPrev === undefined) return undefined;
    const est = t * (n / nPrev) ** 3;
    return est * CALLS_PER_CASE > MAX_CASE_SECONDS ? `~${est.toFixed(0)} s per call (extrapolated)` : undefined;
  };
  try {
    // The one-thread multiply-add ceiling of the build wasm1 runs (bench/peak.mjs): what the
    // two-stage reduction's GEMM-shaped stage could reach at best (the ceiling table).
    if (wasm1.variant === 'strict' || wasm1.variant === 'relaxed') {
      const probe = await createPeakProbe([wasm1.variant], 1);
      try {
        const samples = [];
        for (let r = 0; r < 5; r++) samples.push(await probe.sample(wasm1.variant, 1));
        results.peak = { variant: wasm1.variant, flops: Math.max(...samples) };
      } finally {
        await probe.dispose();
      }
    }
    let nPrev;
    for (const n of SIZES) {
      const K = ntkLike(n, wasmAll);
      const file = join(dir, `K_${n}.npy`);
      writeFileSync(file, writeNpy(K));
      let lmWasm, evWasm, ehWasm;
      results.load[n] = { before: loadavg()[0] };
      const cases = [
        { name: 'wasm lambdaMin', fn: () => { lmWasm = lambdaMin(K, { backend: wasm1 }); } },
        { name: 'wasm eigvalsh', fn: () => { evWasm = eigvalsh(K, { backend: wasm1 }); } },
        { name: 'wasm eigh', fn: () => { ehWasm = eigh(K, { backend: wasm1 }); } },
        { name: 'wasm 2 threads eigvalsh', fn: () => eigvalsh(K, { backend: wasmAll }) },
        { name: 'wasm 2 threads eigh', fn: () => eigh(K, { backend: wasmAll }) },
        { name: 'js lambdaMin', fn: () => lambdaMin(K, { backend: js }) },
        { name: 'js eigvalsh', fn: () => eigvalsh(K, { backend: js }) },
        { name: 'ml-matrix EVD', fn: () => new EigenvalueDecomposition(Matrix.from1DArray(n, n, K.data), { assumeSymmetric: true }) },
      ].filter((c) => !CASES || CASES.some((w) => c.name.includes(w)))
        .map((c) => ({ ...c, skip: c.name.startsWith('wasm') ? undefined : skipIfSlow(c.name, n, nPrev) }));
      results.cases[n] = await ctx.measure(`eig n=${n}`, cases);
      // Where the time goes: calls with the stage clock, 1 and 2 threads interleaved (so that a
      // change of the machine's load hits both), keeping each one's call with the least total.
      // eigvalsh also with the one-stage reduction's opt-in split into panels and trailing
      // updates (the two-stage route always reports its band and bulge-chasing stages).
      const sv = { reductionPanel: 0, reductionUpdate: 0 };
      eigvalsh(K, { backend: wasm1, stages: sv });
      let se, se2;
      const least = (a, b) => (!a || sum(b) < sum(a) ? b : a);
      let cpu1 = Infinity;
      for (let r = 0; r < STAGE_CALLS; r++) {
        const s1 = {}, s2 = {};
        const c0 = cpuSeconds();
        eigh(K, { backend: wasm1, stages: s1 });
        cpu1 = Math.min(cpu1, cpuSeconds() - c0);
        eigh(K, { backend: wasmAll, stages: s2 });
        se = least(se, s1);
        se2 = least(se2, s2);
      }
      // The accuracy tables' inputs when NTK_BENCH_EIG_CASES left their cases out.
      evWasm ??= eigvalsh(K, { backend: wasm1 });
      ehWasm ??= eigh(K, { backend: wasm1 });
      lmWasm ??= lambdaMin(K, { backend: wasm1 });
      results.stages[n] = { eigvalsh: sv, eigh: se, eigh2: se2, eighCpu: cpu1 };
      const acc = eighAccuracy(K, ehWasm.values, ehWasm.vectors, wasmAll);
      results.stages[n].eighResidualRatio = acc.residual;
      results.stages[n].eighOrthogonalityRatio = acc.orthogonality;
      for (const [name, v] of Object.entries(results.cases[n])) if (v.median) prev[name] = v.median;
      results.lambdaMin[n] = { value: lmWasm.value, method: lmWasm.method, errorBound: lmWasm.errorBound, iterations: lmWasm.iterations };
      // numpy on the same matrix, right after (so under the same machine load).
      const np = runNumpy(file);
      if (np.error) results.numpy[n] = { error: np.error };
      else {
        results.numpyInfo = np.info;
        const s = [...np.result.seconds].sort((a, b) => a - b);
        results.numpy[n] = { median: s[Math.floor((s.length - 1) / 2)], best: s[0], samples: s.length, lambdaMin: np.result.lambda_min };
        if (np.result.eigh_seconds) {
          const se2 = [...np.result.eigh_seconds].sort((a, b) => a - b);
          results.numpyEigh[n] = { median: se2[Math.floor((se2.length - 1) / 2)], best: se2[0], samples: se2.length };
        }
        if (np.result.eigh_stages) results.numpyEighStages[n] = np.result.eigh_stages;
        if (np.result.eigh_cpu_seconds) results.numpyEighCpu[n] = Math.min(...np.result.eigh_cpu_seconds);
        results.load[n].after = loadavg()[0];
        const wNp = readNpy(readFileSync(file + '.numpy-eigvals.npy')).data;
        const lmax = wNp[n - 1];
        let maxDiff = 0;
        for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(evWasm[i] - wNp[i]));
        results.accuracy[n] = {
          eigvalshMaxDiffRel: maxDiff / lmax,
          lambdaMinDiffRel: Math.abs(lmWasm.value - wNp[0]) / lmax,
          lambdaMaxOverMin: lmax / wNp[0],
        };
      }
      nPrev = n;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  ctx.results = results;
  return report(results);
}

const sec = (r) => {
  if (!r) return '–';
  if (r.skipped) return `skipped: ${r.skipped}`;
  if (r.error) return `not run: ${r.error}`;
  return `${fmt(r.median, 3)} (${fmt(r.best, 3)})`;
};
const ratio = (x, y) => (x?.median && y?.median ? fmt(x.median / y.median, 2) : '–');

/** The markdown section from the saved results (also used to re-render bench/results/eig.md). */
export function report(res) {
  const out = [];
  const info = res.numpyInfo;
  out.push('Seconds per call (median sample, best in parentheses), one thread everywhere. numpy: ' +
    (info ? `numpy ${info.numpy}, OpenBLAS core ${info.openblas_core} (${info.openblas_config})` : 'not available') +
    ', `OPENBLAS_NUM_THREADS=1`, run by bench/numpy/eig.py on the same matrix right after the JS cases ' +
    '(numpy side alone: `apt-get install -y python3-numpy libopenblas0-pthread`, then ' +
    '`OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/numpy/eig.py K.npy`). ' +
    'Matrix: K = G G^T / n + (10/n) 1 1^T + 1e-5 I, G n x n standard normal (a Gram matrix plus a rank-one spike, condition ~1e6). ' +
    'Wasm timings include copying K into wasm memory and the input checks.');
  out.push(mdTable(['n', 'wasm lambdaMin', 'wasm eigvalsh', 'numpy eigvalsh', 'js lambdaMin', 'js eigvalsh', 'ml-matrix EVD (with vectors)',
    'numpy / wasm lambdaMin (speed-up)', 'wasm eigvalsh / numpy (time)'],
  res.sizes.map((n) => {
    const c = res.cases[n];
    return [n, sec(c['wasm lambdaMin']), sec(c['wasm eigvalsh']), sec(res.numpy[n]), sec(c['js lambdaMin']), sec(c['js eigvalsh']),
      sec(c['ml-matrix EVD']), ratio(res.numpy[n], c['wasm lambdaMin']), ratio(c['wasm eigvalsh'], res.numpy[n])];
  })));
  out.push('### eigh and eigvalsh side by side with numpy, and 2 threads');
  out.push('Seconds per call (median, best in parentheses); numpy with `OPENBLAS_NUM_THREADS=1` right after the wasm cases on the same matrix. Load: the 1-minute load average before / after each size (2 cores, shared machine).');
  out.push(mdTable(['n', 'wasm eigh', 'numpy eigh', 'eigh wasm / numpy', 'wasm eigvalsh', 'numpy eigvalsh', 'eigvalsh wasm / numpy',
    'wasm 2 threads eigh', 'eigh 1 / 2 threads', 'wasm 2 threads eigvalsh', 'eigvalsh 1 / 2 threads', 'load'],
  res.sizes.map((n) => {
    const c = res.cases[n] ?? {};
    const l = res.load?.[n];
    return [n, sec(c['wasm eigh']), sec(res.numpyEigh?.[n]), ratio(c['wasm eigh'], res.numpyEigh?.[n]), sec(c['wasm eigvalsh']), sec(res.numpy[n]),
      ratio(c['wasm eigvalsh'], res.numpy[n]), sec(c['wasm 2 threads eigh']), ratio(c['wasm eigh'], c['wasm 2 threads eigh']),
      sec(c['wasm 2 threads eigvalsh']), ratio(c['wasm eigvalsh'], c['wasm 2 threads eigvalsh']), l ? `${fmt(l.before, 1)} / ${fmt(l.after, 1)}` : '–'];
  })));
  out.push('### Where the time goes (wasm, one thread; one call with the stage clock)');
  // Fractions of the whole call: the top-level stages only (the reduction's panel and update
  // times are parts of `tridiagonalize`).
  const frac = (s, k) => {
    const tot = ['tridiagonalize', 'tridiagonal', 'backTransform'].reduce((a, key) => a + (s?.[key] ?? 0), 0);
    return s && s[k] !== undefined && tot > 0 ? `${fmt(s[k], 3)} s (${fmt((100 * s[k]) / tot, 0)}%)` : '–';
  };
  out.push('eigvalsh reduces in one stage below n = 1000 (panels of matrix-vector products, then a rank-2nb update) and in two stages from 1000 on (to a band of half-width 32 by block reflectors at GEMM speed, then to tridiagonal by bulge chasing); the columns of the other route show –.');
  out.push(mdTable(['n', 'eigvalsh: tridiagonalize', 'of which panels (SYMV)', 'of which trailing updates (GEMM)', 'of which band (stage 1)', 'of which bulge chasing (stage 2)', 'eigvalsh: QL', 'eigh: tridiagonalize', 'eigh: divide and conquer', 'eigh: back-transform', 'eigh residual ratio', 'eigh orthogonality ratio'],
    res.sizes.map((n) => {
      const st = res.stages?.[n];
      const oneStage = st?.eigvalsh?.band === undefined;
      const part = (k) => (oneStage === (k === 'reductionPanel' || k === 'reductionUpdate') ? frac(st?.eigvalsh, k) : '–');
      return [n, frac(st?.eigvalsh, 'tridiagonalize'), part('reductionPanel'), part('reductionUpdate'), part('band'), part('bulge'), frac(st?.eigvalsh, 'tridiagonal'), frac(st?.eigh, 'tridiagonalize'), frac(st?.eigh, 'tridiagonal'),
        frac(st?.eigh, 'backTransform'), st ? fmt(st.eighResidualRatio, 2) : '–', st ? fmt(st.eighOrthogonalityRatio, 2) : '–'];
    })));
  if (res.peak) {
    out.push('### eigvalsh: how close the two-stage route can get to numpy on this CPU');
    out.push(`Stage 1 (the band reduction) is 4n^3/3 flops in GEMM-shaped products. Its floor is that count at the register-only multiply-add peak of the build (${res.peak.variant}, one thread: ${fmt(res.peak.flops / 1e9, 1)} GFLOP/s, best of 5 samples of bench/peak.mjs, taken before the sizes): no wasm kernel can beat it, since 128-bit SIMD does 2 float64 multiply-adds per instruction where OpenBLAS's AVX-512 kernels do 8. ` +
      'The floor of eigvalsh adds the measured stage 2 (bulge chasing) and QL of the stage-clocked call above; `floor / numpy` is the best ratio to numpy eigvalsh (median) this route could show here.');
    out.push(mdTable(['n', 'stage 1 measured', 'stage 1 at the peak', 'stage 1 % of peak', 'stage 2 + QL measured', 'eigvalsh floor', 'numpy eigvalsh', 'floor / numpy', 'measured / numpy'],
      res.sizes.filter((n) => res.stages?.[n]?.eigvalsh?.band !== undefined).map((n) => {
        const st = res.stages[n].eigvalsh;
        const ideal = (4 * n ** 3) / 3 / res.peak.flops;
        const rest = (st.bulge ?? 0) + (st.tridiagonal ?? 0);
        const np = res.numpy[n]?.median, t = res.cases[n]?.['wasm eigvalsh']?.median;
        return [n, `${fmt(st.band, 3)} s`, `${fmt(ideal, 3)} s`, `${fmt((100 * ideal) / st.band, 0)}%`, `${fmt(rest, 3)} s`, `${fmt(ideal + rest, 3)} s`,
          np ? `${fmt(np, 3)} s` : '–', np ? fmt((ideal + rest) / np, 2) : '–', np && t ? fmt(t / np, 2) : '–'];
      })));
  }
  out.push('### eigh: where the time goes on 1 and 2 threads, next to LAPACK');
  out.push(`Seconds per stage of the eigh call with the least total of ${STAGE_CALLS} with the stage clock (wasm: the default build on 1 and on all threads, ` +
    "interleaved; LAPACK: dsyevd's stages dsytrd, dstedc, dormtr called one by one through ctypes from numpy's OpenBLAS with `OPENBLAS_NUM_THREADS=1`, " +
    "best total of its calls), each with its share of that call's total; all measured in the same run on the same matrix.");
  const STAGES = [['tridiagonalize', 'tridiagonalize'], ['divide and conquer', 'tridiagonal'], ['back-transform', 'backTransform']];
  const cell = (s, k) => {
    const tot = sum(s);
    const v = k ? s?.[k] : tot;
    return v !== undefined && tot > 0 ? `${fmt(v, 3)} s (${fmt((100 * v) / tot, 0)}%)` : '–';
  };
  const div = (a, b) => (a && b ? fmt(a / b, 2) : '–');
  const stageRows = [];
  for (const n of res.sizes) {
    const st = res.stages?.[n], lp = res.numpyEighStages?.[n];
    for (const [label, k] of [...STAGES, ['total', null]]) {
      const w1 = k ? st?.eigh?.[k] : sum(st?.eigh), w2 = k ? st?.eigh2?.[k] : sum(st?.eigh2), l1 = k ? lp?.[k] : sum(lp);
      stageRows.push([n, label, cell(st?.eigh, k), cell(st?.eigh2, k), div(w1, w2), cell(lp, k), div(w1, l1)]);
    }
  }
  out.push(mdTable(['n', 'stage', 'wasm 1 thread', 'wasm 2 threads', '1 / 2 threads', 'LAPACK dsyevd, 1 thread', 'wasm 1 thread / LAPACK'], stageRows));
  out.push('One thread in CPU seconds (least of the stage-clocked wasm calls; numpy eigh\'s `time.process_time`, least of its calls): the ratio a loaded machine distorts least.');
  out.push(mdTable(['n', 'wasm eigh, CPU s', 'numpy eigh, CPU s', 'wasm / numpy (CPU)'], res.sizes.map((n) => {
    const w = res.stages?.[n]?.eighCpu, p = res.numpyEighCpu?.[n];
    return [n, w ? fmt(w, 3) : '–', p ? fmt(p, 3) : '–', div(w, p)];
  })));
  out.push('### Accuracy against numpy (LAPACK) on the same matrices, and what lambdaMin did');
  out.push(mdTable(['n', 'lambda_max / lambda_min', 'max abs(eigvalsh - numpy) / lambda_max', 'abs(lambdaMin - numpy) / lambda_max', 'lambdaMin method', 'Lanczos steps', 'error bound / lambda_max'],
    res.sizes.map((n) => {
      const a = res.accuracy[n], l = res.lambdaMin[n];
      const lmax = a ? a.lambdaMaxOverMin * (res.numpy[n]?.lambdaMin ?? NaN) : NaN;
      return [n, a ? a.lambdaMaxOverMin.toExponential(2) : '–', a ? a.eigvalshMaxDiffRel.toExponential(1) : '–',
        a ? a.lambdaMinDiffRel.toExponential(1) : '–', l.method, l.iterations ?? '–', Number.isFinite(lmax) ? (l.errorBound / lmax).toExponential(1) : '–'];
    })));
  const mark = (ok) => (ok === undefined ? '–' : ok ? 'met' : '**not met**');
  const rows = [];
  for (const n of [2000, 4000]) {
    if (!res.cases[n]) continue;
    const t = res.cases[n]['wasm lambdaMin']?.median, np = res.numpy[n]?.median;
    rows.push([`wasm lambdaMin faster than numpy eigvalsh, n = ${n}`, t && np ? `${fmt(t, 3)} s vs ${fmt(np, 3)} s` : '–', mark(t && np ? t < np : undefined)]);
  }
  for (const n of res.sizes) {
    const c = res.cases[n] ?? {};
    const t = c['wasm eigvalsh']?.median, np = res.numpy[n]?.median;
    rows.push([`wasm eigvalsh within 1.3x of numpy, n = ${n}`, t && np ? `${fmt(t / np, 2)}x` : '–', mark(t && np ? t / np <= 1.3 : undefined)]);
    const te = c['wasm eigh']?.median, npe = res.numpyEigh?.[n]?.median;
    rows.push([`wasm eigh within 2x of numpy, n = ${n}`, te && npe ? `${fmt(te / npe, 2)}x` : '–', mark(te && npe ? te / npe <= 2 : undefined)]);
  }
  if (res.cases[4000]) {
    const c = res.cases[4000];
    const g = c['wasm eigh']?.median && c['wasm 2 threads eigh']?.median ? c['wasm eigh'].median / c['wasm 2 threads eigh'].median : undefined;
    rows.push(['eigh on 2 threads >= 1.6x one thread, n = 4000', g ? `${fmt(g, 2)}x` : '–', mark(g ? g >= 1.6 : undefined)]);
  }
  const worst = Math.max(...res.sizes.map((n) => Math.max(res.accuracy[n]?.eigvalshMaxDiffRel ?? 0, res.accuracy[n]?.lambdaMinDiffRel ?? 0)));
  rows.push(['eigenvalues within 1e-12 lambda_max of LAPACK', worst.toExponential(1), mark(res.sizes.some((n) => res.accuracy[n]) ? worst <= 1e-12 : undefined)]);
  out.push('### Targets');
  out.push(mdTable(['target', 'measured', ''], rows));
  return out.join('\n\n');
}
