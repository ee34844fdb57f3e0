/**
 * `ntk evaluate <spec.json>`: the empirical NTK of one network on one data set, with the
 * theory's quantities beside it, as a report with the fixtures' field names.
 * @module
 */
import type { Command } from 'commander';
import { NtkInputError } from '../errors.js';
import { loadSpecFile } from '../node/spec-file.js';
import { evaluateNetwork } from '../network/evaluate.js';
import { action, backendFromOptions, backendOptions, printJson, checkPrintable } from './common.js';

/** Registers `ntk evaluate`. */
export function registerEvaluate(program: Command): void {
  backendOptions(program.command('evaluate'))
    .argument('<spec>', 'network spec JSON: the fixtures\' "inputs" object (X, W, v inline or as .npy paths)')
    .description('empirical NTK K, its spectrum ends, and the theory (lambda_1, infinite width, Theorem 4.1, Lemma 4.2) for one network')
    .option('--json', 'print the report as JSON')
    .option('--full', 'include K itself (n x n) in the report')
    .option('--no-theory', 'skip the theory fields (lambda_1, infinite width, theorem constants)')
    .action(action(async (specPath: string, o: { json?: boolean; full?: boolean; theory: boolean; backend?: string; threads?: number; quiet?: boolean }) => {
      const { net, X } = await loadSpecFile(specPath);
      if (o.full && o.json) checkFullOutput(X.rows);
      const { backend } = await backendFromOptions(o, !!o.json || !!o.quiet);
      const t0 = performance.now();
      const report = evaluateNetwork(net, X, { backend, full: !!o.full, theory: o.theory });
      const seconds = (performance.now() - t0) / 1000;
      if (o.json) printJson({ ...report, seconds });
      else { checkPrintable(report); process.stdout.write(formatReport(report as unknown as Record<string, unknown>) + `seconds: ${seconds.toFixed(3)}\n`); }
      await backend.dispose();
    }));
}

/**
 * A readable text form of a report: scalars on one line each, arrays of numbers abbreviated,
 * objects (also inside arrays, as `name[i]:`) as indented blocks.
 */
export function formatReport(r: Record<string, unknown>, indent = ''): string {
  let out = '';
  for (const [k, raw] of Object.entries(r)) {
    if (raw === undefined) continue;
    const v = ArrayBuffer.isView(raw) && !(raw instanceof DataView) ? Array.from(raw as Float64Array) : raw;
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x))) {
      v.forEach((x, i) => {
        out += x !== null && typeof x === 'object' && !Array.isArray(x)
          ? `${indent}${k}[${i}]:\n${formatReport(x as Record<string, unknown>, indent + '  ')}`
          : `${indent}${k}[${i}]: ${fmt(x)}\n`;
      });
    } else if (Array.isArray(v)) {
      const flat = v.flat(2) as unknown[];
      const shown = flat.slice(0, 6).map(fmt).join(', ');
      out += `${indent}${k}: [${shown}${flat.length > 6 ? `, ... (${Array.isArray(v[0]) ? `${v.length} x ${(v[0] as unknown[]).length}` : v.length})` : ''}]\n`;
    } else if (v && typeof v === 'object') {
      out += `${indent}${k}:\n${formatReport(v as Record<string, unknown>, indent + '  ')}`;
    } else {
      out += `${indent}${k}: ${fmt(v)}\n`;
    }
  }
  return out;
}

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(10);
  if (v !== null && typeof v === 'object') return JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as Float64Array) : x));
  return String(v);
}

/**
 * Characters one entry of K takes in the JSON report (`-1.2345678901234567e-100,`, a newline and the indent of printJson),
 * an upper bound used against the longest string V8 can build.
 */
const JSON_CHARS_PER_ENTRY = 34;
/** Longest string V8 builds (2^29 - 24 characters on 64-bit hosts). */
const MAX_STRING = 2 ** 29 - 24;

/**
 * With `--json --full`, K is printed as JSON text: refuse an n whose n^2 entries cannot be one string.
 * @throws NtkInputError naming `--full`.
 */
export function checkFullOutput(n: number): void {
  const largest = Math.floor(Math.sqrt(MAX_STRING / JSON_CHARS_PER_ENTRY));
  if (n > largest) {
    throw new NtkInputError('--full', `K (${n} x ${n}) is too large to print as JSON text (at most n = ${largest})`,
      'drop --full (the report keeps diag K and its spectrum), or compute K with empiricalNtk and save it with writeNpyFile');
  }
}

export { NtkInputError };
