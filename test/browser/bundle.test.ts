/**
 * The package in a browser without the demo: its ES modules import nothing a browser cannot
 * resolve (no bare specifiers, no static node: imports), an app bundled by Vite from the
 * package name builds without a warning (none about Node modules externalized for the
 * browser) and runs in chromium on the wasm backend (isolated or not) and on js, with the
 * same numbers as Node.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { build, type Logger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsBackend } from '../../src/backend/js/index.js';
import type { Backend } from '../../src/backend/types.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { gaussianData } from '../../src/network/data.js';
import { createNetwork } from '../../src/network/network.js';
import { empiricalNtk } from '../../src/network/ntk.js';
import { lambdaMin } from '../../src/linalg/index.js';
import { launchChromium, ROOT, watchErrors } from './chromium.js';
import { moduleSpecifiers } from '../helpers/modules.js';
import { relErr } from '../helpers/reference.js';

describe('the browser import graph of dist/', () => {
  it('has only relative static imports from the public entries', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const s of moduleSpecifiers(readFileSync(file, 'utf8'), false)) {
        if (s.startsWith('./') || s.startsWith('../')) walk(resolve(dirname(file), s));
        else bad.push(`${file.slice(ROOT.length + 1)} imports ${s}`);
      }
    };
    walk(resolve(ROOT, 'dist/index.js'));
    walk(resolve(ROOT, 'dist/experiments/index.js'));
    walk(resolve(ROOT, 'dist/plot/index.js'));
    walk(resolve(ROOT, 'dist/advanced.js'));
    expect(seen.size).toBeGreaterThan(30); // the walk did follow the graph
    expect(bad).toEqual([]);
  });

  it('keeps ml-matrix in its own subpath', () => {
    // Loaded there on first import of the subpath (an optional dependency), nowhere else.
    expect(moduleSpecifiers(readFileSync(resolve(ROOT, 'dist/ml-matrix.js'), 'utf8'), true)).toContain('ml-matrix');
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './experiments', './plot', './node', './advanced', './ml-matrix']));
  });
});

// The NTK the app and Node compute. Large enough for every blocking path of the kernels (the
// bit-for-bit comparison below is only as strong as the code it reaches): n = 201 > 192 (two
// rows of Gram-Hadamard tiles, one partial), m_1 = 301 > 256 (a second k slice accumulating onto
// the first, where the relaxed build's fused multiply-adds round differently from strict; odd
// widths: edge tiles), m_2 = 259 (epilogue pieces of 64 columns, a partial one); sigmoid besides
// tanh (the wasm's own exp, not the engine's Math.exp).
const CASE = { n: 201, d: 12, widths: [301, 259], activations: ['tanh', 'sigmoid'] } as const;

// The app Vite bundles: the same NTK on the default backend and on js, by the package's name.
const APP = `
import { loadBackend, createNetwork, gaussianData, empiricalNtk, lambdaMin } from 'ntk-wasm';
import { summarize } from 'ntk-wasm/experiments';
import { createJsBackend } from 'ntk-wasm/advanced';
const CASE = ${JSON.stringify(CASE)};
const out = { isolated: globalThis.crossOriginIsolated === true, summarize: typeof summarize, advanced: typeof createJsBackend };
for (const [key, kind, variant] of [['auto', 'auto', 'auto'], ['strict', 'wasm', 'strict'], ['js', 'js', 'auto']]) {
  const { backend, note } = await loadBackend({ backend: kind, variant });
  out[key] = { note };
  for (const activation of CASE.activations) {
    const X = gaussianData({ n: CASE.n, d: CASE.d, seed: 3 });
    const net = createNetwork({ d: CASE.d, widths: CASE.widths, activation, nu0sq: 1.5, seed: 4 });
    const { K, f, cli } = empiricalNtk(net, X, { backend });
    out[key][activation] = { K: Array.from(K.data), f: Array.from(f), cli: cli.map((c) => Array.from(c)), ...((lm) => ({ lambdaMin: lm.value, lambdaMinBound: lm.errorBound }))(lambdaMin(K, { backend })) };
  }
}
globalThis.result = out;
document.body.dataset.done = 'yes';
`;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

/** What one backend computes for one activation of {@link CASE}, in the browser or in Node. */
interface Numbers { K: number[]; f: number[]; cli: number[][]; lambdaMin: number; lambdaMinBound: number }
/** One backend's run in the browser: its note, and the numbers per activation. */
type BrowserRun = { note: string } & Record<(typeof CASE.activations)[number], Numbers>;

