/**
 * Running the built `ntk` as real processes: start, wait for a condition, kill, find children.
 * The CLI tests that kill, interrupt and race runs use these (they need dist/, i.e. `npm run
 * build`, which `npm test` does first).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { processExists } from '../../src/node/files.js';

/** The built command line entry. */
export const MAIN = resolve('dist/cli/main.js');

/** The environment of a test run: no huge-page relaunch unless asked (NTK_HUGEPAGES=1). */
export function ntkEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NTK_HUGEPAGES: '0', ...extra };
  delete env.GLIBC_TUNABLES;
  delete env.NTK_RELAUNCHED_FROM;
  return env;
}

/** Runs `ntk ...args` to the end. */
export function ntkSync(args: string[], env: NodeJS.ProcessEnv = ntkEnv(), cwd?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env, ...(cwd ? { cwd } : {}) });
}

/** A started `ntk` process with its output collected and its end awaited. */
export interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves with the exit code (or 128 + signal number) when it ends. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `ntk ...args`. */
export function ntkStart(args: string[], env: NodeJS.ProcessEnv = ntkEnv()): Started {
  const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { err += String(d); });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.on('close', (code, signal) => ok({ code, signal })));
  return { child, out: () => out, err: () => err, done };
}

/** Polls `cond` every 10 ms until it holds; throws with `what` after `maxMs` (a hang guard, not a timing check). */
export async function waitFor(cond: () => boolean, what: string, maxMs = 30000): Promise<void> {
  const until = Date.now() + maxMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lines of a file (0 when it does not exist). */
export function lineCount(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
}

/** Whether a process exists. */
export const alive = processExists;

/** The pids whose parent is `pid` (from /proc). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch { /* gone */ }
  }
  return out;
}

/** A small seeded generator (mulberry32) for reproducible "random" moments. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
