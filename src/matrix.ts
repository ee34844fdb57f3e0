/**
 * The one matrix type of ntk-wasm: `{ rows, cols, data }`, row-major float64, and the
 * conversions from nested arrays and ml-matrix (duck-typed, so this module imports nothing a
 * browser cannot load; `toMl` lives in the `ntk-wasm/ml-matrix` subpath), with the checks of
 * matrices every layer shares: finite entries ({@link checkFinite}) and user data ({@link toData}).
 * @module
 */
import { NtkInputError } from './errors.js';

/** A dense row-major float64 matrix: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  /** Number of rows (for data: samples n). */
  readonly rows: number;
  /** Number of columns (for data: input dimension d). */
  readonly cols: number;
  /** The rows x cols entries, row by row. */
  readonly data: Float64Array;
}

/**
 * What ntk-wasm reads from an ml-matrix `Matrix` (or a view of one): its shape and `get(i, j)`.
 * Structural, so neither this module nor its type declarations need ml-matrix installed.
 */
export interface MlMatrixLike {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly columns: number;
  /** Entry (i, j). */
  get(rowIndex: number, columnIndex: number): number;
}

/** Anything the public API accepts as a matrix. */
export type MatrixLike = Matrix | MlMatrixLike | ArrayLike<ArrayLike<number>>;

/**
 * A rows x cols matrix of zeros.
 * @throws NtkInputError unless rows and cols are integers >= 0.
 */
export function zeros(rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new NtkInputError('rows, cols', `must be integers >= 0, got ${rows} x ${cols}`, 'pass the shape as two non-negative integers');
  }
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Wraps (without copying) a flat row-major array as a matrix. */
export function fromFlat(rows: number, cols: number, data: Float64Array, name = 'data'): Matrix {
  if (!(data instanceof Float64Array) || !Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
    throw new NtkInputError(name, `has ${data instanceof Float64Array ? data.length : 'no Float64Array of'} entries, expected ${rows} x ${cols} = ${rows * cols}`,
      'pass a row-major Float64Array of length rows*cols');
  }
  return { rows, cols, data };
}

/**
 * Converts nested arrays (rows of equal length), an ml-matrix `Matrix` or a {@link Matrix}
 * into a {@link Matrix}. A {@link Matrix} is returned as is; the others are copied.
 * @param name parameter name used in error messages.
 * @throws NtkInputError when rows differ in length or the input is not a matrix.
 */
export function toMatrix(m: MatrixLike, name = 'matrix'): Matrix {
  if (isMlMatrix(m)) return fromMl(m);
  if (isMatrix(m)) return m;
  if (!m || typeof m !== 'object' || typeof (m as ArrayLike<unknown>).length !== 'number') {
    throw new NtkInputError(name, 'is not a matrix', 'pass { rows, cols, data }, nested arrays or an ml-matrix Matrix');
  }
  const rows = m.length;
  const first = rows > 0 ? m[0] : [];
  if (!isRow(first)) throw new NtkInputError(name, `row 0 is ${kindOf(first)}, not an array of numbers`, 'pass an array of rows, each an array of numbers');
  const cols = first.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = m[i];
    if (!isRow(r)) throw new NtkInputError(name, `row ${i} is ${kindOf(r)}, not an array of numbers`, 'pass an array of rows, each an array of numbers');
    if (r.length !== cols) {
      throw new NtkInputError(name, `row ${i} has length ${r.length} but row 0 has ${cols}`, 'give every row the same length');
    }
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number') throw notNumber(name, `[${i}, ${j}]`, v);
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/** Throws at the first NaN or +-Infinity of `m`, giving its position. */
export function checkFinite(name: string, m: Matrix | Float64Array): void {
  const data = m instanceof Float64Array ? m : m.data;
  const cols = m instanceof Float64Array ? data.length : m.cols;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const where = m instanceof Float64Array ? `[${i}]` : `[${Math.floor(i / cols)}, ${i % cols}]`;
      throw new NtkInputError(name, `has a non-finite entry ${data[i]} at ${where}`, 'remove or replace NaN and Infinity values');
    }
  }
}

