// Where the time of one empiricalNtk call goes: every backend call it makes, timed and named
// for its phase (forward layer l, Gram-Hadamard term l, backward step, v's SYRK, ...), and the
// JS time between and after them (checks, buffer set-up, the copy of K out of wasm memory,
// which a fresh K pays in page faults). The kernels' own splitting over threads is inside
// their calls; a phase whose 2T / 1T ratio is well below GEMM's is where the build loses its
// scaling. Used by bench/suites/ntk.mjs; also runs alone, interleaving the builds and thread
// counts (median of the rounds):
//   npm run build && node --no-wasm-dynamic-tiering bench/ntk-phases.mjs [n=2000] [rounds=3] [threads=2]
import { fileURLToPath } from 'node:url';
import { fmt, fromDist, mdTable } from './lib.mjs';
import { medianBest } from './peak.mjs';

/** Backend methods that are not kernels: not timed. */
const PLUMBING = new Set(['allocate', 'freeBuffers', 'memoryBytes', 'dispose']);

/**
 * Runs `call(backend)` once on a timing wrapper of `be` and returns its phases in call order:
 * `{ phase, seconds, flops }`, flops the kernel's own arithmetic (2mnk for a GEMM, n²k per
 * symmetric Gram product; 0 for passes over memory), and `JS ...` entries for the time spent
 * outside backend calls. The wrapper forwards to `be` (same buffers, same threads), so the
 * call runs as it would; its overhead is a performance.now() pair per kernel call.
 */
export function profileNtkCall(be, L, call) {
  const log = [];
  const seen = {};
  let last = 0;
  const name = (method, args) => {
    const i = (seen[method] = (seen[method] ?? 0) + 1);
    switch (method) {
      case 'gemmActivation': return [`forward l=${i} (GEMM + phi, phi')`, 2 * args[1] * args[2] * args[3]];
      case 'gemm': return ['output f (GEMV)', 2 * args[2] * args[3] * args[4]];
      case 'rowNorms': return [i <= L + 1 ? `row norms of A_${i - 1}` : 'overflow check of K (its row norms)', 0];
      // lowerOnly (args[6] / args[7]): K's lower triangle only; the call that mirrors says so.
      case 'syrk': return [`v term: A_${L} A_${L}ᵀ (SYRK${args[6] ? ', lower triangle' : ' + mirror'})`, args[0] ** 2 * args[1]];
      case 'scaleCols': return [`B_${L} = phi'(H_${L}) v / sqrt(m)`, 0];
      case 'gramHadamardAcc': return [`W_${L - i + 1} term: Gram-Hadamard${args[7] ? ', lower triangle' : ' + mirror'}`, args[0] ** 2 * (args[1] + args[3])];
      case 'gemmHadamard': return [`backward B_${L - i} (GEMM o phi')`, 2 * args[1] * args[2] * args[3]];
      default: return [method, 0];
    }
  };
  const wrapped = new Proxy(be, {
    get(target, prop) {
      const v = target[prop];
      if (typeof v !== 'function' || PLUMBING.has(prop)) return v;
      return (...args) => {
        const t = performance.now();
        if (t - last > 0.05) log.push({ phase: 'JS between calls', seconds: (t - last) / 1e3, flops: 0 });
        const r = v.apply(target, args);
        last = performance.now();
        const [phase, flops] = name(prop, args);
        log.push({ phase, seconds: (last - t) / 1e3, flops });
        return r;
      };
    },
  });
  const t0 = performance.now();
  last = t0;
  call(wrapped);
  const t1 = performance.now();
  log.push({ phase: 'JS after the last call (copy of K out)', seconds: (t1 - last) / 1e3, flops: 0 });
  // JS gaps merge into two rows: their position varies with timer resolution.
  const out = [];
  for (const p of log) {
    const same = out.find((q) => q.phase === p.phase);
    if (same && p.phase.startsWith('JS')) same.seconds += p.seconds;
    else out.push({ ...p });
  }
  out.push({ phase: 'total', seconds: (t1 - t0) / 1e3, flops: 0 });
  return out;
}

/**
 * Profiles `rounds` calls per configuration (`configs`: [label, backend] pairs), interleaved
 * (round r runs every configuration before round r+1), and returns per configuration the
 * phases with the median seconds over rounds.
 */
