/**
 * Every `ntk` command answers wrong input as a new user would meet it (a typo, a missing file,
 * an out-of-range option) with exit status 2 and one readable `ntk: error:` line on stderr, no
 * stack trace: the cases of test/helpers/error-cases.ts against the built CLI (dist/, from
 * `npm run build`). Also keeps docs/errors.md equal to what the code prints: regenerate it with
 * `NTK_WRITE_ERRORS_DOC=1 npx vitest run test/validation-cli.test.ts`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../src/io/npy.js';
import { jsCase, wasmCase } from './helpers/backends.js';
import { apiCases, cliCases, cliFiles, type CliCase } from './helpers/error-cases.js';
import { expectCaseError, runApiCase } from './helpers/run-case.js';

const MAIN = resolve('dist/cli/main.js');
const DOC = resolve('docs/errors.md');

interface CliRun { code: number | null; stdout: string; stderr: string }

function runCli(args: string[], cwd: string): Promise<CliRun> {
  return new Promise((done, fail) => {
    const env = { ...process.env };
    delete env.NTK_DEBUG;
    const p = spawn(process.execPath, [MAIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (b: Buffer) => { stdout += b; });
    p.stderr.on('data', (b: Buffer) => { stderr += b; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); fail(new Error(`ntk ${args.join(' ')} did not finish in 60 s`)); }, 60_000);
    p.on('error', fail);
    p.on('close', (code) => { clearTimeout(timer); done({ code, stdout, stderr }); });
  });
}

/** Runs `jobs` with at most `limit` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < jobs.length) { const i = next++; out[i] = await jobs[i]!(); }
  }));
  return out;
}

let dir = '';
const results = new Map<CliCase, CliRun>();

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), 'ntk-cli-errors-'));
  for (const [name, text] of Object.entries(cliFiles)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'vector.npy'), writeNpy(Float64Array.of(1, 2, 3)));
  writeFileSync(join(dir, 'rect.npy'), writeNpy({ rows: 2, cols: 3, data: new Float64Array(6) }));
  writeFileSync(join(dir, 'empty.npy'), writeNpy({ rows: 0, cols: 0, data: new Float64Array(0) }));
  writeFileSync(join(dir, 'nan.npy'), writeNpy({ rows: 2, cols: 2, data: Float64Array.of(1, NaN, NaN, 1) }));
  writeFileSync(join(dir, 'sym.npy'), writeNpy({ rows: 2, cols: 2, data: Float64Array.of(2, 1, 1, 2) }));
  const runs = await pool(cliCases.map((c) => () => runCli(c.args, dir)), 4);
  cliCases.forEach((c, i) => results.set(c, runs[i]!));
}, 300_000);

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** The one error line of a run, after checking there is exactly one and nothing else but notes. */
function errorLine(r: CliRun): string {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  const errors = lines.filter((l) => l.startsWith('ntk: error: '));
  expect(errors, r.stderr).toHaveLength(1);
  // Besides the error, only the one-line `ntk: <backend>` note may appear: no stack, no help dump.
  for (const l of lines) expect(l, r.stderr).toMatch(/^ntk: /);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return errors[0]!;
}

describe('ntk answers wrong input with one line and exit status 2', () => {
  for (const c of cliCases) {
    it(`ntk ${c.args.join(' ')}`, () => {
      const r = results.get(c)!;
      expect(r.code, r.stderr).toBe(c.exit);
      expect(errorLine(r)).toMatch(c.message);
      expect(r.stdout).toBe('');
    });
  }
  it('every command is tried with a wrong input', () => {
    const commands = new Set(cliCases.map((c) => c.args[0]));
    const help = readFileSync(resolve('src/cli/main.ts'), 'utf8');
    const registered = [...help.matchAll(/register(\w+)\(program\)/g)].length;
    // eig evaluate figure1 hermite sweep spectrum merge report kernels demo (+ an unknown one).
    expect(commands.size - 1).toBeGreaterThanOrEqual(registered);
  });
});

/** docs/errors.md from the messages the code gives now. */
async function renderDoc(): Promise<string> {
  const js = await jsCase.get(), wasm = await wasmCase.get();
  let api = '';
  for (const c of apiCases.filter((x) => x.kind)) {
    const e = expectCaseError(c, await runApiCase(c, c.wasmOnly ? wasm : js));
    api += `### ${c.kind}\n\n\`\`\`ts\n${c.code}\n\`\`\`\n\n\`${e.name}\` with \`parameter\` = \`${e.parameter}\`:\n\n\`\`\`text\n${e.message}\n\`\`\`\n\n`;
  }
  let cli = '';
  for (const c of cliCases.filter((x) => x.kind)) {
    const r = results.get(c)!;
    cli += `### ${c.kind}\n\n\`\`\`sh\nntk ${c.args.join(' ')}\n\`\`\`\n\nexit status ${r.code}, on stderr:\n\n\`\`\`text\n${errorLine(r)}\n\`\`\`\n\n`;
  }
  return `# What each input error looks like

Generated by running the code (test/helpers/error-cases.ts); \`npm test\` fails when this page no
longer matches what the code prints. Regenerate it after \`npm run build\` with
\`NTK_WRITE_ERRORS_DOC=1 npx vitest run test/validation-cli.test.ts\`.

Every check runs before anything is allocated or computed. A library call throws
\`NtkInputError\` (a bad argument) or \`NtkMemoryError\` (a \`RangeError\`: more than wasm's
4 GiB or a JavaScript array can hold). Both carry \`parameter\`, the argument at fault, and a
one-line message \`parameter: problem; what to do\`. The command line prints that line after
\`ntk: error: \` on stderr and exits with status 2 (1 for anything unexpected; set
\`NTK_DEBUG=1\` for its stack trace).

## Library

In these examples \`net = createNetwork({ d: 3, widths: [5, 5], activation: 'tanh' })\`, \`X\` is
4 x 3 data, \`K = [[2, 1], [1, 2]]\` and \`backend\` is the js or wasm backend (the messages are the
same on both, except where the wasm memory limit is the point).

${api}## Command line

${cli}`.replace(/\n+$/, '\n');
}

describe('docs/errors.md', () => {
  it('shows the messages the code gives now', async () => {
    const doc = await renderDoc();
    if (process.env.NTK_WRITE_ERRORS_DOC) writeFileSync(DOC, doc);
    // Sizes depend on the wasm module's static data (its heap base): compare them as "N GiB".
    const mask = (s: string) => s.replace(/\d+(\.\d+)? (B|KiB|MiB|GiB|TiB)\b/g, 'N $2');
    expect(existsSync(DOC), 'docs/errors.md is missing: regenerate it (see this file\'s comment)').toBe(true);
    expect(mask(readFileSync(DOC, 'utf8'))).toBe(mask(doc));
  });
});
