// The declarative frame builder of the wasm wrappers (src/backend/wasm/frame.ts) on a bare
// heap, no kernels: what is copied in, what is used in place, what is copied back and in which
// order, how much is reserved, that a frame too large is refused before anything is written,
// and that the frame is popped whatever the body does.
import { describe, expect, it } from 'vitest';
import { NtkMemoryError } from '../src/errors.js';
import { arg, reserveFrame, runFrame } from '../src/backend/wasm/frame.js';
import { Heap } from '../src/backend/wasm/heap.js';

const PAGE = 65536;

function heap(shared: boolean, pages = 4, maxPages = 64): Heap {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: maxPages, shared } as WebAssembly.MemoryDescriptor);
  return new Heap(memory, 100, maxPages * PAGE);
}

const seq = (n: number, from = 1) => Float64Array.from({ length: n }, (_, i) => from + i);

describe('wasm frame builder', () => {
  it('copies inputs in, aligns every buffer to 64 bytes, and copies outputs back in declaration order', () => {
    const h = heap(false);
    const a = seq(5), b = seq(3, 10), y = seq(4, 20), out = new Float64Array(2), back = new Float64Array(3);
    const before = h.mark();
    const r = runFrame(h, 'test', { pa: arg.in(a), pb: arg.copy(b, 3, back), py: arg.inout(y, 2), po: arg.out(out), pt: arg.temp(7), skip: false }, (p, mem) => {
      for (const k of ['pa', 'pb', 'py', 'po', 'pt'] as const) expect(p[k] % 64, k).toBe(0);
      expect(p.skip).toBe(0);
      expect(new Set([p.pa, p.pb, p.py, p.po, p.pt]).size).toBe(5);
      const v = mem.view();
      expect(Array.from(v.subarray(p.pa >>> 3, (p.pa >>> 3) + 5))).toEqual([1, 2, 3, 4, 5]);
      expect(Array.from(v.subarray(p.pb >>> 3, (p.pb >>> 3) + 3))).toEqual([10, 11, 12]);
      expect(Array.from(v.subarray(p.py >>> 3, (p.py >>> 3) + 2))).toEqual([20, 21]);
      v[p.pa >>> 3] = -1; // an input's copy: never goes back
      mem.set(p.pb, Float64Array.of(7, 8, 9));
      mem.set(p.py, Float64Array.of(-20, -21));
      mem.set(p.po, Float64Array.of(30, 31));
      return 'done';
    });
    expect(r).toBe('done');
    expect(Array.from(a)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(b)).toEqual([10, 11, 12]); // a private copy: the source is left alone
    expect(Array.from(back)).toEqual([7, 8, 9]);
    expect(Array.from(y)).toEqual([-20, -21, 22, 23]); // only the declared length goes back
    expect(Array.from(out)).toEqual([30, 31]);
    expect(h.mark()).toBe(before);
  });

  it('copies outputs back in declaration order (the last one wins when two alias)', () => {
    const h = heap(false);
    const x = new Float64Array(2);
    runFrame(h, 'test', { p1: arg.out(x), p2: arg.out(x) }, (p, mem) => {
      mem.set(p.p1, Float64Array.of(1, 1));
      mem.set(p.p2, Float64Array.of(2, 2));
    });
    expect(Array.from(x)).toEqual([2, 2]);
  });

  it('passes arrays of slots as arrays of addresses', () => {
    const h = heap(false);
    runFrame(h, 'test', { works: [arg.temp(3), arg.temp(0), arg.temp(5)] }, (p) => {
      expect(p.works).toHaveLength(3);
      expect(p.works[1]! - p.works[0]!).toBe(64);
      expect(p.works[2]).toBe(p.works[1]);
    });
  });

  it('uses resident buffers in place and writes an output over an input\'s private copy when asked', () => {
    const h = heap(true);
    const r = h.resident(4)!;
    expect(r).not.toBeNull();
    r.set([1, 2, 3, 4]);
    const at = h.offsetOf(r);
    // Resident: in place, nothing copied, nothing reserved.
    runFrame(h, 'test', { pi: arg.in(r), pio: arg.inout(r), po: arg.out(r), phi: arg.out(new Float64Array(4), 4, arg.in(r)) }, (p) => {
      expect([p.pi, p.pio, p.po]).toEqual([at, at, at]);
      expect(p.phi).not.toBe(at); // its `reuse` is not a slot of this frame
    });
    // A copy is private even of a resident buffer.
    runFrame(h, 'test', { pc: arg.copy(r) }, (p, mem) => {
      expect(p.pc).not.toBe(at);
      mem.set(p.pc, seq(4, 9));
    });
    expect(Array.from(r)).toEqual([1, 2, 3, 4]);
    // Output over the copy of a non-resident input; a resident input is never written over.
    const x = seq(4), phi = new Float64Array(4);
    const xs = arg.in(x);
    runFrame(h, 'test', { px: xs, pp: arg.out(phi, 4, xs) }, (p, mem) => {
      expect(p.pp).toBe(p.px);
      mem.set(p.pp, seq(4, 50));
    });
    expect(Array.from(phi)).toEqual([50, 51, 52, 53]);
    expect(Array.from(x)).toEqual([1, 2, 3, 4]);
    const rs = arg.in(r);
    runFrame(h, 'test', { px: rs, pp: arg.out(phi, 4, rs) }, (p) => {
      expect(p.px).toBe(at);
      expect(p.pp).not.toBe(at);
    });
  });

  it('refuses a frame that cannot fit before writing anything, naming the operands', () => {
    const h = heap(false, 1, 2);
    const out = Float64Array.of(5);
    let ran = false;
    const spec = { pa: arg.in(new Float64Array(10000)), po: arg.out(out), pt: arg.temp(10000) };
    expect(() => runFrame(h, 'big operands', spec, () => { ran = true; })).toThrow(NtkMemoryError);
    expect(() => runFrame(h, 'big operands', spec, () => undefined)).toThrow(/big operands/);
    expect(() => reserveFrame(h, 'big operands', spec)).toThrow(NtkMemoryError);
    expect(ran).toBe(false);
    expect(out[0]).toBe(5);
    expect(h.bytesCommitted).toBe(PAGE); // nothing grown for a refused frame
  });

  it('reserves exactly what it then allocates, and grows memory for it', () => {
    const h = heap(false, 1, 64);
    const spec = { pa: arg.in(new Float64Array(20000)), pt: arg.temp(30000) };
    reserveFrame(h, 'test', spec);
    const grown = h.bytesCommitted;
    expect(grown).toBeGreaterThanOrEqual(100 + 50000 * 8);
    runFrame(h, 'test', spec, () => undefined);
    expect(h.bytesCommitted).toBe(grown); // the frame fitted in what reserve grew
  });

  it('pops the frame and copies nothing back when the body throws', () => {
    const h = heap(false);
    const y = seq(3);
    const before = h.mark();
    expect(() => runFrame(h, 'test', { py: arg.inout(y) }, (p, mem) => {
      mem.set(p.py, seq(3, 9));
      throw new Error('kernel failed');
    })).toThrow('kernel failed');
    expect(Array.from(y)).toEqual([1, 2, 3]);
    expect(h.mark()).toBe(before);
  });
});
