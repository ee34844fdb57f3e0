// eigvalsh's eigenvalue stage before and after a change, side by side in one process: the
// stage seconds (EigStages `tridiagonal`, from eigvalsh's `stages` option) and eigvalsh's total
// for this checkout's dist/ ("new") and another build's dist ("old", e.g. the commit before
// the change built in a scratch folder), wasm on 1 thread, same matrix (the eig suite's NTK-like
// Gram matrix), interleaved rounds (old, new, new, old, ...) so drifting load hits both alike;
// medians and new / old ratios. Then the js twins of the two tridiagonal iterations (tql, the
// implicit QL with one square root per rotation, and sterf, the root-free QL/QR) on the same
// tridiagonal matrix, also interleaved.
//
//   npm run build && node --no-wasm-dynamic-tiering bench/eigvalsh-ql.mjs OLD_DIST [sizes] [rounds]
//   (defaults 500,1000,2000 and 5). OLD_DIST from a commit C:
//   mkdir -p out/old && git archive C | tar -x -C out/old && ln -s "$PWD/node_modules" out/old/ && (cd out/old && npm run build)
import { cpus, loadavg } from 'node:os';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, fromDist, median } from './lib.mjs';
import { ntkLike } from './suites/eig.mjs';

if (!process.argv[2]) {
  console.error('usage: node --no-wasm-dynamic-tiering bench/eigvalsh-ql.mjs OLD_DIST [sizes] [rounds]');
  process.exit(2);
}
const oldDist = resolve(process.argv[2]);
const sizes = (process.argv[3] ?? '500,1000,2000').split(',').map(Number);
const rounds = Number(process.argv[4] ?? 5);
const fromOld = (path) => import(pathToFileURL(join(oldDist, path)).href);

async function build(load) {
  const { eigvalsh } = await load('linalg/index.js');
  const { createWasmBackend } = await load('backend/wasm/index.js');
  return { eigvalsh, be: await createWasmBackend({ threads: 1 }) };
}
const fresh = await build(fromDist);
const old = await build(fromOld);
const { tql, sterf } = await fromDist('backend/common/tql.js');

/** eigvalsh's total and QL-stage seconds for one call. */
function timed({ eigvalsh, be }, K) {
  const stages = {};
  const t = performance.now();
  eigvalsh(K, { backend: be, stages });
  return { total: (performance.now() - t) / 1000, ql: stages.tridiagonal };
}

console.log(`${cpus()[0]?.model}, wasm 1 thread, old = ${oldDist}; load ${fmt(loadavg()[0], 2)}`);
for (const n of sizes) {
  const K = ntkLike(n, fresh.be);
  timed(old, K);
  timed(fresh, K);
  const o = { total: [], ql: [] }, f = { total: [], ql: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [[old, o], [fresh, f]] : [[fresh, f], [old, o]];
    for (const [impl, acc] of order) {
      const { total, ql } = timed(impl, K);
      acc.total.push(total);
      acc.ql.push(ql);
    }
  }
  // The js twins on this matrix's tridiagonal form.
  const d = new Float64Array(n), e = new Float64Array(n);
  fresh.be.symTridiagonal(n, K.data, d, e);
  const js = { tql: [], sterf: [] };
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? ['tql', 'sterf'] : ['sterf', 'tql']) {
      const dd = d.slice(), ee = e.slice();
      const t = performance.now();
      if (name === 'tql') tql(n, dd, ee, null, 0, 0);
      else sterf(n, dd, ee);
      js[name].push((performance.now() - t) / 1000);
    }
  }
  const m = (xs) => median(xs);
  console.log(`n=${n}: QL stage old ${fmt(m(o.ql) * 1e3, 1)} ms, new ${fmt(m(f.ql) * 1e3, 1)} ms, new/old ${fmt(m(f.ql) / m(o.ql), 2)} | ` +
    `eigvalsh old ${fmt(m(o.total), 3)} s, new ${fmt(m(f.total), 3)} s, new/old ${fmt(m(f.total) / m(o.total), 3)} | ` +
    `QL share old ${fmt((100 * m(o.ql)) / m(o.total), 0)}%, new ${fmt((100 * m(f.ql)) / m(f.total), 0)}% | ` +
    `js twins: tql ${fmt(m(js.tql) * 1e3, 1)} ms, sterf ${fmt(m(js.sterf) * 1e3, 1)} ms, sterf/tql ${fmt(m(js.sterf) / m(js.tql), 2)} | load ${fmt(loadavg()[0], 2)}`);
}
await Promise.all([fresh.be, old.be].map((be) => be.dispose?.()));
