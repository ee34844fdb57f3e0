/**
 * The kernel layer of ntk-wasm: every numerical routine above it (networks, NTK, theory,
 * experiments) is written once against this interface, and it is implemented twice, by the
 * WebAssembly backend (`wasm`, AssemblyScript + SIMD) and by the pure TypeScript backend
 * (`js`, the reference and fallback).
 *
 * Conventions shared by every kernel:
 * - matrices are flat, row-major `Float64Array`s with the shapes given in each signature;
 * - outputs come first among the array arguments when a kernel writes one (`c` in `gemm`);
 * - a kernel never allocates its outputs: callers pass them, so buffers can be reused;
 * - kernels trust their arguments (shapes and lengths are checked by the public API in
 *   `src/validate.ts`), so they do no per-call validation on hot paths.
 * @module
 */
import type { ActivationId } from '../activations.js';

/** Which implementation a {@link Backend} is. */
export type BackendKind = 'wasm' | 'js';

/** Dense BLAS-3 style kernels (assembly/gemm.ts, assembly/syrk.ts and their js twins). */
export interface BlasKernels {
  /**
   * General matrix multiply `C = alpha * op(A) * op(B) + beta * C`.
   * `op(A)` is m x k (A is stored k x m when `transA`), `op(B)` is k x n (B stored n x k when
   * `transB`), C is m x n. With `beta = 0` the old contents of C are ignored (NaN-safe).
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
  ): void;
  /**
   * GEMM with the activation fused into its epilogue, the forward step of a layer of the
   * empirical NTK: `H = alpha * A * op(B)` (A m x k; op(B) k x n, B stored n x k when `transB`,
   * as a layer's weights are), then `phi(H)` into `phi` and `phi'(H)` into `dphi` (m x n each),
   * each block of H as soon as it is finished, while it is still in cache (wasm), instead of a
   * second pass over H. Equals `gemm` into `dphi` then `activation(id, dphi, phi, dphi)`.
   */
  gemmActivation(transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array,
    b: Float64Array, id: ActivationId, phi: Float64Array, dphi: Float64Array): void;
  /**
   * GEMM with an entrywise product fused into its epilogue, the backward step of the empirical
   * NTK (`B_{l-1} = phi'(H_{l-1}) o (B_l W_l) / sqrt(m_{l-1})`): `d = d o (alpha * A * op(B))`
   * (A m x k, op(B) k x n, d m x n; o: entrywise); `tmp` (m x n values) is scratch for the
   * product, its contents afterwards unspecified (a resident buffer saves the wasm backend a
   * frame buffer). Gives the bits of `gemm` into a temporary then `hadamard(d, d, temporary)`.
   */
  gemmHadamard(transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array,
    b: Float64Array, d: Float64Array, tmp: Float64Array): void;
  /**
   * Symmetric rank-k update `C = alpha * A * A^T + beta * C`, A is n x k, C is n x n.
   * The lower triangle is computed and mirrored, so C is exactly symmetric on return; with
   * `lowerOnly`, only the lower triangle (j <= i) is written and the strict upper triangle is
   * left as it was (a chain of updates into one matrix mirrors once, at its last call).
   */
  syrk(n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array, lowerOnly?: boolean): void;
  /**
   * Fused Gram-Hadamard accumulation `K += alpha * (A * A^T) o (B * B^T)` (o: entrywise),
   * A is n x ka, B is n x kb, K is n x n and exactly symmetric on return. This is one term
   * of the layerwise NTK formula (proof of Thm 4.1) without n x n temporaries. With
   * `lowerOnly`, only K's lower triangle is read and updated (the strict upper triangle is
   * left as it was), as in {@link syrk}.
   */
  gramHadamardAcc(n: number, ka: number, a: Float64Array, kb: number, b: Float64Array,
    alpha: number, k: Float64Array, lowerOnly?: boolean): void;
}

/** Elementwise kernels (assembly/activation.ts, assembly/elementwise.ts and their js twins). */
export interface ElementwiseKernels {
  /**
   * One pass over `x` writing `phi(x)` into `phi` and `phi'(x)` into `dphi` (either may be
   * null to skip it; either may alias `x`). Lengths are `x.length`.
   */
  activation(id: ActivationId, x: Float64Array, phi: Float64Array | null, dphi: Float64Array | null): void;
  /** `out[i] = a[i] * b[i]`; `out` may alias `a` or `b`. */
  hadamard(out: Float64Array, a: Float64Array, b: Float64Array): void;
  /** `y[i] += alpha * x[i]`. */
  axpy(y: Float64Array, alpha: number, x: Float64Array): void;
  /**
   * Column scaling of a rows x cols matrix in place: `a[i, j] *= alpha * s[j]`.
   * Used for `B_L = phi'(H_L) * v^T / sqrt(m_L)`.
   */
  scaleCols(a: Float64Array, rows: number, cols: number, s: Float64Array, alpha: number): void;
  /** `out[i] = sqrt(sum_j a[i, j]^2 / cols)`, a rows x cols; the same bits on every backend. */
  rowNorms(a: Float64Array, rows: number, cols: number, out: Float64Array): void;
}

