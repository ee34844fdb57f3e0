/**
 * A sweep's output folder in Node: config.json (the spec and shard), results.jsonl (one record
 * per finished point, appended and flushed as each finishes), summary.csv, results.csv, and
 * the figure as SVG plus its Vega-Lite spec. Node only (node:fs); the sweep core stays
 * browser-safe.
 * @module
 */
import { closeSync, existsSync, openSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { NtkInputError } from '../errors.js';
import { readInputFile } from './input-file.js';
import { appendAllOrNothing, cleanStaleTemporaries, ensureDir, fileError, writeFileAtomic } from './files.js';
import { renderSvg } from '../plot/render.js';
import { setupLine, sweepPlotSpec } from '../plot/sweep.js';
import { ratioPlotSpec, thresholdPlotSpec } from '../plot/threshold.js';
import { formatShard, validateSpec, type Shard, type SweepSpec } from '../experiments/grid.js';
import { acquireRunLock, type RunLock } from './run-lock.js';
import { specDiff } from '../experiments/merge.js';
import { formatRecord, parseRecords, type PointRecord } from '../experiments/records.js';
import { flattenRecord, summarize, toCsv, type SummaryRow } from '../experiments/summary.js';
import { DEFAULT_THRESHOLD, thresholdAnalysis } from '../experiments/threshold.js';

/** What config.json holds. */
export interface RunConfig {
  tool: 'ntk-wasm';
  /** The command that made the folder (`figure1`, `sweep`, `merge`). */
  command: string;
  spec: SweepSpec;
  /** `i/N`, or null for a whole sweep. */
  shard: string | null;
  created: string;
}

/** File names inside an output folder. */
export const FILES = {
  config: 'config.json',
  results: 'results.jsonl',
  summary: 'summary.csv',
  resultsCsv: 'results.csv',
  /** `ntk threshold`: m*(n; tau) per activation, tau and n. */
  thresholds: 'thresholds.csv',
  /** `ntk threshold`: the fitted exponent b with its bootstrap interval per activation and tau. */
  exponents: 'exponents.csv',
  /** `ntk threshold`: lambda_min(K) / lambda_min(Theta) per activation, n and width (the ratio curves). */
  ratios: 'ratios.csv',
} as const;

/** Base name of a run's figure files: the experiment's (`figure1`, `threshold`), else `sweep`. */
export function plotNameOf(spec: SweepSpec): string {
  return spec.experiment === 'figure1' || spec.experiment === 'threshold' ? spec.experiment : 'sweep';
}

/** Largest config.json read (a real one is a few kB). */
const MAX_CONFIG_BYTES = 16 * 2 ** 20;
/** Largest results.jsonl read (about a million points). */
const MAX_RESULTS_BYTES = 2 ** 31 - 1;

/**
 * Reads DIR/config.json, or null when there is none.
 * @throws NtkInputError naming the file when it is not a regular file, not JSON, or not a valid
 *   ntk-wasm sweep configuration (a corrupt or foreign file).
 */
export function readConfig(dir: string): RunConfig | null {
  const f = join(dir, FILES.config);
  if (!existsSync(f)) return null;
  const fix = 'restore it, or start the folder over with --force (or choose another --out)';
  const text = readInputFile(f, f, MAX_CONFIG_BYTES, fix).toString('utf8');
  let cfg: RunConfig;
  try {
    cfg = JSON.parse(text) as RunConfig;
  } catch (e) {
    throw new NtkInputError(f, `is not valid JSON (${(e as Error).message})`, fix);
  }
  if (!cfg || typeof cfg !== 'object' || cfg.tool !== 'ntk-wasm' || !cfg.spec || typeof cfg.spec !== 'object') {
    throw new NtkInputError(f, 'is not an ntk-wasm sweep configuration', fix);
  }
  if (cfg.shard !== null && typeof cfg.shard !== 'string') throw new NtkInputError(f, `has a bad shard ${JSON.stringify(cfg.shard)}`, fix);
  try {
    validateSpec(cfg.spec);
  } catch (e) {
    throw new NtkInputError(f, `holds an invalid sweep (${(e as Error).message.split(';')[0]})`, fix);
  }
  return cfg;
}

/** Writes DIR/config.json atomically (a temporary file renamed over it). */
export function writeConfig(dir: string, cfg: RunConfig): void {
  writeFileAtomic(join(dir, FILES.config), JSON.stringify(cfg, null, 2) + '\n');
}

/**
 * Reads results.jsonl. A partial last line (left by a run killed while writing) is dropped and,
 * with `repair`, cut from the file so that appending continues on a clean line.
 */
export function readResults(file: string, repair = false): { records: PointRecord[]; truncated: boolean } {
  if (!existsSync(file)) return { records: [], truncated: false };
  const text = readInputFile(file, file, MAX_RESULTS_BYTES, 'restore it or start the folder over with --force').toString('utf8');
  const parsed = parseRecords(text, file);
  if (parsed.truncated && repair) {
    try {
      truncateSync(file, Buffer.byteLength(text.slice(0, parsed.validLength), 'utf8'));
    } catch (e) {
      throw fileError(e, file, 'repair');
    }
  }
  return { records: parsed.records, truncated: parsed.truncated };
}

/**
 * Appends records to results.jsonl, each whole or not at all (a failed write is cut back) and
 * flushed to disk before returning.
 */
export class ResultsWriter {
  private fd: number | null;
  /**
   * Opens `file` for appending (created if missing).
   * @throws NtkFileError naming the file when it cannot be opened.
   */
  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, 'a');
    } catch (e) {
      throw fileError(e, file, 'open');
    }
  }
  /**
   * Appends one record and flushes it.
   * @throws NtkFileError naming the file (no space, ...), the file as it was before the call.
   */
  append(r: PointRecord): void {
    if (this.fd === null) throw new Error(`${this.file} is closed`);
    appendAllOrNothing(this.fd, this.file, formatRecord(r));
  }
  /** Closes the file (appending afterwards throws). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Options of {@link openRunDir}. */
