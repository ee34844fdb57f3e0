// lambdaMin is never the slow path (issue 17 item 3): lambdaMin against eigvalsh on the same
// matrix, on 1 and 2 threads, over spectrum shapes that go each way, with LAPACK's best route
// to one eigenvalue (scipy's eigh(subset_by_index=[0, 0], driver='evr'), dsyevr with an index
// range; numpy has none) and numpy's eigvalsh at the same thread counts, run by
// bench/numpy/lambda_min.py on the same matrix right after the wasm cases. Also what the cost
// model decided (src/linalg/lambda-min-plan.ts) and the model's cost of the Cholesky route
// beside the measured time ratio.
//
// Shapes: `ntk-tanh` the infinite-width tanh NTK of Figure 1 (L = 2, d = 100 Gaussian data;
// a clustered bottom); `ntk-relu` the same with ReLU (a softer edge: at n = 1000-2000 Lanczos
// is slow enough that shift and invert, a second factorization just below lambda_min, pays); `gram-spike` G G^T / n + (10/n) 1 1^T +
// 1e-5 I (bench/suites/eig.mjs's matrix); `dense-low` G G^T / n + 0.1 I (a dense bottom of the
// spectrum: Lanczos cannot resolve it, the tridiagonal route must win); `toeplitz` the 1-2-1
// matrix.
//
// NTK_BENCH_LM_SIZES=1000,2000,4000 picks the sizes (default 1000,2000); NTK_BENCH_LM_SHAPES
// narrows the shapes; NTK_BENCH_PYTHON the Python with numpy and scipy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDir, fmt, fromDist, gaussian, mdTable, median } from '../lib.mjs';
import { createStreamProbe } from '../peak.mjs';

export const title = 'lambdaMin against eigvalsh and LAPACK dsyevr (one eigenvalue), 1 and 2 threads';

const SIZES = (process.env.NTK_BENCH_LM_SIZES ?? '1000,2000').split(',').map(Number);
const SHAPES = (process.env.NTK_BENCH_LM_SHAPES ?? 'ntk-tanh,ntk-relu,gram-spike,dense-low,toeplitz').split(',');

/**
 * The bench's matrix of a shape at order n ({rows, cols, data}; see the shapes above; any
 * `ntk-<activation>` works), built on the backend `be`. Also used by bench/lambda-min-routes.mjs.
 */
export async function matrix(shape, n, be) {
  const k = new Float64Array(n * n);
  if (shape.startsWith('ntk-')) {
    const { gaussianData, infiniteWidth, nu0sq } = await fromDist('index.js');
    const X = gaussianData({ n, d: 100, seed: 2 });
    const act = shape.slice(4);
    const r = infiniteWidth(X, { depth: 2, activation: act, nu0sq: nu0sq(act, 1), backend: be, spectrum: false });
    return r.Theta;
  }
  if (shape === 'toeplitz') {
    for (let i = 0; i < n; i++) {
      k[i * n + i] = 2;
      if (i > 0) { k[i * n + i - 1] = -1; k[(i - 1) * n + i] = -1; }
    }
  } else {
    be.syrk(n, n, 1 / n, gaussian(n * n, 1000 + n), 0, k);
    for (let i = 0; i < n; i++) {
      if (shape === 'gram-spike') {
        for (let j = 0; j < n; j++) k[i * n + j] += 10 / n;
        k[i * n + i] += 1e-5;
      } else k[i * n + i] += 0.1;
    }
  }
  return { rows: n, cols: n, data: k };
}

