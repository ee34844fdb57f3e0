/**
 * The published tarball (issue 14): what `npm pack` would ship, checked so that a regression
 * fails here rather than on the registry. At most 250 kB packed; one copy of the wasm code (the
 * strict build as a binary file, the builds that share most of its bytes as patches that rebuild
 * them byte for byte, no base64 copy in the JS, no build/ output, not the scalar benchmark
 * build); no source maps; declarations without the binary as a
 * literal type; every shipped module reachable from an entry point or the `ntk` executable;
 * no required dependency (the optional ones are optional peers, loaded on use); package
 * metadata and README links that work on the package's page. Needs dist/ and build/ (npm test
 * builds them first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, posix, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { moduleSpecifiers } from './helpers/modules.js';
// @ts-expect-error a plain .mjs script without type declarations
import { REPOSITORY_ONLY, VARIANTS } from '../scripts/wasm-assets.mjs';

const ROOT = resolve(import.meta.dirname, '..');
// Issue 14's target. History: 233.7 kB before the relaxed-SIMD build (issue 18) embedded a
// second 139 kB base64 module (274.0 kB); 302.6 kB (187 files) once the threshold experiment,
// the memory estimates and the README's new sections landed; 2026-12-03 (h-tarball): binary
// .wasm instead of base64, the relaxed build as a patch of the strict one, the scalar benchmark
// build left out, and the README's reference sections moved to docs/ (see the report there).
// 2026-12-03 (fourth session): 239.8 kB once dist JS renamed its locals (top-level names kept) and
// compressed, with the two-stage eigensolver, sterf and the Mehler resolution pass in.
const MAX_PACKED_BYTES = 250_000;
const GENERATED = 'dist/backend/wasm/generated';

interface PackFile { path: string; size: number }
interface Pack { size: number; unpackedSize: number; entryCount: number; files: PackFile[] }
interface PackageJson {
  name: string;
  license?: string;
  repository?: { url?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
let pack: Pack;
let shipped: Set<string>;
const text = (p: string) => readFileSync(join(ROOT, p), 'utf8');

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
  // The npm a publisher runs, not the npm 6 that @as-pect/cli pulls into node_modules/.bin
  // (which `npm test` puts first on PATH, and which packs differently).
  const PATH = (process.env.PATH ?? '').split(delimiter).filter((d) => !d.includes(`node_modules${sep}.bin`)).join(delimiter);
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH } });
  pack = (JSON.parse(out) as Pack[])[0]!;
  shipped = new Set(pack.files.map((f) => f.path));
});

const isRelative = (s: string) => s.startsWith('./') || s.startsWith('../');
/** The package a bare specifier names (`@scope/name` or `name`). */
const packageOf = (s: string) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/');

/** Every shipped module reachable from `file` (static imports, and import() when `dynamic`), and the bare specifiers met. */
function reach(file: string, dynamic: boolean, seen = new Set<string>(), bare = new Set<string>()) {
  if (!seen.has(file)) {
    seen.add(file);
    for (const s of moduleSpecifiers(text(file), dynamic)) {
      if (isRelative(s)) reach(posix.join(posix.dirname(file), s), dynamic, seen, bare);
      else if (!s.startsWith('node:')) bare.add(packageOf(s));
    }
  }
  return { seen, bare };
}

