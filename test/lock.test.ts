// The lock of a result folder (src/node/run-lock.ts), in process: one holder, a reused
// pid seen as gone, an orphaned relaunched child waited for, garbage refused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NtkInputError } from '../src/errors.js';
import { acquireRunLock, LOCK_FILE, lockHolderAlive, processStartTime, type LockInfo } from '../src/node/run-lock.js';
import { cleanStaleTemporaries } from '../src/node/files.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const fresh = () => { const d = join(root, `d${++serial}`); execFileSync('mkdir', ['-p', d]); return d; };

/** A pid that existed and is gone (a finished grandchild, reaped by init). */
function deadPid(): number {
  return Number(execFileSync('sh', ['-c', 'sh -c "exit 0" & echo $!; wait'], { encoding: 'utf8' }).trim());
}

describe('the lock of a result folder', () => {
  it('one holder at a time; released, it can be taken again', () => {
    const dir = fresh();
    const a = acquireRunLock(dir, 'sweep');
    const info = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockInfo;
    expect(info).toMatchObject({ pid: process.pid, host: hostname(), command: 'sweep' });
    if (process.platform === 'linux') expect(info.procStart).toBe(processStartTime(process.pid));
    expect(() => acquireRunLock(dir, 'merge')).toThrow(NtkInputError);
    expect(() => acquireRunLock(dir, 'merge')).toThrow(new RegExp(`in use by another ntk run, pid ${process.pid} on ${hostname()} \\(ntk sweep, since `));
    a.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const b = acquireRunLock(dir, 'merge');
    expect(b.tookOver).toBeNull();
    a.release(); // not a's any more: b's lock stays
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    b.release();
  });

  it('a dead pid, or a live pid with another start time (reused), is gone: the lock is taken over', () => {
    const dir = fresh();
    const dead: LockInfo = { pid: deadPid(), host: hostname(), command: 'sweep', started: 'then', token: 'old' };
    expect(lockHolderAlive(dead)).toBe(false);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(dead));
    const a = acquireRunLock(dir, 'sweep');
    expect(a.tookOver).toMatchObject({ pid: dead.pid, token: 'old' });
    a.release();
    if (process.platform === 'linux') {
      const reused: LockInfo = { pid: process.pid, host: hostname(), command: 'sweep', started: 'then', token: 'r', procStart: '1' };
      expect(lockHolderAlive(reused)).toBe(false);
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(reused));
      const b = acquireRunLock(dir, 'sweep');
      expect(b.tookOver?.token).toBe('r');
      b.release();
    }
    expect(lockHolderAlive({ ...dead, host: `not-${hostname()}` })).toBe('unknown');
  });

  it('an orphaned relaunched child (its parent gone) is waited for, then its lock taken over', () => {
    const dir = fresh();
    // A grandchild that lives 0.3 s and is reaped by init (no zombie to look alive).
    const pid = Number(execFileSync('sh', ['-c', 'sleep 0.3 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).trim());
    const orphan: LockInfo = { pid, host: hostname(), command: 'sweep', started: 'now', token: 'o', parent: deadPid() };
    expect(lockHolderAlive(orphan)).toBe(true);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(orphan));
    const a = acquireRunLock(dir, 'sweep', { orphanWaitMs: 10000 });
    expect(a.tookOver?.token).toBe('o');
    a.release();
    // A live holder whose parent lives is not an orphan: refused at once.
    const live: LockInfo = { ...orphan, pid: process.pid, parent: process.ppid, token: 'l' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(live));
    expect(() => acquireRunLock(dir, 'sweep', { orphanWaitMs: 10000 })).toThrow(/in use by another ntk run/);
  });

  it('a lock file that is not one is refused with the fix', () => {
    const dir = fresh();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(() => acquireRunLock(dir, 'sweep')).toThrow(`--out: ${join(dir, LOCK_FILE)} is not a lock ntk can read; if no run is using ${dir}, delete ${join(dir, LOCK_FILE)}`);
  });

  it('stale temporaries are removed; a live lock taker\'s are not', () => {
    const dir = fresh();
    const names = ['summary.csv.4242.tmp', `ntk.lock.${deadPid()}.new`, `ntk.lock.${process.pid}.new`, 'keep.txt', 'x.tmp'];
    for (const n of names) writeFileSync(join(dir, n), '');
    expect(cleanStaleTemporaries(dir).sort()).toEqual([names[0], names[1]].sort());
  });
});
