// The demo page: reads the form into a sweep spec (the library's SweepSpec, validated by the
// library), runs it in a Web Worker (worker.js), draws the CLI's Vega-Lite specs live with
// Vega's View API, and exports what it computed. The page's state is mirrored in
// <body data-state> (loading, idle, running, done, cancelled, error) for scripts and tests.
// The page imports only the light, pure modules it needs (form checks, summary, CSV, plot
// specs); the numerical library is loaded by the worker alone, through the public entries.
import { activationNames } from '/dist/activations.js';
import { dataSource, parseDataFile } from '/dist/io/data-file.js';
import { parseValues, validateSpec } from '/dist/experiments/grid.js';
import { baseSpec } from '/dist/experiments/presets.js';
import { flattenRecord, summarize, toCsv } from '/dist/experiments/summary.js';
import { spectrumPlotSpec } from '/dist/plot/spectrum.js';
import { setupLine, sweepPlotSpec } from '/dist/plot/sweep.js';

const $ = (id) => document.getElementById(id);
const vega = globalThis.vega;
const vegaLite = globalThis.vegaLite;

const state = {
  worker: null,
  /** The user's data file ({ name, X }) from the file picker, or null for Gaussian draws. */
  data: null,
  /** The input dimension in the form before a data file set it. */
  dBefore: '100',
  note: '',
  spec: null,
  records: [],
  running: false,
  startedAt: 0,
  views: { sweep: null, heat: null, hist: null },
  drawPending: false,
  drawQueue: Promise.resolve(),
  /** Panel width that makes the sweep figure fit its card (found on the first draw). */
  plotWidth: null,
  inspecting: false,
  /** Cancel was pressed: progress messages still in flight must not overwrite the page. */
  cancelling: false,
  /** Points in the running sweep (from the worker's progress messages). */
  total: 0,
  cancelTimer: 0,
};

// ---------------------------------------------------------------- form

function buildActivationBoxes() {
  const box = $('activations');
  for (const name of activationNames) {
    const label = document.createElement('label');
    label.className = 'check inline';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = 'activation';
    input.value = name;
    input.checked = name === 'tanh' || name === 'sigmoid';
    input.addEventListener('change', updateEstimate);
    label.append(input, ' ', name);
    box.append(label);
  }
}

const num = (id) => Number($(id).value);

/** The form as a sweep spec; throws the library's NtkInputError (or one of ours) on bad input. */
function readSpec() {
  const from = num('wFrom'), to = num('wTo'), step = num('wStep');
  for (const [name, id] of [['width from', 'wFrom'], ['width to', 'wTo'], ['width step', 'wStep']]) {
    const v = num(id);
    if (!Number.isInteger(v) || v < 1) throw inputError(name, `must be a whole number ≥ 1, got ${$(id).value || 'nothing'}`);
  }
  if (to < from) throw inputError('width to', `is below "from" (${to} < ${from})`);
  const values = parseValues('widths', `${from}:${to}:${step}`);
  if (values.length > 200) throw inputError('width step', `gives ${values.length} widths; use at most 200 (a larger step)`);
  const activations = [...document.querySelectorAll('input[name=activation]:checked')].map((i) => i.value);
  if (activations.length === 0) throw inputError('activations', 'none chosen: tick at least one');
  const seedCount = num('seeds');
  if (!Number.isInteger(seedCount) || seedCount < 1 || seedCount > 50) throw inputError('weight seeds', 'must be a whole number from 1 to 50');
  const nEqualsM = $('nEqualsM').checked;
  const mMax = values[values.length - 1], nMax = nEqualsM ? mMax : num('n'), L = num('depth'), d = num('d');
  // The weights (d m + (L - 1) m^2), K and Theta (n^2 each) in float64, plus the eigensolver's
  // copy: past ~2 GB a browser tab runs out of memory long before the wasm heap's 4 GiB.
  const bytes = 8 * (d * mMax + Math.max(0, L - 1) * mMax * mMax + 3 * nMax * nMax);
  if (Number.isFinite(bytes) && bytes > 2e9) {
    throw inputError('width to', `needs about ${(bytes / 1e9).toFixed(1)} GB of memory at m = ${mMax}, n = ${nMax}: too much for a browser tab; use the ntk command line for such sizes`);
  }
  const data = state.data;
  const spec = baseSpec('figure1-browser', {
    vary: nEqualsM ? 'nm' : 'width',
    values,
    activations,
    seeds: Array.from({ length: seedCount }, (_, i) => i),
    dataSeed: num('dataSeed'),
    d: num('d'),
    n: nEqualsM ? values[values.length - 1] : num('n'),
    width: values[values.length - 1],
    depth: num('depth'),
    sigma0: num('sigma0'),
    normalize: $('normalize').checked,
    // The user's file: its columns are d, and the library checks every n fits in its rows.
    ...(data ? { data: dataSource(data.name, data.X), d: data.X.cols } : {}),
  });
  return validateSpec(spec);
}

