/**
 * Worker threads over shared wasm memory (Node's worker_threads, or Web Workers in a
 * cross-origin isolated browser, started from a Web Worker). Each worker instantiates the same compiled
 * module on the same `WebAssembly.Memory` and blocks in `Atomics.wait` on its slot of a
 * control block in that memory; the calling thread writes a job (export index + numeric
 * arguments), wakes it, runs its own share, then waits for every worker. Calls therefore stay
 * synchronous, which keeps the Backend interface the same for js and wasm.
 * @module
 */

import { isNode } from '../../platform.js';

/** One call of a wasm export with numeric arguments. */
export interface Job {
  fn: string;
  args: number[];
}

/** Bytes of control block per worker slot: 4 int32 words, then up to 24 float64 arguments. */
export const SLOT_BYTES = 256;
const MAX_ARGS = 24;

// The job loop both kinds of worker run once set up: instantiate the shared module on the shared
// memory, report ready through `post`, then block on the control slot and run jobs until told
// to stop (state < 0). A wake with state 0 runs nothing: it is the late notify of a job this
// thread already ran (it saw the posted 1 before blocking and finished before the caller's
// notify came); running the slot again would redo that job while the caller, seeing 0, reads
// the results (eigh's back-transformation applied Q twice to the worker's columns, once in
// ~6,000 fresh backends under load). Kept as source text so no worker file has to be found on disk or served,
// unindented because it ships as written.
const JOB_LOOP = `
function runJobs({ module, memory, ctrl, names, wsPtr, wsBytes }, post) {
return WebAssembly.instantiate(module, { env: { memory, abort() { throw new Error('wasm abort'); } } }).then((inst) => {
const ex = inst.exports;
ex.setWorkspace(wsPtr, wsBytes);
const i32 = new Int32Array(memory.buffer, ctrl, 4);
const f64 = new Float64Array(memory.buffer, ctrl + 64, ${MAX_ARGS});
post('ready');
for (;;) {
Atomics.wait(i32, 0, 0);
const state = Atomics.load(i32, 0);
if (state < 0) break;
if (state === 0) continue;
const fn = ex[names[i32[1]]];
const n = i32[2];
const args = new Array(n);
for (let i = 0; i < n; i++) args[i] = f64[i];
let status = 0;
try { fn(...args); } catch (e) { status = 1; }
i32[3] = status;
Atomics.store(i32, 0, 0);
Atomics.notify(i32, 0);
}
});
}
`;

// Node: CommonJS evaluated by `new Worker(code, { eval: true })` (the same code runs from src/
// under vitest and from dist/), set up from workerData.
const WORKER_SOURCE = `${JOB_LOOP}
const { parentPort, workerData } = require('node:worker_threads');
runJobs(workerData, (m) => parentPort.postMessage(m));
`;

// Browser: a classic Web Worker from a Blob URL (no file to serve, and allowed under COEP),
// given its setup by its first message.
const WEB_WORKER_SOURCE = `${JOB_LOOP}
self.onmessage = (e) => {
  self.onmessage = null;
  runJobs(e.data, (m) => self.postMessage(m)).then(() => self.close(),
    (err) => { self.postMessage('failed: ' + (err && err.message)); });
};
`;

/** Starts one browser Web Worker running {@link WEB_WORKER_SOURCE}; resolves once it is waiting. */
async function startWebWorker(url: string, setup: Record<string, unknown>): Promise<{ terminate(): Promise<number> }> {
  const W = (globalThis as unknown as { Worker: new (u: string) => Worker }).Worker;
  const worker = new W(url);
  await new Promise<void>((res, rej) => {
    worker.onmessage = (e: MessageEvent) => (e.data === 'ready' ? res() : rej(new Error(`wasm thread: ${String(e.data)}`)));
    worker.onerror = (e: ErrorEvent) => rej(new Error(`wasm thread: ${e.message}`));
    worker.postMessage(setup);
  });
  return { terminate: async () => { worker.terminate(); return 0; } };
}

/** A fixed set of worker threads; see the module comment. */
export class Pool {
  /** Threads including the caller. */
  readonly size: number;
  private readonly workers: { i32: Int32Array; f64: Float64Array; worker: { terminate(): Promise<number> } }[];
  private readonly names: string[];
  private readonly index: Map<string, number>;

