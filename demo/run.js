// A sweep's run: Run reads the form and sends the spec to the worker, progress moves the bar,
// the end (complete or cancelled) settles the page; Cancel stops the worker between points or
// replaces it.
import { autoInspect, clearInspected, refreshInspectChoices } from './inspect.js';
import { setExportsEnabled } from './exports.js';
import { clock } from './format.js';
import { readSpec, showFormError } from './form.js';
import { drawSweep } from './plots.js';
import { $, setState, state } from './state.js';
import { post, restartWorker } from './worker-client.js';

/** Run sweep: the form as a spec, sent to the worker (a bad form shows its error instead). */
export function run(ev) {
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
  post({ type: 'init', backend: $('backend').value });
  post({ type: 'run', spec, backend: $('backend').value, data: state.data?.X ?? null });
}

/** The worker's progress: the bar (by cost), the point in progress, elapsed and left. */
export function onProgress(p) {
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

/** The sweep ended, complete or cancelled: what finished stays and can be exported. */
export function onEnd(status, elapsed) {
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

/** Cancel: the worker stops between points; after 400 ms it is replaced instead. */
export function cancel() {
  if (!state.running) return;
  $('cancel').disabled = true;
  state.cancelling = true;
  $('status').textContent = 'Cancelling…';
  $('progressText').textContent = '\u00a0';
  post({ type: 'cancel' });
  // The worker stops between points; a long point is not waited for: the worker is replaced.
  state.cancelTimer = setTimeout(() => {
    if (!state.running) return;
    restartWorker();
    onEnd('aborted', (performance.now() - state.startedAt) / 1000);
  }, 400);
}

/** The worker failed: the page says so and can run again. */
export function fail(text) {
  state.running = false;
  state.cancelling = false;
  clearTimeout(state.cancelTimer);
  setState('error', `Error: ${text}`);
  $('run').disabled = false;
  $('cancel').disabled = true;
}
