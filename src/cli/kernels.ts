/**
 * `ntk kernels`: a small demonstration of the kernels (GEMM on both backends, side by side).
 * @module
 */
import type { Command } from 'commander';
import { createJsBackend } from '../backend/js/index.js';
import { checkMemory } from '../memory.js';
import { checkElements } from '../validate.js';
import { action, backendFromOptions, backendOptions, parsePositiveInt } from './common.js';

/** Registers `ntk kernels`. */
export function registerKernels(program: Command): void {
  backendOptions(program.command('kernels'))
    .description('multiply two random n x n matrices on the chosen backend and on js, and compare')
    .option('--n <n>', 'matrix size', parsePositiveInt('--n'), 500)
    .action(action(async (o: { n: number; backend?: string; threads?: number }) => {
      const n = o.n;
      // Four n x n arrays here, three more in a wasm call: refuse before allocating any.
      checkElements('--n', n * n, `an ${n} x ${n} matrix`, 'pass a smaller --n');
      const { backend } = await backendFromOptions(o);
      // a, b, c, r (and the temporary of a map) here; the kernel call holds three more.
      checkMemory({
        parameter: '--n', what: 'the GEMM demonstration', size: n, sizeName: '--n',
        estimate: (k) => ({ js: 5 * 8 * k * k, kernel: 3 * 8 * k * k }), largestArray: (k) => k * k, fix: 'pass a smaller --n',
      }, backend);
      const a = new Float64Array(n * n).map((_, i) => Math.sin(i));
      const b = new Float64Array(n * n).map((_, i) => Math.cos(i));
      const c = new Float64Array(n * n), r = new Float64Array(n * n);
      let t = performance.now();
      backend.gemm(false, false, n, n, n, 1, a, b, 0, c);
      const tb = (performance.now() - t) / 1000;
      t = performance.now();
      createJsBackend().gemm(false, false, n, n, n, 1, a, b, 0, r);
      const tj = (performance.now() - t) / 1000;
      let err = 0, mx = 0;
      for (let i = 0; i < n * n; i++) { err = Math.max(err, Math.abs(c[i]! - r[i]!)); mx = Math.max(mx, Math.abs(r[i]!)); }
      const gf = (s: number) => ((2 * n ** 3) / s / 1e9).toFixed(2);
      console.log(`gemm n=${n}: ${backend.kind} ${tb.toFixed(3)} s (${gf(tb)} GFLOP/s), js ${tj.toFixed(3)} s (${gf(tj)} GFLOP/s), max rel diff ${(err / mx).toExponential(2)}`);
      await backend.dispose();
    }));
}