export interface OpenRunDirOptions {
  /** Continue an earlier run in the folder (its spec and shard must match). */
  resume: boolean;
  /** Delete earlier results in the folder and start over. */
  force: boolean;
  command: string;
  shard: Shard | null;
  /** The pid of the process that relaunched this one, recorded in the lock (src/cli/hugepages.ts). */
  lockParent?: number;
}

/**
 * Prepares an output folder for a run of `spec` and returns the records already done there and
 * the folder's lock, which the caller releases when the run ends (see ./run-lock.ts): one
 * writer per folder. Temporary files a killed run left are removed. Without `resume` a folder
 * holding results is refused (unless `force`), so nothing is overwritten by accident; with
 * `resume` the saved spec and shard must equal the requested ones.
 * @throws NtkInputError naming `--out` (another run holds the folder; it holds another run),
 *   `--resume` or `--shard` with the fix; NtkFileError when the folder cannot be written.
 */
export function openRunDir(dir: string, spec: SweepSpec, opts: OpenRunDirOptions): { done: PointRecord[]; truncated: boolean; lock: RunLock } {
  ensureDir(dir);
  const lock = acquireRunLock(dir, opts.command, opts.lockParent !== undefined ? { parent: opts.lockParent } : {});
  try {
    cleanStaleTemporaries(dir);
    return { ...prepareRunDir(dir, spec, opts), lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

function prepareRunDir(dir: string, spec: SweepSpec, opts: OpenRunDirOptions): { done: PointRecord[]; truncated: boolean } {
  const resultsFile = join(dir, FILES.results);
  const saved = readConfig(dir);
  const hasResults = existsSync(resultsFile) && statSync(resultsFile).size > 0;
  if (!opts.resume && (hasResults || saved)) {
    if (!opts.force) {
      throw new NtkInputError('--out', `${dir} already holds ${hasResults ? 'results' : 'a sweep'} from an earlier run`,
        'pass --resume to continue it, --force to start over, or another --out folder');
    }
    try {
      rmSync(resultsFile, { force: true });
    } catch (e) {
      throw fileError(e, resultsFile, 'remove');
    }
  }
  if (opts.resume && saved) {
    const diff = specDiff(saved.spec, spec);
    if (diff.length) {
      const show = (v: unknown) => { const t = JSON.stringify(v); return t.length > 40 ? `${t.slice(0, 37)}...` : t; };
      const what = diff.map((k) => `${k} (saved ${show(saved.spec[k])}, asked ${show(spec[k])})`).join(', ');
      throw new NtkInputError('--resume', `${dir} holds a sweep with different ${what}`,
        'leave those options out to continue the saved sweep, or choose another --out folder');
    }
    const want = opts.shard ? formatShard(opts.shard) : null;
    if (saved.shard !== want) {
      throw new NtkInputError('--shard', `${dir} holds shard ${saved.shard ?? 'none (the whole sweep)'}, not ${want ?? 'the whole sweep'}`,
        'pass the same --shard, or another --out folder for this shard');
    }
  }
  writeConfig(dir, {
    tool: 'ntk-wasm', command: opts.command, spec, shard: opts.shard ? formatShard(opts.shard) : null,
    created: saved && opts.resume ? saved.created : new Date().toISOString(),
  });
  const { records, truncated } = opts.resume ? readResults(resultsFile, true) : { records: [], truncated: false };
  return { done: records, truncated };
}

/** Options of {@link writeOutputs}. */
export interface WriteOutputsOptions {
  /** Base name of the figure files (`figure1` gives figure1.svg and figure1.vl.json). */
  plotName: string;
  title?: string;
}

/**
 * Writes summary.csv, results.csv, the figure (SVG) and its Vega-Lite spec from `records`.
 * @returns the summary rows and the paths written.
 */
export async function writeOutputs(dir: string, spec: SweepSpec, records: readonly PointRecord[], opts: WriteOutputsOptions):
  Promise<{ rows: SummaryRow[]; files: string[] }> {
  const rows = summarize(records);
  const files: string[] = [];
  const put = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileAtomic(f, text);
    files.push(f);
  };
  put(FILES.summary, toCsv(rows));
  put(FILES.resultsCsv, toCsv(records.map(flattenRecord)));
  const figures: [string, TopLevelSpec][] = [];
  if (spec.vary === 'ratio') {
    // The width-threshold analysis: its tables and its two figures instead of the sweep's.
    const settings = spec.threshold ?? DEFAULT_THRESHOLD;
    const a = thresholdAnalysis(records, settings);
    put(FILES.ratios, toCsv(a.curves));
    put(FILES.thresholds, toCsv(a.thresholds));
    put(FILES.exponents, toCsv(a.exponents.map((e) => ({ ...e, n_used: e.n_used.join(' ') }))));
    const subtitle = setupLine(spec);
    figures.push([`${opts.plotName}-ratio`, ratioPlotSpec(a.curves, settings.taus, { subtitle })]);
    figures.push([`${opts.plotName}-mstar`, thresholdPlotSpec(a.thresholds, a.exponents, { subtitle })]);
  } else {
    figures.push([opts.plotName, sweepPlotSpec(rows, { vary: spec.vary, title: opts.title ?? defaultTitle(spec), subtitle: setupLine(spec) })]);
  }
  for (const [name, plot] of figures) {
    put(`${name}.vl.json`, JSON.stringify(plot, null, 2) + '\n');
    put(`${name}.svg`, await renderSvg(plot));
  }
  return { rows, files };
}

function defaultTitle(spec: SweepSpec): string {
  switch (spec.vary) {
    case 'nm': return 'Figure 1 (Section 6): λmin(K) against width with n = m';
    case 'width': return `λmin(K) against width at n = ${spec.n}`;
    case 'n': return `λmin(K) against the number of samples at m = ${spec.width}`;
    case 'depth': return 'λmin(K) against depth';
    case 'sigma0': return 'Initialization scale: λmin(K) and Theorem 4.2’s constant against σ0²';
    case 'ratio': return 'λmin(K) against the width ratio m/n';
  }
}
