/**
 * The JS-side allocator of wasm linear memory: a stack of frames above the module's static
 * data and the per-thread workspaces. Every kernel call opens a frame (laid out by ./frame.ts),
 * copies its inputs in, runs, copies its outputs out and pops the frame, so nothing leaks
 * between calls. Memory grows on demand (it never shrinks: wasm cannot), and a frame that
 * cannot fit in wasm32's 4 GiB is refused with an {@link NtkMemoryError} before anything is
 * allocated.
 *
 * Resident buffers ({@link Heap.resident}, shared memory only) sit below the frames: Float64Array
 * views of linear memory that a caller keeps between kernel calls (the empirical NTK's layer
 * buffers). The wrappers pass them to kernels by address instead of copying them in and out
 * (./frame.ts decides, for every argument). A shared memory's buffer is never detached by
 * growth, so the views stay valid.
 * @module
 */
import { NtkMemoryError } from '../../errors.js';

const PAGE = 65536;
/** wasm32's address space: 65536 pages of 64 KiB. */
export const WASM_MAX_BYTES = 65536 * PAGE;
const ALIGN = 64;
/** Most buffers one kernel call's frame holds (eigh on 8 threads: 14), each padded to ALIGN. */
const MAX_FRAME_BUFFERS = 16;

/** Bump allocator over a `WebAssembly.Memory`. */
export class Heap {
  readonly memory: WebAssembly.Memory;
  /** First byte this heap may hand out. */
  readonly base: number;
  /** Bytes of linear memory this heap may grow to (4 GiB unless the backend was given less). */
  readonly limit: number;
  /** Frames start here; [base, floor) holds resident buffers. */
  private floor: number;
  private top: number;
  private f64: Float64Array;
  /** The buffer objects of this memory that resident views were made on. */
  private readonly ours = new WeakSet<ArrayBufferLike>();
  private readonly shared: boolean;

  constructor(memory: WebAssembly.Memory, base: number, limit = WASM_MAX_BYTES) {
    this.memory = memory;
    this.limit = limit;
    this.base = align(base);
    this.floor = this.base;
    this.top = this.base;
    this.ensure(this.base);
    this.f64 = new Float64Array(memory.buffer);
    this.shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  }

  /**
   * A resident buffer of `elements` float64 values (zeroed on first use of the memory, else
   * holding old data), or null when memory is not shared (growth would detach the view) or the
   * buffer does not fit. Only between kernel calls (no frame open).
   */
  resident(elements: number): Float64Array | null {
    if (!this.shared || this.top !== this.floor) return null;
    const end = align(this.floor + elements * 8);
    if (end > this.limit) return null;
    this.ensure(end);
    const p = this.floor;
    this.floor = end;
    this.top = end;
    const buf = this.memory.buffer;
    this.ours.add(buf);
    return new Float64Array(buf, p, elements);
  }

  /** Frees every resident buffer (their views must not be used afterwards). */
  freeResident(): void {
    if (this.top !== this.floor) throw new Error('freeResident inside a kernel call');
    this.floor = this.base;
    this.top = this.base;
  }

  /** Byte offset of `a` when it is a resident view of this memory, else -1. */
  offsetOf(a: Float64Array): number {
    return this.ours.has(a.buffer) ? a.byteOffset : -1;
  }

  /** Bytes a frame may still take (the ceiling less what is in use). */
  get bytesFree(): number {
    return this.limit - this.top;
  }

  /**
   * Float64 values one frame may still hold: {@link bytesFree} less the padding of its
   * buffers, so a call whose values fit this is never refused by {@link reserve}.
   */
  get elementsFree(): number {
    return Math.max(0, Math.floor((this.bytesFree - MAX_FRAME_BUFFERS * ALIGN) / 8));
  }

  /** Current size of linear memory in bytes (its high-water mark: it never shrinks). */
  get bytesCommitted(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes below the frames that resident buffers hold. */
  get residentBytes(): number {
    return this.floor - this.base;
  }

  /** The position to return to with {@link release}. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated since `mark`. */
  release(mark: number): void {
    this.top = mark;
  }

  /**
   * Makes sure `elements` float64 values (plus alignment for `buffers` allocations) can be
   * allocated from the current top, growing memory once if needed.
   * @throws NtkMemoryError (a RangeError) naming `what` when they cannot fit in 4 GiB.
   */
  reserve(elements: number, buffers: number, what: string): void {
    const bytes = elements * 8 + buffers * ALIGN;
    const need = this.top + bytes;
    if (need > this.limit) {
      throw new NtkMemoryError(what, bytes, this.bytesFree,
        'use smaller sizes (n, widths) or the js backend (backend: "js"), which is not limited to 4 GiB');
    }
    this.ensure(need);
  }

  /** Allocates `elements` float64 values (uninitialized); returns the byte offset. */
  alloc(elements: number): number {
    const p = this.top;
    const end = align(p + elements * 8);
    this.ensure(end);
    this.top = end;
    return p;
  }

  /** Allocates and copies `src` in. */
  put(src: Float64Array): number {
    const p = this.alloc(src.length);
    this.view().set(src, p >>> 3);
    return p;
  }

  /** Copies `src` into wasm memory at byte offset `ptr`. */
  set(ptr: number, src: Float64Array): void {
    this.view().set(src, ptr >>> 3);
  }

  /** Copies `dst.length` values out of wasm memory from byte offset `ptr` (nothing to do when dst is resident at ptr). */
  get(ptr: number, dst: Float64Array): void {
    if (this.offsetOf(dst) === ptr) return;
    dst.set(this.view().subarray(ptr >>> 3, (ptr >>> 3) + dst.length));
  }

  /** A float64 view of the whole memory, re-created if memory grew. */
  view(): Float64Array {
    if (this.f64.buffer !== this.memory.buffer || this.f64.byteLength !== this.memory.buffer.byteLength) {
      this.f64 = new Float64Array(this.memory.buffer);
    }
    return this.f64;
  }

  private ensure(endByte: number): void {
    const have = this.memory.buffer.byteLength;
    if (endByte <= have) return;
    // Grow geometrically (at least 1/8 more) so a sequence of growing calls stays linear.
    const want = Math.min(this.limit, Math.max(endByte, have + (have >>> 3)));
    this.memory.grow(Math.ceil((want - have) / PAGE));
  }
}

function align(p: number): number {
  return Math.ceil(p / ALIGN) * ALIGN;
}
