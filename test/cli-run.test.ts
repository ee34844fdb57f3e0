// Runs of `ntk` as real processes, killed, interrupted and raced (issue 15 item 2, issue 20
// items 3 and 7): one writer per result folder, no orphans, exactly one row per point after any
// kill and a --resume, and the exact --resume command after Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/node/run-lock.js';
import { parseRecords, type PointRecord } from '../src/experiments/records.js';
import { summarize } from '../src/experiments/summary.js';
import { hugePagesWouldHelp, shouldRelaunch } from '../src/cli/hugepages.js';
import { alive, childrenOf, lineCount, ntkEnv, ntkStart, ntkSync, rng, waitFor } from './helpers/processes.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const fresh = (name: string) => join(root, `${name}-${++serial}`);

/** A sweep of 30 tiny points (10 widths x 3 seeds): each point takes milliseconds. */
const SMALL = ['sweep', '--vary', 'width', '--values', '4:40:4', '--n', '12', '--d', '5', '--seeds', '3', '--activations', 'tanh', '--rmax', '5', '--threads', '1', '--backend', 'wasm'];
const SMALL_POINTS = 30;

function records(dir: string): PointRecord[] {
  return parseRecords(readFileSync(join(dir, 'results.jsonl'), 'utf8'), 'results.jsonl').records;
}

/** What a record says about its point, without when, how long and where it was computed. */
function numbers(r: PointRecord): string {
  const { timings: _t, finished: _f, cached: _c, backend: _b, ...rest } = r;
  return JSON.stringify(rest);
}

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

/** Exactly one record per point, each equal to the reference run's, and a summary made of them. */
function expectComplete(dir: string, reference: Map<string, string>, why: string): void {
  const recs = records(dir);
  const keys = recs.map((r) => r.key);
  expect(new Set(keys).size, `${why}: duplicated rows`).toBe(keys.length);
  expect(keys.length, why).toBe(reference.size);
  for (const r of recs) expect(numbers(r), `${why}: ${r.key}`).toBe(reference.get(r.key));
  const summary = csvRows(join(dir, 'summary.csv'));
  const want = summarize(recs);
  expect(summary.length).toBe(want.length);
  summary.forEach((row, i) => {
    expect(Number(row.seeds)).toBe(want[i]!.seeds);
    expect(Number(row.lambda_min_mean)).toBe(want[i]!.lambda_min_mean);
  });
  expect(existsSync(join(dir, LOCK_FILE)), `${why}: lock left behind`).toBe(false);
}