describe('the npm tarball', () => {
  it(`is at most ${MAX_PACKED_BYTES / 1000} kB packed and holds what a user needs`, () => {
    expect(pack.size).toBeGreaterThan(50_000); // the real package, not an empty one
    expect(pack.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) expect(shipped, f).toContain(f);
    expect(text('LICENSE')).toMatch(/^MIT License/);
  });

  it('ships one copy of the wasm code: no base64 of it, no source maps, no build output, no scalar build', () => {
    const bad = [...shipped].filter((f) => f.endsWith('.map') || f.startsWith('build/') ||
      f.startsWith('src/') || f.startsWith('test/') || f.startsWith('assembly/') ||
      ((f.endsWith('.wasm') || f.endsWith('.patch')) && posix.dirname(f) !== GENERATED));
    expect(bad).toEqual([]);
    // Binary files only: no shipped text holds a build's bytes as base64.
    const texts = [...shipped].filter((f) => /\.(js|ts|json|html|md)$/.test(f)).map((f) => text(f));
    for (const file of new Set(Object.values(VARIANTS) as string[])) {
      const probe = readFileSync(join(ROOT, 'build', file)).toString('base64').slice(400, 1400);
      expect(texts.filter((s) => s.includes(probe)).length, file).toBe(0);
    }
    const wasm = [...shipped].filter((f) => f.endsWith('.wasm')).map((f) => posix.basename(f));
    expect(wasm).toEqual(['ntk.wasm']);
    for (const k of REPOSITORY_ONLY as string[]) expect(shipped, k).not.toContain(`${GENERATED}/${(VARIANTS as Record<string, string>)[k]}`);
  });

  it('rebuilds every shipped wasm build exactly from the shipped files', async () => {
    const { BUILDS } = await import(pathToFileURL(join(ROOT, GENERATED, 'builds.js')).href) as
      { BUILDS: Record<string, { file?: () => URL; base?: string; patch?: () => URL }> };
    const { applyWasmPatch } = await import(pathToFileURL(join(ROOT, 'dist/backend/wasm/patch.js')).href) as
      { applyWasmPatch: (base: Uint8Array, patch: Uint8Array) => Uint8Array };
    const relPath = (u: URL) => posix.relative(ROOT, fileURLToPath(u));
    const bytes = (k: string): Uint8Array => {
      const s = BUILDS[k]!;
      const f = relPath((s.patch ?? s.file)!());
      expect(shipped, `${k}: ${f}`).toContain(f);
      return s.base ? applyWasmPatch(bytes(s.base), readFileSync(join(ROOT, f))) : readFileSync(join(ROOT, f));
    };
    const userBuilds = Object.entries(VARIANTS as Record<string, string>).filter(([k]) => !(REPOSITORY_ONLY as string[]).includes(k));
    expect(userBuilds.length).toBe(4);
    for (const [k, file] of userBuilds) expect(Buffer.from(bytes(k)).equals(readFileSync(join(ROOT, 'build', file))), k).toBe(true);
    // The patches are small: the relaxed build differs from the strict one in a few function
    // bodies, each unshared build from its shared twin in the memory import.
    const size = (f: string) => pack.files.find((x) => x.path === `${GENERATED}/${f}`)!.size;
    expect(size('ntk-relaxed.patch')).toBeLessThan(0.15 * size('ntk.wasm'));
    expect(size('ntk-single.patch')).toBeLessThan(200);
    expect(size('ntk-relaxed-single.patch')).toBeLessThan(200);
  });

  it('has declarations without string literals the size of a binary', () => {
    const long = [...shipped].filter((f) => f.endsWith('.d.ts')).filter((f) => /["'`][A-Za-z0-9+/=]{1000,}/.test(text(f)));
    expect(long).toEqual([]);
  });

  it('ships only modules that an entry point or the ntk executable loads', () => {
    const entries = Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : [e.default, e.types]))
      .concat(Object.values(pkg.bin)).map((p) => posix.normalize(p));
    for (const e of entries) expect(shipped, e).toContain(e);
    const seen = new Set<string>();
    for (const e of entries.filter((p) => p.endsWith('.js'))) reach(e, true, seen);
    const unreachable = [...shipped].filter((f) => f.startsWith('dist/') && f.endsWith('.js') && !seen.has(f));
    expect(seen.size).toBeGreaterThan(50);
    expect(unreachable).toEqual([]);
    // Declarations: exactly those the exports' `types` files reach (a consumer's compiler
    // loads no other), and each of them ships.
    const types = Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [] : [posix.normalize(e.types)]));
    const typed = new Set<string>();
    const walkTypes = (dts: string) => {
      if (typed.has(dts)) return;
      typed.add(dts);
      expect(shipped, `${dts} (declarations the exports reach)`).toContain(dts);
      for (const s of moduleSpecifiers(text(dts), true).filter(isRelative)) walkTypes(posix.join(posix.dirname(dts), s).replace(/\.js$/, '.d.ts'));
    };
    types.forEach(walkTypes);
    expect(typed.size).toBeGreaterThan(20);
    expect([...shipped].filter((f) => f.endsWith('.d.ts') && !typed.has(f))).toEqual([]);
    // The demo page that `ntk demo` serves ships with its files.
    // Referenced from the page or from one of its modules (app.js imports the others).
    const demoFiles = [...shipped].filter((p) => p.startsWith('demo/'));
    for (const f of demoFiles.filter((p) => p !== 'demo/index.html')) {
      const name = posix.basename(f);
      const referrers = demoFiles.filter((p) => p !== f && /\.(html|js)$/.test(p)).map(text).join('\n');
      expect(referrers, f).toContain(name);
    }
  });

  it('requires no package: every package the code imports is an optional peer', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
    const used = new Set([...shipped].filter((f) => f.startsWith('dist/') && f.endsWith('.js')).flatMap((f) => moduleSpecifiers(text(f), true))
      .filter((x) => !isRelative(x) && !x.startsWith('node:')).map(packageOf));
    expect([...used].sort()).toEqual(['cli-progress', 'commander', 'ml-matrix', 'vega', 'vega-lite']);
    for (const p of used) {
      expect(pkg.peerDependencies?.[p], p).toBeDefined();
      expect(pkg.peerDependenciesMeta?.[p]?.optional, p).toBe(true);
    }
    // The library's entries load none of them at import (only the ml-matrix subpath does).
    for (const e of ['dist/index.js', 'dist/experiments/index.js', 'dist/plot/index.js', 'dist/node.js', 'dist/advanced.js']) {
      expect([...reach(e, false).bare], e).toEqual([]);
    }
    expect([...reach('dist/ml-matrix.js', true).bare]).toEqual(['ml-matrix']);
  });

  it('has package metadata and README links that work on the package page', () => {
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository?.url).toMatch(/github\.com\/ntk-wasm\/ntk-wasm/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs?.url).toMatch(/^https:\/\//);
    expect(pkg.keywords?.length).toBeGreaterThanOrEqual(5);
    // A relative link works on the registry's page only for a file in the tarball.
    const readme = text('README.md');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    const relative = links.filter((l) => !/^(https?:|#|mailto:)/.test(l)).map((l) => l.split('#')[0]!);
    expect(relative.filter((l) => !shipped.has(posix.normalize(l)))).toEqual([]);
    // Absolute links into this repository (pages and raw images) name files that exist in it.
    const repoFiles = links.map((l) => /^https:\/\/(?:github\.com\/ntk-wasm\/ntk-wasm\/(?:blob|tree)|raw\.githubusercontent\.com\/ntk-wasm\/ntk-wasm)\/main\/([^#?]+)/.exec(l)?.[1])
      .filter((p): p is string => !!p);
    expect(repoFiles.length).toBeGreaterThan(3);
    expect(repoFiles.filter((p) => !existsSync(resolve(ROOT, decodeURIComponent(p))))).toEqual([]);
  });
});
