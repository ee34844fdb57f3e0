// Per-instance scratch space. Globals are per instance, so each thread's instance of the
// module owns its own workspace inside the shared memory; JS reserves it once at load.
export let workspacePtr: usize = 0;
export let workspaceBytes: usize = 0;

/** Bytes of workspace each thread needs (GEMM packing panels and kernel tiles). */
export const WORKSPACE_BYTES: usize = 8 << 20;

/** Called once per instance by the loader with a region of `bytes` bytes it owns. */
export function setWorkspace(ptr: usize, bytes: usize): void {
  workspacePtr = ptr;
  workspaceBytes = bytes;
}

/** How many bytes of workspace {@link setWorkspace} must be given. */
export function workspaceSize(): usize {
  return WORKSPACE_BYTES;
}

/** First byte after the module's static data: JS allocates above it. */
export function heapBase(): usize {
  return __heap_base;
}
