/**
 * Node-only helpers: reading and writing .npy files, data files (.npy, .csv) and JSON network
 * specs from disk, and run
 * folders (a sweep written to results.jsonl as it goes, resumable, with its summary, plots and
 * config; merging shards run on several machines), as the `ntk` command line uses them. These
 * import `node:fs`; everything they build on is portable and in `ntk-wasm` and
 * `ntk-wasm/experiments`. The plots of a run folder need the optional vega and vega-lite; the
 * terminal progress bar uses cli-progress when installed (plain lines otherwise). Import from
 * `ntk-wasm/node`.
 * @module Node
 */
export { readNpyFile, writeNpyFile } from './io/npy.js';
export { readDataFile } from './io/data-file.js';
export { loadSpecFile } from './node/spec-file.js';
export { runSweepToDir, type RunToDirOptions, type RunToDirResult } from './node/run-sweep.js';
export { mergeRunDirs, type MergeDirsResult } from './node/merge-dirs.js';
