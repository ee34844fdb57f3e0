/**
 * Reading inputs that must be regular files of a sane size (Node only): the check itself is
 * ../io/input-check.ts (the library's .npy and data readers use it too), re-exported here.
 * Kept apart from ./files.ts (writes) so the CLI's readers load little.
 * @module
 */
import { readFileSync } from 'node:fs';
import { NtkInputError } from '../errors.js';
import { checkInputFile } from '../io/input-check.js';

export { checkInputFile, MAX_INPUT_BYTES } from '../io/input-check.js';

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

