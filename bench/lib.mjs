// What every benchmark suite shares: the backends (created once), a benny runner that turns a
// group of cases into timings, formatting helpers, and where results go.
//
// A suite is a file bench/suites/<name>.mjs exporting
//   export const title = '...';                       // section heading in bench/README.md
//   export async function run(ctx) { ... return markdown; }
// `ctx` is the object built by createContext() below. `run` measures with ctx.measure(...),
// stores what it wants in ctx.results (saved to bench/results/<name>.json) and returns the
// markdown section (saved to bench/results/<name>.md; bench/README.md is rebuilt from all of
// them, so running one suite refreshes only its own section).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const b = require('benny');

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const resultsDir = join(benchDir, 'results');
const dist = join(benchDir, '..', 'dist');

/** Imports a module of the built library (benchmarks measure dist/, as users get it). */
export function fromDist(path) {
  return import(join(dist, path));
}

/**
 * The CPU beyond its model string (a VM may report only "AMD EPYC"): vendor, family, model and
 * whether it has FMA (relaxed SIMD fuses there) and AVX-512, from /proc/cpuinfo where readable;
 * the README's performance table (bench/perf-table.mjs) keys its rows by it.
 */
export function cpuIdentity() {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (k) => info.match(new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
    const flags = (field('flags') ?? '').split(/\s+/);
    return { vendor: field('vendor_id') ?? null, family: Number(field('cpu family')), model: Number(field('model')),
      fma: flags.includes('fma'), avx512: flags.includes('avx512f') };
  } catch {
    return { vendor: null, family: null, model: null, fma: process.arch === 'arm64' ? true : null, avx512: null };
  }
}

/** The environment a table was measured in. */
export function machine() {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown',
    cpuId: cpuIdentity(),
    cores: c.length,
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
    flags: process.execArgv.join(' '),
    loadavg: loadavg().map((x) => +x.toFixed(2)),
  };
}

/**
 * The context handed to each suite. Backends are created lazily and shared between suites:
 * `wasm1` (the default build, 1 thread), `wasmAll` (the default build, every core), per build
 * `strict1`, `strictAll`, `relaxed1`, `relaxedAll` (relaxed ones resolve to null where the host
 * lacks relaxed SIMD), `scalar` (the same sources built without SIMD, 1 thread), `js`.
 */
export async function createContext() {
  const { createWasmBackend } = await fromDist('backend/wasm/index.js');
  const { createJsBackend } = await fromDist('backend/js/index.js');
  const { availableCores } = await fromDist('platform.js');
  const cores = await availableCores();
  const cache = new Map();
  const lazy = (key, make) => () => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key);
  };
  return {
    cores,
    backends: {
      wasm1: lazy('wasm1', () => createWasmBackend({ threads: 1 })),
      wasmAll: lazy('wasmAll', () => createWasmBackend({ threads: cores })),
      strict1: lazy('strict1', () => createWasmBackend({ threads: 1, variant: 'strict' })),
      strictAll: lazy('strictAll', () => createWasmBackend({ threads: cores, variant: 'strict' })),
      relaxed1: lazy('relaxed1', () => createWasmBackend({ threads: 1, variant: 'relaxed' }).catch(() => null)),
      relaxedAll: lazy('relaxedAll', () => createWasmBackend({ threads: cores, variant: 'relaxed' }).catch(() => null)),
      scalar: lazy('scalar', () => createWasmBackend({ threads: 1, variant: 'scalar' })),
      js: lazy('js', async () => createJsBackend()),
    },
    results: {},
    measure,
    async dispose() {
      for (const p of cache.values()) await (await p)?.dispose();
    },
  };
}

/**
 * Runs one group of cases with benny and returns, per case, the seconds per call (median
 * and best sample) and the number of samples; `null` for a skipped case.
 *
 * Each case is `{ name, fn, skip? }`. `fn` is called once first (warm-up: V8 compiles and
 * tiers up, wasm memory grows) and that call's time picks the sampling: slow calls get
 * fewer samples so the whole benchmark stays within minutes. `skip` (a string saying why)
 * leaves the case out. `opts` overrides benny's options (minSamples, maxTime in seconds).
 */
export async function measure(group, cases, opts = {}) {
  const out = {};
  const added = [];
  for (const c of cases) {
    if (c.skip) {
      out[c.name] = { skipped: c.skip };
      continue;
    }
    const t0 = performance.now();
    c.fn();
    const first = (performance.now() - t0) / 1000;
    const slow = first > 2;
    added.push(b.add(c.name, c.fn, { minSamples: slow ? 3 : 5, maxTime: slow ? 1 : 2, initCount: 1, ...opts }));
  }
  if (added.length === 0) return out;
  // benny's default cycle line crashes (String.repeat(-1)) when a slower case's rate prints
  // longer than the fastest one's ("0.127" vs "1" ops/s): a plain progress line instead.
  const cycle = b.cycle((cur, sum) => `${group}: ${sum.results.filter((r) => r.samples > 0).length} / ${sum.results.length} cases`);
  const summary = await b.suite(group, ...added, cycle, b.complete());
  for (const r of summary.results) {
    const samples = r.details.sampleResults;
    out[r.name] = {
      median: r.details.median,
      best: Math.min(...samples),
      samples: samples.length,
      rme: r.details.relativeMarginOfError,
    };
  }
  return out;
}

/** `len` standard normal deviates (xorshift + Box-Muller), reproducible from `seed`: the suites' random matrices. */
export function gaussian(len, seed) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const out = new Float64Array(len);
  for (let i = 0; i < len; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next())), t = 2 * Math.PI * next();
    out[i] = r * Math.cos(t);
    if (i + 1 < len) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/** The median of `xs` (the lower middle value for an even count). */
export function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
}

/** A number with `digits` significant-ish decimals, or a dash. */
export function fmt(x, digits = 1) {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x.toFixed(digits);
}

/** A markdown table from a header row and body rows. */
export function mdTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
