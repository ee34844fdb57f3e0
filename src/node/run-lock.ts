/**
 * One writer per output folder: a lock file (`ntk.lock`, JSON with the pid, host, command and
 * start time of the run holding it) created atomically when a run opens its folder and removed
 * when it ends. A second run on the same folder is refused with one line naming the holder; a
 * lock left by a run that was killed (its pid is gone on this host, or now belongs to another
 * process) is detected and taken over. Node only.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { NtkInputError } from '../errors.js';
import { fileError, processExists as pidAlive } from './files.js';

/** The lock's file name inside an output folder. */
export const LOCK_FILE = 'ntk.lock';

/** What a lock file holds. */
export interface LockInfo {
  /** Process holding the folder. */
  pid: number;
  /** Its host (a lock from another host cannot be checked, so it is never taken over). */
  host: string;
  /** The command (`figure1`, `sweep`, `merge`, ...). */
  command: string;
  /** When the lock was taken (ISO 8601). */
  started: string;
  /** The process's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  procStart?: string;
  /** The pid of the process that relaunched this one (the huge-pages relaunch), if any. */
  parent?: number;
  /** Random token: only the run that wrote it removes the lock. */
  token: string;
}

/** A lock held by this process. */
export interface RunLock {
  /** Path of the lock file. */
  readonly file: string;
  readonly info: LockInfo;
  /** The stale lock this run took over (a killed run's), or null. */
  readonly tookOver: LockInfo | null;
  /** Removes the lock (if it is still ours). Also runs when the process exits. */
  release(): void;
}

/** Options of {@link acquireRunLock}. */
export interface AcquireLockOptions {
  /** The parameter named in errors (default `--out`). */
  parameter?: string;
  /** The pid of the process that relaunched this one (recorded so an orphan can be recognized). */
  parent?: number;
  /** How long to wait for an orphaned relaunched child to exit before refusing (ms, default 3000). */
  orphanWaitMs?: number;
}

/** Start time of a process (field 22 of /proc/PID/stat), or undefined where there is no /proc. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}


/**
 * Whether the run holding `info` is still alive: `'unknown'` for another host; otherwise its
 * pid must exist and (where recorded) have the same start time.
 */
export function lockHolderAlive(info: LockInfo): boolean | 'unknown' {
  if (info.host !== hostname()) return 'unknown';
  if (!pidAlive(info.pid)) return false;
  if (info.procStart !== undefined) {
    const now = processStartTime(info.pid);
    if (now !== undefined && now !== info.procStart) return false;
  }
  return true;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readLock(file: string): LockInfo | null | 'missing' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // No lock, or no folder yet (a file in its way is reported when the folder is created).
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw fileError(e, file, 'read');
  }
  try {
    const v = JSON.parse(text) as LockInfo;
    return typeof v?.pid === 'number' && typeof v.host === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Creates `file` with `text` only if it does not exist, never leaving it half-written. */
function createExclusive(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.new`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // EEXIST: held; ENOENT: our temporary was cleaned away by the holder: either way, look again.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    // A file system without hard links: an exclusive create (its content is written next).
    let fd2: number;
    try {
      fd2 = openSync(file, 'wx');
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
    try { writeSync(fd2, text); } finally { closeSync(fd2); }
    return true;
  } finally {
    try { unlinkSync(tmp); } catch { /* removed */ }
  }
}

function describeHolder(i: LockInfo): string {
  return `pid ${i.pid} on ${i.host} (ntk ${i.command}, since ${i.started})`;
}

/**
 * Throws unless the run holding `held` is gone. An orphaned relaunched child (its parent gone)
 * exits on its own within moments: it is waited for up to `orphanWaitMs`.
 */
function refuseLiveHolder(dir: string, file: string, held: LockInfo, opts: AcquireLockOptions): void {
  let alive = lockHolderAlive(held);
  if (alive === true && held.parent !== undefined && !pidAlive(held.parent)) {
    const until = Date.now() + (opts.orphanWaitMs ?? 3000);
    while (alive === true && Date.now() < until) { sleepMs(50); alive = lockHolderAlive(held); }
  }
  if (alive !== false) {
    throw new NtkInputError(opts.parameter ?? '--out', `${dir} is in use by another ntk run, ${describeHolder(held)}`,
      `wait for it to finish or choose another --out; if that run is gone${alive === 'unknown' ? ' (ntk cannot check another host)' : ''}, delete ${file}`);
  }
}

/**
 * Refuses early, without taking the lock, a folder that a live run holds (so a command can fail
 * before loading anything); {@link acquireRunLock} decides for good.
 * @throws NtkInputError as {@link acquireRunLock} for a live holder.
 */
export function checkRunLock(dir: string, opts: AcquireLockOptions = {}): void {
  const file = join(dir, LOCK_FILE);
  const held = readLock(file);
  if (held !== 'missing' && held !== null) refuseLiveHolder(dir, file, held, opts);
}

/**
 * Takes the lock of the output folder `dir` (which must exist).
 * @throws NtkInputError naming `--out` when another live run holds it (or a run on another host,
 *   which cannot be checked from here): the message names the holder and the lock file.
 */
export function acquireRunLock(dir: string, command: string, opts: AcquireLockOptions = {}): RunLock {
  const file = join(dir, LOCK_FILE);
  const info: LockInfo = {
    pid: process.pid, host: hostname(), command, started: new Date().toISOString(), token: randomBytes(8).toString('hex'),
  };
  const procStart = processStartTime(process.pid);
  if (procStart !== undefined) info.procStart = procStart;
  if (opts.parent !== undefined) info.parent = opts.parent;
  const text = JSON.stringify(info) + '\n';
  let tookOver: LockInfo | null = null;
  let unreadable = 0;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 100) throw new NtkInputError(opts.parameter ?? '--out', `${file} keeps changing`, 'let the other runs on this folder finish first');
    let created: boolean;
    try {
      created = createExclusive(file, text);
    } catch (e) {
      throw fileError(e, file, 'create');
    }
    if (created) break;
    const held = readLock(file);
    if (held === 'missing') continue; // released between our create and read
    if (held === null) {
      // Written by a run without hard links a moment ago, or garbage: give it a moment.
      if (++unreadable < 20) { sleepMs(50); continue; }
      throw new NtkInputError(opts.parameter ?? '--out', `${file} is not a lock ntk can read`, `if no run is using ${dir}, delete ${file}`);
    }
    refuseLiveHolder(dir, file, held, opts);
    // Stale: move it aside atomically, and make sure what moved is the stale lock we judged.
    const aside = `${file}.${process.pid}.stale`;
    try {
      renameSync(file, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw fileError(e, file, 'replace the stale lock');
    }
    const moved = readLock(aside);
    if (moved !== 'missing' && moved !== null && moved.token !== held.token) {
      // Another run took the stale lock over first and we moved its fresh one: put it back.
      try { linkSync(aside, file); } catch { /* a third run holds it now */ }
    } else {
      tookOver = held;
    }
    try { unlinkSync(aside); } catch { /* gone */ }
  }
  let owned = true;
  const release = () => {
    if (!owned) return;
    owned = false;
    process.off('exit', release);
    const now = readLock(file);
    if (now !== 'missing' && now !== null && now.token === info.token) {
      try { unlinkSync(file); } catch { /* removed meanwhile */ }
    }
  };
  process.on('exit', release);
  return { file, info, tookOver, release };
}
