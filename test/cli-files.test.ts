// Files (issue 15 item 6): inputs must be regular files of a sane size; I/O failures are one
// line naming the path with a non-zero exit and no half-written file; stale temporaries are
// cleaned; --resume needs a readable config.json; a corrupt config.json is a clear error.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAIN, ntkEnv, ntkSync } from './helpers/processes.js';

const root = mkdtempSync(join(tmpdir(), 'ntk-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const fresh = (name: string) => join(root, `${name}-${++serial}`);

const SMALL = ['sweep', '--vary', 'width', '--values', '4,8', '--n', '6', '--d', '3', '--seeds', '2', '--activations', 'tanh', '--rmax', '4', '--threads', '1', '--backend', 'js', '--quiet'];

/** The one line a failed command prints. */
function oneLine(r: { status: number | null; stderr: string }): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^ntk: error: /);
  return lines[0]!;
}

/** No file of `dir` is a leftover temporary. */
function expectNoTemporaries(dir: string): void {
  expect(readdirSync(dir).filter((f) => /\.tmp$|\.new$|\.stale$/.test(f))).toEqual([]);
}

describe('inputs must be regular files', () => {
  const fifo = join(root, 'pipe.npy');
  execFileSync('mkfifo', [fifo]);
  const cases: [string, string, RegExp][] = [
    ['a device', '/dev/zero', /\/dev\/zero:? is a character device \(like \/dev\/zero\), not a regular file/],
    ['a FIFO', fifo, /pipe\.npy:? is a FIFO \(named pipe\), not a regular file/],
    ['a directory', root, /is a directory, not a regular file/],
  ];
  it.each(cases)('ntk eig refuses %s at once, naming it', (_what, path, message) => {
    const r = ntkSync(['eig', path, '--backend', 'js']);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(message);
  });
  it.each(cases)('ntk evaluate refuses %s at once, naming it', (_what, path, message) => {
    const r = ntkSync(['evaluate', path, '--backend', 'js']);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(message);
  });
  it('a spec whose .npy path is a device is refused, naming the path', () => {
    const spec = join(root, 'dev-spec.json');
    const example = JSON.parse(readFileSync('examples/data/network.json', 'utf8')) as { W: string[]; v: string };
    const data = resolve('examples/data');
    writeFileSync(spec, JSON.stringify({ ...example, X: '/dev/zero', W: example.W.map((w) => join(data, w)), v: join(data, example.v) }));
    const r = ntkSync(['evaluate', spec, '--backend', 'js']);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(/\/dev\/zero: is a character device/);
  });
});

