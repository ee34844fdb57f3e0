/**
 * What every `ntk` command shares: backend options, error reporting as one readable line,
 * JSON or text output.
 * @module
 */
import type { Command, OutputConfiguration } from 'commander';
import { loadBackend, type LoadedBackend } from '../backend/load.js';
import { NtkInputError, NtkMemoryError } from '../errors.js';
import { parseMemorySize, setMemoryLimit } from '../memory.js';

/**
 * Commander's own errors (unknown option, missing argument, ...) as one line on stderr, like
 * the commands' errors, instead of the message followed by the whole help text; subcommands
 * inherit it when it is set on the program before they are added.
 */
export const oneLineErrors: OutputConfiguration = {
  outputError: (s, write) => write(`ntk: ${s.trim().replace(/\s*\n\s*/g, ' ')} (--help lists the options)\n`),
};

/** Adds `--backend`, `--threads` and `--max-memory` to a command. */
export function backendOptions(cmd: Command): Command {
  return cmd
    .option('--backend <name>', 'auto | wasm | js', 'auto')
    .option('--threads <n>', 'threads for the wasm kernels (default: all cores)', parsePositiveInt('--threads'))
    .option('--max-memory <size>', 'memory the command may use, e.g. 8G or 512M (default: the memory available); larger requests fail at once', parseMaxMemory);
}

/**
 * `--max-memory`: a size with an optional unit (k, M, G, T; binary multiples). Sets the limit
 * every memory check of this process uses (src/memory.ts).
 */
export function parseMaxMemory(v: string): number {
  const b = parseMemorySize(v);
  if (b === null) throw new NtkInputError('--max-memory', `expects a size such as 8G, 512M or 1073741824, got ${JSON.stringify(v)}`, 'pass e.g. --max-memory 8G');
  setMemoryLimit(b);
  return b;
}

/** Loads the backend the options ask for and prints the choice on stderr. */
export async function backendFromOptions(o: { backend?: string; threads?: number }, quiet = false): Promise<LoadedBackend> {
  const loaded = await loadBackend({ backend: (o.backend ?? 'auto') as 'auto', threads: o.threads });
  if (!quiet) process.stderr.write(`ntk: ${loaded.note}\n`);
  return loaded;
}

/** A commander argument parser for positive integers that names the option in its error. */
export function parsePositiveInt(name: string): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) throw new NtkInputError(name, `expects a positive integer, got ${JSON.stringify(v)}`, `pass e.g. ${name} 2`);
    return x;
  };
}

/** A commander argument parser for finite numbers that names the option in its error. */
export function parseNumber(name: string, check?: (x: number) => string | null): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new NtkInputError(name, `expects a number, got ${JSON.stringify(v)}`, `pass e.g. ${name} 1`);
    const bad = check?.(x);
    if (bad) throw new NtkInputError(name, bad, `pass a valid ${name}`);
    return x;
  };
}

/**
 * Wraps a command action: input and memory errors print one line on stderr and exit 2; other
 * errors print one line and exit 1 (stack traces only with NTK_DEBUG=1).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const err = e as Error;
      if (process.env.NTK_DEBUG) console.error(err.stack);
      const input = err instanceof NtkInputError || err instanceof NtkMemoryError;
      process.stderr.write(`ntk: error: ${err.message}\n`);
      process.exitCode = input ? 2 : 1;
    }
  };
}

/**
 * The last line of defence behind the numerical code's own checks: a result about to be printed
 * that holds NaN or +-Infinity is an error (exit 1, naming the field), never a line of output
 * with exit 0 (JSON would even print it as null).
 * @throws Error naming the first non-finite field.
 */
export function checkPrintable(v: unknown, path = 'result'): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${path} is ${v}: a result that is not a finite number is not printed (please report the input that gave it)`);
  } else if (v instanceof Float64Array || Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkPrintable(v[i], `${path}[${i}]`);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) checkPrintable(x, path === 'result' ? k : `${path}.${k}`);
  }
}

/** Prints a value as pretty JSON on stdout, after {@link checkPrintable}. */
export function printJson(v: unknown): void {
  checkPrintable(v);
  process.stdout.write(JSON.stringify(v, (_k, x) => (x instanceof Float64Array ? Array.from(x) : x), 2) + '\n');
}
