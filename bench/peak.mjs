// The register-only multiply-add ceiling of a wasm build on this machine, on 1 or more
// threads: the `peakProbe` export (assembly/peak.ts: twelve independent f64x2 chains
// c = c * a + b, a multiply and an add in the strict build, one relaxed_madd in the relaxed one)
// run on every thread at once. Kernels are reported as a percentage of it (bench/suites/gemm.mjs),
// which is a property of the CPU and the engine, not of our code: 8 flops/cycle/core on Zen 4/5
// for both builds, 4 (strict) and 8 (relaxed) on Intel since Haswell.
import { Worker } from 'node:worker_threads';
import { fromDist } from './lib.mjs';

const ITERS = 2e7; // 0.96 GFLOP per thread per sample: ~30-60 ms on one idle core
const FLOPS_PER_ITER = 48; // twelve f64x2 chains, one multiply and one add each

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, go, slot, iters } = workerData;
WebAssembly.instantiate(module, { env: { memory: new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true }), abort() {} } }).then((inst) => {
  const ex = inst.exports;
  ex.peakProbe(1e5);
  const flag = new Int32Array(go);
  parentPort.postMessage('ready');
  for (;;) {
    Atomics.wait(flag, slot, 0);
    if (Atomics.load(flag, slot) < 0) break;
    const t = performance.now();
    ex.peakProbe(iters);
    const rate = 48 * iters / ((performance.now() - t) / 1e3);
    Atomics.store(flag, slot, 0);
    parentPort.postMessage(rate);
  }
});
`;

/** The compiled module of a build, after the library's loader has set the host up (Node 20 needs a V8 flag for relaxed SIMD). */
async function compile(variant) {
  const { createWasmBackend } = await fromDist('backend/wasm/index.js');
  const be = await createWasmBackend({ threads: 1, variant }); // sets the flags, checks the host
  await be.dispose();
  const { wasmBytes } = await fromDist('backend/wasm/assets.js');
  return WebAssembly.compile(await wasmBytes({ strict: 'simd', relaxed: 'relaxed', scalar: 'scalar' }[variant]));
}

/** Instantiates a build's module on a fresh shared memory of 32 pages plus room for `bytes`. */
async function instantiate(module, bytes = 0) {
  const memory = new WebAssembly.Memory({ initial: 32 + Math.ceil(bytes / 65536), maximum: 65536, shared: true });
  return { memory, ex: (await WebAssembly.instantiate(module, { env: { memory, abort() {} } })).exports };
}

/**
 * Starts workers 1..maxThreads-1 running `source`, each with `data` and its `slot` in the
 * shared flags `go`, and waits until each has said it is ready. The workers block on their
 * slot; a positive value there starts one sample, -1 ends them ({@link stopWorkers}).
 */
async function startWorkers(source, maxThreads, go, data) {
  const workers = [];
  for (let t = 1; t < maxThreads; t++) {
    const w = new Worker(source, { eval: true, workerData: { ...data, go, slot: t } });
    await new Promise((res) => w.once('message', res));
    workers.push(w);
  }
  return workers;
}

/** Ends the workers of {@link startWorkers}. */
async function stopWorkers(flag, workers) {
  for (let i = 1; i <= workers.length; i++) { Atomics.store(flag, i, -1); Atomics.notify(flag, i); }
  await Promise.all(workers.map((w) => w.terminate()));
}

/**
 * Starts the probe for the builds in `variants` (`'strict'`, `'relaxed'`) with `maxThreads - 1`
 * waiting workers each. `sample(variant, threads)` runs one sample on `threads` threads at once
 * and returns the summed rate in flop/s; `dispose()` stops the workers.
 */
export async function createPeakProbe(variants, maxThreads) {
  const setups = {};
  for (const v of variants) {
    const module = await compile(v);
    const { ex: main } = await instantiate(module);
    main.peakProbe(1e5);
    const go = new SharedArrayBuffer(4 * maxThreads);
    const workers = await startWorkers(WORKER, maxThreads, go, { module, iters: ITERS });
    setups[v] = { main, flag: new Int32Array(go), workers };
  }
  return {
    async sample(v, threads) {
      const s = setups[v];
      const replies = s.workers.slice(0, threads - 1).map((w) => new Promise((res) => w.once('message', res)));
      // Start workers 1..threads-1; the caller runs its own share meanwhile.
      for (let i = 1; i < threads; i++) { Atomics.store(s.flag, i, 1); Atomics.notify(s.flag, i); }
      const t = performance.now();
      s.main.peakProbe(ITERS);
      const mine = FLOPS_PER_ITER * ITERS / ((performance.now() - t) / 1e3);
      const theirs = await Promise.all(replies);
      return mine + theirs.reduce((a, b) => a + b, 0);
    },
    async dispose() {
      for (const s of Object.values(setups)) await stopWorkers(s.flag, s.workers);
    },
  };
}

/** The median and best of a list of numbers. */
export function medianBest(xs) {
  const x = xs.slice().sort((a, b) => a - b);
  return { median: x.length % 2 ? x[x.length >> 1] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2, best: x[x.length - 1], samples: x.length };
}

/**
 * Measures the ceiling of each build in `variants` on 1..maxThreads threads, interleaved
 * (sample r of every build and thread count before sample r + 1, so load changes hit them
 * alike). Returns `{ [variant]: { [threads]: { median, best, samples } } }` in flop/s summed
 * over threads.
 */
export async function measurePeaks(variants, maxThreads, samples = 7) {
  const probe = await createPeakProbe(variants, maxThreads);
  const rates = {};
  for (let r = 0; r < samples; r++) {
    for (const v of variants) {
      for (let threads = 1; threads <= maxThreads; threads++) (rates[`${v} ${threads}`] ??= []).push(await probe.sample(v, threads));
    }
  }
  await probe.dispose();
  const out = {};
  for (const v of variants) {
    out[v] = {};
    for (let threads = 1; threads <= maxThreads; threads++) out[v][threads] = medianBest(rates[`${v} ${threads}`]);
  }
  return out;
}

const STREAM_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, go, slot, maxBytes } = workerData;
const memory = new WebAssembly.Memory({ initial: Math.ceil(maxBytes / 65536) + 64, maximum: 65536, shared: true });
WebAssembly.instantiate(module, { env: { memory, abort() {} } }).then((inst) => {
  const ex = inst.exports;
  const base = (ex.heapBase() + (1 << 20)) & ~63;
  new Float64Array(memory.buffer, base, maxBytes / 8).fill(1); // commit the pages: untouched ones read as the shared zero page
  const flag = new Int32Array(go);
  parentPort.postMessage('ready');
  for (;;) {
    Atomics.wait(flag, slot, 0);
    const bytes = Atomics.load(flag, slot);
    if (bytes < 0) break;
    ex.streamProbe(base, bytes, Atomics.load(flag, 0));
    Atomics.store(flag, slot, 0);
    parentPort.postMessage('done');
  }
});
`;

