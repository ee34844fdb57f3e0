/**
 * Inputs that must be regular files of a sane size (Node only): a device such as /dev/zero, a
 * FIFO or a directory is refused at once, before it is opened, instead of being read forever or
 * blocking. Kept apart from ./files.ts (writes) so the library's .npy reader loads little.
 * @module
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { formatBytes, NtkInputError } from '../errors.js';

/** Largest input file read whole: 2 GiB - 1, the most Node's readFile returns. */
export const MAX_INPUT_BYTES = 2 ** 31 - 1;

/** What kind of thing `st` is, in words ("a directory", "a character device (like /dev/zero)"). */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device (like /dev/zero)';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks, without opening it, that `path` is a regular file (symlinks followed) of at most
 * `maxBytes`: a device such as /dev/zero, a FIFO or a directory is refused at once instead of
 * being read forever or blocking.
 * @returns the file's size in bytes.
 * @throws NtkInputError naming `parameter` (and the path) when it is missing, not a regular file
 *   or too large.
 */
export function checkInputFile(path: string, parameter: string, maxBytes: number, fix: string): number {
  // The message names the path once, whether or not it is the parameter's name.
  const it = parameter === path ? '' : `${path} `;
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new NtkInputError(parameter, `${it}cannot be read (${code})`, fix);
  }
  if (!st.isFile()) throw new NtkInputError(parameter, `${it}is ${kindOf(st)}, not a regular file`, fix);
  if (st.size > maxBytes) {
    throw new NtkInputError(parameter, `${it}is ${formatBytes(st.size)}, more than the ${formatBytes(maxBytes)} this input may have`, fix);
  }
  return st.size;
}

/**
 * Reads a regular file of at most `maxBytes` (see {@link checkInputFile}).
 * @throws NtkInputError for a path that is not a readable regular file of a sane size.
 */
export function readInputFile(path: string, parameter: string, maxBytes: number, fix: string): Buffer {
  checkInputFile(path, parameter, maxBytes, fix);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new NtkInputError(parameter, `${parameter === path ? '' : `${path} `}cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, fix);
  }
}