/** Reads the picked file with the library's parser (.npy or CSV); a bad file shows its error. */
async function loadDataFile() {
  const file = $('dataFile').files?.[0];
  if (state.data) $('d').value = state.dBefore; // back to the dimension typed before the file
  state.data = null;
  $('d').disabled = false;
  if (file) {
    try {
      const X = parseDataFile(new Uint8Array(await file.arrayBuffer()), file.name);
      state.data = { name: file.name, X };
      state.dBefore = $('d').value;
      $('d').value = String(X.cols);
      $('d').disabled = true;
      $('dataInfo').textContent = `${file.name}: ${X.rows} rows × ${X.cols} columns (d = ${X.cols}); n may be at most ${X.rows}`;
    } catch (e) {
      $('dataInfo').textContent = '';
      showFormError(e.message);
      return;
    }
  }
  updateEstimate();
}

function inputError(parameter, problem) {
  const e = new Error(`${parameter}: ${problem}`);
  e.parameter = parameter;
  return e;
}

function updateEstimate() {
  $('nRow').hidden = $('nEqualsM').checked;
  try {
    const s = readSpec();
    const pts = s.values.length * s.activations.length * s.seeds.length;
    const big = s.vary === 'nm' ? s.values[s.values.length - 1] : Math.max(s.n, s.values[s.values.length - 1]);
    $('estimate').textContent = `${pts} points (${s.values.length} widths × ${s.activations.length} activation${s.activations.length > 1 ? 's' : ''} × ${s.seeds.length} seed${s.seeds.length > 1 ? 's' : ''}); the largest K is ${big} × ${big}.`
      + (big > 1500 ? ' Large widths take a while in a browser: start small.' : '');
    showFormError(null);
  } catch (e) {
    $('estimate').textContent = '';
    showFormError(e.message);
  }
}

function showFormError(text) {
  $('formError').hidden = !text;
  $('formError').textContent = text ?? '';
}

// ---------------------------------------------------------------- worker

function startWorker() {
  const w = new Worker('/demo/worker.js', { type: 'module' });
  w.onmessage = (e) => onWorkerMessage(e.data);
  w.onerror = (e) => fail(`the worker failed to start: ${e.message || 'see the browser console'}`);
  w.postMessage({ type: 'init', backend: $('backend').value });
  state.worker = w;
}

function onWorkerMessage(msg) {
  switch (msg.type) {
    case 'ready': {
      state.note = msg.note;
      $('backendNote').textContent = `${msg.note} · ${msg.isolated ? 'cross-origin isolated' : 'not cross-origin isolated'}`;
      if (!state.running) setState('idle', 'Ready. Choose a setup and press Run sweep.');
      $('run').disabled = state.running;
      break;
    }
    case 'progress': onProgress(msg); break;
    case 'record': {
      state.records.push(msg.record);
      scheduleDraw();
      setExportsEnabled(true);
      refreshInspectChoices();
      break;
    }
    case 'end': onEnd(msg.status, msg.elapsed); break;
    case 'inspected': onInspected(msg); break;
    case 'error': {
      if (msg.what === 'inspect') {
        state.inspecting = false;
        $('inspect').disabled = false;
        $('inspectStatus').textContent = `Could not compute this point: ${msg.message}`;
        $('inspectCard').dataset.state = 'error';
      } else {
        fail(msg.message);
      }
      break;
    }
  }
}

function fail(text) {
  state.running = false;
  state.cancelling = false;
  clearTimeout(state.cancelTimer);
  setState('error', `Error: ${text}`);
  $('run').disabled = false;
  $('cancel').disabled = true;
}

