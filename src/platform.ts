/**
 * What the host offers: Node or a browser, cores, cross-origin isolation.
 * @module
 */

/** Whether we run in Node.js (not a browser or a web worker). */
export const isNode: boolean = typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;

/** Logical cores the host reports (1 when unknown). */
export async function availableCores(): Promise<number> {
  if (isNode) {
    // getBuiltinModule, not import(): no specifier for a browser bundler to externalize and warn about.
    const os = process.getBuiltinModule('node:os');
    return (os.availableParallelism?.() ?? os.cpus().length) || 1;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** Whether shared wasm memory may be created (always in Node; cross-origin isolated pages only). */
export function sharedMemoryAllowed(): boolean {
  if (isNode) return true;
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
}

/**
 * Whether this thread may block in `Atomics.wait`, as the wasm thread pool's caller does:
 * Node and Web Workers may; a page's main thread may not (browsers throw there).
 */
export function blockingWaitAllowed(): boolean {
  if (isNode) return true;
  const g = globalThis as { WorkerGlobalScope?: unknown; document?: unknown };
  return typeof g.WorkerGlobalScope !== 'undefined' && typeof g.document === 'undefined';
}

/** Decodes base64 (Node's Buffer where present, else atob). */
export function base64ToBytes(b64: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (B) return new Uint8Array(B.from(b64, 'base64'));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