export function profilePhases(configs, lib, n, rounds) {
  const dims = [100, n, n];
  const net = lib.createNetwork({ d: 100, widths: [n, n], activation: 'tanh', sigma0: 1, seed: 1 });
  const X = lib.gaussianData({ n, d: 100, seed: 2 });
  const runs = {};
  for (const [label, be] of configs) lib.empiricalNtk(net, X, { backend: be }); // warm-up, buffers resident
  for (let r = 0; r < rounds; r++) {
    for (const [label, be] of configs) {
      (runs[label] ??= []).push(profileNtkCall(be, dims.length - 1, (b) => lib.empiricalNtk(net, X, { backend: b })));
    }
  }
  const out = {};
  for (const [label, list] of Object.entries(runs)) {
    out[label] = list[0].map((p, i) => ({
      phase: p.phase, flops: p.flops,
      seconds: medianBest(list.map((l) => l[i]?.phase === p.phase ? l[i].seconds : NaN).filter(Number.isFinite)).median,
    }));
  }
  return { n, rounds, configs: out };
}

/**
 * The phase table: seconds per phase and configuration, each phase's share of the call, the
 * GEMM-like phases' rate against `gemmRate[label]` (flop/s of an n x n GEMM in the same run,
 * when given), and per build the 2T / 1T ratio of each phase.
 */
export function phaseTable(prof, T, gemmRate = {}) {
  const labels = Object.keys(prof.configs);
  const first = prof.configs[labels[0]];
  const rows = first.map((p, i) => {
    const cells = [p.phase];
    for (const l of labels) {
      const q = prof.configs[l][i];
      const total = prof.configs[l].at(-1).seconds;
      const rate = q.flops && gemmRate[l] ? ` ${(100 * q.flops / q.seconds / gemmRate[l]).toFixed(0)}%G` : '';
      cells.push(p.phase === 'total' ? fmt(q.seconds, 3) : `${fmt(q.seconds, 3)} (${(100 * q.seconds / total).toFixed(1)}%${rate})`);
    }
    for (const l of labels.filter((x) => x.endsWith(` ${T}T`))) {
      const one = prof.configs[l.replace(` ${T}T`, ' 1T')];
      cells.push(one ? fmt(one[i].seconds / prof.configs[l][i].seconds, 2) + 'x' : '–');
    }
    return cells;
  });
  const speedCols = labels.filter((x) => x.endsWith(` ${T}T`)).map((l) => `${l.replace(` ${T}T`, '')} ${T}T / 1T`);
  return [
    `### Where the time goes: phases of one call at n = m = ${prof.n} (median of ${prof.rounds} interleaved rounds)`,
    'Seconds per phase (share of the call; for kernels with arithmetic, their rate as a percentage of the same ' +
    'configuration\'s n x n GEMM rate, "%G"), and per build the phase\'s speed-up from 1 to ' +
    `${T} threads. "JS" rows are time outside kernel calls: the copy of K out of wasm memory into a fresh array ` +
    '(page faults), the copy of W_2..W_L into wasm memory and the buffers\' set-up. `node --no-wasm-dynamic-tiering bench/ntk-phases.mjs ' + prof.n + '` prints this table alone.',
    mdTable(['phase', ...labels, ...speedCols], rows),
  ].join('\n\n');
}

// Standalone: strict and relaxed, 1 and T threads, interleaved.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 2000), rounds = Number(process.argv[3] ?? 3), T = Number(process.argv[4] ?? 2);
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
  const { createWasmBackend } = await fromDist('backend/wasm/index.js');
  const lib = await fromDist('index.js');
  const configs = [];
  for (const variant of ['strict', 'relaxed']) {
    for (const threads of [1, T]) {
      const be = await createWasmBackend({ threads, variant }).catch(() => null);
      if (be) configs.push([`${variant} ${threads}T`, be]);
    }
  }
  const { cpus, loadavg } = await import('node:os');
  console.log(`${cpus()[0]?.model}, ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}`);
  const prof = profilePhases(configs, lib, n, rounds);
  console.log(phaseTable(prof, T));
  console.log(`load after: ${loadavg()[0].toFixed(2)}`);
  for (const [, be] of configs) await be.dispose();
}
