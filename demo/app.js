// The demo page: reads the form into a sweep spec (form.js), runs it in a Web Worker
// (worker-client.js, worker.js; its messages: messages.js; the run: run.js), draws the CLI's
// Vega-Lite specs live with Vega's View API (plots.js), looks at one point up close
// (inspect.js), and exports what it computed (exports.js). The page's state (state.js) is
// mirrored in <body data-state> (loading, idle, running, done, cancelled, error) for scripts
// and tests; numbers print through format.js.
// The page imports only the light, pure modules it needs (form checks, summary, CSV, plot
// specs); the numerical library is loaded by the worker alone, through the public entries.
// Native ES modules, loaded by the browser without a bundler.
import { exportCsv, exportJson, exportSummary, exportSvg } from './exports.js';
import { buildActivationBoxes, loadDataFile, updateEstimate } from './form.js';
import { inspect, refreshInspectChoices } from './inspect.js';
import { onWorkerMessage } from './messages.js';
import { drawSweep } from './plots.js';
import { cancel, run } from './run.js';
import { $, setState, state } from './state.js';
import { post, startWorker } from './worker-client.js';

function main() {
  if (!globalThis.vega || !globalThis.vegaLite) {
    setState('error', 'Error: the plotting library (Vega) did not load; serve this page with npm run demo.');
    return;
  }
  buildActivationBoxes();
  for (const el of document.querySelectorAll('#setup input, #setup select')) el.addEventListener('input', updateEstimate);
  $('setup').addEventListener('submit', run);
  $('cancel').addEventListener('click', cancel);
  $('inspect').addEventListener('click', inspect);
  $('iAct').addEventListener('change', refreshInspectChoices);
  $('iWidth').addEventListener('change', refreshInspectChoices);
  $('exportJson').addEventListener('click', exportJson);
  $('exportCsv').addEventListener('click', exportCsv);
  $('exportSummary').addEventListener('click', exportSummary);
  $('exportSvg').addEventListener('click', exportSvg);
  $('dataFile').addEventListener('change', loadDataFile);
  $('backend').addEventListener('change', () => post({ type: 'init', backend: $('backend').value }));
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { state.plotWidth = null; if (state.records.length) drawSweep(); }, 200);
  });
  updateEstimate();
  setState('loading', 'Loading the library…');
  startWorker(onWorkerMessage);
}

main();
