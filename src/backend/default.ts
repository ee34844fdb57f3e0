/**
 * The process-wide default backend: js until {@link init} loads another. High-level functions
 * take `{ backend }` in their options and fall back to this one.
 * @module
 */
import { createJsBackend } from './js/index.js';
import { loadBackend, type LoadedBackend, type LoadOptions } from './load.js';
import type { Backend } from './types.js';

let current: Backend | null = null;

/**
 * Loads a backend (see {@link loadBackend}) and makes it the default. Call once at start-up;
 * never throws for a missing WebAssembly (the default is then js, and `note` says why).
 */
export async function init(opts: LoadOptions = {}): Promise<LoadedBackend> {
  const loaded = await loadBackend(opts);
  current = loaded.backend;
  return loaded;
}

/** The default backend (the js backend until {@link init} is called). */
export function getBackend(): Backend {
  if (!current) current = createJsBackend();
  return current;
}

/** Makes `b` the default backend. */
export function setBackend(b: Backend): void {
  current = b;
}
