/**
 * Reading a network spec from disk (Node only): JSON, with .npy paths resolved relative to it.
 * @module
 */
import { NtkInputError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { loadSpec, type LoadedSpec } from '../io/spec.js';

/** Largest spec file read (inline arrays included; larger data belong in .npy files). */
const MAX_SPEC_BYTES = 256 * 2 ** 20;

/**
 * Reads and loads the spec at `path`.
 * @throws NtkInputError naming the file when it is not a regular file of at most 256 MiB (a
 *   device, FIFO or directory is refused at once), cannot be read or is not valid JSON.
 */
export async function loadSpecFile(path: string): Promise<LoadedSpec> {
  const { readInputFile } = await import('./input-file.js');
  const { dirname, resolve } = await import('node:path');
  const text = readInputFile(path, 'spec', MAX_SPEC_BYTES, 'give the path of a JSON spec file (large arrays as .npy files)').toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NtkInputError('spec', `${path} is not valid JSON (${(e as Error).message})`, 'fix the JSON syntax');
  }
  const base = dirname(resolve(path));
  const { readNpyFile, npyToMatrix } = await import('../io/npy.js');
  const { checkInputFile, MAX_INPUT_BYTES } = await import('./input-file.js');
  return loadSpec(raw, async (p: string): Promise<Matrix> => {
    const file = resolve(base, p);
    checkInputFile(file, file, MAX_INPUT_BYTES, 'give the path of an existing .npy file'); // no device or FIFO
    return npyToMatrix(await readNpyFile(file));
  });
}
