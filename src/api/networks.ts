/**
 * Networks and their empirical NTK: choosing the backend ({@link init}), activations as data,
 * matrices, seeded Gaussian data, the networks of eq. (1) of the paper (random or from your
 * weights), the empirical NTK Gram matrix K by the layerwise formula, network reports, JSON
 * specs, .npy and CSV data bytes, and the typed errors. Import from `ntk-wasm`.
 * @module Networks and NTK
 */
export { init, getBackend, setBackend } from '../backend/default.js';
export { describeBackend, loadBackend, type LoadOptions, type LoadedBackend } from '../backend/load.js';
export type { Backend, BackendKind, WasmVariant } from '../backend/types.js';
export {
  activations, activationNames, getActivation, ActivationIds,
  type Activation, type ActivationName, type ActivationId,
} from '../activations.js';
export { erf, erfc, normalCdf, normalPdf } from '../special.js';
export { NtkInputError, NtkMemoryError } from '../errors.js';
export { NtkMissingDependencyError } from '../optional.js';
export {
  zeros, fromFlat, toMatrix, toArrays, fromMl, isMlMatrix, isMatrix, transpose,
  type Matrix, type MatrixLike, type MlMatrixLike,
} from '../matrix.js';
export { Rng, Streams, detLog } from '../random.js';
export { gaussianData, normalizeRows, toData, type GaussianDataOptions } from '../network/data.js';
export {
  createNetwork, networkFromWeights, type Network, type NetworkSpec, type WeightsSpec, type CreateNetworkOptions,
} from '../network/network.js';
export { empiricalNtk, releaseNtkScratch, type EmpiricalNtk, type EmpiricalNtkOptions } from '../network/ntk.js';
export { evaluateNetwork, type NetworkReport, type EvaluateOptions } from '../network/evaluate.js';
export { loadSpec, type NetworkSpecJson, type LoadedSpec, type NpyLoader } from '../io/spec.js';
export { readNpy, writeNpy, npyToMatrix, type NpyArray, type NpyWriteOptions } from '../io/npy.js';
export { parseDataFile, parseCsv, dataHash, dataSource, firstRows, type DataSource } from '../io/data-file.js';