/**
 * Checks and converts user data: a matrix with at least one row, `d` columns if given, and
 * only finite entries.
 * @throws NtkInputError naming `X` (shape, emptiness, NaN/Inf with its position).
 */
export function toData(X: MatrixLike, d?: number, name = 'X'): Matrix {
  const m = toMatrix(X, name);
  if (m.rows < 1 || m.cols < 1) throw new NtkInputError(name, `is empty (${m.rows} x ${m.cols})`, 'pass at least one sample with at least one feature');
  if (d !== undefined && m.cols !== d) {
    throw new NtkInputError(name, `has ${m.cols} columns but the network's input dimension d is ${d}`, `pass samples as rows of length ${d}`);
  }
  checkFinite(name, m);
  return m;
}

/**
 * Copies a vector (an array or typed array of numbers) into a Float64Array, refusing anything
 * that is not a number rather than coercing it (`null` would become 0, `"1"` 1, `true` 1).
 * @throws NtkInputError naming `name` and the index of the first entry that is not a number.
 */
export function toVector(v: unknown, name: string): Float64Array {
  if (v instanceof Float64Array) return Float64Array.from(v);
  if (!isRow(v)) throw new NtkInputError(name, `is ${kindOf(v)}, not an array of numbers`, 'pass an array of numbers');
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number') throw notNumber(name, `[${i}]`, x);
    out[i] = x;
  }
  return out;
}

/** An array or a numeric typed array (not a string, not a DataView). */
function isRow(r: unknown): r is ArrayLike<unknown> {
  return Array.isArray(r) || (ArrayBuffer.isView(r) && !(r instanceof DataView));
}

function notNumber(name: string, where: string, v: unknown): NtkInputError {
  return new NtkInputError(name, `entry ${where} is ${kindOf(v)}, expected a number`,
    'give numbers only (no null, strings, booleans or nested arrays)');
}

/** What a value is, for messages: `null`, `the string "1"`, `true`, `an array`, `missing`. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing (an empty slot or no value)';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 17) + '...' : v)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'bigint') return `the bigint ${v}`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Whether `m` has the {@link Matrix} shape. */
export function isMatrix(m: unknown): m is Matrix {
  const x = m as Matrix;
  return !!x && typeof x === 'object' && x.data instanceof Float64Array &&
    Number.isInteger(x.rows) && Number.isInteger(x.cols) && x.data.length === x.rows * x.cols;
}

/** Nested arrays, row by row. */
export function toArrays(m: Matrix): number[][] {
  if (!isMatrix(m)) throw new NtkInputError('m', 'is not a { rows, cols, data } matrix', 'convert it with toMatrix first');
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * Whether `m` looks like an ml-matrix matrix (`rows`, `columns`, `get(i, j)`): recognized by
 * shape rather than `instanceof` so ml-matrix need not be loaded (and its views count too).
 */
export function isMlMatrix(m: unknown): m is MlMatrixLike {
  const x = m as { rows?: unknown; columns?: unknown; get?: unknown };
  return !!x && typeof x === 'object' && Number.isInteger(x.rows) && Number.isInteger(x.columns) && typeof x.get === 'function';
}

/** Copies an ml-matrix `Matrix` (or anything with `rows`, `columns`, `get(i, j)`) into a {@link Matrix}. */
export function fromMl(m: MlMatrixLike): Matrix {
  if (!isMlMatrix(m)) throw new NtkInputError('m', 'is not an ml-matrix Matrix (rows, columns, get)', 'pass an ml-matrix Matrix');
  const rows = m.rows, cols = m.columns;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = m.get(i, j);
  return { rows, cols, data };
}

/** Entry (i, j). */
export function at(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j]!;
}

/** The transpose, as a new matrix. */
export function transpose(m: Matrix): Matrix {
  if (!isMatrix(m)) throw new NtkInputError('m', 'is not a { rows, cols, data } matrix', 'convert it with toMatrix first');
  const out = zeros(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j]!;
  return out;
}
