/**
 * ntk-wasm: the neural tangent kernel of wide fully connected networks at initialization
 * (Banerjee, Cisneros-Velarde, Zhu, Belkin, "Neural Tangent Kernel at Initialization: Linear
 * Width Suffices"), with WebAssembly SIMD kernels and a pure-JS fallback.
 *
 * The package's entry points, one per audience:
 * - `ntk-wasm` (this file): the portable core: networks and the NTK, linear algebra, theory.
 *   Runs in Node, browsers and workers; imports no bare specifier and no `node:` module.
 * - `ntk-wasm/experiments`: sweeps, Figure 1, records, summaries, spectra (portable).
 * - `ntk-wasm/plot`: Vega-Lite specs of the plots and SVG rendering (needs vega, vega-lite).
 * - `ntk-wasm/node`: Node-only helpers: files (.npy, JSON specs) and run folders.
 * - `ntk-wasm/advanced`: the backend kernels and the numerical building blocks.
 * - `ntk-wasm/ml-matrix`: conversion to ml-matrix (needs ml-matrix).
 * @module
 */
export * from './api/networks.js';
export * from './api/linalg.js';
export * from './api/theory.js';