function setState(s, text) {
  document.body.dataset.state = s;
  $('status').textContent = text;
}

// ---------------------------------------------------------------- running

function run(ev) {
  ev.preventDefault();
  if (state.running) return;
  let spec;
  try {
    spec = readSpec();
  } catch (e) {
    showFormError(e.message);
    return;
  }
  state.spec = spec;
  state.records = [];
  state.running = true;
  state.cancelling = false;
  state.total = 0;
  state.startedAt = performance.now();
  setExportsEnabled(false);
  $('run').disabled = true;
  $('cancel').disabled = false;
  $('progress').value = 0;
  $('progressText').textContent = '\u00a0';
  refreshInspectChoices();
  clearInspected();
  delete $('sweepPlot').dataset.drawn;
  state.plotWidth = null;
  drawSweep();
  setState('running', 'Running…');
  // The backend choice may have changed since the worker loaded one: the worker keeps both.
  state.worker.postMessage({ type: 'init', backend: $('backend').value });
  state.worker.postMessage({ type: 'run', spec, backend: $('backend').value, data: state.data?.X ?? null });
}

function onProgress(p) {
  if (!state.running || state.cancelling) return;
  state.total = p.total;
  const frac = p.costTotal > 0 ? p.costDone / p.costTotal : 0;
  $('progress').value = p.phase === 'end' ? 1 : frac;
  const elapsed = p.elapsed;
  const eta = frac > 0.02 && p.phase !== 'end' ? elapsed * (1 - frac) / frac : null;
  const pt = p.point;
  const where = pt && p.phase === 'point'
    ? `computing ${pt.activation}, m = ${pt.m}${pt.n === pt.m ? ' = n' : `, n = ${pt.n}`}, seed ${pt.seed}`
    : '';
  $('status').textContent = `Running: ${p.finished} of ${p.total} points done`;
  $('progressText').textContent = [where, `elapsed ${clock(elapsed)}`, eta !== null ? `about ${clock(eta)} left` : ''].filter(Boolean).join(' · ');
}

function onEnd(status, elapsed) {
  clearTimeout(state.cancelTimer);
  state.running = false;
  state.cancelling = false;
  $('run').disabled = false;
  $('cancel').disabled = true;
  drawSweep();
  refreshInspectChoices();
  const n = state.records.length;
  if (status === 'complete') {
    $('progress').value = 1;
    setState('done', `Done: ${n} points in ${clock(elapsed)}.`);
    $('progressText').textContent = 'Export the numbers under the figure, or look at one point up close at the bottom of the page.';
    autoInspect();
  } else {
    // No leftover "computing ..., about ... left" line and no bar claiming more than finished.
    const total = Math.max(state.total, n);
    $('progress').value = total > 0 ? n / total : 0;
    setState('cancelled', `Cancelled after ${n} point${n === 1 ? '' : 's'} (${clock(elapsed)}); what finished is kept and can be exported.`);
    $('progressText').textContent = `Stopped with ${n} of ${total} points finished.`
      + (n > 0 ? ' Any finished point can be looked at up close at the bottom of the page.' : '');
    if (!state.inspecting) $('inspectStatus').textContent = n > 0 ? 'Choose a finished point and press Show.' : 'No point finished: nothing to show.';
  }
}

function cancel() {
  if (!state.running) return;
  $('cancel').disabled = true;
  state.cancelling = true;
  $('status').textContent = 'Cancelling…';
  $('progressText').textContent = '\u00a0';
  state.worker.postMessage({ type: 'cancel' });
  // The worker stops between points; a long point is not waited for: the worker is replaced.
  state.cancelTimer = setTimeout(() => {
    if (!state.running) return;
    state.worker.terminate();
    startWorker();
    onEnd('aborted', (performance.now() - state.startedAt) / 1000);
  }, 400);
}

function clock(s) {
  if (!Number.isFinite(s)) return '–';
  if (s < 10) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60), r = Math.round(s % 60);
  return m > 0 ? `${m} min ${String(r).padStart(2, '0')} s` : `${r} s`;
}

// ---------------------------------------------------------------- plots

