// One point up close: the choices of finished points, the request to the worker, and K's
// heatmap beside the eigenvalue histograms of K and the infinite-width Θ.
import { spectrumPlotSpec } from '/dist/plot/spectrum.js';
import { clock, fmt } from './format.js';
import { renderInto } from './plots.js';
import { $, state } from './state.js';
import { post } from './worker-client.js';

/**
 * The inspect choices offer only points the sweep finished (after a cancel, not the widths
 * it never reached): the activations with a record, the widths of the chosen activation, the
 * seeds of the chosen width. A choice still on offer is kept; else the widest width is chosen.
 */
export function refreshInspectChoices() {
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
export function clearInspected() {
  for (const slot of ['heat', 'hist']) {
    state.views[slot]?.finalize();
    state.views[slot] = null;
  }
  $('heatmap').replaceChildren();
  $('histogram').replaceChildren();
  delete $('inspectCard').dataset.state;
  $('inspectStatus').textContent = 'Runs by itself for the widest point once the sweep ends.';
}

/** After a complete sweep: the close-up of its widest point, first activation and seed. */
export function autoInspect() {
  const s = state.spec;
  $('iAct').value = s.activations[0];
  $('iWidth').value = String(s.values[s.values.length - 1]);
  $('iSeed').value = String(s.seeds[0]);
  refreshInspectChoices();
  inspect();
}

/** Asks the worker for the chosen point up close (not while a sweep runs). */
export function inspect() {
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
  post({ type: 'inspect', config, backend: $('backend').value, data: s.data ? state.data?.X ?? null : null });
}

/** Draws the worker's close-up: K's heatmap and the eigenvalue histograms. */
export async function onInspected(msg) {
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

/** The worker could not compute the close-up. */
export function inspectFailed(message) {
  state.inspecting = false;
  $('inspect').disabled = false;
  $('inspectStatus').textContent = `Could not compute this point: ${message}`;
  $('inspectCard').dataset.state = 'error';
}
