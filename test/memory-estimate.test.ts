/**
 * The memory estimates of src/memory.ts against what the process actually takes: each request
 * runs in a fresh process (test/helpers/measure-memory.mjs), which reports the growth of its
 * peak RSS over its RSS just before the call and the growth of wasm linear memory. The peak must
 * stay within the estimate (and the estimate must not be so loose that it refuses sizes that
 * would fit: the peak is at least a quarter of it). Also: a request too large fails at once with
 * NtkMemoryError naming the largest n that fits, and that n itself is accepted.
 * Needs `npm run build` (dist/).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NtkMemoryError } from '../src/errors.js';
import { evaluateMemory, checkMemory, memoryBudget, parseMemorySize, setMemoryLimit, totalBytes } from '../src/memory.js';
import { createNetwork } from '../src/network/network.js';
import { evaluateNetwork } from '../src/network/evaluate.js';
import { gaussianData } from '../src/network/data.js';
import { jsCase, wasmCase } from './helpers/backends.js';

const ROOT = process.cwd();
const HELPER = resolve(ROOT, 'test/helpers/measure-memory.mjs');

interface Measured { estimate: number; kernel: number; rssGrowth: number; wasmGrowth: number; wasmBefore: number }

function measure(what: string, n: number, m: number, backend: string): Measured {
  const out = execFileSync(process.execPath, [HELPER, ROOT, what, String(n), String(m), backend], { encoding: 'utf8' });
  return JSON.parse(out) as Measured;
}

// Sizes where the n x n arrays (3-8 MiB each) dominate the engine's own noise, small enough
// for npm test on 2 cores.
const cases: [string, number, number][] = [
  ['evaluate', 700, 64], ['ntk', 2000, 300], ['infiniteWidth', 1000, 1], ['lambdaMin', 1500, 1],
];

describe.each(['wasm', 'js'])('peak memory within the estimate on %s', (backend) => {
  it.each(cases)('%s at n = %i, width %i', (what, n, m) => {
    const r = measure(what!, n!, m!, backend);
    const MB = (b: number) => (b / 2 ** 20).toFixed(1);
    const msg = `${what} n=${n} m=${m} ${backend}: peak RSS growth ${MB(r.rssGrowth)} MiB, estimate ${MB(r.estimate)} MiB`;
    expect(r.rssGrowth, msg).toBeLessThanOrEqual(r.estimate);
    // Not so loose that it refuses what fits: the estimate takes the worst case of every copy
    // (lambdaMin: a scaled copy and two factor copies, of which a well-scaled matrix on the js
    // backend needs one), which measures at 0.3-0.9 of it.
    expect(r.rssGrowth, msg).toBeGreaterThan(r.estimate / 4);
    if (backend === 'wasm') {
      // Wasm memory holds the kernel calls' copies and, when they fit beside them, the NTK's
      // layer buffers kept resident (counted in the estimate's js part): never more than it.
      expect(r.wasmGrowth, msg).toBeLessThanOrEqual(r.estimate);
    }
  });
});

describe('requests too large fail at once, naming what fits', () => {
  it('ntk evaluate with 20000 points and widths [64, 64] (the issue\'s example) is refused before any work', async () => {
    for (const c of [wasmCase, jsCase]) {
      const be = await c.get();
      const net = createNetwork({ d: 10, widths: [64, 64], activation: 'tanh' });
      const X = gaussianData({ n: 20000, d: 10, seed: 1 });
      const e = (() => { try { evaluateNetwork(net, X, { backend: be, maxMemory: 16 * 2 ** 30 }); } catch (err) { return err; } return null; })();
      expect(e, c.name).toBeInstanceOf(NtkMemoryError);
      expect((e as NtkMemoryError).parameter).toBe('X');
      expect((e as Error).message).toMatch(/n <= \d+ fits/);
    }
  });

  it('the largest n it names runs through the check and the next is refused (budget and wasm limits)', async () => {
    const be = await wasmCase.get();
    for (const limit of [64 * 2 ** 20, 2 * 2 ** 30, 64 * 2 ** 30]) {
      const req = { parameter: 'X', what: 'evaluate', size: 30000, sizeName: 'n', estimate: (k: number) => evaluateMemory(k, 10, [64, 64]), largestArray: (k: number) => k * k };
      let msg = '';
      try { checkMemory(req, be, limit); } catch (e) { msg = (e as Error).message; }
      const fits = Number(/n <= (\d+) fits/.exec(msg)![1]);
      expect(() => checkMemory({ ...req, size: fits }, be, limit)).not.toThrow();
      expect(() => checkMemory({ ...req, size: fits + 1 }, be, limit)).toThrow(NtkMemoryError);
      expect(totalBytes(evaluateMemory(fits, 10, [64, 64]), 'wasm')).toBeLessThanOrEqual(limit);
      expect(totalBytes(evaluateMemory(fits + 1, 10, [64, 64]), 'wasm') > limit || evaluateMemory(fits + 1, 10, [64, 64]).kernel > be.maxElements * 8).toBe(true);
    }
  });

  it('--max-memory sizes parse with binary units; setMemoryLimit overrides the available memory', () => {
    expect(parseMemorySize('8G')).toBe(8 * 2 ** 30);
    expect(parseMemorySize('512MiB')).toBe(512 * 2 ** 20);
    expect(parseMemorySize('1.5k')).toBe(1536);
    expect(parseMemorySize('1073741824')).toBe(2 ** 30);
    for (const bad of ['', '-1G', '8X', 'G', '0', 'NaN', '1e9']) expect(parseMemorySize(bad), bad).toBeNull();
    setMemoryLimit(2 ** 20);
    try {
      expect(memoryBudget()).toEqual({ bytes: 2 ** 20, source: '--max-memory' });
      expect(memoryBudget(5)).toEqual({ bytes: 5, source: 'maxMemory' });
    } finally {
      setMemoryLimit(null);
    }
    expect(memoryBudget().source).toBe('available memory');
    expect(() => memoryBudget(-1)).toThrow(/maxMemory/);
  });
});
