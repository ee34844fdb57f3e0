/**
 * The bytes of a wasm build, from the binary files beside the generated manifest
 * (generated/builds.ts): read with fs in Node, fetched in browsers (the URLs are literal
 * `new URL('./x', import.meta.url)`, so pages served as plain ES modules and bundlers alike find
 * them). A build stored as a patch of another is rebuilt here.
 * @module
 */
import { NtkInputError } from '../../errors.js';
import { isNode } from '../../platform.js';
import { BUILDS, type BuildName, type BuildSource } from './generated/builds.js';
import { applyWasmPatch } from './patch.js';

/** The bytes at `url`: fs in Node, fetch elsewhere. @throws Error naming the URL when unreadable. */
async function readAsset(url: URL): Promise<Uint8Array> {
  if (isNode && url.protocol === 'file:') {
    const fs = process.getBuiltinModule('node:fs'); // no import(): browser bundlers would warn
    return new Uint8Array(await fs.promises.readFile(url));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * The wasm binary of `build` (`builds` is the manifest; tests pass their own).
 * @throws NtkInputError (parameter `variant`) for a repository-only build missing from an
 *   installed package; Error when a file cannot be read or a patch does not apply.
 */
export async function wasmBytes(build: BuildName, builds: Record<BuildName, BuildSource> = BUILDS): Promise<Uint8Array> {
  const s = builds[build];
  try {
    if ('base' in s) {
      const [base, patch] = await Promise.all([wasmBytes(s.base, builds), readAsset(s.patch())]);
      return applyWasmPatch(base, patch);
    }
    return await readAsset(s.file());
  } catch (e) {
    if (s.repositoryOnly && !(e instanceof NtkInputError)) {
      throw new NtkInputError('variant', `the ${build} build is a benchmark baseline that the npm package does not ship`,
        'use variant auto, strict or relaxed, or build it in a clone of the repository (npm run build)');
    }
    throw e;
  }
}
