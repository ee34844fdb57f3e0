/**
 * Declarative heap frames for the wasm kernel wrappers. A wrapper says what each kernel
 * argument is, and {@link runFrame} lays the frame out:
 *
 * ```ts
 * ctx.frame('gemm operands', { a: arg.in(a, m * k), b: arg.in(b, k * n), c: arg.out(c, m * n) },
 *   (p) => ctx.ex.gemm(..., p.a, ..., p.b, ..., p.c, ...));
 * ```
 *
 * One place therefore decides which operands are used in place (resident buffers, see
 * {@link Heap.resident}) and which are copied, counts the frame's float64 values and buffers
 * and reserves them all before anything is allocated (so a call that cannot fit in wasm32's
 * 4 GiB is refused with an NtkMemoryError, before any work), aligns every buffer, copies the
 * inputs in, copies the outputs back in declaration order once the body has returned, and
 * always pops the frame, also when the body throws.
 * @module
 */
import type { Heap } from './heap.js';

/** What the kernel does with an argument; see {@link arg}. */
type Kind = 'in' | 'inout' | 'copy' | 'out' | 'temp';

/** One declared argument of a frame (made by {@link arg}). */
export interface Slot {
  readonly kind: Kind;
  /** Float64 values of the argument. */
  readonly len: number;
  /** Values copied in (in, inout, copy), as a view of exactly `len` values. */
  readonly src: Float64Array | null;
  /** Where the values go back after the body (inout, copy with a destination, out). */
  readonly dst: Float64Array | null;
  /** out only: a slot whose private copy the kernel may write this output over. */
  readonly reuse: Slot | null;
}

function slot(kind: Kind, len: number, src: Float64Array | null, dst: Float64Array | null, reuse: Slot | null = null): Slot {
  return { kind, len, src: src && src.subarray(0, len), dst: dst && dst.subarray(0, len), reuse };
}

/** The kinds of frame argument: what the kernel does with it, not where it lands. */
export const arg = {
  /** Read only: a resident `src` is used in place, anything else is copied in. */
  in: (src: Float64Array, len = src.length): Slot => slot('in', len, src, null),
  /** Read and overwritten: in place when resident, else copied in and back out. */
  inout: (a: Float64Array, len = a.length): Slot => slot('inout', len, a, a),
  /**
   * A private copy of `src` the kernel may overwrite (never in place, so `src` is left alone),
   * copied back into `dst` afterwards when given.
   */
  copy: (src: Float64Array, len = src.length, dst: Float64Array | null = null): Slot => slot('copy', len, src, dst),
  /**
   * Written before it is read: in place when resident, else a buffer copied back into `dst`
   * afterwards. With `reuse`, a non-resident output goes over that slot's private copy (when
   * it has one) instead of a buffer of its own, e.g. phi over the copy of x.
   */
  out: (dst: Float64Array, len = dst.length, reuse: Slot | null = null): Slot => slot('out', len, null, dst, reuse),
  /** Scratch the kernel uses during the call (uninitialized; not copied anywhere). */
  temp: (len: number): Slot => slot('temp', len, null, null),
};

/**
 * A frame's arguments by name. A falsy entry (`dphi && arg.out(dphi)`) is an argument left
 * out: its address is 0, which kernels read as "skip".
 */
export type FrameSpec = Record<string, Slot | readonly Slot[] | null | false | undefined | 0>;

/** Byte addresses of a {@link FrameSpec}'s arguments, under the same names. */
export type Addresses<S extends FrameSpec> = { [K in keyof S]: S[K] extends readonly Slot[] ? number[] : number };

/** What a frame's body may do with wasm memory besides passing the addresses to kernels. */
export interface FrameMemory {
  /** A float64 view of the whole memory (re-made after growth; none happens inside a frame). */
  view(): Float64Array;
  /** Copies `src` into wasm memory at byte address `ptr`. */
  write(ptr: number, src: Float64Array): void;
  /** Copies `dst.length` values from byte address `ptr` into `dst`. */
  read(ptr: number, dst: Float64Array): void;
}

/**
 * Runs `body` in a frame of `heap` holding the arguments of `spec` (see the module comment).
 * @param what names the operands in the NtkMemoryError when the frame cannot fit.
 * @throws NtkMemoryError (a RangeError) before any allocation when the frame exceeds the heap's limit.
 */
export function runFrame<S extends FrameSpec, T>(heap: Heap, what: string, spec: S,
  body: (p: Addresses<S>, mem: FrameMemory) => T): T {
  const { slots, elements, buffers, resident, reuses } = layout(heap, spec);
  const mark = heap.mark();
  try {
    heap.reserve(elements, buffers, what);
    const at = new Map<Slot, number>();
    slots.forEach((s, i) => {
      at.set(s, resident(s) ? heap.offsetOf((s.src ?? s.dst)!) : reuses(s, i) ? at.get(s.reuse!)! : s.src ? heap.put(s.src) : heap.alloc(s.len));
    });
    const p = {} as Record<string, number | number[]>;
    for (const [k, v] of Object.entries(spec)) p[k] = Array.isArray(v) ? (v as readonly Slot[]).map((s) => at.get(s)!) : v ? at.get(v as Slot)! : 0;
    const result = body(p as Addresses<S>, {
      view: () => heap.view(),
      write: (ptr, src) => heap.view().set(src, ptr >>> 3),
      read: (ptr, dst) => heap.get(ptr, dst),
    });
    // heap.get does nothing for a resident destination at its own address.
    for (const s of slots) if (s.dst) heap.get(at.get(s)!, s.dst);
    return result;
  } finally {
    heap.release(mark);
  }
}

/**
 * Makes sure the frame `spec` describes could open now (growing memory for it), without
 * allocating or copying anything: for a call of several frames to fail before any work.
 * @throws NtkMemoryError as {@link runFrame}.
 */
export function reserveFrame(heap: Heap, what: string, spec: FrameSpec): void {
  const { elements, buffers } = layout(heap, spec);
  heap.reserve(elements, buffers, what);
}

/** The slots of `spec` in declaration order, which ones need a buffer, and the frame's size. */
function layout(heap: Heap, spec: FrameSpec) {
  const slots: Slot[] = [];
  for (const v of Object.values(spec)) {
    if (Array.isArray(v)) slots.push(...(v as readonly Slot[]));
    else if (v) slots.push(v as Slot);
  }
  const resident = (s: Slot) => s.kind !== 'copy' && s.kind !== 'temp' && heap.offsetOf((s.src ?? s.dst)!) >= 0;
  const copied = (s: Slot) => s.kind === 'copy' || ((s.kind === 'in' || s.kind === 'inout') && !resident(s));
  // An output over an earlier argument's private copy needs no buffer of its own.
  const reuses = (s: Slot, i: number) => {
    const j = s.reuse ? slots.indexOf(s.reuse) : -1;
    return s.kind === 'out' && !resident(s) && j >= 0 && j < i && copied(s.reuse!);
  };
  let elements = 0, buffers = 0;
  slots.forEach((s, i) => { if (!resident(s) && !reuses(s, i)) { elements += s.len; buffers++; } });
  return { slots, elements, buffers, resident, reuses };
}
