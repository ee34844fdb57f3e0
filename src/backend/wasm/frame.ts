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
  return { kind, len, src: src && first(src, len), dst: dst && first(dst, len), reuse };
}

/** The first `len` values of `a` (a itself when that is all of it: no view to make). */
function first(a: Float64Array, len: number): Float64Array {
  return len === a.length ? a : a.subarray(0, len);
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

/** What a frame's body may do with wasm memory besides passing the addresses to kernels (the heap itself). */
export interface FrameMemory {
  /** A float64 view of the whole memory (re-made after growth; none happens inside a frame). */
  view(): Float64Array;
  /** Copies `src` into wasm memory at byte address `ptr`. */
  set(ptr: number, src: Float64Array): void;
  /** Copies `dst.length` values from byte address `ptr` into `dst`. */
  get(ptr: number, dst: Float64Array): void;
}

/**
 * Runs `body` in a frame of `heap` holding the arguments of `spec` (see the module comment).
 * Kernel calls can be as short as a microsecond, so the layout is a few small arrays (no maps,
 * no closures).
 * @param what names the operands in the NtkMemoryError when the frame cannot fit.
 * @throws NtkMemoryError (a RangeError) before any allocation when the frame exceeds the heap's limit.
 */
export function runFrame<S extends FrameSpec, T>(heap: Heap, what: string, spec: S,
  body: (p: Addresses<S>, mem: FrameMemory) => T): T {
  const { slots, where, elements, buffers } = layout(heap, spec);
  const mark = heap.mark();
  try {
    heap.reserve(elements, buffers, what);
    const at: number[] = [];
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!, w = where[i]!;
      at.push(w >= 0 ? w : w === OWN ? (s.src ? heap.put(s.src) : heap.alloc(s.len)) : at[REUSE - w]!);
    }
    const p = {} as Record<string, number | number[]>;
    let i = 0;
    for (const k in spec) {
      const v = spec[k];
      if (Array.isArray(v)) p[k] = at.slice(i, (i += v.length));
      else p[k] = v ? at[i++]! : 0;
    }
    const result = body(p as Addresses<S>, heap);
    // heap.get does nothing for a resident destination at its own address.
    for (let j = 0; j < slots.length; j++) { const d = slots[j]!.dst; if (d) heap.get(at[j]!, d); }
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

/** {@link layout}'s `where` for a slot with a buffer of its own. */
const OWN = -1;
/** {@link layout}'s `where` for a slot over slot j's copy is REUSE - j. */
const REUSE = -2;

/**
 * The slots of `spec` in declaration order and where each lands: its resident byte address
 * (>= 0), {@link OWN} buffer, or over an earlier slot's private copy ({@link REUSE}); and the
 * float64 values and buffers of the frame.
 */
function layout(heap: Heap, spec: FrameSpec) {
  const slots: Slot[] = [];
  for (const k in spec) {
    const v = spec[k];
    if (Array.isArray(v)) for (const s of v as readonly Slot[]) slots.push(s);
    else if (v) slots.push(v as Slot);
  }
  const where: number[] = [];
  let elements = 0, buffers = 0;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    let w = s.kind === 'copy' || s.kind === 'temp' ? OWN : Math.max(OWN, heap.offsetOf((s.src ?? s.dst)!));
    if (w === OWN && s.reuse) {
      // An output over an earlier argument's private copy (one with values copied in) needs no buffer.
      const j = slots.indexOf(s.reuse);
      if (j >= 0 && j < i && where[j] === OWN && slots[j]!.src) w = REUSE - j;
    }
    where.push(w);
    if (w === OWN) { elements += s.len; buffers++; }
  }
  return { slots, where, elements, buffers };
}
