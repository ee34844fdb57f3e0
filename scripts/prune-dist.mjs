#!/usr/bin/env node
// After tsc: deletes the JavaScript that nothing loads, i.e. the empty modules tsc emits for
// files that hold only types (`export {};`). Their .d.ts stay: TypeScript resolves the
// `./types.js` of an `import type` to `./types.d.ts`. A module that some emitted JS imports is
// kept, empty or not. Usage: node scripts/prune-dist.mjs (npm run build runs it).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const js = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => join(dist, f));
const imported = new Set();
for (const f of js) {
  for (const m of readFileSync(f, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    imported.add(resolve(dirname(f), m[1]));
  }
}
const pruned = js.filter((f) => readFileSync(f, 'utf8').trim() === 'export {};' && !imported.has(f));
for (const f of pruned) rmSync(f);
console.log(`prune-dist: removed ${pruned.length} type-only module${pruned.length === 1 ? '' : 's'}`);
