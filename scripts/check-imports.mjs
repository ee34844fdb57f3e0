#!/usr/bin/env node
/**
 * The import graph of src/ checked against the layer order of docs/architecture.md: no import
 * circle, no arrow running back up a layer, and no twin importing its twin (the js and wasm
 * backends share code through src/backend/common, which both import).
 *
 * Node builtins (`node:` specifiers) are imported only under src/node/, src/cli/ and src/bin/;
 * portable code reaches Node through platform.ts's guarded process.getBuiltinModule.
 *
 * Usage: node scripts/check-imports.mjs [--tree] [--src DIR]
 *   --tree   also print every file with its layer and the layer-to-layer arrows
 * Exits 1 when it finds a violation. test/architecture.test.ts runs it with every `npm test`.
 *
 * Every relative specifier counts: `import`, `import type`, `export ... from` and `import('...')`
 * (a type import is an arrow too: it ties the lower module to the upper one's shape).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers, top first. A module may import its own layer and any layer below it, never one
 * above. An entry ending in '/' is a folder (everything under it); otherwise it names one module
 * (path under src/ without the extension). The most specific entry wins.
 */
export const LAYERS = [
  // Entry points by audience (package.json "exports") and their barrels; the bin shim.
  ['entry', ['index', 'node', 'advanced', 'ml-matrix', 'api/', 'bin/']],
  // The `ntk` command line.
  ['cli', ['cli/']],
  // Node-only helpers: files on disk, run folders, locks, the terminal progress bar.
  ['node', ['node/']],
  // Vega-Lite specs of the experiments' results and their SVG rendering.
  ['plot', ['plot/']],
  // Sweeps, Figure 1, the threshold experiment, records, summaries, spectra (portable).
  ['experiments', ['experiments/']],
  // Bytes in and out: .npy, CSV, JSON network specs (portable parsers).
  ['io', ['io/']],
  // Networks of eq. (1), their data, the empirical NTK and its evaluation.
  ['network', ['network/']],
  // The paper's quantities: Hermite coefficients, c_phi, lambda_1, infinite-width kernels, bounds.
  ['theory', ['theory/']],
  // Symmetric eigensolvers, lambda_min, Lanczos.
  ['linalg', ['linalg/']],
  // Choosing and holding the backend.
  ['backend-select', ['backend/default', 'backend/load']],
  // The two backends (twins: neither imports the other).
  ['backends', ['backend/js/', 'backend/wasm/']],
  // What both backends share.
  ['backend-common', ['backend/common/']],
  // The Backend interface.
  ['backend-types', ['backend/types']],
  // Input checks, seeded randomness, memory estimates.
  ['checks', ['validate', 'random', 'memory']],
  // Values every layer passes around: matrices, activations as data, their closed forms.
  ['values', ['matrix', 'activations', 'closed-forms']],
  // Leaves: errors, special functions, platform and optional-dependency probes.
  ['base', ['errors', 'special', 'platform', 'optional']],
];

/** Where a module may import a `node:` builtin; everything else runs in browsers and workers too. */
export const NODE_ONLY = ['node/', 'cli/', 'bin/'];

