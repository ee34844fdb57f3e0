/**
 * Sweeps and Figure 1 without Node: the grid, one point, the sweep loop (resumable, shardable,
 * abortable), records, summary statistics, merging and spectra. Everything here runs in a
 * browser or a Web Worker. Their plots are in `ntk-wasm/plot`; run folders on disk (Node) in
 * `ntk-wasm/node`. Import from `ntk-wasm/experiments`.
 * @module Experiments
 */
export {
  parseValues, parseShard, formatShard, validateSpec, pointKey, dataKeyOf, enumeratePoints, shardPoints, pointCost,
  varyLabel, varyNames, widthOf, dimensionOf, MAX_SWEEP_POINTS,
  type Vary, type SweepSpec, type SweepPoint, type Shard, type ThresholdSettings,
} from './grid.js';
export { figure1Presets, figure1Preset, baseSpec, thresholdPresets, thresholdPreset, geometricValues, type Figure1Preset, type ThresholdPreset } from './presets.js';
export { runPoint, type PointContext, type PointBuffers } from './point.js';
export { buildPoint, pointData, pointNetwork, type PointConfig } from './setup.js';
export {
  thresholdAnalysis, seedQuantile, crossing, fitPowerLaw, formatExponents, DEFAULT_THRESHOLD,
  type ThresholdAnalysis, type RatioPoint, type ThresholdRow, type ExponentRow,
} from './threshold.js';
export { thresholdSection, readExponent } from './threshold-report.js';
export { runSweep, type RunSweepOptions, type RunSweepResult, type SweepProgress } from './runner.js';
export {
  RECORD_SCHEMA, formatRecord, parseRecords, recordNumbers,
  type PointRecord, type BoundRecord, type StageTimings, type ParsedRecords,
} from './records.js';
export { summarize, toCsv, flattenRecord, formatSummaryTable, mean, sampleStd, type SummaryRow } from './summary.js';
export { mergeRecords, specDiff, type MergeResult } from './merge.js';
export { TheoryCache, lambda1Key, infiniteKey, type InfiniteScalars } from './theory-cache.js';
export {
  computeSpectrum, histograms,
  type SpectrumConfig, type SpectrumResult, type HistogramBin, type HistogramOptions,
} from './spectrum.js';
/** File errors of the Node layer (runSweepToDir, mergeRunDirs): one line naming the path. */
export { NtkFileError } from '../errors.js';