/**
 * The memory roof of a build on this machine: `streamProbe` (assembly/peak.ts, f64x2 loads
 * into four sums) reading a block of its own on each of 1..maxThreads threads at once, each
 * thread at most `maxBytes` (a multiple of 64). `sample(bytes, threads)` reads `bytes` per
 * thread (so a footprint of threads x bytes) and returns the bytes read by all threads over
 * the wall time from the start of the first to the end of the last, in bytes/s: a sum of
 * per-thread rates would count threads that did not overlap. `dispose()` stops the workers.
 */
export async function createStreamProbe(variant, maxThreads, maxBytes) {
  const module = await compile(variant);
  const { memory, ex: main } = await instantiate(module, maxBytes + (32 << 16)); // 64 pages beyond the block, as in the workers
  const base = (main.heapBase() + (1 << 20)) & ~63;
  new Float64Array(memory.buffer, base, maxBytes / 8).fill(1);
  // Slot 0 carries the repetitions (the caller is thread 0); slot t the bytes for worker t.
  const go = new SharedArrayBuffer(4 * maxThreads);
  const flag = new Int32Array(go);
  const workers = await startWorkers(STREAM_WORKER, maxThreads, go, { module, maxBytes });
  return {
    async sample(bytes, threads) {
      const reps = Math.max(3, Math.ceil(4e8 / bytes)); // ~10-20 ms per thread at 20-70 GB/s
      Atomics.store(flag, 0, reps);
      const replies = workers.slice(0, threads - 1).map((w) => new Promise((res) => w.once('message', res)));
      const t = performance.now();
      for (let i = 1; i < threads; i++) { Atomics.store(flag, i, bytes); Atomics.notify(flag, i); }
      main.streamProbe(base, bytes, reps);
      await Promise.all(replies);
      return (threads * bytes * reps) / ((performance.now() - t) / 1e3);
    },
    async dispose() {
      await stopWorkers(flag, workers);
    },
  };
}
