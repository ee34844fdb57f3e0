// The wasm module's exports: one file per kernel family, each with a js twin of the same
// basename in src/backend/js/.
export { setWorkspace, workspaceSize, heapBase } from './workspace';
export { gemm, gemmEpilogue } from './gemm';
export { syrkLower, gramHadamardLower, mirrorLower, mirrorLowerRows } from './syrk';
export { activation } from './activation';
export { hadamard, axpy, scaleCols, rowNorms } from './elementwise';
export { potrf, cholSolve, symvLower, symmetrizeRows, trsmRightLowerT, syrkRowsCM, cholSolvePair } from './cholesky';
export { lanczosOrth, lanczosCombine } from './lanczos';
export { sytrd, sytrdPanel, sytrdPanelPair, sytrdPanelEnd, tql, sterf } from './tridiag';
export { ormtrLeft } from './ormtr';
export { sy2sbPanel, sy2sbZ, sy2sbUpdate, symmRowsCM, sb2stSweeps, tridiagonalOf } from './band';
export { secularRoots, secularLoewner, secularVectors } from './secular';
export { mehlerPairs } from './kernelmap';
export { fusedMultiplyAdd } from './fma';
export { peakProbe, streamProbe } from './peak';