/** Folders of the same layer that must not import each other (they share through a module below). */
export const TWINS = [['backend/js/', 'backend/wasm/']];

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;
const NODE_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(node:[^'"]+)\1/gm;

function listTs(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

function stripComments(text) {
  // Block comments, then line comments outside strings (good enough for import lines).
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Module id: path under src/ with '/' separators and no extension. */
function moduleId(srcDir, file) {
  return relative(srcDir, file).split(sep).join('/').replace(/\.(ts|js|mjs)$/, '');
}

/** The layer index (0 = top) of a module id, or -1 when no entry matches. */
export function layerOf(id, layers = LAYERS) {
  let best = -1;
  let bestLen = -1;
  layers.forEach(([, entries], i) => {
    for (const e of entries) {
      const hit = e.endsWith('/') ? id.startsWith(e) : id === e;
      if (hit && e.length > bestLen) { best = i; bestLen = e.length; }
    }
  });
  return best;
}

function twinOf(id) {
  for (const group of TWINS) {
    const i = group.findIndex((p) => id.startsWith(p));
    if (i >= 0) return { group, i };
  }
  return null;
}

/** The relative-import graph of srcDir: module id -> sorted ids it imports (existing modules only). */
export function importGraph(srcDir) {
  const files = listTs(srcDir);
  const ids = new Set(files.map((f) => moduleId(srcDir, f)));
  const graph = new Map();
  const unresolved = [];
  const nodeImports = new Map();
  for (const file of files) {
    const id = moduleId(srcDir, file);
    const text = stripComments(readFileSync(file, 'utf8'));
    const deps = new Set();
    for (const m of text.matchAll(SPECIFIER)) {
      const target = moduleId(srcDir, resolve(dirname(file), m[2]));
      if (ids.has(target)) deps.add(target);
      else if (ids.has(`${target}/index`)) deps.add(`${target}/index`);
      // Generated files (backend/wasm/generated) are not in src/ until the build writes them.
      else if (!target.includes('/generated/')) unresolved.push(`${id} -> ${m[2]}`);
    }
    graph.set(id, [...deps].sort());
    const builtins = [...text.matchAll(NODE_SPECIFIER)].map((m) => m[2]);
    if (builtins.length) nodeImports.set(id, [...new Set(builtins)].sort());
  }
  return { graph, unresolved, nodeImports };
}

/** Strongly connected components with more than one module (or a self-import): the circles. */
export function cycles(graph) {
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** Every violation of the layer order, twin rule and circle rule, one line each. */
export function checkImports(srcDir, layers = LAYERS) {
  const { graph, unresolved, nodeImports } = importGraph(srcDir);
  const problems = [];
  for (const [id, builtins] of nodeImports) {
    if (!NODE_ONLY.some((p) => id.startsWith(p))) problems.push(`node-only: ${id} imports ${builtins.join(', ')} (move it under src/node/)`);
  }
  for (const u of unresolved) problems.push(`unresolved import: ${u}`);
  for (const [id, deps] of graph) {
    const from = layerOf(id, layers);
    if (from < 0) { problems.push(`no layer: ${id} (add it to LAYERS in scripts/check-imports.mjs)`); continue; }
    for (const dep of deps) {
      const to = layerOf(dep, layers);
      if (to < 0) continue; // reported once as "no layer" for dep itself
      if (to < from) problems.push(`upward: ${id} [${layers[from][0]}] -> ${dep} [${layers[to][0]}]`);
      const a = twinOf(id), b = twinOf(dep);
      if (a && b && a.group === b.group && a.i !== b.i) problems.push(`twin: ${id} -> ${dep}`);
    }
  }
  for (const c of cycles(graph)) problems.push(`circle: ${c.join(' <-> ')}`);
  return { graph, problems };
}

/** The files by layer and the layer-to-layer arrows (with how many imports each carries). */
export function formatTree(graph, layers = LAYERS) {
  const lines = [];
  layers.forEach(([name], i) => {
    const mods = [...graph.keys()].filter((id) => layerOf(id, layers) === i).sort();
    lines.push(`${name}: ${mods.length} modules`);
    for (const m of mods) lines.push(`  ${m}${graph.get(m).length ? ' -> ' + graph.get(m).join(', ') : ''}`);
  });
  const arrows = new Map();
  for (const [id, deps] of graph) {
    for (const dep of deps) {
      const a = layers[layerOf(id, layers)]?.[0] ?? '?', b = layers[layerOf(dep, layers)]?.[0] ?? '?';
      if (a !== b) arrows.set(`${a} -> ${b}`, (arrows.get(`${a} -> ${b}`) ?? 0) + 1);
    }
  }
  lines.push('layer arrows:');
  for (const [k, n] of [...arrows].sort()) lines.push(`  ${k} (${n})`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const srcArg = args.indexOf('--src');
  const srcDir = resolve(srcArg >= 0 ? args[srcArg + 1] : join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const { graph, problems } = checkImports(srcDir);
  if (args.includes('--tree')) console.log(formatTree(graph) + '\n');
  if (problems.length === 0) {
    console.log(`check-imports: ${graph.size} modules, no circle, no upward or twin import`);
  } else {
    console.log(`check-imports: ${problems.length} violation(s) in ${graph.size} modules:`);
    for (const p of problems) console.log(`  ${p}`);
    process.exitCode = 1;
  }
}
