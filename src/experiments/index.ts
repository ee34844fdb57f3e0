/**
 * Sweeps and Figure 1 without Node: the grid, one point, the sweep loop (resumable, shardable,
 * abortable), records, summary statistics, merging, spectra, and the Vega-Lite specs of the
 * plots. Everything here runs in a browser or a Web Worker; the output-folder layer
 * (node-io, node-run, node-merge, node-progress) is Node only and not exported here.
 * @module
 */
export {
  parseValues, parseShard, formatShard, validateSpec, pointKey, dataKeyOf, enumeratePoints, shardPoints, pointCost,
  varyLabel, varyNames, widthOf, dimensionOf, MAX_SWEEP_POINTS,
  type Vary, type SweepSpec, type SweepPoint, type Shard, type ThresholdSettings,
} from './grid.js';
export { figure1Presets, figure1Preset, baseSpec, thresholdPresets, thresholdPreset, geometricValues, type Figure1Preset, type ThresholdPreset } from './presets.js';
export { runPoint, pointData, type PointContext, type PointBuffers } from './point.js';
export {
  thresholdAnalysis, seedQuantile, crossing, fitPowerLaw, formatExponents, DEFAULT_THRESHOLD,
  type ThresholdAnalysis, type RatioPoint, type ThresholdRow, type ExponentRow,
} from './threshold.js';
export { thresholdSection, readExponent } from './threshold-report.js';
export { ratioPlotSpec, thresholdPlotSpec, type ThresholdPlotOptions } from '../plot/threshold.js';
export { runSweep, type RunSweepOptions, type RunSweepResult, type SweepProgress } from './runner.js';
export {
  RECORD_SCHEMA, formatRecord, parseRecords, recordNumbers,
  type PointRecord, type BoundRecord, type StageTimings, type ParsedRecords,
} from './records.js';
export { summarize, toCsv, flattenRecord, formatSummaryTable, mean, sampleStd, type SummaryRow } from './summary.js';
export { mergeRecords, specDiff, type MergeResult } from './merge.js';
export { TheoryCache, lambda1Key, infiniteKey, type InfiniteScalars } from './theory-cache.js';
export { lambdaMax, type LambdaMaxResult } from './lambda-max.js';
export {
  computeSpectrum, histograms,
  type SpectrumConfig, type SpectrumResult, type HistogramBin, type HistogramOptions,
} from './spectrum.js';
export { sweepPlotSpec, lambdaPanelData, boundPanelData, bandEdges, xAxis, setupLine, SERIES, type SweepPlotOptions } from '../plot/sweep.js';
export { spectrumPlotSpec, type SpectrumPlotOptions } from '../plot/spectrum.js';
export { renderSvg } from '../plot/render.js';
/** File errors of the Node layer (runSweepToDir, mergeRunDirs): one line naming the path. */
export { NtkFileError } from '../errors.js';
