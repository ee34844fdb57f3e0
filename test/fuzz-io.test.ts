/**
 * Fuzzing the two parsers of user files: the .npy reader (random bytes, truncations, header
 * mutations) and the network-spec loader (random JSON, and random field values on valid
 * specs). Each either succeeds with a consistent result or throws an NtkInputError (or an
 * NtkMemoryError for sizes no array can hold); never another exception, never a hang (every
 * call is timed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NtkInputError, NtkMemoryError } from '../src/errors.js';
import { readNpy, writeNpy } from '../src/io/npy.js';
import { loadSpec } from '../src/io/spec.js';
import { loadSpecFile } from '../src/node/spec-file.js';
import type { Matrix } from '../src/matrix.js';

/** Most milliseconds one parse may take (they take microseconds; a hang would take forever). */
const MAX_MS = 2000;

/** Runs `f`; it must return or throw an input/memory error, quickly. Returns the result or null. */
async function tolerated<T>(f: () => T | Promise<T>, what: () => string): Promise<T | null> {
  const t0 = performance.now();
  try {
    return await f();
  } catch (e) {
    if (!(e instanceof NtkInputError || e instanceof NtkMemoryError)) {
      throw new Error(`${what()}: threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    }
    expect((e as Error).message).not.toContain('\n');
    return null;
  } finally {
    expect(performance.now() - t0, what()).toBeLessThan(MAX_MS);
  }
}

function checkArray(a: ReturnType<typeof readNpy>): void {
  expect(a.shape.length === 1 || a.shape.length === 2).toBe(true);
  expect(a.data.length).toBe(a.shape.reduce((p, x) => p * x, 1));
  expect(['f8', 'f4']).toContain(a.dtype);
}

const hex = (u: Uint8Array) => Buffer.from(u.subarray(0, 160)).toString('latin1');

/** A valid file to mutate: a small array in a random layout. */
const validNpy = fc.record({
  r: fc.integer({ min: 0, max: 6 }), c: fc.integer({ min: 0, max: 6 }), vec: fc.boolean(),
  dtype: fc.constantFrom('f8' as const, 'f4' as const), fortranOrder: fc.boolean(),
}).map(({ r, c, vec, dtype, fortranOrder }) => {
  const data = Float64Array.from({ length: vec ? r : r * c }, (_, i) => i - 2.5);
  return writeNpy(vec ? data : { rows: r, cols: c, data }, { dtype, fortranOrder });
});

/** Header texts from the grammar's pieces, valid and not. */
const headerText = fc.record({
  descr: fc.constantFrom("'<f8'", "'<f4'", "'>f8'", "'=f8'", "'|u1'", "'<i8'", "'O'", "'<c16'", "''", "<f8", '"<f8"'),
  fortran: fc.constantFrom('True', 'False', 'true', '1', ''),
  shape: fc.oneof(
    fc.array(fc.oneof(fc.integer({ min: -3, max: 40 }), fc.constantFrom(1e20, 2 ** 53, 2 ** 31, 1.5, NaN)), { maxLength: 4 })
      .map((dims) => `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`),
    fc.constantFrom('()', '(', '(3L, 2L)', '(,)', '(a, b)', '[3, 2]', '(3,, 2)', '(-0,)'),
  ),
  order: fc.boolean(),
}).map(({ descr, fortran, shape, order }) => (order
  ? `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`
  : `{'shape': ${shape}, 'fortran_order': ${fortran}, 'descr': ${descr}}`));

function withHeader(text: string, body: Uint8Array, major: number): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  const hdr = new TextEncoder().encode(text + '\n');
  const out = new Uint8Array(pre + hdr.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  out[8] = hdr.length & 0xff; out[9] = (hdr.length >> 8) & 0xff;
  if (major !== 1) { out[10] = (hdr.length >> 16) & 0xff; out[11] = 0; }
  out.set(hdr, pre);
  out.set(body, pre + hdr.length);
  return out;
}

describe('fuzzed .npy reader', () => {
  it('random bytes: an input error, never a crash', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (bytes, magic) => {
      // Half the time behind a valid magic and version, so the header parser is reached.
      const u = magic ? Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1 + (bytes[0] ?? 0) % 3, 0, ...bytes]) : bytes;
      const r = await tolerated(() => readNpy(u), () => hex(u));
      if (r) checkArray(r);
    }), { numRuns: 400 });
  });

  it('truncations of valid files: the whole file reads, every proper prefix with data is an input error', async () => {
    await fc.assert(fc.asyncProperty(validNpy, fc.nat(), async (bytes, cut) => {
      const whole = readNpy(bytes);
      checkArray(whole);
      const k = cut % bytes.length;
      const r = await tolerated(() => readNpy(bytes.subarray(0, k)), () => `prefix ${k} of ${hex(bytes)}`);
      // A prefix can only read when the data part it drops is empty.
      if (r) expect(whole.data.length).toBe(0);
    }), { numRuns: 300 });
  });

  it('byte flips and header-length changes of valid files', async () => {
    await fc.assert(fc.asyncProperty(validNpy, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      async (bytes, flips) => {
        const u = bytes.slice();
        // Mostly inside the 128-byte header, where the parser looks.
        for (const [at, v] of flips) u[at % Math.min(u.length, 140)] = v;
        const r = await tolerated(() => readNpy(u), () => hex(u));
        if (r) checkArray(r);
      }), { numRuns: 400 });
  });

  it('a Fortran-order header of shape (0, 1e11) reads as an empty array at once (it once looped 1e11 times)', async () => {
    const u = withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (0, 100000000000), }", new Uint8Array(0), 1);
    const r = await tolerated(() => readNpy(u), () => 'shape (0, 1e11)');
    expect(r!.shape).toEqual([0, 1e11]);
    expect(r!.data.length).toBe(0);
  });

  it('headers assembled from valid and invalid pieces, versions 1 to 4', async () => {
    await fc.assert(fc.asyncProperty(headerText, fc.uint8Array({ maxLength: 200 }), fc.constantFrom(1, 2, 3, 4), async (text, body, major) => {
      const u = withHeader(text, body, major);
      const r = await tolerated(() => readNpy(u), () => `${text} (v${major}, ${body.length} data bytes)`);
      if (r) checkArray(r);
    }), { numRuns: 400 });
  });
});

/** Small .npy arrays a spec may name by path (anything else: not found). */
const npyFiles: Record<string, Matrix> = {
  'X.npy': { rows: 3, cols: 2, data: Float64Array.of(1, 2, 3, 4, 5, 6) },
  'W1.npy': { rows: 4, cols: 2, data: new Float64Array(8).fill(0.5) },
  'v.npy': { rows: 4, cols: 1, data: Float64Array.of(1, -1, 1, -1) },
  'nan.npy': { rows: 1, cols: 2, data: Float64Array.of(NaN, 1) },
};
const loader = async (p: string): Promise<Matrix> => {
  const m = npyFiles[p];
  if (!m) throw new NtkInputError(p, 'cannot be read (ENOENT)', 'give the path of an existing .npy file');
  return m;
};

/** Field values: valid small ones and every kind of wrong one (sizes stay small or absurd, so a valid spec stays cheap). */
const anyValue = fc.oneof(
  fc.integer({ min: -2, max: 6 }), fc.constantFrom(0.5, 1.5, 1e12, 1e300, -1e300, 2 ** 53, NaN, Infinity),
  fc.constantFrom('tanh', 'swish', '', 'X.npy', 'missing.npy', 'nan.npy', '3', true, false, null),
  fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 3 }),
  fc.array(fc.array(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom('a', null)), { maxLength: 3 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const fields = ['activation', 'sigma0', 'nu0sq', 'sv2', 'n', 'd', 'L', 'widths', 'X', 'W', 'v', 'seed', 'data_seed', 'normalize'] as const;

describe('fuzzed spec loader', () => {
  it('random JSON values: an input error or a network with matching data', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), async (raw, wrap) => {
      const spec = wrap ? { inputs: raw } : raw;
      const r = await tolerated(() => loadSpec(spec, loader), () => JSON.stringify(spec).slice(0, 200));
      if (r) expect(r.X.cols).toBe(r.net.d);
    }), { numRuns: 300 });
  });

  it('valid specs with random fields overwritten: an input error or a consistent network', async () => {
    const base = {
      generated: { activation: 'tanh', widths: [4, 3], d: 2, n: 3, sigma0: 1, seed: 1, data_seed: 2 },
      weights: { activation: 'sigmoid', W: ['W1.npy', [[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 1, 1], [0, 0, 0, 1]]], v: 'v.npy', X: 'X.npy' },
    };
    await fc.assert(fc.asyncProperty(fc.constantFrom('generated', 'weights' as const), fc.dictionary(fc.constantFrom(...fields), anyValue, { maxKeys: 3 }),
      async (which, changes) => {
        const spec = { ...base[which], ...changes };
        const r = await tolerated(() => loadSpec(spec, loader), () => JSON.stringify(spec));
        if (!r) return;
        expect(r.X.cols).toBe(r.net.d);
        expect(r.net.W[0]!.cols).toBe(r.net.d);
        expect(r.net.v.length).toBe(r.net.widths[r.net.L - 1]);
        expect(r.X.data.every(Number.isFinite)).toBe(true);
      }), { numRuns: 400 });
  });

  const dir = mkdtempSync(join(tmpdir(), 'ntk-fuzz-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('spec files with random text: an input error naming the file, never a crash', async () => {
    let k = 0;
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 80 }), fc.json({ maxDepth: 3 })), async (text) => {
      const p = join(dir, `s${k++}.json`);
      writeFileSync(p, text);
      await tolerated(() => loadSpecFile(p), () => text);
    }), { numRuns: 100 });
  });
});
