// The README's performance section from the saved benchmark results, one table per CPU measured:
// the register-only peak of each build (strict: multiply then add; relaxed: fused multiply-add),
// GEMM, SYRK and Gram-Hadamard as a percentage of it, the empirical NTK build's time, its rate
// against GEMM's and its speed-up from 1 to all threads, and the Figure 1 paper preset's time,
// per build, with numpy (Debian's OpenBLAS) run side by side in the same suite; and the
// eigensolvers (the build the library picks here) against numpy / scipy's LAPACK.
//
//   npm run bench -- gemm ntk                                   # bench/results/{gemm,ntk}.json
//   npm run bench -- eig lambda-min                             # ... {eig,lambda-min}.json (optional)
//   node bench/figure1-estimate.mjs --variant strict            # bench/results/figure1-estimate-strict.json
//   node bench/figure1-estimate.mjs --variant relaxed           # ... -relaxed.json (optional: rows show – without them)
//   node bench/perf-table.mjs [--print]                         # rewrites README.md's section (or prints it)
//
// The section sits between the markers below; a CPU's table replaces the earlier table of the
// same CPU (vendor, family, model, cores) and leaves the other CPUs' tables alone, so the
// section collects the machines it was run on. Every number comes from the JSON files, none
// is typed in; the files must come from one machine (checked).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, resultsDir } from './lib.mjs';

const BEGIN = '<!-- perf-table: bench/perf-table.mjs writes this; do not edit -->';
const END = '<!-- perf-table: end -->';
const README = join(benchDir, '..', 'README.md');

const read = (name) => {
  const p = join(resultsDir, name);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
};

/** A CPU's name for the table heading and its key: what /proc/cpuinfo said, else the model string. */
function cpuName(m) {
  const id = m.cpuId;
  const zen = id?.vendor === 'AuthenticAMD' ? { 23: 'Zen 1/2', 25: 'Zen 3/4', 26: 'Zen 5' }[id.family] : null;
  const detail = id?.family != null ? ` (${[zen, `family ${id.family} model ${id.model}`, id.fma ? 'FMA' : id.fma === false ? 'no FMA' : null,
    id.avx512 ? 'AVX-512' : null].filter(Boolean).join(', ')})` : '';
  return `${m.cpu}${detail}, ${m.cores} cores`;
}

const pct = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '–');
const times = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '–');
const sec = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) + ' s' : '–');
const gf = (x) => (Number.isFinite(x) ? (x / 1e9).toFixed(1) : '–');

