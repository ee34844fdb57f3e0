/**
 * `ntk merge DIR... --out OUT`: joins the results of the shards (or partial runs) of one sweep
 * into one folder and redraws its table and figure.
 * @module
 */
import type { Command } from 'commander';
import { varyLabel } from '../experiments/grid.js';
import { mergeRunDirs } from '../node/merge-dirs.js';
import { formatSummaryTable } from '../experiments/summary.js';
import { readConfig } from '../node/run-dir.js';
import { action } from './common.js';

/** Registers `ntk merge`. */
export function registerMerge(program: Command): void {
  program.command('merge')
    .description('join the results.jsonl of shards (or partial runs) of one sweep and redraw its table and figure')
    .argument('<dirs...>', 'output folders of `ntk figure1` / `ntk sweep` runs with the same setup')
    .requiredOption('--out <dir>', 'folder for the merged results (not one of the inputs)')
    .option('--quiet', 'print only the table')
    .addHelpText('after', `
Example (a sweep spread over 4 jobs, then joined):
  for i in 1 2 3 4; do ntk figure1 --preset paper --shard $i/4 --out out/shard-$i & done; wait
  ntk merge out/shard-* --out out/paper`)
    .action(action(async (dirs: string[], o: { out: string; quiet?: boolean }) => {
      const m = await mergeRunDirs(dirs, o.out);
      const vary = readConfig(o.out)!.spec.vary;
      process.stdout.write(formatSummaryTable(m.rows, varyLabel(vary)));
      if (o.quiet) return;
      const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
      for (const d of m.truncated) process.stderr.write(`ntk: ${d}: ignored a partial last line (a run killed while writing)\n`);
      process.stderr.write(`ntk: merged ${plural(m.records.length, 'point')} from ${plural(dirs.length, 'folder')}\n`);
      if (m.duplicates.length) process.stderr.write(`ntk: ${plural(m.duplicates.length, 'point')} appeared twice with the same numbers (kept once)\n`);
      if (m.conflicts.length) process.stderr.write(`ntk: warning: ${plural(m.conflicts.length, 'point')} appeared twice with different numbers (the first folder's kept), e.g. ${m.conflicts[0]}\n`);
      if (m.missing.length) process.stderr.write(`ntk: warning: ${plural(m.missing.length, 'point')} of the sweep are in no folder (unfinished shards?), e.g. ${m.missing[0]}\n`);
      for (const f of m.files) process.stderr.write(`ntk: wrote ${f}\n`);
    }));
}
