/**
 * The user's own data for the experiments (`--data FILE`, the API's `data`, the demo's file
 * picker): an n x d matrix from a .npy file (2-D float64/float32, or 1-D as one column) or a CSV
 * file (numbers separated by commas, semicolons, tabs or spaces; an optional header row; `#`
 * comment lines and blank lines skipped). Each experiment point takes the first n rows.
 * The parser is browser-safe; {@link readDataFile} (Node) reads a path with it.
 * @module
 */
import { NtkInputError } from '../errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../matrix.js';
import { checkPositiveInt } from '../validate.js';
import { toData } from '../network/data.js';
import { npyToMatrix, readFileBytes, readNpy } from './npy.js';

/** What a sweep spec records of a data file: enough to find it again and to know it is the same. */
export interface DataSource {
  /** The path (or, in the browser, the file name) as given. */
  file: string;
  /** Rows: the samples available. */
  rows: number;
  /** Columns: the input dimension d. */
  cols: number;
  /** {@link dataHash} of the matrix: the identity of the data in point keys. */
  hash: string;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Parses a data file's bytes: .npy when it starts with the .npy magic, else CSV text.
 * @param name the file name, for messages.
 * @throws NtkInputError naming the file: not a 2-D numeric table, ragged rows, a cell that is not
 *   a finite number (with its line and column), or no rows.
 */
export function parseDataFile(bytes: Uint8Array | ArrayBuffer, name: string): Matrix {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (NPY_MAGIC.every((x, i) => b[i] === x)) return toData(npyToMatrix(readNpy(b, name)), undefined, name);
  return parseCsv(new TextDecoder().decode(b), name);
}

/**
 * Parses CSV text into an n x d matrix (see the module comment).
 * @throws NtkInputError as {@link parseDataFile}.
 */
export function parseCsv(text: string, name = 'csv'): Matrix {
  const rows: number[][] = [];
  const lines = text.split(/\r?\n/);
  let cols = -1;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(/\s*[,;\t]\s*|\s+/);
    const nums = cells.map(Number);
    const bad = cells.findIndex((c, j) => c === '' || !Number.isFinite(nums[j]!));
    if (bad >= 0) {
      // A first row without a single number is a header; anywhere else a non-number is an error.
      if (rows.length === 0 && cols < 0 && cells.every((c) => c === '' || Number.isNaN(Number(c)))) { cols = cells.length; continue; }
      throw new NtkInputError(name, `line ${li + 1}, column ${bad + 1} is ${JSON.stringify(cells[bad])}, not a finite number`,
        'pass a table of numbers (one sample per line, an optional header row)');
    }
    if (cols >= 0 && nums.length !== cols) {
      throw new NtkInputError(name, `line ${li + 1} has ${nums.length} values, the ${rows.length ? 'rows above have' : 'header has'} ${cols}`,
        'give every sample the same number of features');
    }
    cols = nums.length;
    rows.push(nums);
  }
  if (!rows.length) throw new NtkInputError(name, 'holds no rows of numbers', 'pass a CSV table with one sample per line');
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => data.set(r, i * cols));
  return { rows: rows.length, cols, data };
}

/**
 * A 64-bit FNV-1a hash of the matrix's shape and float64 values, as 16 hex digits: two files
 * with the same numbers get the same points (resume, merge), a changed file does not.
 * @throws NtkInputError naming `X` when it is not a matrix.
 */
export function dataHash(X: MatrixLike): string {
  X = toMatrix(X, 'X');
  // Two 32-bit FNV-1a lanes with different offsets (Math.imul keeps them exact).
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ 0x5bd1e995;
  const mix = (byte: number) => {
    h1 = Math.imul(h1 ^ byte, 0x01000193);
    h2 = Math.imul(h2 ^ byte, 0x01000193) ^ (h2 >>> 15);
  };
  const head = new Float64Array([X.rows, X.cols]);
  for (const a of [head, (X as Matrix).data]) {
    const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < u8.length; i++) mix(u8[i]!);
  }
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2);
}

/**
 * The {@link DataSource} of a parsed matrix.
 * @throws NtkInputError naming `file` when it is not a non-empty string, or `X` when it is not a matrix.
 */
export function dataSource(file: string, X: MatrixLike): DataSource {
  if (typeof file !== 'string' || file === '') throw new NtkInputError('file', `must be the file's name, got ${JSON.stringify(file)}`, 'pass the path or name of the data file');
  const m = toMatrix(X, 'X');
  return { file, rows: m.rows, cols: m.cols, hash: dataHash(m) };
}

/**
 * The first n rows of X (a view, no copy).
 * @throws NtkInputError naming `name` when X has fewer than n rows, `n` unless a positive integer.
 */
export function firstRows(X: Matrix, n: number, name = 'data'): Matrix {
  checkPositiveInt('n', n);
  if (n > X.rows) {
    throw new NtkInputError(name, `has ${X.rows} rows but n = ${n} needs ${n}`, `use n <= ${X.rows}, or a file with more rows`);
  }
  return { rows: n, cols: X.cols, data: X.data.subarray(0, n * X.cols) };
}

/**
 * Reads and parses a data file (Node only; `node:fs` is imported on first use).
 * @throws NtkInputError when the file cannot be read or parsed (see {@link parseDataFile}).
 */
export async function readDataFile(path: string): Promise<Matrix> {
  return parseDataFile(await readFileBytes(path, 'give the path of an existing .npy or .csv file'), path);
}
