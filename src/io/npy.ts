/**
 * NumPy `.npy` files: read and write float64 (`<f8`) and float32 (`<f4`) arrays with one or
 * two dimensions, in C or Fortran order, format versions 1.0, 2.0 and 3.0. Anything else
 * (big-endian, other dtypes, 0-D or 3-D and up, object arrays) is refused with an
 * {@link NtkInputError} that says what was found. Parsing works on bytes, so this module
 * loads in browsers too; {@link readNpyFile} and {@link writeNpyFile} import `node:fs` only
 * when called.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { checkInputFile, MAX_INPUT_BYTES } from './input-check.js';
import type { Matrix } from '../matrix.js';

/** A 1-D or 2-D array read from or written to an .npy file. */
export interface NpyArray {
  /** `[n]` or `[rows, cols]`. */
  shape: number[];
  /** The values in C (row-major) order, converted to float64. */
  data: Float64Array;
  /** The element type stored in the file. */
  dtype: 'f8' | 'f4';
  /** Whether the file stored the values in Fortran (column-major) order. */
  fortranOrder: boolean;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const LITTLE = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Parses the bytes of an .npy file.
 * @param name what to call the input in error messages (a file name, a parameter).
 * @throws NtkInputError for a malformed or truncated file, or an unsupported dtype, byte order
 *   or number of dimensions.
 */
export function readNpy(bytes: Uint8Array | ArrayBuffer, name = 'npy'): NpyArray {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const bad = (problem: string, fix = 'save it with numpy.save(path, np.asarray(a, dtype="<f8"))') =>
    new NtkInputError(name, problem, fix);
  if (u8.length < 10 || MAGIC.some((b, i) => u8[i] !== b)) throw bad('is not an .npy file (no \\x93NUMPY magic)');
  const major = u8[6]!, minor = u8[7]!;
  let headerLen: number, start: number;
  if (major === 1) {
    headerLen = u8[8]! | (u8[9]! << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (u8.length < 12) throw bad('is truncated inside its header');
    headerLen = (u8[8]! | (u8[9]! << 8) | (u8[10]! << 16)) + u8[11]! * 2 ** 24;
    start = 12;
  } else {
    throw bad(`has .npy format version ${major}.${minor}; versions 1.0, 2.0 and 3.0 are supported`);
  }
  if (start + headerLen > u8.length) throw bad('is truncated inside its header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(u8.subarray(start, start + headerLen));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeRaw = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  // Header text goes into one-line messages: no line breaks or control characters from the file.
  const shapeText = shapeRaw?.replace(/[\s\x00-\x1f\x7f]+/g, ' ').trim();
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw bad(`has a header without descr, fortran_order or shape: ${JSON.stringify(header.trim().slice(0, 200))}`);
  }
  let dtype: 'f8' | 'f4';
  if (descr === '<f8' || (descr === '=f8' && LITTLE)) dtype = 'f8';
  else if (descr === '<f4' || (descr === '=f4' && LITTLE)) dtype = 'f4';
  else if (descr === '>f8' || descr === '>f4') throw bad(`is big-endian (${descr}); only little-endian is supported`, 'convert with a.astype("<f8") before saving');
  else throw bad(`has dtype ${descr.replace(/[\s\x00-\x1f\x7f]+/g, ' ')}; only float64 (<f8) and float32 (<f4) are supported`, 'convert with a.astype("<f8") before saving');
  const dims = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (dims.length < 1 || dims.length > 2) {
    throw bad(`has ${dims.length} dimension${dims.length === 1 ? '' : 's'} (shape (${shapeText})); only 1-D and 2-D arrays are supported`,
      'save a vector or a matrix');
  }
  const shape = dims.map((s) => Number(s.replace(/L$/, '')) + 0); // + 0: "-0" is 0
  if (shape.some((x) => !Number.isInteger(x) || x < 0)) throw bad(`has an invalid shape (${shapeText})`);
  const count = shape.reduce((p, x) => p * x, 1);
  const size = dtype === 'f8' ? 8 : 4;
  const offset = start + headerLen;
  if (offset + count * size > u8.length) {
    throw bad(`is truncated: shape (${shapeText}) needs ${count * size} data bytes, the file has ${u8.length - offset}`);
  }
  // A fresh, aligned copy (a Node Buffer's slice would share its pool and its alignment).
  const copy = new Uint8Array(count * size);
  copy.set(u8.subarray(offset, offset + count * size));
  const raw = copy.buffer;
  let flat: Float64Array;
  if (LITTLE) flat = dtype === 'f8' ? new Float64Array(raw) : Float64Array.from(new Float32Array(raw));
  else {
    const dv = new DataView(raw);
    flat = new Float64Array(count);
    for (let i = 0; i < count; i++) flat[i] = dtype === 'f8' ? dv.getFloat64(i * 8, true) : dv.getFloat32(i * 4, true);
  }
  const fortranOrder = fortran === 'True';
  let data = flat;
  // count > 0 bounds both loops by the data size: a (0, 1e20) header must not loop 1e20 times.
  if (fortranOrder && shape.length === 2 && count > 0) {
    const [r, c] = shape as [number, number];
    data = new Float64Array(count);
    for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) data[i * c + j] = flat[i + j * r]!;
  }
  return { shape, data, dtype, fortranOrder };
}

/** Options of {@link writeNpy}. */
export interface NpyWriteOptions {
  /** Element type to store (default `'f8'`; `'f4'` rounds to float32). */
  dtype?: 'f8' | 'f4';
  /** Store in Fortran (column-major) order (default false). */
  fortranOrder?: boolean;
}

/**
 * Encodes a matrix (2-D) or a vector (1-D) as .npy bytes (format 1.0, or 2.0 when the header
 * needs it), with the header padded so the data start on a 64-byte boundary, as numpy does.
 * @throws NtkInputError when the data length does not match the shape, or for an unknown dtype.
 */
export function writeNpy(a: Matrix | Float64Array | NpyArray, opts: NpyWriteOptions = {}): Uint8Array {
  let shape: number[], data: Float64Array;
  if (!a || typeof a !== 'object') {
    throw new NtkInputError('array', `must be a Matrix, a Float64Array or { shape, data }, got ${a === null ? 'null' : typeof a}`, 'pass e.g. { rows: 2, cols: 3, data: new Float64Array(6) }');
  }
  if (a instanceof Float64Array) { shape = [a.length]; data = a; }
  else if ('shape' in a) { shape = a.shape; data = a.data; }
  else { shape = [a.rows, a.cols]; data = a.data; }
  const count = Array.isArray(shape) ? shape.reduce((p, x) => p * x, 1) : NaN;
  if (!Array.isArray(shape) || !(data instanceof Float64Array) || shape.length < 1 || shape.length > 2 ||
    shape.some((x) => !Number.isInteger(x) || x < 0) || data.length !== count) {
    throw new NtkInputError('array', `shape (${Array.isArray(shape) ? shape.join(', ') : String(shape)}) does not match ${(data as ArrayLike<number> | undefined)?.length} values or is not 1-D/2-D`,
      'pass a Matrix, a Float64Array or { shape: [n] | [rows, cols], data }');
  }
  const dtype = opts.dtype ?? 'f8';
  if (dtype !== 'f8' && dtype !== 'f4') throw new NtkInputError('dtype', `must be "f8" or "f4", got ${JSON.stringify(dtype)}`, 'pass dtype: "f8" (float64) or "f4" (float32)');
  const fortran = !!opts.fortranOrder && shape.length === 2;
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape[0]}, ${shape[1]})`;
  let dict = `{'descr': '<${dtype}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${dims}, }`;
  let pre = 10;
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  let major = 1;
  if (total - pre > 65535) { major = 2; pre = 12; total = Math.ceil((pre + dict.length + 1) / 64) * 64; }
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const size = dtype === 'f8' ? 8 : 4;
  const out = new Uint8Array(total + count * size);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const hl = total - pre;
  out[8] = hl & 0xff;
  out[9] = (hl >>> 8) & 0xff;
  if (major === 2) { out[10] = (hl >>> 16) & 0xff; out[11] = (hl >>> 24) & 0xff; }
  for (let i = 0; i < dict.length; i++) out[pre + i] = dict.charCodeAt(i);
  let ordered = data;
  if (fortran) {
    const [r, c] = shape as [number, number];
    ordered = new Float64Array(count);
    for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) ordered[i + j * r] = data[i * c + j]!;
  }
  const dv = new DataView(out.buffer, total);
  if (dtype === 'f8') for (let i = 0; i < count; i++) dv.setFloat64(i * 8, ordered[i]!, true);
  else for (let i = 0; i < count; i++) dv.setFloat32(i * 4, ordered[i]!, true);
  return out;
}

