// What the page computed, downloaded: results.json (spec, records, summary), results.csv,
// summary.csv and the figure as SVG.
import { flattenRecord, summarize, toCsv } from '/dist/experiments/summary.js';
import { $, state } from './state.js';

/** Enables the export buttons once there is something to export. */
export function setExportsEnabled(on) {
  for (const id of ['exportJson', 'exportCsv', 'exportSummary', 'exportSvg']) $(id).disabled = !on;
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** results.json: the spec, the records, their summary and where they were computed. */
export function exportJson() {
  const doc = {
    generator: 'ntk-wasm browser demo',
    created: new Date().toISOString(),
    backend: state.note,
    userAgent: navigator.userAgent,
    spec: state.spec,
    records: state.records,
    summary: summarize(state.records),
  };
  download('results.json', JSON.stringify(doc, null, 2) + '\n', 'application/json');
}

/** The sweep figure as drawn, as SVG. */
export async function exportSvg() {
  if (!state.views.sweep) return;
  download('figure.svg', await state.views.sweep.toSVG(), 'image/svg+xml');
}

/** results.csv: one row per record. */
export function exportCsv() {
  download('results.csv', toCsv(state.records.map(flattenRecord)), 'text/csv');
}

/** summary.csv: mean and std over seeds per width and activation. */
export function exportSummary() {
  download('summary.csv', toCsv(summarize(state.records)), 'text/csv');
}