/**
 * A Cholesky factor held by a backend (in wasm memory for the wasm backend) for the duration
 * of a {@link LinalgKernels.cholesky} call: solves with it without copying the factor again.
 */
export interface CholeskyFactor {
  /** Order of the matrix. */
  readonly n: number;
  /**
   * 0 when `A - shift*I` was numerically positive definite (every pivot > 0), else the
   * 1-based column where a pivot was <= 0 or NaN; then {@link solve} must not be called.
   */
  readonly info: number;
  /**
   * `X := (L L^T)^{-1} X` in place for `nrhs` vectors of length n stored one after another in
   * `x` (n x nrhs column-major; default 1), i.e. a solve with `A - shift*I`.
   */
  solve(x: Float64Array, nrhs?: number): void;
  /**
   * `Y = A X` with the ORIGINAL matrix (unshifted, lower triangle), for residuals; `nrhs`
   * vectors laid out as in {@link solve}. Only when the factor was made with `keepMatrix`.
   */
  multiply(x: Float64Array, y: Float64Array, nrhs?: number): void;
  /**
   * A Lanczos basis for the inverse of the factored matrix, kept next to the factor (in wasm
   * memory for the wasm backend: no copy per step). Present when the factor was made with
   * `krylov > 0` and the factorization succeeded.
   */
  readonly krylov?: KrylovBasis;
}

/**
 * The Krylov basis of Lanczos on `(A - shift*I)^{-1}` (src/linalg/lanczos.ts), held by the
 * backend beside the factor: one call per step does the solve, the three-term recurrence and
 * the full reorthogonalization (assembly/lanczos.ts and its js twin).
 */
export interface KrylovBasis {
  /** Basis vectors it holds at most (steps it can take). */
  readonly capacity: number;
  /** q_0 := v (a unit vector of length n). */
  start(v: Float64Array): void;
  /**
   * Lanczos step k (0-based; steps must come in order from 0 after {@link start}): w =
   * (A - shift*I)^{-1} q_k, alpha = q_k^T w, w -= alpha q_k + beta_{k-1} q_{k-1}, full
   * reorthogonalization of w against q_0..q_k (classical Gram-Schmidt, repeated once by the
   * DGKS criterion), beta = ||w||, q_{k+1} = w / beta. Writes alpha to out[0], beta to out[1].
   * @throws Error when k >= capacity.
   */
  step(k: number, betaPrev: number, out: Float64Array): void;
  /** y = sum_{j<m} s_j q_j (length n): the Ritz vector from coefficients s. */
  combine(s: Float64Array, m: number, y: Float64Array): void;
}

/**
 * Seconds per stage of a symmetric eigensolve, filled in by {@link LinalgKernels.symEigvals}
 * and {@link LinalgKernels.symEigh} when passed: `tridiagonalize` (Householder reduction),
 * `tridiagonal` (eigenvalues, or eigenpairs, of the tridiagonal matrix), `backTransform`
 * (eigenvectors back to the original basis; eigh only). Opt-in (wasm backend; when
 * `reductionPanel` is set before the call): `reductionPanel` and `reductionUpdate`, the parts
 * of a one-stage `tridiagonalize`. When an eigenvalue-only reduction runs in two stages
 * (orders from TWO_STAGE_MIN), `band` (dense to band, stage 1) and `bulge` (band to
 * tridiagonal, stage 2) are its parts.
 */
export type EigStages = Partial<Record<'tridiagonalize' | 'tridiagonal' | 'backTransform' | 'reductionPanel' | 'reductionUpdate' | 'band' | 'bulge', number>>;

/**
 * Dense symmetric eigen- and Cholesky kernels (assembly/cholesky.ts, assembly/tridiag.ts and
 * their js twins). Every matrix argument is an n x n row-major symmetric matrix of which only
 * the LOWER triangle is read (as numpy's `UPLO='L'`); inputs are never modified.
 */
