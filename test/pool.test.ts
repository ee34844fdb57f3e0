/**
 * The wasm worker pool's control protocol (src/backend/wasm/pool.ts) on a real worker: a job
 * runs once per post, whatever order the caller's store and notify reach the worker in.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { wasmBytes } from '../src/backend/wasm/assets.js';
import { Pool, SLOT_BYTES } from '../src/backend/wasm/pool.js';

describe('wasm worker pool', () => {
  let pool: Pool | null = null;
  afterAll(async () => {
    await pool?.dispose();
  });

  it('a worker woken while no job is posted runs nothing (the late notify of a job it already ran)', async () => {
    const module = await WebAssembly.compile((await wasmBytes('simd')) as BufferSource);
    const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true } as WebAssembly.MemoryDescriptor);
    const ex = (await WebAssembly.instantiate(module, { env: { memory, abort() { throw new Error('abort'); } } })).exports as unknown as Record<string, (...a: number[]) => number>;
    const base = Math.ceil(ex.heapBase!() / 64) * 64;
    // One control slot, then y and x (axpy uses no workspace: both threads get an empty one).
    const ctrl = base, ws = base + SLOT_BYTES, y = ws + 64, x = y + 64;
    const names = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    pool = await Pool.start(module, memory, 2, ctrl, [{ ptr: ws, bytes: 0 }, { ptr: ws, bytes: 0 }], names);
    const f64 = new Float64Array(memory.buffer);
    f64[x >>> 3] = 1;
    f64[y >>> 3] = 0;
    // y += 1 * x on the worker (one value), nothing on this thread.
    pool.run([{ fn: 'axpy', args: [y, 1, x, 0] }, { fn: 'axpy', args: [y, 1, x, 1] }], (j) => ex[j.fn]!(...j.args));
    expect(f64[y >>> 3]).toBe(1);
    // The worker blocks again with its slot still holding the job; then the notify a caller
    // descheduled between its store and its notify would send late.
    await new Promise((r) => setTimeout(r, 50));
    const i32 = new Int32Array(memory.buffer, ctrl, 4);
    expect(Atomics.load(i32, 0)).toBe(0);
    Atomics.notify(i32, 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(f64[y >>> 3]).toBe(1); // 2 when the worker ran the stale job again
    expect(Atomics.load(i32, 0)).toBe(0);
  });
});
