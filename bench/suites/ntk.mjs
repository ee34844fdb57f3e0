// The empirical NTK (the layerwise formula, L = 2, n = m, d = 100, tanh) at n = 500, 1000, 2000:
// wasm on 1 thread and on all threads against js, with numpy computing the same formula
// (bench/numpy/ntk.py, OPENBLAS_NUM_THREADS = the wasm thread count) in the same run when
// Debian's python3-numpy is installed. Also the peak memory at n = m = 4000 (a child process).
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchDir, fmt, fromDist, mdTable } from '../lib.mjs';

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
  const [wasm1, wasmAll, js] = await Promise.all([ctx.backends.wasm1(), ctx.backends.wasmAll(), ctx.backends.js()]);
  const T = wasmAll.threads;
  const impls = [['wasm 1 thread', wasm1], [`wasm ${T} threads`, wasmAll], ['js', js]];
  const results = { threads: T, sizes: {} };
  for (const n of SIZES) {
    const net = createNetwork({ d: 100, widths: [n, n], activation: 'tanh', sigma0: 1, seed: 1 });
    const X = gaussianData({ n, d: 100, seed: 2 });
    results.sizes[n] = await ctx.measure(`ntk n=m=${n}`, impls.map(([name, be]) => ({
      name, fn: () => empiricalNtk(net, X, { backend: be }),
      skip: be.kind === 'js' && n > MAX_JS_N ? `js skipped above n = ${MAX_JS_N} (minutes per call)` : undefined,
    })), { minSamples: 3, maxTime: 1 });
  }
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
  const rows = SIZES.map((n) => {
    const r = results.sizes[n];
    const npt = npT[n];
    return [n, ...names.map((k) => sec(r[k])), np1.error ? '–' : fmt(np1[n], 3), npT.error ? '–' : fmt(npt, 3),
      npt && r[names[1]]?.median ? fmt(r[names[1]].median / npt, 2) : '–',
      r[names[0]]?.median && r[names[1]]?.median ? fmt(r[names[0]].median / r[names[1]].median, 2) : '–'];
  });
  return [
    'Seconds per empiricalNtk call (median, best in parentheses), including copies in and out of wasm memory. ' +
    'numpy computes the same formula with full (not symmetric) products on Debian\'s OpenBLAS ' +
    '(`OPENBLAS_NUM_THREADS=N python3 bench/numpy/ntk.py 500 1000 2000`).' +
    (np1.error ? ` numpy was not run: ${np1.error} (apt-get install python3-numpy).` : ''),
    mdTable(['n = m', ...names, 'numpy 1 thread', `numpy ${T} threads`, `wasm ${T}T / numpy ${T}T`, `wasm 1T / ${T}T`], rows),
    mem && !mem.error
      ? `Peak memory at n = m = 4000 (\`node --no-wasm-dynamic-tiering bench/ntk-memory.mjs 4000 ${T}\`): process peak RSS ${mem.peakRss} ` +
        `(wasm linear memory ${mem.wasmMemory}), ${mem.seconds} s.`
      : `Peak memory at n = m = 4000 not measured: ${mem?.error}`,
  ].join('\n\n');
}