function python() {
  return process.env.NTK_BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

function runLapack(file, threads) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(python(), [join(benchDir, 'numpy', 'lambda_min.py'), file], { env, encoding: 'utf8', timeout: 1_200_000 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() };
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const med = (s) => (s ? median(s) : undefined);
  return { info: lines[0], evr: med(lines[1].evr_seconds), eigvalsh: med(lines[1].eigvalsh_seconds), lambdaMin: lines[1].lambda_min };
}

export async function run(ctx) {
  const { eigvalsh, lambdaMin } = await fromDist('linalg/index.js');
  const { writeNpy } = await fromDist('io/npy.js');
  const [wasm1, wasmAll] = await Promise.all([ctx.backends.wasm1(), ctx.backends.wasmAll()]);
  const T = wasmAll.threads;
  const dir = mkdtempSync(join(tmpdir(), 'ntk-bench-lm-'));
  const res = { sizes: SIZES, shapes: SHAPES, threads: T, rows: [], cholesky: [], info: null };
  // The memory roof the solves stream against: L's triangle (4 n^2 bytes) at the largest n.
  const roof = await createStreamProbe(wasm1.variant, T, triangleBytes(Math.max(...SIZES)));
  try {
    for (const n of SIZES) {
      for (const shape of SHAPES) {
        const K = await matrix(shape, n, wasmAll);
        const file = join(dir, `K_${shape}_${n}.npy`);
        writeFileSync(file, writeNpy(K));
        const load = { before: loadavg()[0] };
        const lm = {};
        const timing = await ctx.measure(`lambda-min ${shape} n=${n}`, [
          { name: 'lambdaMin 1T', fn: () => { lm[1] = lambdaMin(K, { backend: wasm1 }); } },
          { name: 'eigvalsh 1T', fn: () => eigvalsh(K, { backend: wasm1 }) },
          { name: `lambdaMin ${T}T`, fn: () => { lm[T] = lambdaMin(K, { backend: wasmAll }); } },
          { name: `eigvalsh ${T}T`, fn: () => eigvalsh(K, { backend: wasmAll }) },
        ], { minSamples: 3, maxTime: 1 });
        const lapack1 = runLapack(file, 1), lapackT = runLapack(file, T);
        load.after = loadavg()[0];
        if (lapack1.info) res.info = lapack1.info;
        const dec = (r) => ({ method: r.method, iterations: r.iterations, cost: r.cost, value: r.value });
        // Where lambdaMin's time goes: one call each with the stage clock.
        const stages = { 1: {}, [T]: {} };
        lambdaMin(K, { backend: wasm1, stages: stages[1] });
        lambdaMin(K, { backend: wasmAll, stages: stages[T] });
        res.rows.push({ n, shape, timing, lapack1, lapackT, load, lm1: dec(lm[1]), lmT: dec(lm[T]), stages });
      }
      res.cholesky.push({ n, ...(await choleskyGains(await matrix('dense-low', n, wasmAll), wasm1, wasmAll, roof)) });
    }
  } finally {
    await roof.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  ctx.results = res;
  return report(res);
}

/** Calls per thread count of the factorization and solve gains (least time kept). */
const KERNEL_CALLS = 7;
/** Solves per call when timing one (the least of those calls, over KERNEL_CALLS calls). */
const SOLVES = 10;

/** Bytes of L's lower triangle, rounded up to the stream probe's 64-byte step. */
const triangleBytes = (n) => Math.ceil((4 * n * (n + 1)) / 64) * 64;

/**
 * The Cholesky route's two kernels on 1 and on all threads, interleaved (so a change of the
 * machine's load hits both), least time of KERNEL_CALLS: the factorization (with K's copy in
 * and its mirrored copy for products, as lambdaMin makes them) and one single-vector solve
 * with L (what each Lanczos step costs, less the reorthogonalization). Between them, the
 * memory roof of a solve: the stream probe (bench/peak.mjs) reading L's triangle's worth of
 * bytes on one thread, and split over all threads (each its half, as the paired solve reads
 * its rows), the most of KERNEL_CALLS samples each. A solve reads the triangle twice
 * (forward and backward), so its bandwidth is 8 n (n + 1) bytes over its time.
 */
async function choleskyGains(K, one, all, roof) {
  const n = K.rows;
  const T = all.threads;
  const best = { factor1: Infinity, factorT: Infinity, solve1: Infinity, solveT: Infinity, roof1: 0, roofT: 0 };
  const x0 = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const bytes = triangleBytes(n);
  for (let r = 0; r < KERNEL_CALLS; r++) {
    for (const [key, be] of [['1', one], ['T', all]]) {
      const t0 = performance.now();
      be.cholesky(n, K.data, 0, true, (f) => {
        best[`factor${key}`] = Math.min(best[`factor${key}`], (performance.now() - t0) / 1e3);
        const x = new Float64Array(n);
        for (let q = 0; q < SOLVES; q++) {
          x.set(x0);
          const t1 = performance.now();
          f.solve(x);
          best[`solve${key}`] = Math.min(best[`solve${key}`], (performance.now() - t1) / 1e3);
        }
      });
    }
    best.roof1 = Math.max(best.roof1, await roof.sample(bytes, 1));
    best.roofT = Math.max(best.roofT, await roof.sample(Math.ceil(bytes / T / 64) * 64, T));
  }
  return best;
}

const med = (c) => c?.median;
const r2 = (a, b) => (a && b ? fmt(a / b, 2) : '–');

/** The markdown section from the saved results. */
export function report(res) {
  const T = res.threads;
  const info = res.info;
  const out = [];
  out.push('Seconds per call (median of at least 3 samples) on the same matrix, wasm (default build) on 1 and ' +
    `${T} threads, then LAPACK right after at the same thread counts: ` +
    (info ? `scipy ${info.scipy ?? '(not installed)'} \`eigh(K, subset_by_index=[0, 0], driver='evr')\` (dsyevr, one eigenvalue) and numpy ${info.numpy} \`eigvalsh\`, OpenBLAS core ${info.openblas_core}` : 'not available') +
    '. numpy itself has no index-range driver. Ratios are times (below 1: the first is faster). ' +
    '`model` is the cost model\'s account of the Cholesky route (what it spent over what the tridiagonal route costs, both in model seconds), beside the measured lambdaMin / eigvalsh; ' +
    'on the tridiagonal route lambdaMin pays that share on top of the reduction (less QL, replaced by bisection).');
  const rowsOf = (threads) => res.rows.map((r) => {
    const t = r.timing, lm = t[`lambdaMin ${threads}T`], ev = t[`eigvalsh ${threads}T`];
    const lp = threads === 1 ? r.lapack1 : r.lapackT;
    const d = threads === 1 ? r.lm1 : r.lmT;
    const model = d.cost ? fmt(d.cost.spent / d.cost.tridiagonal, 2) : '–';
    return [r.n, r.shape, fmt(med(lm), 3), fmt(med(ev), 3), r2(med(lm), med(ev)), model,
      `${d.method}${d.cost ? ` (${d.cost.decision}${d.iterations ? `, ${d.iterations} solves` : ''})` : ''}`,
      fmt(lp.evr, 3), r2(med(lm), lp.evr), fmt(lp.eigvalsh, 3), `${fmt(r.load.before, 1)} / ${fmt(r.load.after, 1)}`];
  });
  const head = ['n', 'matrix', 'lambdaMin', 'eigvalsh', 'lambdaMin / eigvalsh', 'model: Cholesky route spent / tridiagonal route', 'route (decision)', 'dsyevr 1 value', 'lambdaMin / dsyevr', 'numpy eigvalsh', 'load before / after'];
  out.push('### One thread');
  out.push(mdTable(head, rowsOf(1)));
  out.push(`### ${T} threads (wasm and OpenBLAS)`);
  out.push(mdTable(head, rowsOf(T)));
  out.push('### 2-thread gains (1 thread / 2 threads, time)');
  out.push(mdTable(['n', 'matrix', 'lambdaMin', 'eigvalsh', 'dsyevr 1 value'], res.rows.map((r) => [r.n, r.shape,
    r2(med(r.timing['lambdaMin 1T']), med(r.timing[`lambdaMin ${T}T`])), r2(med(r.timing['eigvalsh 1T']), med(r.timing[`eigvalsh ${T}T`])),
    r2(r.lapack1.evr, r.lapackT.evr)])));
  out.push("### Where lambdaMin's time goes");
  out.push('Seconds per stage of one lambdaMin call with the stage clock (after the timed calls; `factorize` includes copying K in), next to the median eigvalsh above. ' +
    'On the tridiagonal route (the dense bottom) the factorization and the probe\'s solves are what lambdaMin pays over eigvalsh, less QL, which bisection replaces.');
  const st = (s, k) => (s?.[k] !== undefined ? fmt(s[k], 3) : '–');
  out.push(mdTable(['n', 'matrix', 'threads', 'factorize', 'lanczos', 'tridiagonalize', 'bisection', 'lambdaMin (sum)', 'eigvalsh (median)'],
    res.rows.flatMap((r) => (r.stages ? [1, T] : []).map((th) => {
      const s = r.stages[th];
      const tot = Object.values(s).reduce((a, b) => a + b, 0);
      return [r.n, r.shape, th, st(s, 'factorize'), st(s, 'lanczos'), st(s, 'tridiagonalize'), st(s, 'bisection'), fmt(tot, 3), fmt(med(r.timing[`eigvalsh ${th}T`]), 3)];
    }))));
  if (res.cholesky?.length) {
    out.push(`### The Cholesky route's kernels on ${T} threads`);
    out.push(`Least seconds of ${KERNEL_CALLS} interleaved calls (dense-low matrix): the factorization, with K's copy in and its mirrored copy for products, and one single-vector solve with L (the least of ${SOLVES} per call). ` +
      'Below n = 1024 the solve stays on one thread: L fits in the caches and a solve takes ~0.1 ms, too little to hand over.');
    out.push(mdTable(['n', 'factorize 1T', `factorize ${T}T`, 'factorize 1T / 2T', 'solve 1T', `solve ${T}T`, 'solve 1T / 2T'], res.cholesky.map((c) => [c.n,
      fmt(c.factor1, 4), fmt(c.factorT, 4), r2(c.factor1, c.factorT), fmt(c.solve1 * 1e3, 3) + ' ms', fmt(c.solveT * 1e3, 3) + ' ms', r2(c.solve1, c.solveT)])));
    if (res.cholesky[0].roof1) {
      out.push('The solve against the memory roof: it reads L\'s triangle twice, 8 n (n + 1) bytes, streaming it; the roof is the stream probe (bench/peak.mjs: f64x2 loads and nothing else) ' +
        'reading a footprint of the same size on one thread and split over all threads (the most of the samples taken between the calls above). ' +
        'The roof\'s own 2T / 1T is the most the paired solve can gain on this machine at that footprint; where the triangle fits in the L3 cache the roof is the cache\'s, beyond it DRAM\'s.');
      const gbs = (c, t) => fmt((8 * c.n * (c.n + 1)) / t / 1e9, 1);
      out.push(mdTable(['n', 'triangle', 'solve 1T', 'roof 1T', 'solve 1T / roof', `solve ${T}T`, `roof ${T}T`, `solve ${T}T / roof`, `roof ${T}T / 1T`, `solve ${T}T / 1T`], res.cholesky.map((c) => [c.n,
        `${fmt((4 * c.n * (c.n + 1)) / 2 ** 20, 1)} MiB`, `${gbs(c, c.solve1)} GB/s`, `${fmt(c.roof1 / 1e9, 1)} GB/s`, `${fmt((800 * c.n * (c.n + 1)) / c.solve1 / c.roof1, 0)}%`,
        `${gbs(c, c.solveT)} GB/s`, `${fmt(c.roofT / 1e9, 1)} GB/s`, `${fmt((800 * c.n * (c.n + 1)) / c.solveT / c.roofT, 0)}%`, `${r2(c.roofT, c.roof1)}x`, `${r2(c.solve1, c.solveT)}x`])));
    }
  }
  const worst = Math.max(...res.rows.flatMap((r) => [1, T].map((th) => med(r.timing[`lambdaMin ${th}T`]) / med(r.timing[`eigvalsh ${th}T`]))));
  out.push('### Targets');
  const rows = [['lambdaMin never slower than eigvalsh (worst lambdaMin / eigvalsh over shapes, sizes, threads)', fmt(worst, 2), worst <= 1 ? 'met' : '**not met**']];
  for (const th of [1, T]) {
    const w = Math.max(...res.rows.map((r) => med(r.timing[`lambdaMin ${th}T`]) / ((th === 1 ? r.lapack1 : r.lapackT).evr ?? NaN)));
    rows.push([`lambdaMin faster than dsyevr for one eigenvalue, ${th} thread(s) (worst ratio)`, fmt(w, 2), Number.isFinite(w) ? (w < 1 ? 'met' : '**not met**') : '–']);
  }
  for (const c of res.cholesky ?? []) {
    for (const [what, g] of [['factorization', c.factor1 / c.factorT], ['single-vector solve', c.solve1 / c.solveT]]) {
      const roofNote = what !== 'factorization' && c.roof1 ? ` (memory roof ${fmt(c.roofT / c.roof1, 2)}x)` : '';
      rows.push([`${what} on ${T} threads >= 1.7x one thread, n = ${c.n}`, `${fmt(g, 2)}x${roofNote}`, g >= 1.7 ? 'met' : '**not met**']);
    }
  }
  out.push(mdTable(['target', 'measured', ''], rows));
  return out.join('\n\n');
}
