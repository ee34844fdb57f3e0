import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NtkInputError } from '../src/errors.js';
import { npyToMatrix, readNpy, readNpyFile, writeNpy, writeNpyFile } from '../src/io/npy.js';
import { FIXTURES, readFixture } from './helpers/fixtures.js';

const DATA = resolve(process.cwd(), 'test/data/npy');
const A = [1.5, -2.0, 3.25, 4.0, 5.5, -6.125];
const file = (f: string) => readFileSync(join(DATA, f));

describe('readNpy on files written by numpy', () => {
  for (const f of ['c_f8_2x3.npy', 'f_f8_2x3.npy', 'c_f4_2x3.npy', 'f_f4_2x3.npy', 'v2_f8_2x3.npy']) {
    it(`${f} reads as the 2 x 3 matrix in C order`, () => {
      const a = readNpy(file(f), f);
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual(A); // every value is exact in float32 too
      expect(a.fortranOrder).toBe(f.startsWith('f_'));
      expect(a.dtype).toBe(f.includes('f4') ? 'f4' : 'f8');
    });
  }
  it('reads a 1-D vector, extreme values exactly, as an n x 1 matrix', () => {
    const a = readNpy(file('vec_f8_5.npy'));
    expect(a.shape).toEqual([5]);
    expect(Array.from(a.data)).toEqual([0.1, 0.2, 0.3, 1e-300, -1e300]);
    const m = npyToMatrix(a);
    expect([m.rows, m.cols]).toEqual([5, 1]);
  });
  it('reads an empty 0 x 3 array', () => {
    const a = readNpy(file('empty_f8_0x3.npy'));
    expect(a.shape).toEqual([0, 3]);
    expect(a.data.length).toBe(0);
  });
  it('accepts an ArrayBuffer as well as a Uint8Array', () => {
    const b = file('c_f8_2x3.npy');
    const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    expect(Array.from(readNpy(ab).data)).toEqual(A);
  });
  it('the shared K.npy equals the fixture JSON K', async () => {
    const a = await readNpyFile(join(FIXTURES, 'npy/tanh_n64_d16_m128_L2/K.npy'));
    const fx = readFixture<{ expected: { K: number[][] } }>('net_tanh_n64_d16_m128_L2.json');
    expect(a.shape).toEqual([64, 64]);
    expect(Array.from(a.data)).toEqual(fx.expected.K.flat());
  });
});

describe('readNpy refuses what it does not support, naming the problem', () => {
  const cases: [string, RegExp][] = [
    ['be_f8_2x3.npy', /big-endian/],
    ['i8_2x3.npy', /dtype <i8/],
    ['f8_2x2x2.npy', /3 dimensions/],
    ['scalar_f8.npy', /0 dimensions/],
  ];
  for (const [f, msg] of cases) {
    it(f, () => {
      expect(() => readNpy(file(f), f)).toThrow(NtkInputError);
      expect(() => readNpy(file(f), f)).toThrow(msg);
    });
  }
  it('a file without the magic', () => {
    expect(() => readNpy(new TextEncoder().encode('hello world, not npy'), 'x.npy')).toThrow(/not an .npy file/);
  });
  it('a truncated file', () => {
    const b = file('c_f8_2x3.npy');
    expect(() => readNpy(b.subarray(0, b.length - 8), 't.npy')).toThrow(/truncated/);
    expect(() => readNpy(b.subarray(0, 40), 't.npy')).toThrow(/truncated inside its header/);
  });
  it('an unknown format version', () => {
    const b = Uint8Array.from(file('c_f8_2x3.npy'));
    b[6] = 9;
    expect(() => readNpy(b)).toThrow(/version 9.0/);
  });
  it('a missing file', async () => {
    await expect(readNpyFile(join(DATA, 'nope.npy'))).rejects.toThrow(/cannot be read \(ENOENT\)/);
  });
});

describe('writeNpy', () => {
  const m = { rows: 2, cols: 3, data: Float64Array.from(A) };
  it('writes byte for byte what numpy.save writes (C order, f8, f4, 1-D)', () => {
    expect(Buffer.from(writeNpy(m)).equals(file('c_f8_2x3.npy'))).toBe(true);
    expect(Buffer.from(writeNpy(m, { dtype: 'f4' })).equals(file('c_f4_2x3.npy'))).toBe(true);
    expect(Buffer.from(writeNpy(m, { fortranOrder: true })).equals(file('f_f8_2x3.npy'))).toBe(true);
    expect(Buffer.from(writeNpy(Float64Array.from([0.1, 0.2, 0.3, 1e-300, -1e300]))).equals(file('vec_f8_5.npy'))).toBe(true);
  });
  it('round-trips random matrices in both orders, and f4 to float32 rounding', () => {
    for (const [r, c] of [[1, 1], [7, 3], [3, 7], [64, 65]] as const) {
      const data = Float64Array.from({ length: r * c }, (_, i) => Math.sin(i * 1.7) * 10 ** ((i % 7) - 3));
      for (const fortranOrder of [false, true]) {
        const back = readNpy(writeNpy({ rows: r, cols: c, data }, { fortranOrder }));
        expect(back.shape).toEqual([r, c]);
        expect(back.data).toEqual(data);
        const b4 = readNpy(writeNpy({ rows: r, cols: c, data }, { fortranOrder, dtype: 'f4' }));
        expect(b4.data).toEqual(Float64Array.from(Float32Array.from(data)));
      }
    }
  });
  it('puts the data on a 64-byte boundary', () => {
    for (const cols of [1, 12345, 10 ** 9]) {
      const bytes = writeNpy({ shape: [0, cols], data: new Float64Array(0), dtype: 'f8', fortranOrder: false });
      expect(bytes.length % 64).toBe(0);
    }
  });
  it('refuses a shape that does not match the data', () => {
    expect(() => writeNpy({ shape: [2, 2], data: new Float64Array(3), dtype: 'f8', fortranOrder: false })).toThrow(NtkInputError);
    expect(() => writeNpy({ shape: [1, 1, 1], data: new Float64Array(1), dtype: 'f8', fortranOrder: false })).toThrow(NtkInputError);
  });
  const dir = mkdtempSync(join(tmpdir(), 'ntk-npy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('writeNpyFile then readNpyFile', async () => {
    const p = join(dir, 'm.npy');
    await writeNpyFile(p, m);
    expect(Array.from((await readNpyFile(p)).data)).toEqual(A);
  });
});
