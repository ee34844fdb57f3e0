#!/usr/bin/env node
// After tsc and prune-dist: minifies every dist/**/*.js file without renaming anything, and
// strips the indentation of every dist/**/*.d.ts line.
// Why: the npm package must stay within 250 kB packed (test/package.test.ts), and indentation
// and line breaks were about 12 kB of it. Names are kept (no mangling), so stack traces still
// name our functions, and the `new URL('./ntk.wasm', import.meta.url)` lines that bundlers look
// for survive; the readable source is the TypeScript in the repository. Comments are already
// gone (removeComments). Since the two-stage eigensolver (2026-12-03) the minifier also
// compresses (constant folding, shorter statements: ~3 kB packed), the same transformations a
// production bundle of an app applies to this code anyway (the size and browser-bundle tests
// run it bundled and fully minified).
// The minifier is rolldown's (the bundler inside Vite), pinned in devDependencies.
// Usage: node scripts/minify-dist.mjs (npm run build runs it).
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minifySync } from 'rolldown/experimental';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
let before = 0, after = 0;
let dtsBefore = 0, dtsAfter = 0;
for (const f of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (f.endsWith('.d.ts')) {
    // Declarations keep every line and every TSDoc comment (editors show them); only the
    // indentation before each line goes (a comment line keeps its text after the '*').
    const path = join(dist, f);
    const src = readFileSync(path, 'utf8');
    const out = src.split('\n').map((l) => l.trimStart()).join('\n');
    dtsBefore += src.length;
    dtsAfter += out.length;
    writeFileSync(`${path}.tmp`, out);
    renameSync(`${path}.tmp`, path);
    continue;
  }
  if (!f.endsWith('.js')) continue;
  const path = join(dist, f);
  const src = readFileSync(path, 'utf8');
  const out = minifySync(f, src, { compress: true, mangle: false });
  if (out.errors?.length) throw new Error(`minify-dist: ${f}: ${out.errors.map((e) => e.message).join('; ')}`);
  before += src.length;
  after += out.code.length;
  // Whole file or nothing: write beside it, then rename over it.
  writeFileSync(`${path}.tmp`, out.code);
  renameSync(`${path}.tmp`, path);
}
console.log(`minify-dist: ${(before / 1000).toFixed(0)} kB of JS -> ${(after / 1000).toFixed(0)} kB (names kept); declarations ${(dtsBefore / 1000).toFixed(0)} -> ${(dtsAfter / 1000).toFixed(0)} kB (indentation)`);
