// eigvalsh side by side with numpy in one run, and where its time goes: the quick check of
// issue 17's eigvalsh targets (the full picture is the eig suite, `npm run bench -- eig`).
// Per size, interleaved rounds of wasm on 1 thread, wasm on every core and (right after, on
// the same matrix, bench/numpy/eig.py with OPENBLAS_NUM_THREADS=1) numpy.linalg.eigvalsh;
// medians, their ratios, and one more one-thread call with the stage clock split into the
// reduction's parts (one stage, below n = 1000: panels (SYMV, memory-bound) and trailing
// updates (GEMM); two stages: band (stage 1, GEMM) and bulge chasing (stage 2)) and QL.
//
//   npm run build && node --no-wasm-dynamic-tiering bench/eigvalsh-stages.mjs [sizes] [rounds]
//   (defaults 1000,2000,4000 and 3; NTK_BENCH_PYTHON picks the Python with numpy)
import { cpus, loadavg } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, fmt, fromDist, median } from './lib.mjs';
import { ntkLike, runNumpy } from './suites/eig.mjs';

const sizes = (process.argv[2] ?? '1000,2000,4000').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 3);
const { eigvalsh } = await fromDist('linalg/index.js');
const { writeNpy } = await fromDist('io/npy.js');
const ctx = await createContext();
const [one, all] = await Promise.all([ctx.backends.wasm1(), ctx.backends.wasmAll()]);
const dir = mkdtempSync(join(tmpdir(), 'ntk-eigvalsh-stages-'));
console.log(`${cpus()[0]?.model}, ${ctx.cores} threads for "all"; load ${fmt(loadavg()[0], 2)}`);
try {
  for (const n of sizes) {
    const K = ntkLike(n, all);
    const file = join(dir, `K_${n}.npy`);
    writeFileSync(file, writeNpy(K));
    const t1 = [], tAll = [];
    eigvalsh(K, { backend: one });
    eigvalsh(K, { backend: all });
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      eigvalsh(K, { backend: one });
      t1.push((performance.now() - t) / 1000);
      t = performance.now();
      eigvalsh(K, { backend: all });
      tAll.push((performance.now() - t) / 1000);
    }
    const s = { reductionPanel: 0, reductionUpdate: 0 };
    eigvalsh(K, { backend: one, stages: s });
    const np = runNumpy(file, { withEigh: false, reps: rounds });
    const tNp = np.error ? NaN : median(np.result.seconds);
    const m1 = median(t1), mAll = median(tAll);
    const tot = s.tridiagonalize + s.tridiagonal;
    const pct = (x) => `${fmt((100 * x) / tot, 0)}%`;
    console.log(`n=${n}: wasm 1T ${fmt(m1, 3)} s, ${ctx.cores}T ${fmt(mAll, 3)} s, numpy ${np.error ? np.error : `${fmt(tNp, 3)} s`} | ` +
      `1T / numpy ${fmt(m1 / tNp, 2)}, ${ctx.cores}T / numpy ${fmt(mAll / tNp, 2)}, 1T / ${ctx.cores}T ${fmt(m1 / mAll, 2)} | ` +
      `1T stages: ${s.band === undefined
        ? `panels ${pct(s.reductionPanel)}, updates ${pct(s.reductionUpdate)}, rest of reduction ${pct(s.tridiagonalize - s.reductionPanel - s.reductionUpdate)}`
        : `band (stage 1) ${pct(s.band)}, bulge chasing (stage 2) ${pct(s.bulge)}, rest of reduction ${pct(s.tridiagonalize - s.band - s.bulge)}`}, QL ${pct(s.tridiagonal)} | load ${fmt(loadavg()[0], 2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await ctx.dispose();
}