const referenceCache = new Map<string, Map<string, string>>();
/** The records of an uninterrupted run of `args` (computed once per argument list). */
function reference(args: string[] = SMALL, points = SMALL_POINTS): Map<string, string> {
  const id = args.join(' ');
  if (!referenceCache.has(id)) {
    const dir = fresh('reference');
    const r = ntkSync([...args, '--out', dir, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    referenceCache.set(id, new Map(records(dir).map((x) => [x.key, numbers(x)])));
    expect(referenceCache.get(id)!.size).toBe(points);
  }
  return referenceCache.get(id)!;
}

describe('huge-page relaunch decision (the THP setting injected)', () => {
  it('relaunches only in madvise mode, for large sweeps, unless disabled or already done', () => {
    const env = {} as NodeJS.ProcessEnv;
    expect(hugePagesWouldHelp(env, 'always [madvise] never')).toBe(process.platform === 'linux');
    expect(hugePagesWouldHelp(env, '[always] madvise never')).toBe(false);
    expect(hugePagesWouldHelp(env, 'always madvise [never]')).toBe(false);
    expect(hugePagesWouldHelp({ NTK_HUGEPAGES: '0' }, 'always [madvise] never')).toBe(false);
    expect(hugePagesWouldHelp({ NTK_RELAUNCHED_FROM: '123' }, 'always [madvise] never')).toBe(false);
    expect(hugePagesWouldHelp({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, 'always [madvise] never')).toBe(false);
    expect(shouldRelaunch(false, env, 'always [madvise] never')).toBe(false);
    expect(shouldRelaunch(true, env, 'always [madvise] never')).toBe(process.platform === 'linux');
    expect(shouldRelaunch(false, { NTK_HUGEPAGES: '1' }, 'always madvise [never]')).toBe(process.platform === 'linux');
  });
});

describe('one writer per result folder', () => {
  it('a second run on a folder in use exits 2 with one line naming the holder; the first finishes alone', async () => {
    const dir = fresh('busy');
    const a = ntkStart([...SMALL, '--out', dir, '--quiet']);
    await waitFor(() => existsSync(join(dir, LOCK_FILE)) && existsSync(join(dir, 'config.json')), 'the first run to take the lock and save its setup');
    // Stopped, it cannot finish before the second run tries: no race in the test itself.
    process.kill(a.child.pid!, 'SIGSTOP');
    try {
      const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; host: string };
      expect(lock).toMatchObject({ pid: a.child.pid, host: hostname() });
      const b = ntkSync([...SMALL, '--out', dir, '--resume']);
      expect(b.status).toBe(2);
      expect(b.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^ntk: error: --out: .* is in use by another ntk run, pid ${a.child.pid} on ${hostname()}.*delete .*ntk\\.lock$`)),
      ]);
    } finally {
      process.kill(a.child.pid!, 'SIGCONT');
    }
    expect((await a.done).code).toBe(0);
    expectComplete(dir, reference(), 'after a refused second writer');
  });

  it('two runs started at once: one writes, the other is refused, no row twice', async () => {
    const dir = fresh('race');
    const [a, b] = [ntkStart([...SMALL, '--out', dir, '--quiet']), ntkStart([...SMALL, '--out', dir, '--quiet'])];
    const codes = [(await a.done).code, (await b.done).code].sort();
    expect(codes, a.err() + b.err()).toEqual([0, 2]);
    expect(a.err() + b.err()).toMatch(/in use by another ntk run|already holds/);
    expectComplete(dir, reference(), 'after a race');
  });

  it('a lock whose pid is gone is taken over; one from another host is not', async () => {
    const dir = fresh('stale');
    const first = ntkSync([...SMALL, '--out', dir, '--limit', '4', '--quiet']);
    expect(first.status, first.stderr).toBe(0);
    const gone = ntkSync(['--version']); // a pid that has exited
    const dead = { pid: gone.pid, host: hostname(), command: 'sweep', started: '2026-01-01T00:00:00.000Z', token: 'x' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(dead));
    const other = { ...dead, host: `not-${hostname()}` };
    const dir2 = fresh('foreign');
    expect(ntkSync([...SMALL, '--out', dir2, '--limit', '1', '--quiet']).status).toBe(0);
    writeFileSync(join(dir2, LOCK_FILE), JSON.stringify(other));
    const refused = ntkSync([...SMALL, '--out', dir2, '--resume', '--quiet']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/in use by another ntk run.*on not-.*cannot check another host/);
    const resumed = ntkSync([...SMALL, '--out', dir, '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`took over ${join(dir, LOCK_FILE)} left by a run that is gone (pid ${gone.pid})`);
    expectComplete(dir, reference(), 'after taking over a stale lock');
  });
});

describe('kill -9 at random moments, then --resume', () => {
  // 60 points (20 widths x 3 seeds), so that most kills land mid-sweep.
  const LONGER = [...SMALL.slice(0, 4), '4:80:4', ...SMALL.slice(5)];
  it('12 kills of the user-facing process (some relaunched with huge pages): no orphan, one row per point, a valid summary', async () => {
    const seed = Number(process.env.NTK_KILL_SEED ?? Date.now() % 1e9);
    const random = rng(seed);
    const dir = fresh('killed');
    const results = join(dir, 'results.jsonl');
    const why = `NTK_KILL_SEED=${seed}`;
    let midSweep = 0;
    for (let i = 0; i < 12; i++) {
      const relaunch = i % 3 === 2;
      const resume = existsSync(join(dir, 'config.json'));
      const before = lineCount(results);
      const run = ntkStart([...LONGER, '--out', dir, ...(resume ? ['--resume'] : []), '--quiet'], ntkEnv(relaunch ? { NTK_HUGEPAGES: '1' } : {}));
      const pid = run.child.pid!;
      // Even turns: a random moment in the first second (start-up included, at most 3 new
      // points); odd turns: after 1 to 4 new points, at whatever moment of the next point that
      // falls. At most 4 points a turn: the sweep is still unfinished after 12 kills.
      const delay = random() * 1000, points = 1 + Math.floor(random() * 4);
      const t0 = Date.now();
      let children: number[] = [];
      await waitFor(() => {
        if (relaunch) children = [...new Set([...children, ...childrenOf(pid)])];
        if (run.child.exitCode !== null) return true;
        return i % 2 === 0 ? Date.now() - t0 >= delay || lineCount(results) >= before + 3 : lineCount(results) >= before + points;
      }, 'the moment to kill');
      if (relaunch) children = [...new Set([...children, ...childrenOf(pid)])];
      if (run.child.exitCode === null) process.kill(pid, 'SIGKILL');
      await run.done;
      const after = lineCount(results);
      if (after > before && after < 60) midSweep++;
      // The relaunched child notices its parent is gone and exits at once.
      for (const c of children) await waitFor(() => !alive(c), `child ${c} of killed ${pid} to exit (${why})`, 10000);
      // An orphan that kept computing would have run the sweep to its end.
      if (relaunch) expect(lineCount(results), `${why}: the relaunched child of turn ${i} ran on after its parent was killed`).toBeLessThan(60);
    }
    expect(midSweep, why).toBeGreaterThanOrEqual(6);
    const last = ntkSync([...LONGER, '--out', dir, ...(existsSync(join(dir, 'config.json')) ? ['--resume'] : [])]);
    expect(last.status, `${why}: ${last.stderr}`).toBe(0);
    expect(lineCount(results)).toBe(60);
    expectComplete(dir, reference(LONGER, 60), why);
  });
});

describe('interrupting a sweep', () => {
  it('SIGINT: stops after the point, exits 130 and prints the exact --resume command, which finishes the run', async () => {
    const dir = fresh('ctrl-c');
    const run = ntkStart([...SMALL, '--out', dir]);
    await waitFor(() => lineCount(join(dir, 'results.jsonl')) >= 2, 'two points');
    process.kill(run.child.pid!, 'SIGINT');
    const end = await run.done;
    expect(end.code, run.err()).toBe(130);
    const m = /Continue with:\n {2}(.*)\n/.exec(run.err());
    expect(m, run.err()).not.toBeNull();
    expect(m![1]).toBe(`node dist/cli/main.js sweep --resume --out ${dir} --backend wasm --threads 1`);
    const done = records(dir).length;
    expect(done).toBeLessThan(SMALL_POINTS);
    // Run the printed command as a shell would, with this Node first on PATH (another Node
    // version may differ in the last bits of Math functions).
    const env = ntkEnv({ PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` });
    const again = spawnSync('sh', ['-c', m![1]!], { encoding: 'utf8', env });
    expect(again.status, again.stderr).toBe(0);
    expectComplete(dir, reference(), 'after Ctrl-C and the printed --resume');
  });

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('the huge-page relaunch: the child reports itself, %s to the parent alone is forwarded, status %i, no orphan', async (sig, status) => {
    const dir = fresh(`relaunch-${sig}`);
    const run = ntkStart([...SMALL, '--out', dir], ntkEnv({ NTK_HUGEPAGES: '1' }));
    const parent = run.child.pid!;
    await waitFor(() => /relaunched with huge pages as pid \d+ by pid \d+/.test(run.err()), 'the child to report itself');
    const [, child, by] = /relaunched with huge pages as pid (\d+) by pid (\d+)/.exec(run.err())!.map(Number);
    expect(by).toBe(parent);
    expect(childrenOf(parent)).toContain(child);
    await waitFor(() => lineCount(join(dir, 'results.jsonl')) >= 1, 'a point');
    const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; parent?: number };
    expect(lock).toMatchObject({ pid: child, parent });
    process.kill(parent, sig);
    const end = await run.done;
    expect(end.code, run.err()).toBe(status);
    expect(run.err()).toMatch(/Continue with:\n {2}node \S+ sweep --resume --out \S+ --backend wasm --threads 1\n/);
    expect(alive(child!)).toBe(false);
    const again = ntkSync([...SMALL, '--out', dir, '--resume', '--quiet']);
    expect(again.status, again.stderr).toBe(0);
    expectComplete(dir, reference(), `after ${sig} to the relaunching parent`);
  });
});