describe('an app bundled by Vite', () => {
  let dir: string;
  let out: string;
  let browser: Browser;
  let node: { wasm: Backend; strict: Backend; js: Backend };
  // Everything Vite would print at level 'warn' and above (e.g. "Module "node:os" has been
  // externalized for browser compatibility"), kept instead of printed.
  const logged: string[] = [];
  const logger: Logger = {
    info() {},
    warn(msg) { logged.push(msg); },
    warnOnce(msg) { logged.push(msg); },
    error(msg) { logged.push(msg); },
    clearScreen() {},
    hasErrorLogged: () => false,
    hasWarned: false,
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ntk-vite-'));
    out = join(dir, 'out');
    mkdirSync(join(dir, 'node_modules'));
    // Installed as a dependency would be: resolved by name through package.json "exports".
    symlinkSync(ROOT, join(dir, 'node_modules', 'ntk-wasm'), 'dir');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>\n');
    writeFileSync(join(dir, 'main.js'), APP);
    const [b, wasm, strict] = await Promise.all([
      launchChromium(),
      createWasmBackend({ threads: 1 }),
      createWasmBackend({ threads: 1, variant: 'strict' }),
      build({ root: dir, logLevel: 'warn', customLogger: logger, configFile: false, build: { outDir: out, target: 'es2022' } }),
    ]);
    browser = b;
    node = { wasm, strict, js: createJsBackend() };
  });
  afterAll(async () => {
    await browser?.close();
    await node?.wasm.dispose();
    await node?.strict.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The bundle, with or without COOP/COEP, from a localhost origin (trustworthy, so the headers count); routed: nothing listens on port 9. */
  async function runApp(isolated: boolean) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.route('http://localhost:9/**', async (route) => {
      const path = new URL(route.request().url()).pathname;
      const file = join(out, path === '/' ? 'index.html' : path);
      await route.fulfill({
        status: 200,
        headers: {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          ...(isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
        },
        body: readFileSync(file),
      });
    });
    await page.goto('http://localhost:9/');
    await page.waitForSelector('body[data-done=yes]', { state: 'attached', timeout: 60_000 });
    const result = await page.evaluate(() => (globalThis as unknown as { result: unknown }).result) as {
      isolated: boolean; summarize: string; advanced: string; auto: BrowserRun; strict: BrowserRun; js: BrowserRun;
    };
    await ctx.close();
    expect(errors).toEqual([]);
    return result;
  }

  function nodeSide(backend: Backend, activation: (typeof CASE.activations)[number]): Numbers {
    const X = gaussianData({ n: CASE.n, d: CASE.d, seed: 3 });
    const net = createNetwork({ d: CASE.d, widths: [...CASE.widths], activation, nu0sq: 1.5, seed: 4 });
    const { K, f, cli } = empiricalNtk(net, X, { backend });
    return { K: Array.from(K.data), f: Array.from(f), cli: cli.map((c) => Array.from(c)), ...((lm) => ({ lambdaMin: lm.value, lambdaMinBound: lm.errorBound }))(lambdaMin(K, { backend })) };
  }


  it('builds without a warning (no node: module reached from the browser entries)', () => {
    expect(logged).toEqual([]);
  });

  it('copies the wasm files the backend fetches (new URL(..., import.meta.url)) into the bundle', () => {
    const files = readdirSync(join(out, 'assets'));
    // The strict build and the relaxed patch (the tiny unshared patches Vite inlines as data:
    // URLs); not the scalar benchmark build, which the npm package does not ship.
    expect(files.filter((f) => /^ntk.*\.wasm$/.test(f)).map((f) => f.replace(/-[\w-]+\.wasm$/, ''))).toEqual(['ntk']);
    expect(files.filter((f) => /^ntk-relaxed-.*\.patch$/.test(f)).length).toBe(1);
  });

  it.each([false, true])('runs in chromium (cross-origin isolated: %s) with Node\'s numbers', async (isolated) => {
    const r = await runApp(isolated);
    expect(r.isolated).toBe(isolated);
    expect(r.summarize).toBe('function');
    expect(r.advanced).toBe('function');
    // On a page's main thread (no Atomics.wait there) the wasm backend runs one thread.
    // Chromium 114+ and Node 20+ (with the flag the loader sets) both run relaxed SIMD.
    expect(r.auto.note).toBe('wasm backend (relaxed SIMD, 1 thread)');
    expect(node.wasm.variant).toBe('relaxed');
    expect(r.strict.note).toBe('wasm backend (strict SIMD, 1 thread)');
    expect(r.js.note).toBe('js backend (requested)');
    for (const act of CASE.activations) {
      const w = nodeSide(node.wasm, act), ws = nodeSide(node.strict, act), j = nodeSide(node.js, act);
      expect(r.auto[act].K.length).toBe(CASE.n * CASE.n);
      // The wasm kernels and the seeded generator are engine-independent: bit for bit (toEqual
      // tells -0 from 0), for each build on the same machine (relaxed_madd is fused by both or
      // by neither: same V8 code generator and CPU): K, f, the row norms and lambda_min.
      expect(r.auto[act], `relaxed, ${act}`).toEqual(w);
      expect(r.strict[act], `strict, ${act}`).toEqual(ws);
      // Both builds compute the same NTK (they differ in rounding only, where the CPU fuses).
      expect(relErr(r.auto[act].K, r.strict[act].K)).toBeLessThan(1e-13);
      // js: tanh and exp are the engine's Math.*, whose last bits differ between V8 versions;
      // compared relative to max |K| as everywhere in the project (entries near 0 have no
      // relative accuracy to speak of).
      expect(relErr(r.js[act].K, j.K)).toBeLessThan(1e-13);
      // Each lambdaMin is within its errorBound of its own K's lambda_min, and the two K's
      // lambda_min differ by at most the spectral norm of their difference (Weyl), bounded by
      // its Frobenius norm. (A relative tolerance would have to carry K's condition number.)
      let dK2 = 0;
      for (let i = 0; i < j.K.length; i++) dK2 += (r.js[act].K[i]! - j.K[i]!) ** 2;
      expect(Math.abs(r.js[act].lambdaMin - j.lambdaMin)).toBeLessThanOrEqual(Math.sqrt(dK2) + r.js[act].lambdaMinBound + j.lambdaMinBound);
      expect(r.auto[act].lambdaMin).toBeGreaterThan(0);
    }
  });
});
