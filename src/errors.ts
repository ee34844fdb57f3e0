/**
 * Typed errors. Every input error names the parameter at fault and what would fix it, so the
 * CLI can print one readable line and library users can branch on `parameter`.
 * @module
 */

/** A bad argument: wrong shape, NaN/Inf, unknown name, out of range. */
export class NtkInputError extends Error {
  /** The parameter at fault, as named in the API or CLI (`X`, `widths`, `--sigma0`). */
  readonly parameter: string;
  /** What would fix it. */
  readonly fix: string;
  constructor(parameter: string, problem: string, fix: string) {
    super(`${parameter}: ${problem}; ${fix}`);
    this.name = 'NtkInputError';
    this.parameter = parameter;
    this.fix = fix;
  }
}

/** A request that cannot fit in memory (wasm's 4 GiB, or a JS typed array), raised before allocating. */
export class NtkMemoryError extends RangeError {
  /** The parameter whose size is at fault. */
  readonly parameter: string;
  /** Bytes the request needs. */
  readonly bytesNeeded: number;
  /** Bytes available to it. */
  readonly bytesAvailable: number;
  constructor(parameter: string, bytesNeeded: number, bytesAvailable: number, fix: string) {
    super(`${parameter}: needs ${formatBytes(bytesNeeded)} but only ${formatBytes(bytesAvailable)} fit; ${fix}`);
    this.name = 'NtkMemoryError';
    this.parameter = parameter;
    this.bytesNeeded = bytesNeeded;
    this.bytesAvailable = bytesAvailable;
  }
}

/**
 * A file or folder that could not be read or written (no space, no permission, a directory
 * where a file goes, ...): the message is one line naming the path, the reason and the fix.
 */
export class NtkFileError extends Error {
  /** The file or folder at fault. */
  readonly path: string;
  /** The system's error code (`ENOSPC`, `EACCES`, `EISDIR`, ...). */
  readonly code: string;
  constructor(path: string, verb: string, code: string, reason: string, fix: string) {
    super(`${path}: cannot ${verb} (${reason}); ${fix}`);
    this.name = 'NtkFileError';
    this.path = path;
    this.code = code;
  }
}

/**
 * A value as it should read in an error message: numbers as JS prints them (`NaN`,
 * `Infinity`, `-1`; JSON would print `null` for the first two), strings quoted, the rest
 * as JSON or its type.
 */
export function describeValue(x: unknown): string {
  if (x === undefined) return 'nothing (it is missing)';
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') return String(x);
  if (typeof x === 'function') return 'a function';
  try {
    const s = JSON.stringify(x);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof x;
  }
}

/** Bytes in a human unit (binary prefixes). */
export function formatBytes(b: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
  return `${b.toFixed(i === 0 ? 0 : 2)} ${u[i]}`;
}
