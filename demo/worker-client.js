// The Web Worker (worker.js) that loads the numerical library and computes: started with the
// page's message handler, restarted when a cancel cannot wait for a long point.
import { $, state } from './state.js';

let handler = null;

/** Starts the worker; its messages go to `onMessage` (a start failure as an `error` message). */
export function startWorker(onMessage) {
  handler = onMessage;
  const w = new Worker('/demo/worker.js', { type: 'module' });
  w.onmessage = (e) => handler(e.data);
  w.onerror = (e) => handler({ type: 'error', message: `the worker failed to start: ${e.message || 'see the browser console'}` });
  w.postMessage({ type: 'init', backend: $('backend').value });
  state.worker = w;
}

/** Replaces the worker by a fresh one with the same message handler. */
export function restartWorker() {
  state.worker.terminate();
  startWorker(handler);
}

/** Sends a message to the worker. */
export function post(msg) {
  state.worker.postMessage(msg);
}
