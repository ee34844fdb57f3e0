// Large sweeps relaunch themselves with glibc's huge-page tunable (src/cli/hugepages.ts): the
// decision, and that a relaunched run still ends with the child's status and message.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hugePagesWouldHelp, transparentHugePagesMode } from '../src/cli/hugepages.js';

const MAIN = resolve('dist/cli/main.js');

describe('huge-page relaunch', () => {
  it('is skipped when disabled or already set', () => {
    expect(hugePagesWouldHelp({ NTK_HUGEPAGES: '0' })).toBe(false);
    expect(hugePagesWouldHelp({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' })).toBe(false);
    expect(hugePagesWouldHelp({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0' })).toBe(false);
  });

  it('a large sweep exits with the status and the one error line of the relaunched run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ntk-huge-'));
    try {
      const base = ['sweep', '--vary', 'n', '--width', '4', '--d', '50', '--seeds', '1', '--activations', 'tanh', '--out', dir, '--threads', '1', '--quiet'];
      const env = { ...process.env };
      delete env.GLIBC_TUNABLES;
      delete env.NTK_HUGEPAGES;
      const first = spawnSync(process.execPath, [MAIN, ...base.filter((a) => a !== '--quiet'), '--values', '1000', '--limit', '1'], { encoding: 'utf8', env });
      expect(first.status).toBe(0);
      // The relaunch happened exactly where this machine's THP mode calls for it.
      const relaunched = /relaunched with huge pages as pid \d+ by pid (\d+)/.exec(first.stderr);
      expect(relaunched !== null, first.stderr).toBe(process.platform === 'linux' && /\[madvise\]/.test(transparentHugePagesMode()));
      if (relaunched) expect(Number(relaunched[1])).toBe(first.pid);
      // Another grid into the same folder: refused by the (relaunched) run, status 2, one line.
      const second = spawnSync(process.execPath, [MAIN, ...base, '--values', '1100'], { encoding: 'utf8', env });
      expect(second.status).toBe(2);
      const errors = second.stderr.split('\n').filter((l) => l.startsWith('ntk: error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/--force|--resume|another/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
