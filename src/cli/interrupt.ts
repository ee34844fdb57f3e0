/**
 * Stopping a sweep from the keyboard or a scheduler: the first SIGINT / SIGTERM / SIGHUP lets
 * the point in progress finish (its record is written whole) and stops before the next; a
 * second one stops at once. Either way the command that continues the run is printed exactly.
 * @module
 */
import { basename, isAbsolute, relative } from 'node:path';
import { shellQuote } from '../experiments/reproduce.js';
import { statusOfSignal } from './hugepages.js';

/**
 * How to run ntk again as it was run now: `ntk` when started through the installed command,
 * `node <path of main.js>` (relative to the working folder when inside it) otherwise.
 */
export function ntkInvocation(argv: readonly string[] = process.argv, cwd: string = process.cwd()): string {
  const script = argv[1] ?? 'ntk';
  if (basename(script) === 'ntk') return 'ntk';
  const rel = isAbsolute(script) ? relative(cwd, script) : script;
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : script;
  return `node ${shellQuote(shown)}`;
}

/**
 * The exact command that continues the run of `command` saved in `dir`: the setup and shard
 * come from its config.json; the backend, wasm build and thread count (which are not saved, and
 * on which the last bits of the numbers depend) are repeated when they were given.
 */
export function resumeCommand(command: string, dir: string, o: { backend?: string; variant?: string; threads?: number } = {}, argv?: readonly string[], cwd?: string): string {
  const extra = [
    ...(o.backend !== undefined && o.backend !== 'auto' ? ['--backend', o.backend] : []),
    ...(o.variant !== undefined && o.variant !== 'auto' ? ['--variant', o.variant] : []),
    ...(o.threads !== undefined ? ['--threads', String(o.threads)] : []),
  ];
  return [ntkInvocation(argv, cwd), command, '--resume', '--out', shellQuote(dir), ...extra].join(' ');
}

/** An interrupt handler installed for the length of a run. */
export interface Interrupts {
  /** Aborted at the first signal. */
  readonly signal: AbortSignal;
  /** The first signal received, or null. */
  readonly received: NodeJS.Signals | null;
  /** Removes the handlers. */
  dispose(): void;
}

/** Options of {@link catchInterrupts}. */
export interface InterruptOptions {
  /** Printed on stderr at the first signal (unless quiet). */
  onFirst: (sig: NodeJS.Signals) => void;
  /** Runs at a second signal, just before the process exits with 128 + its number. */
  onSecond: (sig: NodeJS.Signals) => void;
  /**
   * This process was relaunched (src/cli/hugepages.ts): a Ctrl-C reaches it twice, once from
   * the terminal and once forwarded by its parent, so a second SIGINT within a second counts
   * as the same one.
   */
  relaunched?: boolean;
}

/** Installs the handlers (see the module comment). */
export function catchInterrupts(opts: InterruptOptions): Interrupts {
  const ac = new AbortController();
  let received: NodeJS.Signals | null = null;
  let at = 0;
  const handler = (sig: NodeJS.Signals) => {
    const now = Date.now();
    if (received === null) {
      received = sig;
      at = now;
      ac.abort();
      opts.onFirst(sig);
      return;
    }
    if (opts.relaunched && sig === 'SIGINT' && received === 'SIGINT' && now - at < 1000) return;
    opts.onSecond(sig);
    process.exit(statusOfSignal(sig));
  };
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, handler);
  return {
    signal: ac.signal,
    get received() { return received; },
    dispose() { for (const s of sigs) process.off(s, handler); },
  };
}
