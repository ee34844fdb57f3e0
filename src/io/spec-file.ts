/**
 * Reading a network spec from disk (Node only): JSON, with .npy paths resolved relative to it.
 * @module
 */
import { NtkInputError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { loadSpec, type LoadedSpec } from './spec.js';

/**
 * Reads and loads the spec at `path`.
 * @throws NtkInputError naming the file when it cannot be read or is not valid JSON.
 */
export async function loadSpecFile(path: string): Promise<LoadedSpec> {
  const { readFile } = await import('node:fs/promises');
  const { dirname, resolve } = await import('node:path');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new NtkInputError('spec', `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'give the path of a JSON spec file');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NtkInputError('spec', `${path} is not valid JSON (${(e as Error).message})`, 'fix the JSON syntax');
  }
  const base = dirname(resolve(path));
  const { readNpyFile, npyToMatrix } = await import('./npy.js');
  return loadSpec(raw, async (p: string): Promise<Matrix> => npyToMatrix(await readNpyFile(resolve(base, p))));
}
