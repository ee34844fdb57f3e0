/**
 * What every `ntk` command shares: backend options, error reporting as one readable line,
 * JSON or text output.
 * @module
 */
import type { Command, OutputConfiguration } from 'commander';
import { loadBackend, type LoadedBackend } from '../backend/load.js';
import { NtkFileError, NtkInputError, NtkMemoryError } from '../errors.js';
import { parseMemorySize, setMemoryLimit } from '../memory.js';
import { availableCores } from '../platform.js';

/** The backends `--backend` accepts. */
export const backendChoices = ['auto', 'wasm', 'js'] as const;

/**
 * The wasm builds `--variant` accepts (loadBackend's `variant`; the scalar build is a
 * benchmark-only build of the repository, not offered here).
 */
export const variantChoices = ['auto', 'relaxed', 'strict'] as const;

/** Options every computing command takes (see {@link backendOptions}). */
export interface BackendCliOptions {
  backend?: string;
  variant?: string;
  threads?: number;
  quiet?: boolean;
}

/**
 * Commander's own errors (unknown option, missing argument, ...) as one line on stderr, like
 * the commands' errors, instead of the message followed by the whole help text; subcommands
 * inherit it when it is set on the program before they are added.
 */
export const oneLineErrors: OutputConfiguration = {
  outputError: (s, write) => write(`ntk: ${s.trim().replace(/\s*\n\s*/g, ' ')} (--help lists the options)\n`),
};

/** Adds `--backend`, `--variant`, `--threads`, `--quiet` and `--max-memory` to a command (every computing command has them). */
export function backendOptions(cmd: Command): Command {
  return cmd
    .option('--backend <name>', `${backendChoices.join(' | ')} (auto: wasm when it loads, else js)`, 'auto')
    .option('--variant <build>', `wasm build: ${variantChoices.join(' | ')} (auto: relaxed SIMD, fused multiply-add, where the host has it; ` +
      'strict: the same bits on every CPU, for reproducibility across machines)', 'auto')
    .option('--threads <n>', 'threads for the wasm kernels, at most the cores of this machine (default: all cores)', parsePositiveInt('--threads'))
    .option('--quiet', 'no progress or notes on stderr (results and errors still print)')
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

/**
 * Checks `--backend`, `--variant` and `--threads` before anything is loaded: an unknown
 * backend or wasm build, a wasm build with `--backend js`, or more threads than this machine's
 * cores (each is a worker with its own wasm workspace; more only slow the kernels down), is an
 * error naming the option.
 * @returns the thread count to use (undefined: all cores).
 * @throws NtkInputError naming `--backend`, `--variant` or `--threads`.
 */
export async function checkBackendOptions(o: BackendCliOptions): Promise<number | undefined> {
  const name = o.backend ?? 'auto';
  if (!(backendChoices as readonly string[]).includes(name)) {
    throw new NtkInputError('--backend', `unknown backend ${JSON.stringify(name)}`, `use one of ${backendChoices.join(', ')}`);
  }
  const variant = o.variant ?? 'auto';
  if (!(variantChoices as readonly string[]).includes(variant)) {
    throw new NtkInputError('--variant', `unknown wasm build ${JSON.stringify(variant)}`, `use one of ${variantChoices.join(', ')}`);
  }
  if (variant !== 'auto' && name === 'js') {
    throw new NtkInputError('--variant', `${variant} is a wasm build, and --backend js runs no wasm`, 'pass --backend wasm (or auto), or leave --variant out');
  }
  if (o.threads === undefined) return undefined;
  const cores = await availableCores();
  if (o.threads > cores) {
    throw new NtkInputError('--threads', `${o.threads} is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine`,
      `pass at most --threads ${cores}, or leave it out to use all cores`);
  }
  return o.threads;
}

/** Loads the backend the options ask for and prints the choice on stderr (unless quiet). */
export async function backendFromOptions(o: BackendCliOptions, quiet = o.quiet ?? false): Promise<LoadedBackend> {
  const threads = await checkBackendOptions(o);
  const loaded = await loadBackend({
    backend: (o.backend ?? 'auto') as 'auto', variant: (o.variant ?? 'auto') as 'auto', ...(threads !== undefined ? { threads } : {}),
  });
  if (!quiet) process.stderr.write(`ntk: ${loaded.note}\n`);
  return loaded;
}

/** Prints a note on stderr unless the command runs with `--quiet`. */
export function note(o: { quiet?: boolean }, text: string): void {
  if (!o.quiet) process.stderr.write(`ntk: ${text}\n`);
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
 * Wraps a command action: input and memory errors print one line on stderr and exit 2; file
 * errors (no space, no permission, ...) and other errors print one line and exit 1 (stack
 * traces only with NTK_DEBUG=1).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const err = e as Error;
      if (process.env.NTK_DEBUG) console.error(err.stack);
      const input = err instanceof NtkInputError || err instanceof NtkMemoryError;
      const known = input || err instanceof NtkFileError;
      // Anything else still prints one line (the first line of its message).
      process.stderr.write(`ntk: error: ${known ? err.message : String(err?.message ?? err).split('\n')[0]}\n`);
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
