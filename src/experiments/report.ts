/**
 * REPORT.md for a sweep's output folder (`ntk report DIR`), put together from its sections:
 * the summary (report-summary.ts), the threshold analysis (threshold-report.ts), the setup and
 * the command that reproduces it (report-setup.ts, reproduce.ts), the figures and a table of
 * lambda_min against the varied quantity per activation (report-results.ts), how far Theorem
 * 4.1's bound c0 lambda_1 sits below the measured lambda_min and which of the paper's hypotheses
 * the setup and the chosen activations break (report-theorem.ts). The numbers come from
 * report-findings.ts and print through report-format.ts.
 * Browser-safe: records and config in, Markdown text out (src/cli/report.ts reads the folder).
 * @module
 */
import { enumeratePoints, parseShard, shardPoints, varyLabel, type SweepSpec } from './grid.js';
import type { PointRecord } from './records.js';
import { boundGaps, flatness } from './report-findings.js';
import { figuresSection, lambdaMinSection, type ReportFigure, type ReportFile } from './report-results.js';
import { setupSection } from './report-setup.js';
import { summarySection } from './report-summary.js';
import { assumptionsSection, theoremSection } from './report-theorem.js';
import { summarize } from './summary.js';
import { thresholdSection } from './threshold-report.js';
import { thresholdAnalysis } from './threshold.js';

export type { ReportFigure, ReportFile } from './report-results.js';

/** The parts of config.json a report needs (see `RunConfig` in node-io.ts). */
export interface ReportConfig {
  /** The command that made the folder (`figure1`, `sweep`). */
  command: string;
  spec: SweepSpec;
  /** `i/N` for one shard of a sweep, null for a whole sweep (or a merged one). */
  shard: string | null;
  /** When the folder was created (ISO 8601). */
  created?: string;
}

/** What {@link reportMarkdown} needs. */
export interface ReportInput {
  config: ReportConfig;
  /** Every record of the folder (any order). */
  records: readonly PointRecord[];
  /** The folder's figures (its *.svg files), linked from the report. */
  figures: readonly ReportFigure[];
  /** Other files to list (summary.csv, results.jsonl...), links relative to the report, with what they hold. */
  files?: readonly ReportFile[];
  /** The output folder as the user would pass it to `--out` (for the reproduce command). */
  dir: string;
  /** Whether results.jsonl ended in a partial line (a run killed while writing), which the report ignores. */
  truncated?: boolean;
  /** Title of the report (default from the experiment). */
  title?: string;
}

/**
 * The report as Markdown (see the module comment). Numbers are read from the records; nothing
 * is recomputed. An empty record list gives a report that says so.
 */
export function reportMarkdown(input: ReportInput): string {
  const { config } = input;
  const spec = config.spec;
  const records = orderRecords(spec, input.records);
  const rows = summarize(records);
  const title = input.title ?? titleOf(spec);
  const flat = flatness(records, rows);
  const gaps = boundGaps(records);
  const expected = shardPoints(enumeratePoints(spec), config.shard ? parseShard(config.shard) : null);
  // A threshold run has several n at each m/n: its summary and λmin sentences go per n.
  const curves = spec.vary === 'ratio' ? thresholdAnalysis(records, { taus: [], quantile: spec.threshold?.quantile ?? 0.9, bootstrap: 0 }).curves : [];
  return [
    `# ${title}`, '',
    'Written by `ntk report` from the output folder of `ntk ' + config.command + '`; every number below is read from its',
    '`results.jsonl` (one line per network and weight seed). The paper is Banerjee, Cisneros-Velarde, Zhu, Belkin,',
    '*Neural Tangent Kernel at Initialization: Linear Width Suffices*; ntk-wasm follows one reading of its formulas',
    '(docs/conventions.md, summarized in the README).', '',
    // The findings in a few lines, before the detail.
    ...summarySection(flat, gaps, varyLabel(spec.vary), curves),
    ...thresholdSection(spec, records),
    ...setupSection({
      spec, shard: config.shard, records, expected, dir: input.dir,
      ...(input.truncated !== undefined ? { truncated: input.truncated } : {}),
    }),
    ...figuresSection(spec, title, input.figures, input.files),
    ...lambdaMinSection(spec, rows, flat, curves),
    ...theoremSection(records, gaps),
    ...assumptionsSection(spec, records, expected),
  ].join('\n');
}

function titleOf(spec: SweepSpec): string {
  return spec.experiment === 'figure1'
    ? 'Figure 1 (Section 6): λmin of the NTK against width, n = m'
    : spec.vary === 'ratio' ? 'Width threshold: how wide for λmin(K) to reach λmin(Θ), as n grows'
      : `Sweep over ${varyLabel(spec.vary)}: λmin of the NTK`;
}

/** Records in grid order (points outside the grid last), so tables follow the sweep's order. */
function orderRecords(spec: SweepSpec, records: readonly PointRecord[]): PointRecord[] {
  const order = new Map(enumeratePoints(spec).map((p, i) => [p.key, i]));
  return [...records].sort((a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity));
}
