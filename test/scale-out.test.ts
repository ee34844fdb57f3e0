// Scale-out that is exercised, not only documented (issue 15 item 9): the GNU parallel recipe
// of docs/experiments.md, taken from the page itself, run on a small grid: 4 shards, 2 at a
// time, one shard killed with SIGKILL, the recipe run again, then `ntk merge`. The merge must
// equal the unsharded run bit for bit.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/node/run-lock.js';
import { parseRecords, type PointRecord } from '../src/experiments/records.js';
import { MAIN, ntkEnv, ntkSync, waitFor } from './helpers/processes.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-parallel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The small grid in place of `--preset paper`: 4 widths x 2 activations x 2 seeds = 16 points. */
const SMALL = '--widths 16:64:16 --d 8 --seeds 2 --rmax 6 --threads 1 --backend wasm';

/** The recipe's two lines from docs/experiments.md, on the small grid and in `root`. */
function recipe(): { parallel: string; merge: string[] } {
  const doc = readFileSync('docs/experiments.md', 'utf8');
  const parallel = doc.split('\n').find((l) => l.startsWith('parallel -j 2 '));
  const merge = doc.split('\n').find((l) => l.startsWith('node dist/cli/main.js merge out/shard-1'));
  expect(parallel, 'the local GNU parallel recipe in docs/experiments.md').toBeDefined();
  expect(merge).toBeDefined();
  const here = (s: string) => s.replaceAll('node dist/cli/main.js', `${process.execPath} ${MAIN}`).replaceAll('out/', `${root}/`).replace('--preset paper', SMALL);
  return { parallel: here(parallel!), merge: here(merge!).split(' ').slice(2) };
}

function records(dir: string): PointRecord[] {
  return parseRecords(readFileSync(join(dir, 'results.jsonl'), 'utf8'), dir).records;
}

/** A record without when, how long and where it was computed: the numbers and the point. */
function numbers(r: PointRecord): string {
  const { timings: _t, finished: _f, cached: _c, backend: _b, ...rest } = r;
  return JSON.stringify(rest);
}

/** summary.csv without its seconds column. */
function summaryNumbers(dir: string): string {
  const [head, ...rows] = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
  const drop = head!.split(',').indexOf('seconds_mean');
  expect(drop).toBeGreaterThan(0);
  return [head!, ...rows].map((l) => l.split(',').filter((_, i) => i !== drop).join(',')).join('\n');
}

/** Runs the recipe's parallel line through a shell; resolves with parallel's status. */
function runParallel(line: string, onStart?: () => void): Promise<{ status: number | null; err: string }> {
  const p = spawn('sh', ['-c', line], { env: ntkEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d) => { err += String(d); });
  onStart?.();
  return new Promise((ok) => p.on('close', (status) => ok({ status, err })));
}

describe('GNU parallel: 4 shards, 2 at a time, one killed and resumed', () => {
  it('the merge equals the unsharded run bit for bit', async () => {
    const { parallel, merge } = recipe();
    const whole = join(root, 'whole');
    const ref = ntkSync(['figure1', ...SMALL.split(' '), '--out', whole, '--quiet']);
    expect(ref.status, ref.stderr).toBe(0);

    // First pass: shard 3 is killed (SIGKILL) as soon as it holds its folder.
    let killed = 0;
    const first = runParallel(parallel);
    const lock = join(root, 'shard-3', LOCK_FILE);
    await waitFor(() => existsSync(lock), 'shard 3 to start');
    try {
      const { pid } = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number };
      process.kill(pid, 'SIGKILL');
      killed = pid;
    } catch { /* read between create and write: the lock is written whole, so this does not happen */ }
    expect(killed).toBeGreaterThan(0);
    const r1 = await first;
    expect(r1.status, r1.err).toBe(1); // parallel's status: the number of failed jobs
    const shard3 = existsSync(join(root, 'shard-3', 'results.jsonl')) ? records(join(root, 'shard-3')).length : 0;
    expect(shard3).toBeLessThan(4);

    // The same recipe again: shards 1, 2 and 4 find nothing to do, shard 3 continues.
    const r2 = await runParallel(parallel);
    expect(r2.status, r2.err).toBe(0);
    for (const i of [1, 2, 3, 4]) expect(records(join(root, `shard-${i}`)).length, `shard ${i}`).toBe(4);

    const m = ntkSync(merge);
    expect(m.status, m.stderr).toBe(0);
    const merged = join(root, 'figure1-paper');
    expect(records(merged).map(numbers)).toEqual(records(whole).map(numbers));
    expect(summaryNumbers(merged)).toBe(summaryNumbers(whole));
  });
});
