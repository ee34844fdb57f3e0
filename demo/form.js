// The setup form: the activation boxes, the form read into a sweep spec (the library's
// SweepSpec, validated by the library), the user's data file, and the size estimate.
import { activationNames } from '/dist/activations.js';
import { dataSource, parseDataFile } from '/dist/io/data-file.js';
import { parseValues, validateSpec } from '/dist/experiments/grid.js';
import { baseSpec } from '/dist/experiments/presets.js';
import { $, state } from './state.js';

/** One checkbox per activation of the library (tanh and sigmoid ticked, as Figure 1). */
export function buildActivationBoxes() {
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
export function readSpec() {
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
export async function loadDataFile() {
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

/** The size of the sweep the form describes, or the form's error. */
export function updateEstimate() {
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

/** Shows the error under the form (null hides it). */
export function showFormError(text) {
  $('formError').hidden = !text;
  $('formError').textContent = text ?? '';
}
