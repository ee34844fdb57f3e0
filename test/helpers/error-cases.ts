/**
 * Bad inputs and the errors they must give, as data: test/validation.test.ts runs every API
 * case on the js and wasm backends, test/validation-cli.test.ts every CLI case against
 * dist/cli/main.js, and the cases with a `kind` are the examples of docs/errors.md, which
 * test/validation-cli.test.ts regenerates from the code's actual messages and compares.
 */

/** A call of the public API that must fail. */
export interface ApiCase {
  /** Section of docs/errors.md this call illustrates (only one case per kind has it). */
  kind?: string;
  /**
   * A JS expression evaluated with every export of src/index.ts in scope, plus `backend` (the
   * backend under test), `X` (4 x 3 data), `net` (d = 3, widths [5, 5], tanh) and `K` (2 x 2 SPD).
   */
  code: string;
  /** The `parameter` the error must name. */
  parameter: string;
  /** Error class (default NtkInputError). */
  cls?: 'NtkInputError' | 'NtkMemoryError';
  /** Something the message must say besides `parameter: ...; fix`. */
  message?: RegExp;
  /** Run on the wasm backend only (the js backend would try to allocate it). */
  wasmOnly?: boolean;
}

/** The public function a case calls: the first identifier of its code. */
export function calledFunction(code: string): string {
  return /^(?:await\s+)?(?:new\s+)?([A-Za-z_$][\w$]*)/.exec(code.trim())![1]!;
}

