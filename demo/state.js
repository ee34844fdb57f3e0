// The page's shared state, the element lookup every module uses, and the page state mirrored
// in <body data-state> (loading, idle, running, done, cancelled, error) for scripts and tests.

export const $ = (id) => document.getElementById(id);

export const state = {
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

/** Sets the page state (<body data-state>) and the status line. */
export function setState(s, text) {
  document.body.dataset.state = s;
  $('status').textContent = text;
}