  private constructor(size: number, names: string[], workers: Pool['workers']) {
    this.size = size;
    this.names = names;
    this.index = new Map(names.map((n, i) => [n, i]));
    this.workers = workers;
  }

  /**
   * Starts `threads - 1` workers. `ctrl` is the byte offset of `(threads - 1) * SLOT_BYTES`
   * bytes reserved for control slots; `workspaces[t]` is the workspace of thread t (0 = caller).
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number,
    ctrl: number, workspaces: { ptr: number; bytes: number }[], names: string[]): Promise<Pool> {
    if (!isNode) return Pool.startWeb(module, memory, threads, ctrl, workspaces, names);
    const { Worker } = process.getBuiltinModule('node:worker_threads'); // no import(): browser bundlers would warn
    const workers: Pool['workers'] = [];
    const ready: Promise<void>[] = [];
    for (let t = 1; t < threads; t++) {
      const slot = ctrl + (t - 1) * SLOT_BYTES;
      const ws = workspaces[t]!;
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, ctrl: slot, names, wsPtr: ws.ptr, wsBytes: ws.bytes },
      });
      worker.unref();
      ready.push(new Promise((res, rej) => {
        worker.once('message', () => res());
        worker.once('error', rej);
      }));
      workers.push({
        i32: new Int32Array(memory.buffer, slot, 4),
        f64: new Float64Array(memory.buffer, slot + 64, MAX_ARGS),
        worker,
      });
    }
    await Promise.all(ready);
    return new Pool(threads, names, workers);
  }

  /** {@link start} in a browser: Web Workers from one Blob URL. */
  private static async startWeb(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number,
    ctrl: number, workspaces: { ptr: number; bytes: number }[], names: string[]): Promise<Pool> {
    const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
    try {
      const started: Promise<{ terminate(): Promise<number> }>[] = [];
      for (let t = 1; t < threads; t++) {
        const slot = ctrl + (t - 1) * SLOT_BYTES;
        const ws = workspaces[t]!;
        started.push(startWebWorker(url, { module, memory, ctrl: slot, names, wsPtr: ws.ptr, wsBytes: ws.bytes }));
      }
      const handles = await Promise.allSettled(started);
      const failed = handles.find((h) => h.status === 'rejected');
      if (failed) {
        for (const h of handles) if (h.status === 'fulfilled') await h.value.terminate();
        throw (failed as PromiseRejectedResult).reason;
      }
      const workers: Pool['workers'] = handles.map((h, i) => ({
        i32: new Int32Array(memory.buffer, ctrl + i * SLOT_BYTES, 4),
        f64: new Float64Array(memory.buffer, ctrl + i * SLOT_BYTES + 64, MAX_ARGS),
        worker: (h as PromiseFulfilledResult<{ terminate(): Promise<number> }>).value,
      }));
      return new Pool(threads, names, workers);
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  /**
   * Runs `jobs[0]` on the calling thread through `self` and `jobs[t]` on worker t; returns when
   * all are done. At most `size` jobs.
   * @throws Error when a job trapped in a worker.
   */
  run(jobs: Job[], self: (job: Job) => void): void {
    for (let t = 1; t < jobs.length; t++) {
      const w = this.workers[t - 1]!;
      const job = jobs[t]!;
      const fi = this.index.get(job.fn);
      if (fi === undefined) throw new Error(`pool: unknown export ${job.fn}`);
      w.i32[1] = fi;
      w.i32[2] = job.args.length;
      for (let i = 0; i < job.args.length; i++) w.f64[i] = job.args[i]!;
      Atomics.store(w.i32, 0, 1);
      Atomics.notify(w.i32, 0);
    }
    let err: unknown = null;
    try {
      if (jobs.length > 0) self(jobs[0]!);
    } catch (e) {
      err = e;
    }
    let failed = false;
    for (let t = 1; t < jobs.length; t++) {
      const w = this.workers[t - 1]!;
      while (Atomics.load(w.i32, 0) !== 0) Atomics.wait(w.i32, 0, 1);
      if (w.i32[3] !== 0) failed = true;
    }
    if (err) throw err;
    if (failed) throw new Error('a wasm kernel trapped in a worker thread');
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    for (const w of this.workers) {
      Atomics.store(w.i32, 0, -1);
      Atomics.notify(w.i32, 0);
    }
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
