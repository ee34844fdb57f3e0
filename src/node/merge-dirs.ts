/**
 * Merging the output folders of shards (or partial runs) of one sweep into a new folder, as
 * `ntk merge` does. Node only.
 * @module
 */
import { join, resolve } from 'node:path';
import { NtkInputError } from '../errors.js';
import { cleanStaleTemporaries, ensureDir, writeFileAtomic } from './files.js';
import { mergeRecords, specDiff, type MergeResult } from '../experiments/merge.js';
import { FILES, plotNameOf, readConfig, readResults, writeConfig, writeOutputs } from './run-dir.js';
import { acquireRunLock } from './run-lock.js';
import { formatRecord } from '../experiments/records.js';
import type { SummaryRow } from '../experiments/summary.js';

/** What {@link mergeRunDirs} did. */
export interface MergeDirsResult extends MergeResult {
  /** The summary table of the merged records. */
  rows: SummaryRow[];
  /** Files written. */
  files: string[];
  /** Input folders whose results.jsonl ended in a partial line (ignored). */
  truncated: string[];
}

/**
 * Joins the results of `dirs` (all runs of the same spec) into `out`: results.jsonl in grid
 * order with one record per point, config.json without a shard, the summary, CSVs and figure.
 * @throws NtkInputError when `out` is an input, a folder is not a sweep, or the specs differ.
 */
export async function mergeRunDirs(dirs: readonly string[], out: string): Promise<MergeDirsResult> {
  if (dirs.length === 0) throw new NtkInputError('dirs', 'is empty', 'pass the output folders to merge');
  if (dirs.some((d) => resolve(d) === resolve(out))) {
    throw new NtkInputError('--out', `${out} is also an input`, 'merge into a new folder');
  }
  const truncated: string[] = [];
  const inputs = dirs.map((dir) => {
    const cfg = readConfig(dir);
    if (!cfg) throw new NtkInputError(dir, `has no ${FILES.config}`, 'pass output folders of ntk figure1 or ntk sweep');
    const r = readResults(join(dir, FILES.results));
    if (r.truncated) truncated.push(dir);
    return { dir, cfg, records: r.records };
  });
  const first = inputs[0]!;
  for (const x of inputs.slice(1)) {
    const diff = specDiff(first.cfg.spec, x.cfg.spec);
    if (diff.length) {
      throw new NtkInputError(x.dir, `is a different sweep from ${first.dir} (differs in ${diff.join(', ')})`, 'merge only shards of one sweep');
    }
  }
  const spec = first.cfg.spec;
  const m = mergeRecords(inputs.map((x) => x.records), spec);
  ensureDir(out);
  // One writer per folder, as for a run; every file is replaced whole, never half-written.
  const lock = acquireRunLock(out, 'merge');
  try {
    cleanStaleTemporaries(out);
    const resultsFile = join(out, FILES.results);
    writeConfig(out, { tool: 'ntk-wasm', command: first.cfg.command, spec, shard: null, created: new Date().toISOString() });
    writeFileAtomic(resultsFile, m.records.map(formatRecord).join(''));
    const { rows, files } = await writeOutputs(out, spec, m.records, { plotName: plotNameOf(spec) });
    return { ...m, rows, files: [resultsFile, ...files], truncated };
  } finally {
    lock.release();
  }
}
