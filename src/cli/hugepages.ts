/**
 * Large sweeps re-run themselves with glibc's transparent-huge-page hint for malloc
 * (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, glibc >= 2.35). On Linux hosts whose THP mode is
 * `madvise` (the usual default), V8's typed arrays otherwise fault in 4 KiB pages one by one:
 * on the virtual machines we measured, touching a fresh 128 MB array took ~450 ms that way and
 * ~30 ms with huge pages, and a Figure 1 sweep allocates gigabytes of n x n and n x m arrays.
 * The tunable is read only at process start, hence the relaunch. Node only.
 *
 * The relaunched child never outlives the process the user started: a watchdog thread in the
 * child (it keeps running while the main thread is busy in a kernel) kills the child the
 * moment its parent is gone (checked every 20 ms), even after a SIGKILL of the parent that nothing can forward.
 * SIGINT, SIGTERM and SIGHUP sent to the parent are passed on, and the parent ends with the
 * child's status (130 after SIGINT, 143 after SIGTERM).
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const TUNABLE = 'glibc.malloc.hugetlb=1';

/** Set in the relaunched child's environment: the parent's pid. */
export const RELAUNCHED_FROM = 'NTK_RELAUNCHED_FROM';

/** The THP mode line of this machine (`always [madvise] never`), or '' where there is none. */
export function transparentHugePagesMode(): string {
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  } catch {
    return '';
  }
}

/**
 * Whether relaunching would help: Linux, THP in `madvise` mode, the tunable not yet set, and
 * not disabled with `NTK_HUGEPAGES=0`. `NTK_HUGEPAGES=1` asks for it whatever the THP mode
 * (it has an effect only where THP is `madvise` or `always`). `thp` is the THP mode line
 * (default: read from /sys).
 */
export function hugePagesWouldHelp(env: NodeJS.ProcessEnv = process.env, thp?: string): boolean {
  if (process.platform !== 'linux' || env.NTK_HUGEPAGES === '0') return false;
  if (env[RELAUNCHED_FROM] !== undefined) return false;
  if ((env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.hugetlb')) return false;
  if (env.NTK_HUGEPAGES === '1') return true;
  return /\[madvise\]/.test(thp ?? transparentHugePagesMode());
}

/**
 * Whether this run should relaunch itself: a sweep with large arrays (`large`) where huge
 * pages would help, or any sweep with `NTK_HUGEPAGES=1`.
 */
export function shouldRelaunch(large: boolean, env: NodeJS.ProcessEnv = process.env, thp?: string): boolean {
  return (large || env.NTK_HUGEPAGES === '1') && hugePagesWouldHelp(env, thp);
}

/** The parent's pid when this process is the relaunched child, else undefined. */
export function relaunchedFrom(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env[RELAUNCHED_FROM];
  const pid = v === undefined ? NaN : Number(v);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The exit status for a child that ended by a signal (shell convention 128 + number). */
export function statusOfSignal(signal: NodeJS.Signals | null): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : signal === 'SIGHUP' ? 129 : signal === 'SIGKILL' ? 137 : 1;
}

/**
 * Runs this same command again as a child with the tunable set, forwarding stdio, SIGINT,
 * SIGTERM and SIGHUP, and resolves with the exit code it should end with.
 */
export function relaunchWithHugePages(): Promise<number> {
  const prev = process.env.GLIBC_TUNABLES;
  const env = { ...process.env, GLIBC_TUNABLES: prev ? `${prev}:${TUNABLE}` : TUNABLE, [RELAUNCHED_FROM]: String(process.pid) };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  // Ctrl-C reaches the child directly too (same process group): the child counts a second
  // SIGINT within a second of the first as the same one. A signal sent to this process alone
  // (a scheduler's kill) is passed on. Either way the child decides and we wait for it.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((sig) => [sig, () => { child.kill(sig); }] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      resolve(code ?? statusOfSignal(signal));
    });
  });
}

/**
 * In the relaunched child: a watchdog thread that kills this process as soon as its parent
 * (`parentPid`) is gone. A thread, not a timer, because the main thread may be inside a long
 * synchronous kernel. SIGKILL, because the parent's death means the user's run was killed:
 * what this process wrote so far is whole (records are appended in one write; a half line
 * left by a kill is dropped by --resume) and the folder's lock is taken over by the next run.
 */
export function watchParent(parentPid: number): void {
  const w = new Worker(
    `const { workerData: parent } = require('node:worker_threads');
     const check = () => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); };
     check();
     setInterval(check, 20);`,
    { eval: true, workerData: parentPid },
  );
  w.unref();
}
