/**
 * The plots: Vega-Lite specs of a sweep (Figure 1: lambda_min against the bound, the Lemma 4.2
 * band), of the width threshold experiment and of spectra, and their rendering to SVG. The specs are plain objects (no import of
 * Vega); {@link renderSvg} imports the optional packages vega and vega-lite on first use
 * (`npm install vega vega-lite`). Portable. Import from `ntk-wasm/plot`.
 * @module Plots
 */
export { sweepPlotSpec, lambdaPanelData, boundPanelData, bandEdges, xAxis, setupLine, SERIES, type SweepPlotOptions } from './sweep.js';
export { spectrumPlotSpec, type SpectrumPlotOptions } from './spectrum.js';
export { ratioPlotSpec, thresholdPlotSpec, type ThresholdPlotOptions } from './threshold.js';
export { renderSvg } from './render.js';
