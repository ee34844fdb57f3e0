/**
 * ntk-wasm: the neural tangent kernel of wide fully connected networks at initialization
 * (Banerjee, Cisneros-Velarde, Zhu, Belkin, "Neural Tangent Kernel at Initialization: Linear
 * Width Suffices"), with WebAssembly SIMD kernels and a pure-JS fallback.
 *
 * Two tiers: high-level functions (networks, NTK, eigenvalues, theory) that take an optional
 * `{ backend }` and otherwise use the default one set by {@link init}; and the {@link Backend}
 * kernels themselves on flat row-major Float64Arrays.
 * @module
 */
export { init, getBackend, setBackend } from './backend/default.js';
export { describeBackend, loadBackend, type LoadOptions, type LoadedBackend } from './backend/load.js';
export type { Backend, BackendKind, BlasKernels, ElementwiseKernels } from './backend/types.js';
export type { KernelMapKernels } from './backend/types.js';
export type { CholeskyFactor, WasmVariant } from './backend/types.js';
export { createJsBackend } from './backend/js/index.js';
export {
  activations, activationNames, getActivation, ActivationIds,
  type Activation, type ActivationName, type ActivationId,
} from './activations.js';
export { erf, erfc, normalCdf, normalPdf } from './special.js';
export { NtkInputError, NtkMemoryError } from './errors.js';
export {
  zeros, fromFlat, toMatrix, toArrays, fromMl, isMlMatrix, isMatrix, transpose,
  type Matrix, type MatrixLike,
} from './matrix.js';
export { Rng, Streams, detLog } from './random.js';
export { gaussianData, normalizeRows, toData, type GaussianDataOptions } from './network/data.js';
export {
  createNetwork, networkFromWeights, type Network, type NetworkSpec, type WeightsSpec, type CreateNetworkOptions,
} from './network/network.js';
export { empiricalNtk, releaseNtkScratch, type EmpiricalNtk, type EmpiricalNtkOptions } from './network/ntk.js';
export { evaluateNetwork, type NetworkReport, type EvaluateOptions } from './network/report.js';
export { loadSpec, type NetworkSpecJson, type LoadedSpec } from './io/spec.js';
export type { NpyLoader } from './io/spec.js';
export * from './linalg/index.js';
export { readNpy, writeNpy, npyToMatrix, readNpyFile, writeNpyFile, type NpyArray, type NpyWriteOptions } from './io/npy.js';
export { parseDataFile, parseCsv, readDataFile, dataHash, dataSource, firstRows, type DataSource } from './io/data-file.js';
export { erfForms, sinForms, reluForms, type GaussianClosedForms } from './closed-forms.js';
export * from './theory/index.js';
