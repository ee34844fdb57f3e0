// The import graph of src/ follows docs/architecture.md: one way down the layers, no circle,
// no twin importing its twin, Node builtins only in node/, cli/ and bin/
// (scripts/check-imports.mjs; `node scripts/check-imports.mjs --tree` prints the graph).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkImports } from '../scripts/check-imports.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = checkImports as (srcDir: string) => { graph: Map<string, string[]>; problems: string[] };

describe('import graph of src/', () => {
  it('has no circle, no upward arrow, no twin import and no node: import outside src/node', () => {
    const { graph, problems } = check(join(root, 'src'));
    expect(graph.size).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});

describe('the checker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-arch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tree = (files: Record<string, string>): string => {
    const src = mkdtempSync(join(dir, 'src-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(src, path)), { recursive: true });
      writeFileSync(join(src, path), text);
    }
    return src;
  };

  it('accepts arrows that run down and reports each kind of violation by name', () => {
    expect(check(tree({
      'network/network.ts': "import { checkSeed } from '../validate.js';\n",
      'validate.ts': "import { NtkInputError } from './errors.js';\n",
      'errors.ts': 'export class NtkInputError {}\n',
    })).problems).toEqual([]);
    const { problems } = check(tree({
      'validate.ts': "import type { Network } from './network/network.js';\n",
      'network/network.ts': "import { checkSeed } from '../validate.js';\n",
      'backend/js/gemm.ts': "export { x } from '../wasm/blas.js';\n",
      'backend/wasm/blas.ts': 'export const x = 1;\n',
      'experiments/io.ts': "import { readFileSync } from 'node:fs';\n",
      'linalg/eigh.ts': "const m = await import('../theory/gauss.js');\n",
      'theory/gauss.ts': '// import { x } from "../cli/main.js";\nexport {};\n',
      'stray.ts': 'export {};\n',
    }));
    expect(problems.sort()).toEqual([
      'circle: network/network <-> validate',
      'no layer: stray (add it to LAYERS in scripts/check-imports.mjs)',
      'node-only: experiments/io imports node:fs (move it under src/node/)',
      'twin: backend/js/gemm -> backend/wasm/blas',
      'upward: linalg/eigh [linalg] -> theory/gauss [theory]',
      'upward: validate [checks] -> network/network [network]',
    ]);
  });
});
