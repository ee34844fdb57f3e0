#!/usr/bin/env node
// After tsc: deletes what nothing loads from dist/, so the package ships what runs.
// 1. The empty modules tsc emits for files that hold only types (`export {};`) and that no
//    emitted JS imports; their .d.ts stay (TypeScript resolves `./types.js` to `./types.d.ts`).
// 2. Declarations that no entry of package.json "exports" reaches through its `types` file
//    (e.g. the command line's modules: nothing imports them as a library).
// Usage: node scripts/prune-dist.mjs (npm run build runs it).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).map((f) => join(dist, f));
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)['"](\.{1,2}\/[^'"]+)['"]/gm;
const relatives = (f) => [...readFileSync(f, 'utf8').matchAll(SPECIFIER)].map((m) => resolve(dirname(f), m[1]));

const js = files.filter((f) => f.endsWith('.js'));
const imported = new Set(js.flatMap(relatives));
const emptyJs = js.filter((f) => readFileSync(f, 'utf8').trim() === 'export {};' && !imported.has(f));

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const typed = new Set();
const walk = (dts) => {
  if (typed.has(dts) || !existsSync(dts)) return;
  typed.add(dts);
  for (const s of relatives(dts)) walk(s.replace(/\.js$/, '.d.ts'));
};
for (const e of Object.values(pkg.exports)) if (typeof e === 'object' && e.types) walk(resolve(root, e.types));
const unusedDts = files.filter((f) => f.endsWith('.d.ts') && !typed.has(f));

for (const f of [...emptyJs, ...unusedDts]) rmSync(f);
console.log(`prune-dist: removed ${emptyJs.length} type-only module(s) and ${unusedDts.length} declaration file(s) no export reaches`);