describe('the output folder', () => {
  it('a file where --out should be a folder: one line naming it, exit 1', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const r = ntkSync([...SMALL, '--out', file]);
    expect(r.status).toBe(1);
    expect(oneLine(r)).toMatch(new RegExp(`^ntk: error: ${file}: cannot create the folder \\(a file is where a folder goes, (EEXIST|ENOTDIR)\\); remove or rename that file, or choose another folder$`));
  });

  it('a directory where summary.csv goes: one line naming it, exit 1, nothing half-written, no temporaries', () => {
    const dir = fresh('dir-in-way');
    mkdirSync(join(dir, 'summary.csv'), { recursive: true });
    const r = ntkSync([...SMALL, '--out', dir]);
    expect(r.status).toBe(1);
    expect(oneLine(r)).toBe(`ntk: error: ${join(dir, 'summary.csv')}: cannot write (a directory is where a file goes, EISDIR); remove or rename that directory, or choose another folder`);
    // The points are kept (each appended whole), the lock released, no temporary left.
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);
    expect(existsSync(join(dir, 'ntk.lock'))).toBe(false);
    expectNoTemporaries(dir);
    rmSync(join(dir, 'summary.csv'), { recursive: true });
    const again = ntkSync([...SMALL, '--out', dir, '--resume']);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('a file-size limit hit while writing (EFBIG, as ENOSPC would be): one line, exit 1, every file whole', () => {
    const dir = fresh('fsize');
    // The shell ignores SIGXFSZ (so the write fails with EFBIG instead of killing node) and caps
    // files at 16 blocks: results.jsonl and the CSVs fit, the SVG does not.
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 16; exec "${process.execPath}" "${MAIN}" "$@"`, 'sh', ...SMALL, '--out', dir],
      { encoding: 'utf8', env: ntkEnv() });
    expect(r.status, r.stderr).toBe(1);
    expect(oneLine(r)).toMatch(new RegExp(`^ntk: error: ${dir}/[\\w.]+: cannot (write|append to) \\(file too large \\(a file-size limit is set\\), EFBIG\\); raise the limit`));
    expectNoTemporaries(dir);
    // Whatever was written is whole: the records parse, the config is valid JSON.
    JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    for (const l of readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean)) JSON.parse(l);
    const again = ntkSync([...SMALL, '--out', dir, '--resume']);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sweep.svg'), 'utf8')).toMatch(/<\/svg>\s*$/);
  });

  it('temporaries left by a killed run are removed when the folder is opened', () => {
    const dir = fresh('stale-tmp');
    expect(ntkSync([...SMALL, '--out', dir, '--limit', '1']).status).toBe(0);
    writeFileSync(join(dir, 'summary.csv.99999.tmp'), 'half');
    writeFileSync(join(dir, 'config.json.12345.tmp'), '{"to');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(ntkSync([...SMALL, '--out', dir, '--resume']).status).toBe(0);
    expectNoTemporaries(dir);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });
});

describe('config.json', () => {
  it('--resume in a folder without one is an error that says how to start', () => {
    const dir = fresh('empty');
    mkdirSync(dir);
    const r = ntkSync([...SMALL, '--out', dir, '--resume']);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toBe(`ntk: error: --resume: ${join(dir, 'config.json')} does not exist: there is no run in ${dir} to continue; start one without --resume, e.g. ntk sweep --vary width --out ${dir}`);
    expect(readdirSync(dir)).toEqual([]);
    const f = ntkSync(['figure1', '--resume', '--out', join(root, 'no-such-folder')]);
    expect(f.status).toBe(2);
    expect(oneLine(f)).toMatch(/--resume: .*config\.json does not exist: .*; start one without --resume, e\.g\. ntk figure1 --out /);
  });

  it.each([
    ['not JSON', '{"tool": "ntk-wasm", "spec": {', /config\.json: is not valid JSON/],
    ['another tool\'s', '{"tool": "other"}', /config\.json: is not an ntk-wasm sweep configuration/],
    ['an invalid sweep', '{"tool": "ntk-wasm", "command": "sweep", "shard": null, "spec": {"experiment": "sweep", "vary": "width", "values": [4], "activations": "tanh"}}', /config\.json: holds an invalid sweep/],
  ])('a corrupt config.json (%s) is a clear error naming it', (_what, text, message) => {
    const dir = fresh('corrupt');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), text);
    for (const extra of [['--resume'], []]) {
      const r = ntkSync([...SMALL, '--out', dir, ...extra]);
      expect(r.status).toBe(2);
      const line = oneLine(r);
      expect(line).toMatch(message);
      expect(line).toMatch(/--force|another --out/);
    }
    const m = ntkSync(['merge', dir, '--out', fresh('merged')]);
    expect(m.status).toBe(2);
    expect(oneLine(m)).toMatch(message);
  });

  it('a config.json that is a directory is refused, naming it', () => {
    const dir = fresh('config-dir');
    mkdirSync(join(dir, 'config.json'), { recursive: true });
    const r = ntkSync([...SMALL, '--out', dir, '--resume']);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(/config\.json: is a directory, not a regular file/);
  });
});

describe('the paths in messages are the ones given', () => {
  it('relative --out paths stay relative', () => {
    const cwd = fresh('cwd');
    mkdirSync(cwd);
    const r = ntkSync([...SMALL, '--out', 'rel', '--resume'], ntkEnv(), cwd);
    expect(oneLine(r)).toContain('--resume: rel/config.json does not exist');
    expect(resolve(cwd, 'rel')).toBe(join(cwd, 'rel'));
  });
});
