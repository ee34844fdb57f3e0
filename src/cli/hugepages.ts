/**
 * Large sweeps re-run themselves with glibc's transparent-huge-page hint for malloc
 * (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, glibc >= 2.35). On Linux hosts whose THP mode is
 * `madvise` (the usual default), V8's typed arrays otherwise fault in 4 KiB pages one by one:
 * on the virtual machines we measured, touching a fresh 128 MB array took ~450 ms that way and
 * ~30 ms with huge pages, and a Figure 1 sweep allocates gigabytes of n x n and n x m arrays.
 * The tunable is read only at process start, hence the relaunch. Node only.
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * Whether relaunching would help: Linux, THP in `madvise` mode, the tunable not yet set, and
 * not disabled with `NTK_HUGEPAGES=0`.
 */
export function hugePagesWouldHelp(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux' || env.NTK_HUGEPAGES === '0') return false;
  if ((env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.hugetlb')) return false;
  try {
    return /\[madvise\]/.test(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Runs this same command again as a child with the tunable set, forwarding stdio, SIGINT and
 * SIGTERM, and resolves with the exit code it should end with.
 */
export function relaunchWithHugePages(): Promise<number> {
  const prev = process.env.GLIBC_TUNABLES;
  const env = { ...process.env, GLIBC_TUNABLES: prev ? `${prev}:${TUNABLE}` : TUNABLE };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  // Ctrl-C reaches the child directly (same process group); a signal sent to this process
  // alone (a scheduler's kill) is passed on. Either way the child decides and we wait for it.
  const forward = (sig: NodeJS.Signals) => () => { child.kill(sig); };
  const onInt = forward('SIGINT'), onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
  });
}
