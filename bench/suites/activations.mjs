// The activation kernel (phi and phi' in one pass) of each of the six activations over 4M
// float64 elements.
import { fmt, fromDist, mdTable } from '../lib.mjs';

export const title = 'Activations: phi and phi\' over 4M elements';

const N = 4 * 1024 * 1024;

export async function run(ctx) {
  const { activationNames, activations } = await fromDist('activations.js');
  const { backends } = ctx;
  const [wasm1, wasmAll, scalar, js] = await Promise.all([
    backends.wasm1(), backends.wasmAll(), backends.scalar(), backends.js()]);
  const impls = [['wasm 1 thread', wasm1], [`wasm ${wasmAll.threads} threads`, wasmAll], ['wasm-scalar', scalar], ['js', js]];
  // Pre-activations as the paper's wide networks produce them: about N(0, 2) (Box-Muller).
  const x = new Float64Array(N);
  let s = 12345;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  for (let i = 0; i < N; i++) x[i] = Math.SQRT2 * Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
  const phi = new Float64Array(N), dphi = new Float64Array(N);
  const results = {};
  for (const name of activationNames) {
    const id = activations[name].id;
    results[name] = await ctx.measure(`activation ${name}`, impls.map(([label, be]) => ({
      name: label, fn: () => be.activation(id, x, phi, dphi),
    })), { minSamples: 5, maxTime: 0.5 });
  }
  ctx.results = { elements: N, results };
  const names = impls.map(([label]) => label);
  const ns = (r) => (r?.median ? `${fmt((r.median / N) * 1e9, 2)} (${fmt((r.best / N) * 1e9, 2)})` : '–');
  const ratio = (x, y) => (x?.median && y?.median ? fmt(x.median / y.median, 1) : '–');
  return [
    `ns per element (median sample, best in parentheses) for one call writing both phi(x) and phi'(x) ` +
    `over ${N} elements drawn from N(0, 2) like pre-activations; wasm timings include copying in and out.`,
    mdTable(['activation', ...names, 'js / wasm 1 thread (time)'],
      activationNames.map((a) => [a, ...names.map((k) => ns(results[a][k])), ratio(results[a].js, results[a][names[0]])])),
  ].join('\n\n');
}