export interface LinalgKernels {
  /**
   * All eigenvalues of `a`, ascending, into `w` (length >= n): blocked Householder
   * tridiagonalization then root-free QL (sterf, after LAPACK's dsterf), no eigenvectors.
   * `stages` (optional) receives the seconds per stage.
   * @returns 0, or k > 0 when the QL iteration did not converge for the k-th eigenvalue.
   */
  symEigvals(n: number, a: Float64Array, w: Float64Array, stages?: EigStages): number;
  /**
   * Eigenvalues ascending into `w` and eigenvectors into `v` (n x n row-major; column j is the
   * unit eigenvector of `w[j]`), so `A V = V diag(w)` and `V^T V = I`: blocked Householder
   * tridiagonalization, divide and conquer on the tridiagonal matrix, blocked (compact WY)
   * back-transformation. `stages` (optional) receives the seconds per stage.
   * @returns 0, or k > 0 when a QL leaf of the divide and conquer did not converge.
   */
  symEigh(n: number, a: Float64Array, w: Float64Array, v: Float64Array, stages?: EigStages): number;
  /**
   * The tridiagonal form T = Q^T A Q of `a` by the blocked Householder reduction of
   * {@link symEigvals}, without its QL: the diagonal into `d` (length >= n), the off-diagonal
   * into `e` (length >= n; e[i] = T[i+1][i] for i < n - 1). For callers that want a few
   * eigenvalues only (lambdaMin's tridiagonal route bisects for the extreme two).
   */
  symTridiagonal(n: number, a: Float64Array, d: Float64Array, e: Float64Array): void;
  /**
   * Blocked Cholesky `A - shift*I = L L^T`, then runs `body` with the factor (valid only inside
   * `body`: the wasm backend frees it afterwards) and returns what `body` returns.
   * @param keepMatrix also keep a copy of `A` for {@link CholeskyFactor.multiply}.
   * @param krylov room for this many Lanczos basis vectors ({@link CholeskyFactor.krylov}; default 0: none).
   * @throws NtkMemoryError (wasm) when the factor (and copy and basis) cannot fit in 4 GiB.
   */
  cholesky<T>(n: number, a: Float64Array, shift: number, keepMatrix: boolean, body: (f: CholeskyFactor) => T, krylov?: number): T;
}

/**
 * The O(n^2) pair loop of the infinite-width kernels (assembly/kernelmap.ts and its js twin;
 * src/theory/mehler.ts and series-tables.ts prepare its inputs).
 */
export interface KernelMapKernels {
  /**
   * Truncated generalized Mehler series for every pair i > j of n samples and `nser` (1 or 2)
   * functions g_s: `out[s][i,j] = out[s][j,i] = sum_{r<=R} coef[s][r][i] coef[s][r][j] rho^r`
   * with `rho = clamp(cov[i,j] * isd[i] * isd[j], -1, 1)`, and `out[s][i,i] = diag[s][i]`.
   * The sum stops after the first term r with r % 4 == 3 or r == nterms - 1 at which, for
   * every s, `|rho|^{r+1} tail[s][r][i] tail[s][r][j] <= eps` (the Cauchy-Schwarz bound on the
   * rest when tail holds sqrt of the Parseval tails beyond r, normalized); a pair that never
   * gets there is written as NaN so the caller can compute it another way, and counted in the
   * return value (0: every pair certified). `parity = 1` (odd
   * phi, nser = 2) skips the terms that vanish exactly: even r for series 0, odd r for series 1.
   * Shapes: cov n x n (row-major; only the strict lower triangle is read), isd n, coef and
   * tail nser x nterms x n (term-major), diag nser x n, out nser x n x n. js and wasm agree bitwise.
   */
  mehlerPairs(n: number, nser: number, nterms: number, cov: Float64Array, isd: Float64Array,
    coef: Float64Array, tail: Float64Array, diag: Float64Array, eps: number, parity: number, out: Float64Array): number;
}

/** The wasm builds (see src/backend/wasm/index.ts). */
export type WasmVariant = 'relaxed' | 'strict' | 'scalar';

/** Every kernel a backend provides. */
export interface Backend extends BlasKernels, ElementwiseKernels, LinalgKernels, KernelMapKernels {
  /** `'wasm'` or `'js'`. */
  readonly kind: BackendKind;
  /** Whether the kernels use 128-bit SIMD (wasm built with `enable: ["simd"]`). */
  readonly simd: boolean;
  /**
   * Which build runs: for wasm `'relaxed'` (fused multiply-add), `'strict'` (SIMD, separate
   * multiply and add: the same bits on every CPU) or `'scalar'`; `'js'` for the js backend.
   */
  readonly variant: WasmVariant | 'js';
  /** Threads the BLAS-3 kernels split work over (1 = the calling thread only). */
  readonly threads: number;
  /**
   * Largest number of float64 values one kernel call may hold at once (wasm: what fits in
   * the 4 GiB address space beside the module's own data; js: the largest typed array).
   */
  readonly maxElements: number;
  /** Bytes of wasm linear memory committed (its high-water mark; 0 for js). */
  memoryBytes(): number;
  /**
   * A float64 buffer of `length` values (contents unspecified) that this backend's kernels read
   * and write without copying: for wasm on shared memory a view of linear memory, so a chain of
   * kernel calls on such buffers (the empirical NTK's layers) moves no data in and out; else a
   * plain Float64Array. Valid until {@link freeBuffers}: never hand it to code that outlives that.
   */
  allocate(length: number): Float64Array;
  /** Frees every buffer {@link allocate} returned; their views must not be used afterwards. */
  freeBuffers(): void;
  /** Stops worker threads, if any; the backend must not be used afterwards. */
  dispose(): Promise<void>;
}
