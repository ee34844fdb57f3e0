/**
 * Property tests of the .npy writer and reader: every 1-D and 2-D array, in float64 and
 * float32, in C and Fortran order, reads back as written (bit for bit in float64; as its
 * float32 rounding in float32), with numpy's 64-byte header alignment.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { npyToMatrix, readNpy, writeNpy } from '../src/io/npy.js';

const shapes = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 60 })).map(([n]) => [n]),
  fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })).map(([r, c]) => [r, c]),
);
/** Any float64, the specials included (NaN payloads aside: JS may canonicalize them). */
const values = fc.double();

const arrays = shapes.chain((shape) => fc.record({
  shape: fc.constant(shape),
  data: fc.array(values, { minLength: shape.reduce((p, x) => p * x, 1), maxLength: shape.reduce((p, x) => p * x, 1) }),
  fortranOrder: fc.boolean(),
}));

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('.npy round trips', () => {
  it('float64: shape, order and every value (NaN, -0, infinities, subnormals) come back exactly', () => {
    fc.assert(fc.property(arrays, ({ shape, data, fortranOrder }) => {
      const a = { shape, data: Float64Array.from(data), dtype: 'f8' as const, fortranOrder };
      const bytes = writeNpy(a, { fortranOrder });
      const headerEnd = bytes.length - data.length * 8;
      expect(headerEnd % 64).toBe(0);
      const r = readNpy(bytes);
      expect(r.shape).toEqual(shape);
      expect(r.dtype).toBe('f8');
      expect(r.fortranOrder).toBe(fortranOrder && shape.length === 2);
      expect(sameBits(r.data, a.data)).toBe(true);
      if (shape.length === 2) expect(npyToMatrix(r)).toMatchObject({ rows: shape[0], cols: shape[1] });
    }), { numRuns: 200 });
  });

  it('float32: the values come back as their float32 rounding', () => {
    fc.assert(fc.property(arrays, ({ shape, data, fortranOrder }) => {
      const a = { shape, data: Float64Array.from(data), dtype: 'f8' as const, fortranOrder };
      const r = readNpy(writeNpy(a, { dtype: 'f4', fortranOrder }));
      expect(r.shape).toEqual(shape);
      expect(r.dtype).toBe('f4');
      expect(sameBits(r.data, Float64Array.from(data, Math.fround))).toBe(true);
    }), { numRuns: 200 });
  });

  it('a Fortran-order file stores the transpose of the C-order bytes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (r, c) => {
      const data = Float64Array.from({ length: r * c }, (_, i) => i + 0.5);
      const cBytes = writeNpy({ rows: r, cols: c, data });
      const fBytes = writeNpy({ rows: r, cols: c, data }, { fortranOrder: true });
      const body = (b: Uint8Array) => new Float64Array(b.slice(b.length - r * c * 8).buffer);
      const cb = body(cBytes), fb = body(fBytes);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) expect(fb[i + j * r]).toBe(cb[i * c + j]);
    }), { numRuns: 30 });
  });
});
