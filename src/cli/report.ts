/**
 * `ntk report DIR [--out FILE]`: REPORT.md for the output folder of `ntk figure1`, `ntk sweep`
 * or `ntk merge` (the Markdown itself comes from src/experiments/report.ts). A report written
 * outside DIR (e.g. docs/figure1-paper.md) gets copies of the figures and the summary in a
 * folder beside it (docs/figure1-paper/), so it can be committed without the run folder.
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { NtkInputError } from '../errors.js';
import { FILES, readConfig, readResults } from '../node/run-dir.js';
import { reportMarkdown, type ReportFigure } from '../experiments/report.js';
import { ensureDir, fileError, writeFileAtomic } from '../node/files.js';
import { action } from './common.js';

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** Where to write the report (default DIR/REPORT.md). */
  out?: string;
  /** Title over the report (default from the experiment). */
  title?: string;
}

/** What {@link writeReport} wrote. */
export interface WriteReportResult {
  /** The report's path. */
  report: string;
  /** Files copied beside a report written outside DIR (empty otherwise). */
  copied: string[];
  /** Points in the report. */
  points: number;
}

const DATA_FILES: readonly { name: string; what: string }[] = [
  { name: FILES.summary, what: 'mean and std over seeds per value and activation, with the theory columns' },
  { name: FILES.resultsCsv, what: 'every point, one row each' },
  { name: FILES.results, what: 'every point as written by the run (JSON lines)' },
  { name: FILES.exponents, what: 'threshold runs: the fitted exponent b of m* ~ n^b and its bootstrap interval per activation and tau' },
  { name: FILES.thresholds, what: 'threshold runs: the width threshold m*(n; tau)' },
  { name: FILES.ratios, what: 'threshold runs: lambda_min(K) / lambda_min(Theta) per n and width' },
  { name: FILES.config, what: 'the exact setup' },
];

/**
 * Writes the report of the sweep folder `dir` (see the module comment).
 * @throws NtkInputError naming `DIR` when it holds no sweep (no config.json) or no finished
 *   point, and `--out` when the report would overwrite a file of the folder.
 */
export function writeReport(dir: string, opts: WriteReportOptions = {}): WriteReportResult {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new NtkInputError('DIR', `${dir} is not a folder`, 'pass the --out folder of ntk figure1, ntk sweep or ntk merge');
  }
  const config = readConfig(dir);
  if (!config) throw new NtkInputError('DIR', `${dir} has no ${FILES.config}`, 'pass the --out folder of ntk figure1, ntk sweep or ntk merge');
  const { records, truncated } = readResults(join(dir, FILES.results));
  if (!records.length) throw new NtkInputError('DIR', `${dir} has no finished point in ${FILES.results}`, 'run the sweep first (or continue it with --resume)');
  const out = resolve(opts.out ?? join(dir, 'REPORT.md'));
  const absDir = resolve(dir);
  const inside = out.startsWith(absDir + sep);
  if (inside && DATA_FILES.some((f) => join(absDir, f.name) === out)) {
    throw new NtkInputError('--out', `would overwrite ${out}`, 'pass another file name, e.g. REPORT.md');
  }
  const here = dirname(out);
  // Outside the run folder, figures and data travel with the report (docs/x.md -> docs/x/).
  const copyTo = inside ? null : join(here, basename(out, extname(out)));
  const copied: string[] = [];
  const place = (name: string): string => {
    const src = join(absDir, name);
    if (!copyTo) return link(relative(here, src));
    ensureDir(copyTo);
    const dst = join(copyTo, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(src);
    } catch (e) {
      throw fileError(e, src, 'read');
    }
    writeFileAtomic(dst, bytes);
    copied.push(dst);
    return link(relative(here, dst));
  };
  const svgs = readdirSync(absDir).filter((f) => f.endsWith('.svg')).sort();
  const figures: ReportFigure[] = svgs.map((f) => {
    const vl = f.replace(/\.svg$/, '.vl.json');
    return { path: place(f), ...(existsSync(join(absDir, vl)) ? { spec: place(vl) } : {}) };
  });
  // A copied report keeps the small files; the raw records stay with the run.
  const files = DATA_FILES.filter((f) => existsSync(join(absDir, f.name)) && (!copyTo || f.name === FILES.summary || f.name === FILES.config || f.name === FILES.exponents || f.name === FILES.thresholds))
    .map((f) => ({ path: place(f.name), what: f.what }));
  const text = reportMarkdown({
    config, records, figures, files, truncated, dir: displayDir(dir),
    ...(opts.title !== undefined ? { title: opts.title } : {}),
  });
  ensureDir(here);
  writeFileAtomic(out, text);
  return { report: out, copied, points: records.length };
}

/** Registers `ntk report`. */
export function registerReport(program: Command): void {
  program.command('report')
    .description('write REPORT.md for a figure1/sweep/merge output folder: setup, figures, lambda_min table, Theorem 4.1 gap, broken assumptions')
    .argument('<dir>', 'the --out folder of ntk figure1, ntk sweep or ntk merge')
    .option('--out <file>', 'report file (default DIR/REPORT.md); outside DIR the figures are copied into a folder named after it')
    .option('--title <text>', 'title over the report')
    .addHelpText('after', `
Examples:
  ntk figure1 --preset quick && ntk report out/figure1-quick     # writes out/figure1-quick/REPORT.md
  ntk report out/figure1-paper --out docs/figure1-paper.md       # plus docs/figure1-paper/figure1.svg ...`)
    .action(action((dir: string, o: { out?: string; title?: string }) => {
      const r = writeReport(dir, { ...(o.out !== undefined ? { out: o.out } : {}), ...(o.title !== undefined ? { title: o.title } : {}) });
      process.stderr.write(`ntk: wrote ${shown(r.report)} (${r.points} points)\n`);
      for (const f of r.copied) process.stderr.write(`ntk: copied ${shown(f)}\n`);
    }));
}

/** A path relative to the working directory when inside it, else absolute. */
function shown(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

/** Markdown link target: forward slashes, spaces escaped. */
function link(p: string): string {
  return p.split(sep).join('/').replace(/ /g, '%20');
}

/** The folder as the user would type it (relative to the working directory when inside it). */
function displayDir(dir: string): string {
  return link(shown(resolve(dir)));
}
