// I/O failures that a test cannot cause for real on every machine (a full disk, a folder this
// user may not write): node:fs is wrapped so that chosen calls fail with the system's error,
// and the code must turn each into one line naming the path, leaving no half-written file.
import * as realFs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { NtkFileError } from '../src/errors.js';
import { ResultsWriter } from '../src/node/run-dir.js';
import { writeFileAtomic } from '../src/node/files.js';
import { registerSweep } from '../src/cli/sweep.js';
import { runCommand } from './helpers/cli.js';
import type { PointRecord } from '../src/experiments/records.js';

const state = vi.hoisted(() => ({
  /** The errno the next matching write fails with (null: writes work). */
  writeFails: null as string | null,
  /** Bytes a failing write still puts on disk first (a partial write). */
  partial: 0,
  openFails: null as string | null,
  /** Only paths containing this fail. */
  match: '',
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const paths = new Map<number, string>();
  const errno = (code: string, syscall: string) => Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, syscall });
  const openSync = (path: realFs.PathLike, ...rest: unknown[]) => {
    if (state.openFails && String(path).includes(state.match)) throw errno(state.openFails, 'open');
    const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
    paths.set(fd, String(path));
    return fd;
  };
  const writeSync = (fd: number, buf: unknown, ...rest: unknown[]) => {
    if (state.writeFails && (paths.get(fd) ?? '').includes(state.match)) {
      const code = state.writeFails;
      if (state.partial > 0 && Buffer.isBuffer(buf)) fs.writeSync(fd, buf.subarray(0, Math.min(state.partial, buf.length)));
      throw errno(code, 'write');
    }
    return (fs.writeSync as (...a: unknown[]) => number)(fd, buf, ...rest);
  };
  return { ...fs, default: { ...fs, openSync, writeSync }, openSync, writeSync };
});

const root = mkdtempSync(join(tmpdir(), 'ntk-ioerr-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => { state.writeFails = null; state.openFails = null; state.partial = 0; state.match = ''; });

describe('atomic writes', () => {
  it('ENOSPC: one line naming the file, the old content kept, no temporary left', () => {
    const f = join(root, 'summary.csv');
    writeFileSync(f, 'old,content\n');
    state.writeFails = 'ENOSPC';
    state.partial = 3;
    state.match = 'summary.csv';
    let err: unknown;
    try { writeFileAtomic(f, 'new,content,that,does,not,fit\n'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(NtkFileError);
    expect((err as Error).message).toBe(`${f}: cannot write (no space left on the device, ENOSPC); free some space or choose another folder`);
    expect((err as NtkFileError).code).toBe('ENOSPC');
    expect(readFileSync(f, 'utf8')).toBe('old,content\n');
    expect(readdirSync(root).filter((x) => x.includes('.tmp'))).toEqual([]);
  });

  it('EACCES: one line naming the file', () => {
    const f = join(root, 'config.json');
    state.openFails = 'EACCES';
    state.match = 'config.json';
    expect(() => writeFileAtomic(f, '{}')).toThrow(`${f}: cannot write (permission denied, EACCES); check the permissions or choose another folder`);
  });
});

describe('appending a record', () => {
  const rec = { key: 'k', lambda_min: 1 } as unknown as PointRecord;

  it('a write that fails midway is cut back: the file holds whole records only', () => {
    const f = join(root, 'results.jsonl');
    const w = new ResultsWriter(f);
    try {
      w.append(rec);
      const whole = readFileSync(f, 'utf8');
      state.writeFails = 'ENOSPC';
      state.partial = 5;
      state.match = 'results.jsonl';
      expect(() => w.append(rec)).toThrow(`${f}: cannot append to (no space left on the device, ENOSPC)`);
      expect(readFileSync(f, 'utf8')).toBe(whole);
    } finally {
      w.close();
    }
  });

  it('a results file that cannot be opened: one line naming it', () => {
    const f = join(root, 'locked', 'results.jsonl');
    state.openFails = 'EACCES';
    state.match = 'locked';
    expect(() => new ResultsWriter(f)).toThrow(`${f}: cannot open (permission denied, EACCES)`);
  });
});

describe('a sweep on a full disk', () => {
  it('prints one line naming the file, exits 1, and leaves the folder resumable', async () => {
    const dir = join(root, 'full');
    const args = ['--vary', 'width', '--values', '4,8', '--n', '6', '--d', '3', '--seeds', '1', '--activations', 'tanh', '--rmax', '4', '--backend', 'js', '--quiet', '--out', dir];
    state.writeFails = 'ENOSPC';
    state.match = 'sweep.svg';
    const r = await runCommand(registerSweep, 'sweep', args);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual([`ntk: error: ${join(dir, 'sweep.svg')}: cannot write (no space left on the device, ENOSPC); free some space or choose another folder`]);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'results.csv', 'results.jsonl', 'summary.csv', 'sweep.vl.json']);
    state.writeFails = null;
    const again = await runCommand(registerSweep, 'sweep', [...args, '--resume']);
    expect(again.code, again.err).toBe(0);
    expect(readdirSync(dir)).toContain('sweep.svg');
  });
});