/** The array as a {@link Matrix}: 2-D as is, 1-D as a column (n x 1). */
export function npyToMatrix(a: NpyArray): Matrix {
  const rows = a.shape[0] ?? 0;
  const cols = a.shape.length > 1 ? a.shape[1]! : 1;
  if (a.shape.length > 2 || a.data.length !== rows * cols) {
    throw new NtkInputError('array', `shape (${a.shape.join(', ')}) does not match its ${a.data.length} values`, 'pass an array from readNpy');
  }
  return { rows, cols, data: a.data };
}

/**
 * Reads an .npy file (Node only).
 * @throws NtkInputError when the path is not a readable regular file of at most 2 GiB (a device,
 *   FIFO or directory is refused before it is opened) or is not a supported .npy array.
 */
export async function readNpyFile(path: string): Promise<NpyArray> {
  return readNpy(await readFileBytes(path, 'give the path of an existing .npy file'), path);
}

/**
 * A file's bytes (Node only).
 * @param fix what the error tells the user to do.
 * @throws NtkInputError naming the path when it cannot be read.
 */
export async function readFileBytes(path: string, fix: string): Promise<Uint8Array> {
  const { readFile } = process.getBuiltinModule('node:fs/promises'); // no import(): browser bundlers would warn
  // A device (/dev/zero), FIFO or directory is refused before it is opened: it would be read
  // forever, block, or fail with a bare EISDIR.
  checkInputFile(path, path, MAX_INPUT_BYTES, fix);
  try {
    return await readFile(path);
  } catch (e) {
    throw new NtkInputError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, fix);
  }
}

/**
 * Writes an .npy file (Node only); see {@link writeNpy}.
 * @throws NtkInputError for a bad array (as {@link writeNpy}) or a path that cannot be written.
 */
export async function writeNpyFile(path: string, a: Matrix | Float64Array | NpyArray, opts: NpyWriteOptions = {}): Promise<void> {
  const { writeFile } = process.getBuiltinModule('node:fs/promises');
  const bytes = writeNpy(a, opts);
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw new NtkInputError(path, `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'give a path in an existing, writable folder');
  }
}