export const apiCases: ApiCase[] = [
  // Shapes
  { kind: 'Data that does not fit the network (shape mismatch)', code: 'empiricalNtk(net, [[1, 2]], { backend })', parameter: 'X', message: /2 columns .* d is 3/ },
  { code: 'evaluateNetwork(net, toMatrix([[1, 2]]), { backend })', parameter: 'X' },
  { kind: 'Rows of different lengths', code: 'toData([[1, 2, 3], [4, 5]])', parameter: 'X', message: /row 1 has length 2/ },
  // Types: never coerced
  { kind: 'An entry that is not a number (null, a string, a boolean, an array)', code: 'toData([[1, null, 3]])', parameter: 'X', message: /entry \[0, 1\] is null, expected a number/ },
  { code: "toData([[1, 2], [3, '4']])", parameter: 'X', message: /entry \[1, 1\] is the string "4", expected a number/ },
  { code: 'toData([[true, 2]])', parameter: 'X', message: /entry \[0, 0\] is the boolean true/ },
  { code: 'toData([[1, [2]]])', parameter: 'X', message: /entry \[0, 1\] is an array/ },
  { code: "toData([[1, 2], 'ab'])", parameter: 'X', message: /row 1 is the string "ab", not an array/ },
  { code: 'toData([[1, , 3]])', parameter: 'X', message: /entry \[0, 1\] is missing/ },
  { code: 'lambdaMin([[1, null], [null, 1]], { backend })', parameter: 'K', message: /entry \[0, 1\] is null/ },
  { code: "networkFromWeights({ W: [[[1, 2]]], v: ['1'], activation: 'tanh' })", parameter: 'v', message: /entry \[0\] is the string "1"/ },
  { code: "networkFromWeights({ W: [[[1, null]]], v: [1], activation: 'tanh' })", parameter: 'W[0]', message: /entry \[0, 1\] is null/ },
  { code: "await loadSpec({ activation: 'tanh', W: [[[1, 2]]], v: [1], X: [[1, false]] })", parameter: 'spec.X', message: /entry \[0, 1\] is the boolean false/ },
  { code: "networkFromWeights({ W: [[[1, 2]], [[1, 2]]], v: [1], activation: 'tanh' })", parameter: 'W[1]', message: /W\[0\] has 1 rows/ },
  { code: "networkFromWeights({ W: [[[1, 2]]], v: [1, 2], activation: 'tanh' })", parameter: 'v', message: /m_L = 1/ },
  { code: "networkFromWeights({ W: [[[1, 2]]], activation: 'tanh' })", parameter: 'v' },
  { code: "networkFromWeights({ W: [], v: [1], activation: 'tanh' })", parameter: 'W' },
  { kind: 'A matrix that is not square, or not symmetric', code: 'lambdaMin([[1, 2], [0, 1]], { backend })', parameter: 'K', message: /not symmetric/ },
  { code: 'lambdaMin([[1, 2, 3]], { backend })', parameter: 'K', message: /square/ },
  { code: 'eigvalsh([[1, 2, 3]], { backend })', parameter: 'K', message: /square/ },
  { code: 'eigh([[1, 2], [3, 1]], { backend })', parameter: 'K', message: /not symmetric/ },
  { code: 'isPositiveDefinite([[1, 2, 3]], { backend })', parameter: 'K' },
  { code: 'relativeFrobenius(zeros(2, 2), zeros(3, 3))', parameter: 'K' },
  { code: "gaussKernelMatrices([[1, 0.5]], 'tanh', { backend })", parameter: 'Sigma', message: /not square/ },
  { code: 'erfKernelMatrices([[1, 0.5]], true)', parameter: 'Sigma' },
  { code: "lemma41Layers({ activation: 'tanh', nu0sq: 1, grams: [zeros(2, 2), zeros(3, 3)], backend })", parameter: 'grams[1]' },
  { code: "lemma42Band([[1, 1], [1]], 1)", parameter: 'cli' },
  { code: 'fromFlat(2, 2, new Float64Array(3))', parameter: 'data' },
  { code: 'npyToMatrix({ shape: [2, 2], data: new Float64Array(3), dtype: "f8", fortranOrder: false })', parameter: 'array' },
  { code: 'writeNpy({ shape: [2, 2], data: new Float64Array(3) })', parameter: 'array' },
  { code: 'writeNpy(undefined)', parameter: 'array' },
  { code: 'parseDataFile(new TextEncoder().encode("1,2\\n3\\n"), "x.csv")', parameter: 'x.csv', message: /line 2 has 1 values/ },
  { code: 'parseCsv("1,x", "f.csv")', parameter: 'f.csv', message: /column 2 is "x"/ },
  { code: 'readDataFile("no-such-data.csv")', parameter: 'no-such-data.csv', message: /cannot be read/ },
  { code: 'firstRows(X, 5)', parameter: 'data', message: /has 4 rows but n = 5 needs 5/ },
  { code: 'firstRows(X, 0)', parameter: 'n' },
  { code: 'dataHash(undefined)', parameter: 'X' },
  { code: 'dataSource("", X)', parameter: 'file' },
  { code: 'writeNpy(new Float64Array(2), { dtype: "f2" })', parameter: 'dtype' },
  { code: "infiniteWidth(X, { depth: 1, activation: 'tanh', nu0sq: 1, outputs: { Theta: new Float64Array(3) }, backend })", parameter: 'outputs.Theta' },
  { code: 'toMatrix("abc", "X")', parameter: 'X' },
  { code: 'toMatrix(null, "X")', parameter: 'X' },
  { code: 'transpose(null)', parameter: 'm' },
  { code: 'toArrays({ rows: 2, cols: 2, data: new Float64Array(3) })', parameter: 'm' },
  { code: 'fromMl({})', parameter: 'm' },
  { code: 'zeros(-1, 2)', parameter: 'rows, cols' },
  // NaN and Infinity
  { kind: 'NaN or Infinity in the data', code: 'empiricalNtk(net, [[1, NaN, 3]], { backend })', parameter: 'X', message: /non-finite entry NaN at \[0, 1\]/ },
  { kind: 'NaN or Infinity in the weights', code: "networkFromWeights({ W: [[[1, Infinity]]], v: [1], activation: 'tanh' })", parameter: 'W[0]', message: /Infinity at \[0, 1\]/ },
  { code: "networkFromWeights({ W: [[[1, 2]]], v: [NaN], activation: 'tanh' })", parameter: 'v' },
  { code: 'lambdaMin([[1, NaN], [NaN, 1]], { backend })', parameter: 'K', message: /non-finite/ },
  { code: 'eigvalsh([[Infinity]], { backend })', parameter: 'K' },
  { code: "lambda1([[1, NaN]], 'tanh', 1, { backend })", parameter: 'X' },
  { code: "infiniteWidth([[Infinity, 1]], { depth: 1, activation: 'tanh', nu0sq: 1, backend })", parameter: 'X' },
  { code: "sigma1([[NaN]], 1, { backend })", parameter: 'X' },
  { code: "lambda1Matrix([[NaN]], 'tanh', 1, { backend })", parameter: 'X' },
  { code: "gaussKernelMatrices([[1, NaN], [NaN, 1]], 'tanh', { backend })", parameter: 'Sigma' },
  { code: 'erfKernelMatrices([[1, NaN], [NaN, 1]], true)', parameter: 'Sigma' },
  { code: "seriesTables('tanh', Float64Array.of(NaN), 4, { backend })", parameter: 'variances' },
  { code: "theorem41({ activation: 'tanh', sigma0: 1, cli: [[1], [1]], lambda1: NaN, backend })", parameter: 'lambda1' },
  { code: "theorem41({ activation: 'tanh', sigma0: 1, cli: [[1], [NaN]], lambda1: 1, backend })", parameter: 'cli' },
  { code: 'normalizeRows({ rows: 1, cols: 2, data: Float64Array.of(NaN, 1) })', parameter: 'X' },
  { code: "gaussExpectation(() => NaN, 1)", parameter: 'phi' },
  { code: 'hermite(2, 1, NaN)', parameter: 'x' },
  { code: 'hermiteSeries(Float64Array.of(1, 2), 1, Infinity)', parameter: 'x' },
  { code: 'isPositiveDefinite(K, { margin: NaN, backend })', parameter: 'margin' },
  { kind: 'Finite values so large that K overflows', code: 'empiricalNtk(net, [[1e200, 1, 1]], { backend })', parameter: 'X', message: /overflowed/ },
  { code: "lambda1([[1e200, 1e200]], 'tanh', 1, { backend })", parameter: 'X', message: /overflows/ },
  // Empty
  { kind: 'Empty data', code: 'empiricalNtk(net, [], { backend })', parameter: 'X', message: /empty/ },
  { code: 'lambdaMin([], { backend })', parameter: 'K', message: /empty/ },
  { code: "infiniteWidth([], { depth: 1, activation: 'tanh', nu0sq: 1, backend })", parameter: 'X' },
  { code: "lambda1([[]], 'tanh', 1, { backend })", parameter: 'X' },
  { code: 'toData([])', parameter: 'X' },
  { code: 'normalizeRows(zeros(0, 3))', parameter: 'X' },
  { code: "theorem41({ activation: 'tanh', sigma0: 1, cli: [], lambda1: 1, backend })", parameter: 'cli' },
  { code: 'lemma41Layers({ activation: "tanh", nu0sq: 1, grams: [], backend })', parameter: 'grams' },
  // Unknown names
  { kind: 'Unknown activation', code: "createNetwork({ d: 3, widths: [8], activation: 'swish' })", parameter: 'activation', message: /unknown activation "swish"; use one of tanh, sigmoid/ },
  { code: "getActivation('ReLU')", parameter: 'activation' },
  { code: "getActivation('constructor')", parameter: 'activation', message: /unknown activation "constructor"; use one of tanh/ },
  { code: "createNetwork({ d: 3, widths: [8], activation: '__proto__' })", parameter: 'activation', message: /unknown activation "__proto__"/ },
  { code: "hermiteCoefficients('toString', 1)", parameter: 'activation', message: /unknown activation "toString"/ },
  { code: "cPhi('swish', 1)", parameter: 'activation' },
  { code: "nu0sq('swish', 1)", parameter: 'activation' },
  { code: "lambda1(X, 'swish', 1, { backend })", parameter: 'activation' },
  { code: "infiniteWidth(X, { depth: 2, activation: 'swish', nu0sq: 1, backend })", parameter: 'activation' },
  { code: "infiniteWidth(X, { depth: 1, activation: Math.tanh, nu0sq: 1, backend })", parameter: 'activation', message: /phi' is needed/ },
  { code: "theorem41({ activation: 'swish', sigma0: 1, cli: [[1], [1]], lambda1: 1, backend })", parameter: 'activation' },
  { code: "assumptionsBroken('swish')", parameter: 'activation' },
  { code: "hermiteCoefficients('swish', 1)", parameter: 'activation' },
  { code: 'resolvePhi(5)', parameter: 'activation' },
  { code: "gaussPairExpectation('swish', 1, 1, 0.5, { backend })", parameter: 'activation' },
  { code: "pairExpectation2d([Math.tanh], 1, 1, 2)", parameter: 'rho' },
  { code: "createNetwork({ d: 3, widths: [2], activation: 'tanh', vLaw: 'cauchy' })", parameter: 'vLaw' },
  { kind: 'Unknown option value', code: "lambdaMin(K, { method: 'qr', backend })", parameter: 'method', message: /use auto, cholesky or tridiagonal/ },
  { code: "lambda1(X, 'tanh', 1, { method: 'exact', backend })", parameter: 'method' },
  { code: "lambda1(X, 'tanh', 1, { method: 'closed-form', backend })", parameter: 'method', message: /only for erf/ },
  { code: "hermiteCoefficients('tanh', 1, { convention: 'physicists' })", parameter: 'convention' },
  { code: "hermiteCoefficients('tanh', 1, { method: 'simpson' })", parameter: 'method' },
  { code: "gaussExpectation(Math.tanh, 1, { method: 'simpson' })", parameter: 'method' },
  { code: "convertCoefficients(Float64Array.of(1), 1, 'expand', 'hermite')", parameter: 'convention' },
  { code: "lambdaMin(K, { tol: 0, backend })", parameter: 'tol' },
  { code: "lambdaMin(K, { maxIter: 0, backend })", parameter: 'maxIter' },
  { code: "eigvalsh(K, { symmetryTol: -1, backend })", parameter: 'symmetryTol' },
  { code: "gaussKernelMatrices(K, 'tanh', { tol: 2, backend })", parameter: 'tol' },
  { code: "gaussKernelMatrices(K, 'tanh', { rmax: 0, backend })", parameter: 'rmax' },
  { code: "loadBackend({ backend: 'gpu' })", parameter: 'backend' },
  { code: "loadBackend({ variant: 'avx' })", parameter: 'variant' },
  { code: 'loadBackend({ threads: 0 })', parameter: 'threads' },
  { code: 'init({ threads: 1.5 })', parameter: 'threads' },
  // Scale parameters
  { kind: 'sigma0 <= 0 (or not finite)', code: "createNetwork({ d: 3, widths: [8], activation: 'tanh', sigma0: 0 })", parameter: 'sigma0', message: /finite number > 0, got 0/ },
  { code: "createNetwork({ d: 3, widths: [8], activation: 'tanh', sigma0: NaN })", parameter: 'sigma0', message: /got NaN/ },
  { code: "cPhi('tanh', -1)", parameter: 'sigma0' },
  { code: "createNetwork({ d: 3, widths: [8], activation: 'tanh', sigma0: 5e-324 })", parameter: 'sigma0', message: /must be in \[1e-150, 10000\], got 5e-324/ },
  { code: "cPhi('tanh', 1e200)", parameter: 'sigma0', message: /must be in \[1e-150, 10000\]/ },
  { code: "nu0sq('tanh', 0)", parameter: 'sigma0' },
  { code: "theorem41({ activation: 'tanh', sigma0: -1, cli: [[1], [1]], lambda1: 1, backend })", parameter: 'sigma0' },
  { code: "networkFromWeights({ W: [[[1, 2]]], v: [1], activation: 'tanh', sigma0: -1 })", parameter: 'sigma0' },
  { code: "createNetwork({ d: 3, widths: [8], activation: 'tanh', sigma0: 1, nu0sq: 2 })", parameter: 'sigma0', message: /both given/ },
  { kind: 'nu0sq <= 0', code: "infiniteWidth(X, { depth: 2, activation: 'tanh', nu0sq: -1, backend })", parameter: 'nu0sq', message: /got -1/ },
  { code: "createNetwork({ d: 3, widths: [8], activation: 'tanh', nu0sq: 0 })", parameter: 'nu0sq' },
  { code: "lambda1(X, 'tanh', 0, { backend })", parameter: 'nu0sq' },
  { code: "sigma1(X, NaN, { backend })", parameter: 'nu0sq' },
  { code: "sigma0ForNu0sq('tanh', -2)", parameter: 'nu0sq' },
  { code: "lemma41Layers({ activation: 'tanh', nu0sq: 0, grams: [K, K], backend })", parameter: 'nu0sq' },
  { code: "createNetwork({ d: 3, widths: [8], activation: 'tanh', sv2: -1 })", parameter: 'sv2' },
  { code: "infiniteWidth(X, { depth: 1, activation: 'tanh', nu0sq: 1, sv2: -1, backend })", parameter: 'sv2' },
  { code: 'lemma42Band([[1], [1]], 0)', parameter: 'c' },
  { kind: 'Variance a <= 0', code: "hermiteCoefficients('tanh', -1)", parameter: 'a', message: /positive finite number, got -1/ },
  { code: 'hermite(2, 0, 1)', parameter: 'a' },
  { code: "convertCoefficients(Float64Array.of(1, 2), -1, 'expand', 'orthonormal')", parameter: 'a' },
  { code: "hermiteSeries(Float64Array.of(1, 2), 0, 1)", parameter: 'a' },
  { code: 'gaussExpectation(Math.tanh, -1)', parameter: 'a' },
  { code: 'orthonormalTrapezoid(Math.tanh, -1, 4)', parameter: 'a' },
  { code: "gaussPairExpectation('tanh', -1, 1, 0.5, { backend })", parameter: 'Sigma' },
  { code: 'trapezoidGrid(-1)', parameter: 'maxVariance' },
  { code: "hermiteCoefficients('tanh', 1e300)", parameter: 'a', message: /nodes/ },
  { code: 'trapezoidGrid(1, { h: 0 })', parameter: 'h' },
  { code: 'trapezoidGrid(1, { h: 1e-12 })', parameter: 'h', message: /nodes/ },
  { code: 'trapezoidGrid(1, { zmax: -1 })', parameter: 'zmax' },
  { code: "gaussKernelMatrices([[1e7]], 'tanh', { backend })", parameter: 'variance', message: /beyond/ },
  { kind: 'Degree r < 0', code: 'hermite(-1, 1, 0.5)', parameter: 'r', message: /integer >= 0, got -1/ },
  { code: "hermiteCoefficients('tanh', 1, { rmax: -1 })", parameter: 'rmax' },
  { code: 'normalizedHermiteTable(-1, Float64Array.of(0))', parameter: 'R' },
  { code: 'orthonormalTrapezoid(Math.tanh, 1, 2.5)', parameter: 'R' },
  { code: "seriesTables('tanh', Float64Array.of(1), -1, { backend })", parameter: 'R' },
  { code: "theorem41({ activation: 'tanh', sigma0: 1, cli: [[1], [1]], lambda1: 1, rmax: 1, backend })", parameter: 'rmax' },
  { code: 'gaussHermiteRule(0)', parameter: 'nodes' },
  // Sizes and counts
  { kind: 'Widths <= 0 (or not integers)', code: "createNetwork({ d: 3, widths: [8, 0], activation: 'tanh' })", parameter: 'widths[1]', message: /positive integer, got 0/ },
  { code: "createNetwork({ d: 3, widths: [], activation: 'tanh' })", parameter: 'widths' },
  { code: "createNetwork({ d: 3, widths: [8.5], activation: 'tanh' })", parameter: 'widths[0]' },
  { code: "createNetwork({ d: 0, widths: [8], activation: 'tanh' })", parameter: 'd' },
  { code: 'gaussianData({ n: 0, d: 3 })', parameter: 'n' },
  { code: "infiniteWidth(X, { depth: 0, activation: 'tanh', nu0sq: 1, backend })", parameter: 'depth' },
  { kind: 'A seed that is not a non-negative integer', code: 'gaussianData({ n: 10, d: 3, seed: 1.5 })', parameter: 'seed', message: /integer in \[0, 2\^53\)/ },
  { code: "createNetwork({ d: 3, widths: [8], activation: 'tanh', seed: NaN })", parameter: 'seed' },
  { code: 'new Rng(-1)', parameter: 'seed' },
  // Missing or malformed arguments
  { kind: 'A missing argument or options object', code: "infiniteWidth(X)", parameter: 'opts', message: /must be an object/ },
  { code: 'createNetwork()', parameter: 'spec' },
  { code: 'networkFromWeights(null)', parameter: 'spec' },
  { code: 'gaussianData()', parameter: 'opts' },
  { code: 'empiricalNtk(undefined, X, { backend })', parameter: 'net' },
  { code: 'empiricalNtk({ ...net, W: [net.W[0]] }, X, { backend })', parameter: 'net.W' },
  { code: 'empiricalNtk({ ...net, v: new Float64Array(2) }, X, { backend })', parameter: 'net.v' },
  { code: 'theorem41(null)', parameter: 'input' },
  { code: 'lemma41Layers(null)', parameter: 'input' },
  { code: 'infiniteWidthReport(null)', parameter: 'r' },
  { code: 'gaussExpectation(5, 1)', parameter: 'g' },
  { kind: 'A zero row where the theorem needs a variance > 0', code: "theorem41({ activation: 'tanh', sigma0: 1, cli: [[1, 0], [0.5, 0]], lambda1: 0.1, backend })", parameter: 'cli', message: /c_\{l,i\} = 0/ },
  { code: 'normalizeRows([[0, 0], [1, 1]])', parameter: 'X', message: /row 0 is zero/ },
  // Files and specs
  { kind: 'Not an .npy file, or a truncated one', code: 'readNpy(new Uint8Array([1, 2, 3]), "K.npy")', parameter: 'K.npy', message: /not an \.npy file/ },
  { code: 'readNpy(writeNpy(new Float64Array(4)).subarray(0, 100), "K.npy")', parameter: 'K.npy', message: /truncated/ },
  { kind: 'A file that cannot be read', code: 'await readNpyFile("no-such-file.npy")', parameter: 'no-such-file.npy', message: /cannot be read \(ENOENT\)/ },
  { code: 'await writeNpyFile("no-such-dir/K.npy", new Float64Array(2))', parameter: 'no-such-dir/K.npy', message: /cannot be written/ },
  { kind: 'A spec with a missing or wrong field', code: "await loadSpec({ activation: 'tanh', widths: [4], d: 3 })", parameter: 'spec.n', message: /missing/ },
  { code: 'await loadSpec([1, 2])', parameter: 'spec' },
  { code: 'await loadSpec({ inputs: null })', parameter: 'spec.inputs' },
  { code: "await loadSpec({ widths: [4], d: 3, n: 2 })", parameter: 'spec.activation' },
  { code: "await loadSpec({ activation: 'tanh', widths: [4], d: 3, n: 2, normalize: 'yes' })", parameter: 'spec.normalize' },
  { code: "await loadSpec({ activation: 'tanh', widths: [4], d: 3, X: 5 })", parameter: 'spec.X' },
  { code: "await loadSpec({ activation: 'tanh', W: [[[1, 2]]], v: 'v.npy', X: [[1, 2]] })", parameter: 'spec.v' },
  { code: "await loadSpec({ activation: 'tanh', widths: [3], W: [[[1, 2]]], v: [1], X: [[1, 2]] })", parameter: 'spec.widths' },
  { code: "await loadSpec({ activation: 'tanh', widht: [3], d: 2, n: 2 })", parameter: 'spec.widht', message: /not a field .* use only activation/ },
  { code: "await loadSpec({ activation: 'tanh', widths: [3], d: 2, n: 2, constructor: 1 })", parameter: 'spec.constructor', message: /not a field/ },
  { code: "await loadSpec({ activation: 1, widths: [3], d: 2, n: 2 })", parameter: 'spec.activation', message: /must be a name, got 1/ },
  // Memory
  { kind: 'Too large for memory (checked before allocating)', code: "createNetwork({ d: 100000, widths: [100000], activation: 'tanh' })", parameter: 'widths[0]', cls: 'NtkMemoryError', message: /W_1 \(100000 x 100000\) is too large/ },
  { code: 'gaussianData({ n: 1e6, d: 1e5 })', parameter: 'n', cls: 'NtkMemoryError' },
  { code: "infiniteWidth({ rows: 50000, cols: 1, data: new Float64Array(50000) }, { depth: 1, activation: 'tanh', nu0sq: 1, backend })", parameter: 'X', cls: 'NtkMemoryError', message: /n x n kernel/ },
  { code: "lambda1({ rows: 50000, cols: 1, data: new Float64Array(50000) }, 'tanh', 1, { backend })", parameter: 'X', cls: 'NtkMemoryError' },
  { kind: 'Too large for wasm memory (4 GiB)', code: "empiricalNtk(createNetwork({ d: 1, widths: [1], activation: 'tanh' }), gaussianData({ n: 25000, d: 1 }), { backend })", parameter: 'X', cls: 'NtkMemoryError', wasmOnly: true, message: /exceeds wasm memory \(its largest kernel call; wasm32 addresses 4 GiB\); n <= \d+ fits/ },
];

/**
 * Exported functions with no case above, and why: they take nothing to validate, are the
 * kernel tier (which trusts its arguments, see src/backend/types.ts), or answer as their
 * Math counterparts do (NaN in, NaN out).
 */
export const exemptFunctions: Record<string, string> = {
  NtkInputError: 'error class',
  NtkMemoryError: 'error class',
  NtkMissingDependencyError: 'error class',
  createJsBackend: 'no arguments',
  getBackend: 'no arguments',
  releaseNtkScratch: 'no arguments',
  setBackend: 'takes a Backend object; not validated (kernel tier)',
  describeBackend: 'takes a Backend object (as setBackend) and only reads its kind, variant and threads',
  isMatrix: 'a predicate: answers false for anything else',
  isMlMatrix: 'a predicate: answers false for anything else',
  erf: 'a Math-like function: NaN in, NaN out',
  erfc: 'a Math-like function: NaN in, NaN out',
  normalCdf: 'a Math-like function: NaN in, NaN out',
  normalPdf: 'a Math-like function: NaN in, NaN out',
  detLog: 'a Math.log twin: -Infinity at 0, NaN below 0',
  defaultStep: 'a formula of one number used by trapezoidGrid, which validates',
};

/** A command line that must fail with one readable line. */
export interface CliCase {
  /** Section of docs/errors.md (CLI part). */
  kind?: string;
  /** Arguments after `ntk` (run in a folder holding the files of {@link cliFiles}). */
  args: string[];
  /** Exit status (2 for input and memory errors, and for commander's own errors). */
  exit: number;
  /** What the error line must say. */
  message: RegExp;
}

/** Files the CLI cases find in their working folder (JSON text, or .npy bytes made by the test). */
export const cliFiles: Record<string, string> = {
  'bad-activation.json': '{ "activation": "swish", "widths": [4], "d": 3, "n": 5 }',
  'no-n.json': '{ "activation": "tanh", "widths": [4], "d": 3 }',
  'ragged.json': '{ "activation": "tanh", "widths": [4], "d": 2, "X": [[1, 2], [3]] }',
  'nan.json': '{ "activation": "tanh", "widths": [4], "d": 2, "X": [[1, 2], [3, "x"]] }',
  'null-x.json': '{ "activation": "tanh", "widths": [4], "d": 2, "X": [[1, 2], [null, 1]] }',
  'ctor.json': '{ "activation": "constructor", "widths": [4], "d": 2, "n": 3 }',
  'n20000.json': '{ "activation": "tanh", "widths": [64, 64], "d": 10, "n": 20000 }',
  'huge.json': '{ "activation": "tanh", "widths": [100000, 100000], "d": 3, "n": 4 }',
  'overflow.json': '{ "activation": "tanh", "W": [[[1, 2]]], "v": [1], "X": [[1e200, 2]] }',
  'seed.json': '{ "activation": "tanh", "widths": [4], "d": 3, "n": 5, "seed": "x" }',
  'zero-sigma.json': '{ "activation": "tanh", "widths": [4], "d": 3, "n": 5, "sigma0": 0 }',
  'not-json.json': '{ "activation": ',
  'array.json': '[1, 2, 3]',
  'npy-missing.json': '{ "activation": "tanh", "widths": [4], "d": 3, "X": "no-such.npy" }',
  'text.npy': 'this is not an npy file',
};

export const cliCases: CliCase[] = [
  { kind: 'A command or option that does not exist', args: ['eigen'], exit: 2, message: /unknown command 'eigen'/ },
  { args: ['eig', 'K.npy', '--bogus'], exit: 2, message: /unknown option '--bogus'/ },
  { kind: 'A missing argument', args: ['eig'], exit: 2, message: /missing required argument 'matrix'/ },
  { args: ['sweep'], exit: 2, message: /--vary: is missing; pass one of/ },
  { args: ['merge', 'x'], exit: 2, message: /required option '--out <dir>'/ },
  { kind: 'A file that does not exist', args: ['eig', 'no-such.npy'], exit: 2, message: /no-such\.npy: cannot be read \(ENOENT\)/ },
  { kind: 'A file of the wrong kind', args: ['eig', 'text.npy'], exit: 2, message: /not an \.npy file/ },
  { args: ['eig', 'vector.npy', '--backend', 'js'], exit: 2, message: /1-D array/ },
  { args: ['eig', 'rect.npy', '--backend', 'js'], exit: 2, message: /must be square, got 2 x 3/ },
  { args: ['eig', 'empty.npy', '--all', '--backend', 'js'], exit: 2, message: /empty/ },
  { args: ['eig', 'nan.npy', '--backend', 'js'], exit: 2, message: /non-finite entry NaN/ },
  { kind: 'A bad option value', args: ['eig', 'sym.npy', '--method', 'qr'], exit: 2, message: /--method: unknown method "qr"/ },
  { args: ['eig', 'sym.npy', '--threads', '0'], exit: 2, message: /--threads: expects a positive integer/ },
  { args: ['eig', 'sym.npy', '--backend', 'gpu'], exit: 2, message: /backend: unknown backend "gpu"/ },
  { args: ['hermite', '--a', '-1'], exit: 2, message: /--a: must be > 0, got -1/ },
  { args: ['hermite', '--a', 'abc'], exit: 2, message: /--a: expects a number, got "abc"/ },
  { args: ['hermite', '--a', '1e300'], exit: 2, message: /a: needs a grid/ },
  { args: ['hermite', '--rmax', '-1'], exit: 2, message: /--rmax: must be an integer/ },
  { args: ['hermite', '--convention', 'physicists'], exit: 2, message: /--convention: unknown convention/ },
  { kind: 'An unknown activation', args: ['hermite', '--activation', 'swish'], exit: 2, message: /--activation: unknown activation "swish"/ },
  { args: ['spectrum', '--activation', 'swish'], exit: 2, message: /--activation: unknown activation "swish"/ },
  { args: ['spectrum', '--n', '0'], exit: 2, message: /--n: expects a positive integer/ },
  { args: ['spectrum', '--sigma0', '-2'], exit: 2, message: /--sigma0: must be > 0/ },
  { args: ['spectrum', '--seed', '1.5'], exit: 2, message: /--seed: must be a non-negative integer/ },
  { args: ['spectrum', '--n', '4', '--width', '100000000', '--d', '2', '--out', 'out-spectrum', '--quiet', '--backend', 'js'], exit: 2, message: /widths\[\d\]: needs .* is too large/ },
  { kind: 'A network spec with a bad field', args: ['evaluate', 'bad-activation.json'], exit: 2, message: /activation: unknown activation "swish"/ },
  { args: ['evaluate', 'no-n.json', '--backend', 'js'], exit: 2, message: /spec\.n: is missing and so is X/ },
  { args: ['evaluate', 'ragged.json', '--backend', 'js'], exit: 2, message: /spec\.X: row 1 has length 1/ },
  { args: ['evaluate', 'nan.json', '--backend', 'js'], exit: 2, message: /spec\.X: entry \[1, 1\] is the string "x", expected a number/ },
  { kind: 'A JSON matrix with null, a string or a boolean', args: ['evaluate', 'null-x.json', '--backend', 'js'], exit: 2, message: /spec\.X: entry \[1, 0\] is null, expected a number/ },
  { args: ['evaluate', 'ctor.json', '--backend', 'js'], exit: 2, message: /activation: unknown activation "constructor"; use one of tanh/ },
  { args: ['hermite', '--activation', 'constructor'], exit: 2, message: /unknown activation "constructor"/ },
  { args: ['evaluate', 'seed.json', '--backend', 'js'], exit: 2, message: /seed: must be an integer/ },
  { args: ['evaluate', 'zero-sigma.json', '--backend', 'js'], exit: 2, message: /sigma0: must be a finite number > 0, got 0/ },
  { args: ['evaluate', 'not-json.json'], exit: 2, message: /not valid JSON/ },
  { args: ['evaluate', 'array.json'], exit: 2, message: /spec: is not a JSON object/ },
  { args: ['evaluate', 'npy-missing.json', '--backend', 'js'], exit: 2, message: /no-such\.npy: cannot be read/ },
  { args: ['evaluate', 'no-such.json'], exit: 2, message: /spec: no-such\.json cannot be read \(ENOENT\)/ },
  { kind: 'More memory than the machine (or --max-memory) has', args: ['evaluate', 'n20000.json', '--backend', 'js', '--max-memory', '16G'], exit: 2, message: /X: needs .* but only 16\.00 GiB fit; evaluate .* at n = 20000 exceeds --max-memory; n <= \d+ fits/ },
  { args: ['evaluate', 'n20000.json'], exit: 2, message: /X: needs .* n <= \d+ fits/ },
  { args: ['evaluate', 'n20000.json', '--max-memory', 'lots'], exit: 2, message: /--max-memory: expects a size such as 8G/ },
  { kind: 'Sizes too large for memory', args: ['evaluate', 'huge.json', '--backend', 'js'], exit: 2, message: /widths\[1\]: needs .* W_2 \(100000 x 100000\) is too large/ },
  { args: ['kernels', '--n', '100000', '--backend', 'js'], exit: 2, message: /--n: needs .* is too large/ },
  { args: ['evaluate', 'overflow.json', '--backend', 'js'], exit: 2, message: /X: is too large: K overflowed/ },
  { kind: 'A sweep setting out of range', args: ['sweep', '--vary', 'sizes'], exit: 2, message: /--vary: unknown "sizes"/ },
  { args: ['sweep', '--vary', 'width', '--values', 'abc', '--out', 'out-sweep-1'], exit: 2, message: /--values: has "abc", not a number/ },
  { args: ['sweep', '--vary', 'width', '--values', '10:1:1', '--out', 'out-sweep-2'], exit: 2, message: /--values: stop 1 is below start 10/ },
  { args: ['sweep', '--vary', 'width', '--sigma0', '1', '--nu0sq', '1', '--out', 'out-sweep-3'], exit: 2, message: /--sigma0: and --nu0sq are both given/ },
  { args: ['sweep', '--vary', 'width', '--activations', 'swish', '--out', 'out-sweep-4'], exit: 2, message: /--activations: unknown activation "swish"/ },
  { args: ['sweep', '--vary', 'width', '--seeds', '-1,2', '--out', 'out-sweep-5'], exit: 2, message: /--seeds: has -1/ },
  { args: ['sweep', '--vary', 'width', '--shard', '3/2', '--out', 'out-sweep-6'], exit: 2, message: /--shard: expects i\/N/ },
  { args: ['sweep', '--vary', 'n', '--values', '1e12', '--out', 'out-sweep-7', '--quiet', '--backend', 'js', '--seeds', '1', '--activations', 'tanh'], exit: 2, message: /n: needs .* is too large/ },
  { args: ['sweep', '--vary', 'depth', '--values', '0', '--out', 'out-sweep-8', '--quiet', '--backend', 'js'], exit: 2, message: /depth: must be a positive integer, got 0/ },
  { args: ['figure1', '--preset', 'huge'], exit: 2, message: /--preset: unknown preset "huge"/ },
  { args: ['figure1', '--widths', 'a', '--out', 'out-fig'], exit: 2, message: /--widths: has "a", not a number/ },
  { args: ['figure1', '--data', 'no-such.csv', '--out', 'out-fig-data'], exit: 2, message: /--data: no-such\.csv cannot be read \(ENOENT\)/ },
  { args: ['threshold', '--preset', 'huge'], exit: 2, message: /--preset: unknown preset "huge"/ },
  { args: ['threshold', '--ratios', '1:4:x1', '--out', 'out-th-1'], exit: 2, message: /--ratios: needs 0 < start <= stop and a factor > 1/ },
  { args: ['threshold', '--ns', '4', '--ratios', '1,1.1', '--out', 'out-th-2'], exit: 2, message: /ratios: 1 and 1\.1 give the same width m = 4 at n = 4/ },
  { args: ['threshold', '--taus', '0.5,2', '--out', 'out-th-3'], exit: 2, message: /--taus: has 2/ },
  { args: ['merge', 'no-such-dir', '--out', 'out-merge'], exit: 2, message: /no-such-dir: has no config\.json/ },
  { args: ['report', 'no-such-dir'], exit: 2, message: /no-such-dir/ },
  { args: ['kernels', '--n', '0'], exit: 2, message: /--n: expects a positive integer/ },
  { args: ['demo', '--port', '99999'], exit: 2, message: /--port: expects an integer 0\.\.65535/ },
];