async function renderInto(slot, el, vlSpec) {
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

function scheduleDraw() {
  if (state.drawPending) return;
  state.drawPending = true;
  setTimeout(() => { state.drawPending = false; drawSweep(); }, 150);
}

/** Draws the sweep figure and table; calls are queued so two draws never interleave. */
function drawSweep() {
  state.drawQueue = state.drawQueue.then(drawSweepNow, drawSweepNow);
  return state.drawQueue;
}

async function drawSweepNow() {
  const el = $('sweepPlot');
  // The points this draw shows: counted now, since more may arrive while vega renders.
  const shown = state.records.length;
  const rows = summarize(state.records);
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

function fmt(x, digits = 4) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toPrecision(digits) : '–';
}

/**
 * One number format for a whole table column (as for a plot axis): toPrecision's decimals
 * while every value of the column reads well that way, else exponents throughout (never
 * 0.00000469 in the row above 8.28e-9).
 */
function columnFormat(values, digits = 4) {
  const decimal = values.every((x) => typeof x !== 'number' || !Number.isFinite(x) || x === 0 || (Math.abs(x) >= 1e-4 && Math.abs(x) < 1e5));
  return (x) => (typeof x === 'number' && Number.isFinite(x) ? (decimal ? x.toPrecision(digits) : x.toExponential(digits - 1)) : '–');
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

// ---------------------------------------------------------------- one point

/**
 * The inspect choices offer only points the sweep finished (after a cancel, not the widths
 * it never reached): the activations with a record, the widths of the chosen activation, the
 * seeds of the chosen width. A choice still on offer is kept; else the widest width is chosen.
 */
function refreshInspectChoices() {
  const fill = (id, vals, fallback) => {
    const keep = $(id).value;
    const opts = vals.map(String);
    if (opts.join() !== [...$(id).options].map((o) => o.value).join()) {
      $(id).replaceChildren(...opts.map((v) => new Option(v, v)));
    }
    // While the sweep runs the choice follows it (the widest width so far); afterwards the
    // reader's choice stays as long as it exists.
    $(id).value = !state.running && opts.includes(keep) ? keep : fallback(opts) ?? '';
  };
  const recs = state.records;
  const uniq = (xs) => [...new Set(xs)];
  fill('iAct', uniq(recs.map((r) => r.activation)), (o) => o[0]);
  const ofAct = recs.filter((r) => r.activation === $('iAct').value);
  fill('iWidth', uniq(ofAct.map((r) => r.m)).sort((a, b) => a - b), (o) => o[o.length - 1]);
  const ofWidth = ofAct.filter((r) => String(r.m) === $('iWidth').value);
  fill('iSeed', uniq(ofWidth.map((r) => r.seed)).sort((a, b) => a - b), (o) => o[0]);
  $('inspect').disabled = recs.length === 0 || state.inspecting;
}

/** Empties the close-up card: its K and spectra belong to a sweep that is no longer shown. */
function clearInspected() {
  for (const slot of ['heat', 'hist']) {
    state.views[slot]?.finalize();
    state.views[slot] = null;
  }
  $('heatmap').replaceChildren();
  $('histogram').replaceChildren();
  delete $('inspectCard').dataset.state;
  $('inspectStatus').textContent = 'Runs by itself for the widest point once the sweep ends.';
}

function autoInspect() {
  const s = state.spec;
  $('iAct').value = s.activations[0];
  $('iWidth').value = String(s.values[s.values.length - 1]);
  $('iSeed').value = String(s.seeds[0]);
  refreshInspectChoices();
  inspect();
}

function inspect() {
  const s = state.spec;
  if (!s || state.inspecting) return;
  if (state.running) { $('inspectStatus').textContent = 'Wait for the sweep to finish (or cancel it).'; return; }
  const m = Number($('iWidth').value);
  const config = {
    activation: $('iAct').value, m, n: s.vary === 'nm' ? m : s.n, depth: s.depth, d: s.d,
    sigma0: s.sigma0, nu0sq: s.nu0sq, sv2: s.sv2, vLaw: s.vLaw, normalize: s.normalize,
    seed: Number($('iSeed').value), dataSeed: s.dataSeed,
  };
  state.inspecting = true;
  $('inspect').disabled = true;
  $('inspectCard').dataset.state = 'running';
  $('inspectStatus').textContent = `Computing K, all its eigenvalues and Θ's for ${config.activation}, m = ${m}, n = ${config.n}, seed ${config.seed}…`;
  state.worker.postMessage({ type: 'inspect', config, backend: $('backend').value, data: s.data ? state.data?.X ?? null : null });
}

async function onInspected(msg) {
  // A close-up that arrives after a new sweep started belongs to the old one: drop it.
  if (state.running) {
    state.inspecting = false;
    refreshInspectChoices();
    return;
  }
  const c = msg.config;
  const heatEl = $('heatmap'), histEl = $('histogram');
  const half = Math.max(300, (heatEl.parentElement.clientWidth - 24) / 2);
  const side = Math.max(200, Math.min(340, half - 110));
  const heat = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: msg.block < msg.n ? `K, its first ${msg.block} of ${msg.n} rows and columns` : `K (${msg.n} × ${msg.n})`,
      subtitle: `${c.activation}, m = ${c.m}, n = ${c.n}, seed ${c.seed}`, anchor: 'start',
    },
    background: 'white', padding: 12, width: side, height: side,
    data: { values: msg.cells },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'j', type: 'ordinal', title: 'sample j', axis: { values: ticks(msg.block), labelAngle: 0 } },
      y: { field: 'i', type: 'ordinal', title: 'sample i', axis: { values: ticks(msg.block) } },
      color: { field: 'k', type: 'quantitative', title: 'K[i, j]', scale: { scheme: 'viridis' } },
      tooltip: [{ field: 'i' }, { field: 'j' }, { field: 'k', title: 'K[i, j]', format: '.5g' }],
    },
    config: { view: { stroke: null }, axis: { domain: false, ticks: false } },
  };
  const hist = spectrumPlotSpec(msg.bins, {
    title: 'Eigenvalues of K and of the infinite-width Θ',
    subtitle: 'same data; dashed lines: the smallest eigenvalue of each',
    rules: [
      { matrix: 'K (width m)', value: msg.eigK.min, label: 'λmin(K)' },
      { matrix: 'Θ (infinite width)', value: msg.eigTheta.min, label: 'λmin(Θ)' },
    ],
    width: Math.max(260, half - 60), height: side,
  });
  try {
    await renderInto('heat', heatEl, heat);
    await renderInto('hist', histEl, hist);
    const dropped = Object.entries(msg.nonPositive).filter(([, k]) => k > 0).map(([name, k]) => `${k} eigenvalue(s) of ${name} ≤ 0 left out of the log axis`);
    $('inspectStatus').textContent = `${c.activation}, m = ${c.m}, n = ${c.n}, seed ${c.seed}: λmin(K) = ${fmt(msg.eigK.min)}, λmax(K) = ${fmt(msg.eigK.max)}, λmin(Θ) = ${fmt(msg.eigTheta.min)} (${clock(msg.seconds)})${dropped.length ? '; ' + dropped.join('; ') : ''}.`;
    $('inspectCard').dataset.state = 'done';
  } finally {
    state.inspecting = false;
    $('inspect').disabled = false;
  }
}

function ticks(b) {
  const step = b <= 16 ? 1 : b <= 32 ? 4 : 8;
  const out = [];
  for (let i = 0; i < b; i += step) out.push(i);
  return out;
}

// ---------------------------------------------------------------- exports

function setExportsEnabled(on) {
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

function exportJson() {
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

async function exportSvg() {
  if (!state.views.sweep) return;
  download('figure.svg', await state.views.sweep.toSVG(), 'image/svg+xml');
}

// ---------------------------------------------------------------- start

function main() {
  if (!vega || !vegaLite) {
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
  $('exportCsv').addEventListener('click', () => download('results.csv', toCsv(state.records.map(flattenRecord)), 'text/csv'));
  $('exportSummary').addEventListener('click', () => download('summary.csv', toCsv(summarize(state.records)), 'text/csv'));
  $('exportSvg').addEventListener('click', exportSvg);
  $('dataFile').addEventListener('change', loadDataFile);
  $('backend').addEventListener('change', () => state.worker.postMessage({ type: 'init', backend: $('backend').value }));
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { state.plotWidth = null; if (state.records.length) drawSweep(); }, 200);
  });
  updateEstimate();
  setState('loading', 'Loading the library…');
  startWorker();
}

main();
