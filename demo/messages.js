// The worker's messages (worker.js), each handed to the module it concerns.
import { setExportsEnabled } from './exports.js';
import { inspectFailed, onInspected, refreshInspectChoices } from './inspect.js';
import { scheduleDraw } from './plots.js';
import { fail, onEnd, onProgress } from './run.js';
import { $, setState, state } from './state.js';

/** Dispatches one message of the worker. */
export function onWorkerMessage(msg) {
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
      if (msg.what === 'inspect') inspectFailed(msg.message);
      else fail(msg.message);
      break;
    }
  }
}