/** The markdown for one CPU from the result files; throws when they disagree on the machine. */
export function cpuTable({ gemm, ntk, fig, eig = null, lm = null }) {
  const base = gemm ?? ntk;
  if (!base) throw new Error('no bench/results/gemm.json or ntk.json: run `npm run bench -- gemm ntk` first');
  const name = cpuName(base.machine);
  for (const [what, r] of [['gemm', gemm], ['ntk', ntk], ['eig', eig], ['lambda-min', lm], ...Object.entries(fig).map(([v, f]) => [`figure1-estimate-${v}`, f])]) {
    if (r && cpuName(r.machine) !== name) throw new Error(`bench/results/${what}.json was measured on ${cpuName(r.machine)}, not ${name}: re-run it here`);
  }
  const builds = ['strict', 'relaxed'];
  const T = ntk?.results?.threads ?? gemm?.results?.threads ?? base.machine.cores;
  const peak = gemm?.results?.peak?.configs ?? {};
  const rates = ntk?.results?.rates?.sizes ?? {};
  const np = ntk?.results?.numpy ?? {};
  const rows = [];
  const row = (label, cell, numpy = '') => rows.push([label, ...builds.map(cell), numpy]);
  row('register-only peak, 1 thread / ' + T + ' threads, GFLOP/s', (b) => `${gf(peak[`${b} 1`]?.peak?.median)} / ${gf(peak[`${b} ${T}`]?.peak?.median)}`);
  for (const [k, label] of [['gemm', 'GEMM'], ['gram', 'SYRK (Gram)'], ['gramHadamard', 'Gram-Hadamard']]) {
    row(`${label}, n = ${gemm?.results?.peak?.n ?? 2000}: % of peak, 1T / ${T}T`, (b) => `${pct(peak[`${b} 1`]?.[k]?.median)} / ${pct(peak[`${b} ${T}`]?.[k]?.median)}`);
  }
  // Per n: the time (from the rate rounds where they ran, else the timing table) with numpy's
  // beside it; at the rate rounds' sizes also the rate against GEMM's and the speed-up.
  const sizes = ntk?.results?.sizes ?? {};
  // The sizes of the rate rounds (2000, 4000) only: the README's budget (the npm tarball) is tight.
  for (const n of Object.keys(rates).sort((a, b) => a - b)) {
    const c = rates[n]?.configs;
    const t = (b, k) => c?.[`${b} ${k}T`]?.ntk?.median ?? sizes[n]?.[`${b} ${k}T`]?.median;
    row(`NTK build, n = m = ${n}: seconds, 1T / ${T}T`, (b) => `${sec(t(b, 1))} / ${sec(t(b, T))}`,
      np[1]?.[n] ? `${sec(np[1][n])} / ${sec(np[T]?.[n])}` : '');
    if (!c) continue;
    row(`NTK build, n = m = ${n}: useful flop rate / GEMM's, 1T / ${T}T`, (b) => `${pct(c[`${b} 1T`]?.ratio?.median)} / ${pct(c[`${b} ${T}T`]?.ratio?.median)}`);
    // Median of per-round ratios; results saved before the bench had them: the ratio of medians.
    row(`NTK build, n = m = ${n}: ${T}T / 1T (GEMM's own)`, (b) => {
      const two = c[`${b} ${T}T`], one = c[`${b} 1T`];
      const ntkX = two?.ntkSpeedup?.median ?? (one && two ? one.ntk.median / two.ntk.median : NaN);
      const gemmX = two?.gemmSpeedup?.median ?? (one && two ? two.gemmRate.median / one.gemmRate.median : NaN);
      return `${times(ntkX)} (${times(gemmX)})`;
    });
  }
  row('Figure 1, paper preset (n = m = 200..4000, 3 seeds, tanh and sigmoid): estimated minutes (threads)',
    (b) => (fig[b] ? `${fig[b].estimate_minutes.toFixed(1)} (${fig[b].threads ?? '?'}T)` : '–'));
  // The eigensolvers ran on the build the library picks on this CPU: their cells go in its column.
  const ev = eig?.results, variant = ev?.peak?.variant;
  if (ev && variant) {
    const list = (f) => ev.sizes.filter((n) => ev.cases[n]).map(f).join(' / ');
    const at = list((n) => n);
    row(`eigh, n = ${at}: seconds, 1T`, (b) => (b === variant ? list((n) => sec(ev.cases[n]['wasm eigh']?.median)) : '–'), list((n) => sec(ev.numpyEigh?.[n]?.median)));
    row(`eigvalsh, n = ${at}: seconds, 1T`, (b) => (b === variant ? list((n) => sec(ev.cases[n]['wasm eigvalsh']?.median)) : '–'), list((n) => sec(ev.numpy?.[n]?.median)));
  }
  const lr = lm?.results;
  if (lr && variant) {
    const r = lr.rows.filter((x) => x.shape === 'ntk-tanh').at(-1);
    if (r) {
      const Tl = lr.threads;
      row(`lambdaMin, tanh NTK, n = ${r.n}: seconds, 1T / ${Tl}T (numpy: scipy dsyevr, one eigenvalue)`,
        (b) => (b === variant ? `${sec(r.timing['lambdaMin 1T']?.median)} / ${sec(r.timing[`lambdaMin ${Tl}T`]?.median)}` : '–'),
        `${sec(r.lapack1?.evr)} / ${sec(r.lapackT?.evr)}`);
    }
  }
  const dates = [gemm, ntk, eig, lm, ...Object.values(fig)].filter(Boolean).map((r) => r.machine.date.slice(0, 10));
  const loads = [gemm, ntk, eig, lm].filter(Boolean).map((r) => `${r.suite} ${r.machine.loadavg[0]} -> ${r.loadAfter?.[0]?.toFixed(2) ?? '?'}`);
  return {
    key: name,
    markdown: [
      `<!-- perf-cpu: ${name} -->`,
      `### ${name}`,
      '',
      `Node ${base.machine.node}, ${[...new Set(dates)].sort().join(', ')}; load ${loads.join(', ')}.`,
      '',
      `| | strict | relaxed | numpy |`,
      `| --- | --- | --- | --- |`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n'),
  };
}

/** The README with the section's table for this CPU put in (the section made if missing). */
export function updateReadme(readme, table) {
  let section = '';
  const i = readme.indexOf(BEGIN), j = readme.indexOf(END);
  if (i >= 0 && j > i) section = readme.slice(i + BEGIN.length, j);
  const blocks = section.split(/(?=<!-- perf-cpu: )/).map((s) => s.trim()).filter((s) => s.startsWith('<!-- perf-cpu: '));
  const kept = blocks.filter((b) => !b.startsWith(`<!-- perf-cpu: ${table.key} -->`));
  const body = [BEGIN, ...[...kept, table.markdown].sort(), END].join('\n\n');
  if (i >= 0 && j > i) return readme.slice(0, i) + body + readme.slice(j + END.length);
  // First run: a Performance section before "How ntk-wasm reads the paper" (else at the end).
  const intro = '## Performance\n\nPer CPU: each build against the CPU\'s own ceiling (strict: the same bits everywhere; ' +
    'relaxed: fused multiply-add, the default where supported), numpy (OpenBLAS) in the same run. ' +
    'The eigensolver rows ran on the build the library picks here, against numpy\'s and scipy\'s LAPACK. ' +
    '`node bench/perf-table.mjs` after `npm run bench -- gemm ntk eig lambda-min`; ' +
    '[bench/README.md](https://github.com/ntk-wasm/ntk-wasm/blob/main/bench/README.md).\n\n' + body + '\n\n';
  const at = readme.indexOf('\n## How ntk-wasm reads the paper');
  return at >= 0 ? readme.slice(0, at + 1) + intro + readme.slice(at + 1) : `${readme.trimEnd()}\n\n${intro}`;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop());
if (isMain) {
  const fig = {};
  for (const v of ['strict', 'relaxed']) { const f = read(`figure1-estimate-${v}.json`); if (f) fig[v] = f; }
  const table = cpuTable({ gemm: read('gemm.json'), ntk: read('ntk.json'), fig, eig: read('eig.json'), lm: read('lambda-min.json') });
  if (process.argv.includes('--print')) {
    console.log(table.markdown);
  } else {
    const next = updateReadme(readFileSync(README, 'utf8'), table);
    // Whole file or nothing: a killed run leaves the old README.
    writeFileSync(`${README}.tmp`, next);
    renameSync(`${README}.tmp`, README);
    console.log(`README.md: performance table for ${table.key}`);
  }
}
