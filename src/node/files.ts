/**
 * Files as the CLI and the sweep folders write them (Node only; inputs are read by
 * ./input-file.ts): writes that are atomic (a temporary file renamed over the target, so a killed
 * or failing write never leaves a half-written file), and I/O failures turned into one line that
 * names the path (`ENOSPC`, `EACCES`, a directory where a file goes, ...).
 * @module
 */
import {
  closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, renameSync, statSync,
  unlinkSync, writeSync, type Stats,
} from 'node:fs';
import { join } from 'node:path';
import { NtkFileError, NtkInputError } from '../errors.js';

/** What an errno means, and what the user can do about it. */
const REASONS: Record<string, { what: string; fix: string }> = {
  ENOSPC: { what: 'no space left on the device', fix: 'free some space or choose another folder' },
  EDQUOT: { what: 'disk quota exceeded', fix: 'free some space or choose another folder' },
  EFBIG: { what: 'file too large (a file-size limit is set)', fix: 'raise the limit (ulimit -f) or choose another folder' },
  EACCES: { what: 'permission denied', fix: 'check the permissions or choose another folder' },
  EPERM: { what: 'operation not permitted', fix: 'check the permissions or choose another folder' },
  EROFS: { what: 'read-only file system', fix: 'choose a writable folder' },
  EISDIR: { what: 'a directory is where a file goes', fix: 'remove or rename that directory, or choose another folder' },
  ENOTDIR: { what: 'a file is where a folder goes', fix: 'remove or rename that file, or choose another folder' },
  EEXIST: { what: 'a file is where a folder goes', fix: 'remove or rename that file, or choose another folder' },
  ENOENT: { what: 'no such file or folder', fix: 'check the path' },
  EIO: { what: 'input/output error', fix: 'check the disk' },
  EMFILE: { what: 'too many open files', fix: 'raise the limit (ulimit -n)' },
  ENAMETOOLONG: { what: 'the name is too long', fix: 'choose a shorter path' },
};

/**
 * An I/O failure as one line naming `path`: `path: cannot write (no space left on the device,
 * ENOSPC); free some space or choose another folder`. Errors that already are ntk errors pass
 * through unchanged.
 */
export function fileError(e: unknown, path: string, verb: string): Error {
  if (e instanceof NtkFileError || e instanceof NtkInputError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const r = code ? REASONS[code] : undefined;
  const what = r ? `${r.what}, ${code}` : code ?? (e as Error)?.message ?? String(e);
  return new NtkFileError(path, verb, code ?? 'EUNKNOWN', what, r?.fix ?? 'check the path and the disk');
}

/**
 * Temporary files: `<name>.<pid>.tmp` (an atomic write), `.new` and `.stale` (a lock being
 * created or replaced, ./run-lock.ts), named by pid so stale ones can be told apart.
 */
const TMP = /\.(\d+)\.(tmp|new|stale)$/;

/**
 * Writes `data` to `path` atomically: into `path.<pid>.tmp`, flushed, then renamed over `path`.
 * A failure (or a kill) leaves `path` as it was; the temporary is removed on failure.
 * @throws NtkFileError naming `path` with the reason and the fix.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'w');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) try { closeSync(fd); } catch { /* already failing */ }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw fileError(e, path, 'write');
  }
}

/**
 * Removes temporary files that runs killed while writing left in `dir`: every `*.<pid>.tmp` (only
 * the lock holder writes those, so call this while holding the folder's lock) and the `.new` and
 * `.stale` files of lock takers whose process is gone.
 * @returns the names removed.
 */
export function cleanStaleTemporaries(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TMP.exec(name);
    if (!m) continue;
    if (m[2] !== 'tmp' && processExists(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch { /* gone already */ }
  }
  return removed;
}

/** Whether a process with this pid exists on this host (one of another user's counts). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates the folder `dir` (and its parents).
 * @throws NtkFileError naming `dir` when a file is in the way or it cannot be created.
 */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw fileError(e, dir, 'create the folder');
  }
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (e) {
    throw fileError(e, dir, 'create the folder');
  }
  if (!st.isDirectory()) throw fileError(Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' }), dir, 'create the folder');
}

/**
 * Appends `text` to the open file `fd` in full or not at all: when a write fails midway
 * (no space, a size limit), the file is cut back to its length before the call.
 * @throws NtkFileError naming `path`.
 */
export function appendAllOrNothing(fd: number, path: string, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let before = -1;
  try {
    before = fstatSync(fd).size;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    if (before >= 0) try { ftruncateSync(fd, before); } catch { /* nothing more to do */ }
    throw fileError(e, path, 'append to');
  }
}
