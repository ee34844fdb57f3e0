/**
 * A sweep run into an output folder, as the CLI commands do it: open (or resume) the folder,
 * run the missing points of this shard with progress, append each record as it finishes, then
 * write the summary, CSVs and figure from every record in the folder. Node only.
 * @module
 */
import { join } from 'node:path';
import type { LoadedBackend } from '../backend/load.js';
import type { Shard, SweepSpec } from '../experiments/grid.js';
import { mergeRecords } from '../experiments/merge.js';
import { FILES, openRunDir, ResultsWriter, writeOutputs } from './run-dir.js';
import { createProgress } from './progress.js';
import { readDataFile } from '../io/data-file.js';
import { checkInputFile, MAX_INPUT_BYTES } from './input-file.js';
import type { PointRecord } from '../experiments/records.js';
import { runSweep, type RunSweepResult } from '../experiments/runner.js';
import type { SummaryRow } from '../experiments/summary.js';

/** Options of {@link runSweepToDir}. */
export interface RunToDirOptions {
  /** The run folder (created when missing). */
  dir: string;
  /** The command name saved in config.json. */
  command: string;
  /** Base name of the figure files. */
  plotName: string;
  /** The backend the points run on, with its note (saved in the records). */
  backend: LoadedBackend;
  /** Continue a run the folder holds: skip its done points. */
  resume?: boolean;
  /** Replace a run the folder holds. */
  force?: boolean;
  /** Run only this shard of the grid (null or absent: all points). */
  shard?: Shard | null;
  /** Stop after this many new points. */
  limit?: number;
  /** Stops the sweep after the running point (the folder stays resumable). */
  signal?: AbortSignal;
  /** No progress output. */
  quiet?: boolean;
  /** Force the progress bar on or off (default: whether stderr is a TTY). */
  tty?: boolean;
  /** The pid of the process that relaunched this one, recorded in the folder's lock. */
  lockParent?: number;
}

/** What {@link runSweepToDir} did. */
export interface RunToDirResult {
  /** How the sweep ended. */
  status: RunSweepResult['status'];
  /** Points computed by this run. */
  computed: number;
  /** Points found done in the folder and skipped. */
  skipped: number;
  /** Points of this shard still missing. */
  remaining: number;
  /** Whether a partial last line left by a killed run was dropped. */
  repaired: boolean;
  /** Every record in the folder, in grid order. */
  records: PointRecord[];
  /** The summary table of `records`. */
  rows: SummaryRow[];
  /** Files written. */
  files: string[];
  /** Wall seconds of the sweep itself (points only). */
  seconds: number;
}

/**
 * Runs `spec` into `opts.dir` (see the module comment), holding the folder's lock
 * (./run-lock.ts) from opening it to the last file written.
 * @throws NtkInputError for a folder another live run holds or that holds another run, a bad
 *   spec; NtkFileError when a file cannot be written; errors of a point.
 */
export async function runSweepToDir(spec: SweepSpec, opts: RunToDirOptions): Promise<RunToDirResult> {
  const shard = opts.shard ?? null;
  // The user's data file, read again from its path (runSweep checks it is the same data).
  if (spec.data) checkInputFile(spec.data.file, '--data', MAX_INPUT_BYTES, 'give the path of an existing .npy or .csv file');
  const data = spec.data ? await readDataFile(spec.data.file) : undefined;
  const { done, truncated, lock } = openRunDir(opts.dir, spec, {
    resume: opts.resume ?? false, force: opts.force ?? false, command: opts.command, shard,
    ...(opts.lockParent !== undefined ? { lockParent: opts.lockParent } : {}),
  });
  try {
    if (lock.tookOver && !opts.quiet) process.stderr.write(`ntk: took over ${lock.file} left by a run that is gone (pid ${lock.tookOver.pid})\n`);
    if (truncated && !opts.quiet) process.stderr.write(`ntk: dropped a partial last line of ${join(opts.dir, FILES.results)} (the run was killed while writing it)\n`);
    return await runLocked(spec, opts, done, truncated, data);
  } finally {
    lock.release();
  }
}

async function runLocked(spec: SweepSpec, opts: RunToDirOptions, done: PointRecord[], truncated: boolean, data: Awaited<ReturnType<typeof readDataFile>> | undefined): Promise<RunToDirResult> {
  const shard = opts.shard ?? null;
  const writer = new ResultsWriter(join(opts.dir, FILES.results));
  let progress: ReturnType<typeof createProgress> | null = null;
  const t0 = performance.now();
  let res: RunSweepResult;
  try {
    progress = createProgress({ vary: spec.vary, quiet: opts.quiet ?? false, ...(opts.tty !== undefined ? { tty: opts.tty } : {}) });
    const bar = progress;
    res = await runSweep(spec, {
      backend: opts.backend.backend,
      backendName: opts.backend.note.replace(/ \(requested\)$/, ''),
      done,
      shard,
      ...(data ? { data } : {}),
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onRecord: (r) => writer.append(r),
      onProgress: (p) => bar.onProgress(p),
    });
  } finally {
    progress?.stop();
    writer.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const merged = mergeRecords([done, res.records], spec).records;
  const { rows, files } = await writeOutputs(opts.dir, spec, merged, { plotName: opts.plotName });
  return {
    status: res.status, computed: res.records.length, skipped: res.skipped, remaining: res.remaining,
    repaired: truncated, records: merged, rows, files: [join(opts.dir, FILES.results), ...files], seconds,
  };
}
