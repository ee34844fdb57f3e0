// The demo's compute thread: a module Web Worker that loads the library (wasm where the browser
// allows it, else js), runs the width sweep with the library's own sweep loop (runSweep, the
// one `ntk figure1` uses) and inspects one point (K, its spectrum and Theta's). Everything
// heavy happens here so the page stays responsive; results go back as plain messages.
import { loadBackend } from '/dist/index.js';
import { computeSpectrum, histograms, runSweep } from '/dist/experiments/index.js';

/** @type {Map<string, Promise<import('/dist/index.js').LoadedBackend>>} */
const backends = new Map();
/** @type {AbortController | null} */
let running = null;

const HEAT_MAX = 64;

function backendFor(kind) {
  let p = backends.get(kind);
  if (!p) {
    // Threads need a cross-origin isolated page (shared memory) and run as nested Web Workers
    // that this worker waits for with Atomics.wait; without isolation the library uses one.
    p = loadBackend({ backend: kind, threads: Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8)) });
    backends.set(kind, p);
  }
  return p;
}

function post(msg) {
  self.postMessage(msg);
}

function errorMessage(e) {
  return e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
}

async function init(msg) {
  const { note, backend } = await backendFor(msg.backend);
  post({
    type: 'ready', note, kind: backend.kind, simd: backend.simd ?? false,
    isolated: self.crossOriginIsolated === true, wasmAvailable: typeof WebAssembly === 'object',
  });
}

async function run(msg) {
  const { backend, note } = await backendFor(msg.backend);
  running = new AbortController();
  const t0 = performance.now();
  try {
    const res = await runSweep(msg.spec, {
      backend,
      backendName: note.replace(/ \(.*wasm unavailable.*\)$/, ''),
      signal: running.signal,
      ...(msg.data ? { data: msg.data } : {}),
      onRecord: (record) => post({ type: 'record', record }),
      onProgress: (p) => post({
        type: 'progress', phase: p.phase, total: p.total, finished: p.finished,
        costTotal: p.costTotal, costDone: p.costDone, elapsed: (performance.now() - t0) / 1000,
        point: p.point ? { activation: p.point.activation, m: p.point.m, n: p.point.n, seed: p.point.seed } : null,
      }),
    });
    post({ type: 'end', status: res.status, remaining: res.remaining, elapsed: (performance.now() - t0) / 1000 });
  } finally {
    running = null;
  }
}

/**
 * K of one point (the top-left block, for the heatmap), and the eigenvalues of K and of the
 * infinite-width Theta for the same data, binned on common log-spaced bins: one computeSpectrum
 * call builds the point's data and network as the sweep does (the user's first n rows or
 * Gaussian draws) and computes K once.
 */
async function inspect(msg) {
  const { backend } = await backendFor(msg.backend);
  const c = msg.config;
  const t0 = performance.now();
  const spec = computeSpectrum({
    activation: c.activation, n: c.n, m: c.m, depth: c.depth, d: c.d, sigma0: c.sigma0, nu0sq: c.nu0sq,
    sv2: c.sv2, vLaw: c.vLaw, normalize: c.normalize, seed: c.seed, dataSeed: c.dataSeed,
  }, { backend, ...(msg.data ? { data: msg.data } : {}) });
  const { K } = spec;
  const b = Math.min(HEAT_MAX, K.rows);
  const cells = [];
  for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) cells.push({ i, j, k: K.data[i * K.cols + j] });
  const hist = histograms({ 'K (width m)': spec.eigK, 'Θ (infinite width)': spec.eigTheta }, { bins: 40 });
  post({
    type: 'inspected', config: c, block: b, n: K.rows, cells, bins: hist.bins, nonPositive: hist.nonPositive,
    eigK: { min: spec.eigK[0], max: spec.eigK[spec.eigK.length - 1] },
    eigTheta: { min: spec.eigTheta[0], max: spec.eigTheta[spec.eigTheta.length - 1] },
    seconds: (performance.now() - t0) / 1000,
  });
}

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'init') await init(msg);
    else if (msg.type === 'run') await run(msg);
    else if (msg.type === 'cancel') running?.abort();
    else if (msg.type === 'inspect') await inspect(msg);
  } catch (err) {
    post({ type: 'error', what: msg.type, message: errorMessage(err), parameter: err?.parameter ?? null });
  }
};
