/**
 * The public functions the bad-input table (error-cases.ts) covers: the portable core
 * (`ntk-wasm`), the advanced entry (`ntk-wasm/advanced`) and the .npy and data file functions
 * of `ntk-wasm/node`, i.e. what the package root exported before the entry points by audience.
 */
export * from '../../src/index.js';
export * from '../../src/advanced.js';
export { readNpyFile, writeNpyFile } from '../../src/io/npy.js';
export { readDataFile } from '../../src/io/data-file.js';
