// The sweep figure (the CLI's Vega-Lite spec drawn live with Vega's View API) and the summary
// table under it, redrawn as records arrive; renderInto also draws the close-up's figures.
import { summarize } from '/dist/experiments/summary.js';
import { setupLine, sweepPlotSpec } from '/dist/plot/sweep.js';
import { columnFormat } from './format.js';
import { $, state } from './state.js';

const vega = globalThis.vega;
const vegaLite = globalThis.vegaLite;

/** Draws a Vega-Lite spec into `el`, replacing (and finalizing) the view in `state.views[slot]`. */
export async function renderInto(slot, el, vlSpec) {
  const compiled = vegaLite.compile(vlSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'svg', hover: true });
  const holder = document.createElement('div');
  await view.initialize(holder).runAsync();
  // Swap only once drawn, so a live redraw never flashes an empty box.
  el.replaceChildren(holder);
  state.views[slot]?.finalize();
  state.views[slot] = view;
  return view;
}

function plotWidth(el, reserve) {
  return Math.max(260, Math.min(720, el.clientWidth - reserve));
}

/**
 * A redraw after a record arrives: the first point of a run at once (so even a sweep faster than
 * the batching window shows its figure grow), then one redraw for the records of each 150 ms.
 */
export function scheduleDraw() {
  if (state.records.length === 1) { drawSweep(1); return; }
  if (state.drawPending) return;
  state.drawPending = true;
  setTimeout(() => { state.drawPending = false; drawSweep(); }, 150);
}

/**
 * Draws the sweep figure and table of the first `count` records (default: all there are when the
 * draw runs); calls are queued so two draws never interleave.
 */
export function drawSweep(count) {
  const draw = () => drawSweepNow(count);
  state.drawQueue = state.drawQueue.then(draw, draw);
  return state.drawQueue;
}

async function drawSweepNow(count) {
  const el = $('sweepPlot');
  // The points this draw shows: fixed now, since more may arrive while vega renders.
  const records = state.records.slice(0, count ?? state.records.length);
  const shown = records.length;
  const rows = summarize(records);
  drawTable(rows);
  if (rows.length === 0) {
    state.views.sweep?.finalize();
    state.views.sweep = null;
    el.innerHTML = state.running
      ? '<p class="placeholder">The first point is being computed…</p>'
      : '<p class="placeholder">Press <b>Run sweep</b>: λ<sub>min</sub>(<i>K</i>) against width appears here, point by point.</p>';
    return;
  }
  const s = state.spec;
  const spec = sweepPlotSpec(rows, {
    vary: s.vary,
    title: s.vary === 'nm' ? 'λmin of the NTK at initialization, n = m (Figure 1)' : `λmin of the NTK at initialization, n = ${s.n}`,
    subtitle: setupLine(s),
    width: state.plotWidth ?? plotWidth(el, el.clientWidth < 820 ? 90 : 480),
    height: 220,
  });
  // A narrow card has no room for the legends beside the panels: put them underneath.
  if (el.clientWidth < 820) spec.config = { ...spec.config, legend: { ...spec.config?.legend, orient: 'bottom', direction: 'vertical' } };
  let view = await renderInto('sweep', el, spec);
  // Legends take what they need (and grow as series appear): narrow the panels until the
  // whole figure fits the card; widen them only on the first draw of a run.
  for (let tries = 0; tries < 3; tries++) {
    const svg = el.querySelector('svg');
    const over = svg ? Number(svg.getAttribute('width')) - el.clientWidth : 0;
    const first = state.plotWidth === null;
    if (!(over > 0 || (first && over < -60))) break;
    state.plotWidth = Math.max(260, Math.min(900, spec.vconcat[0].width - over - 8));
    spec.vconcat[0].width = spec.vconcat[1].width = state.plotWidth;
    view = await renderInto('sweep', el, spec);
  }
  if (state.plotWidth === null) state.plotWidth = spec.vconcat[0].width;
  // How many points each draw showed (read by the browser tests to see the plot grow live).
  el.dataset.drawn = el.dataset.drawn ? `${el.dataset.drawn},${shown}` : String(shown);
  return view;
}

function drawTable(rows) {
  const wrap = $('tableWrap');
  if (rows.length === 0) { wrap.innerHTML = ''; return; }
  const head = ['activation', 'm', 'n', 'seeds', 'λmin(K), mean ± std', 'λmin(Θ), width ∞', 'λ1', 'bound c0·λ1'];
  const col = (key, digits) => columnFormat(rows.map((r) => r[key]), digits);
  const [mean, std, inf, l1, bound] = [col('lambda_min_mean'), col('lambda_min_std', 2), col('inf_lambda_min'), col('lambda_1'), col('bound_mean', 3)];
  const body = rows.map((r) => [
    r.activation, r.m, r.n, r.seeds,
    `${mean(r.lambda_min_mean)} ± ${std(r.lambda_min_std)}`,
    inf(r.inf_lambda_min), l1(r.lambda_1),
    r.bound_mean === null ? '–' : r.vacuous ? 'vacuous (σ0² > 2)' : bound(r.bound_mean),
  ]);
  const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  wrap.innerHTML = `<table id="summaryTable"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`
    + `<tbody>${body.map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}
