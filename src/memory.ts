/**
 * Memory, estimated before any work. Every entry that builds n x n or n x m arrays (the
 * empirical NTK, `evaluateNetwork`, the infinite-width kernels, the eigensolvers, a sweep's
 * point, `ntk spectrum`) asks one estimator here for the bytes it will hold at its peak and
 * refuses, in microseconds, a request that cannot fit, with an {@link NtkMemoryError} that
 * says what would fit (the largest n for these widths).
 *
 * An estimate has two parts, counted in float64 values:
 * - `js`: arrays the call keeps on the JS side while it runs (weights and activations reused
 *   between calls, K, the layerwise terms and Gram matrices, the theory's kernels, the scaled
 *   copies the eigensolvers make, the Lanczos basis, result copies);
 * - `kernel`: the largest single backend call (wasm: its heap frame, which stays committed
 *   because wasm memory never shrinks; js: the temporaries of that call, e.g. the column-major
 *   copy of a Cholesky factor). Only one kernel call runs at a time, so the peak is js + kernel.
 *
 * The limits: wasm32's 4 GiB for the kernel part on the wasm backend (less the module's static
 * data and per-thread workspaces), the largest JS typed array for each array, and the memory
 * the host has available (Node: `process.availableMemory()`, which follows cgroup limits, else
 * `os.freemem()`), or the limit set with {@link setMemoryLimit} / a call's `maxMemory` option /
 * the CLI's `--max-memory`. test/memory-estimate.test.ts measures peak RSS and wasm memory at
 * several sizes against these estimates.
 * @module
 */
import { NtkInputError, NtkMemoryError, formatBytes } from './errors.js';

/** Bytes a request holds at its peak, in two parts (see the module comment). */
export interface MemoryEstimate {
  /** Bytes of JS-side arrays held during the call. */
  js: number;
  /** Bytes of the largest single backend call (the wasm heap frame, or the js backend's temporaries). */
  kernel: number;
  /**
   * Bytes of all backend calls' temporaries together (default: `kernel`). The wasm backend reuses
   * one heap for every call, so its peak is `js + kernel`; the js backend's temporaries are
   * garbage the collector frees when it chooses, so they are counted together: `js + transient`.
   */
  transient?: number;
}

/** What a memory check needs to know of the backend (a {@link Backend} satisfies it). */
export interface MemoryBackend {
  /** `wasm` or `js`. */
  readonly kind: string;
  /** Most float64 values one backend call may hold (wasm: what fits in 4 GiB beside its static data). */
  readonly maxElements: number;
}

/**
 * What the JS engine itself adds to any request: heap growth for result arrays of numbers,
 * compiled code and small garbage not yet collected (measured below 8 MiB at n = 1000-3000 in
 * test/memory-estimate.test.ts).
 */
export const ENGINE_OVERHEAD = 16 * 2 ** 20;

/** Total bytes of an estimate on a backend of this kind (see {@link MemoryEstimate.transient}). */
export function totalBytes(e: MemoryEstimate, kind = 'wasm'): number {
  return ENGINE_OVERHEAD + e.js + (kind === 'wasm' ? e.kernel : Math.max(e.kernel, e.transient ?? e.kernel));
}

const F64 = 8;
/** Lanczos vectors lambdaMin may keep (its default maxIter), each of length n. */
const LANCZOS_VECTORS = 300;
/** Block size of the tridiagonalization (src/backend/js/linalg.ts EIG_BLOCK). */
const EIG_NB = 32;
/** Right-hand sides a Cholesky factor's solve scratch holds (src/backend/wasm/linalg.ts). */
const RHS_BLOCK = 16;
/**
 * Scratch of the paired solve (src/backend/wasm/linalg.ts): its counters (2 values) and the
 * two threads' partial sums of a block of SOLVE_BLOCK = 64 columns.
 */
const SOLVE_SCRATCH = 2 + 2 * 64;
/** Terms of the Mehler series the infinite-width kernels may tabulate (MEHLER_RMAX). */
const MEHLER_TERMS = 128;

let limitOverride: number | null = null;

/**
 * Sets the memory every later request may use (bytes), in place of what the host reports as
 * available; `null` restores the default. The CLI's `--max-memory` calls this.
 * @throws NtkInputError-like RangeError... never: callers validate (see {@link parseMemorySize}).
 */
export function setMemoryLimit(bytes: number | null): void {
  limitOverride = bytes;
}

/** The memory a request may use and where that figure comes from. */
export interface MemoryBudget {
  /** Bytes. */
  bytes: number;
  /** `maxMemory`, `--max-memory` (set with {@link setMemoryLimit}), `available memory` or `unknown`. */
  source: string;
}

/**
 * The memory a request may use: `maxMemory` when given, else the limit of
 * {@link setMemoryLimit}, else what the host has available (Node), else Infinity (browsers do
 * not say; wasm's 4 GiB and the typed-array limit still apply).
 */
export function memoryBudget(maxMemory?: number): MemoryBudget {
  if (maxMemory !== undefined) {
    if (typeof maxMemory !== 'number' || !(maxMemory >= 1)) {
      throw new NtkInputError('maxMemory', `must be a number of bytes >= 1, got ${String(maxMemory)}`, 'pass e.g. maxMemory: 8 * 2 ** 30, or leave it out to use the available memory');
    }
    return { bytes: maxMemory, source: 'maxMemory' };
  }
  if (limitOverride !== null) return { bytes: limitOverride, source: '--max-memory' };
  const p = (globalThis as { process?: { availableMemory?: () => number; getBuiltinModule?: (m: string) => unknown } }).process;
  let avail = typeof p?.availableMemory === 'function' ? p.availableMemory() : NaN;
  if (!(avail > 0)) {
    const os = p?.getBuiltinModule?.('node:os') as { freemem(): number } | undefined;
    if (os) avail = os.freemem();
  }
  return avail > 0 ? { bytes: avail, source: 'available memory' } : { bytes: Infinity, source: 'unknown' };
}

/**
 * Parses a size for `--max-memory` / `maxMemory`: bytes, or a number with a unit (k, M, G, T,
 * with or without `iB`/`B`, binary multiples). Returns null when `s` is not such a size.
 */
export function parseMemorySize(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(?:i?[bB])?\s*$/.exec(s);
  if (!m) return null;
  const mult = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const v = Number(m[1]) * mult;
  return Number.isFinite(v) && v >= 1 ? Math.floor(v) : null;
}

/** Most float64 values one JS typed array may hold (V8 on 64-bit hosts: 2^31 - 1 here, as validate.ts). */
const MAX_ARRAY = 2 ** 31 - 1;

/** A request to check: its estimate as a function of its size, so the error can say what fits. */
export interface MemoryRequest {
  /** The parameter whose size is at fault (`X`, `n`, `--n`, `K`). */
  parameter: string;
  /** What is being computed, for the message (`evaluateNetwork with widths [64, 64]`). */
  what: string;
  /** The size being asked for (usually n). */
  size: number;
  /** Its name in the message (`n`). */
  sizeName: string;
  /** The estimate at a given size (monotone in it). */
  estimate: (size: number) => MemoryEstimate;
  /** The largest single array at a given size, in float64 values (checked against the typed-array limit). */
  largestArray?: (size: number) => number;
  /** How to get below the limit besides a smaller size. */
  fix?: string;
}

/** Why a size does not fit, or null. */
function misfit(req: MemoryRequest, size: number, be: MemoryBackend | undefined, budget: MemoryBudget):
  { need: number; have: number; where: string } | null {
  const e = req.estimate(size);
  if (be && be.kind === 'wasm' && e.kernel > be.maxElements * F64) {
    return { need: e.kernel, have: be.maxElements * F64, where: 'wasm memory (its largest kernel call; wasm32 addresses 4 GiB)' };
  }
  const big = req.largestArray?.(size) ?? 0;
  if (big > MAX_ARRAY) return { need: big * F64, have: MAX_ARRAY * F64, where: 'one JavaScript array' };
  const t = totalBytes(e, be?.kind ?? 'js');
  if (t > budget.bytes) return { need: t, have: budget.bytes, where: budget.source };
  return null;
}

/**
 * Refuses, before anything is allocated, a request whose estimate does not fit the backend's
 * wasm memory, the largest JS array, or the memory budget ({@link memoryBudget}).
 * @returns the estimate, in bytes (callers may print it).
 * @throws NtkMemoryError naming `req.parameter`, with the largest size that fits.
 */
export function checkMemory(req: MemoryRequest, be?: MemoryBackend, maxMemory?: number): MemoryEstimate {
  const budget = memoryBudget(maxMemory);
  const bad = misfit(req, req.size, be, budget);
  if (!bad) return req.estimate(req.size);
  // The largest size that fits, by bisection (the estimate is monotone in the size).
  let lo = 0, hi = req.size;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (misfit(req, mid, be, budget)) hi = mid; else lo = mid;
  }
  const fits = lo >= 1 ? `${req.sizeName} <= ${lo} fits` : `no ${req.sizeName} fits`;
  throw new NtkMemoryError(req.parameter, bad.need, bad.have,
    `${req.what} at ${req.sizeName} = ${req.size} exceeds ${bad.where}; ${fits}: ${req.fix ?? `use a smaller ${req.sizeName}`}` +
    (bad.where === budget.source && budget.source === 'available memory' ? ' (or free memory, or set --max-memory / maxMemory above what is available at your own risk)' : '') +
    (bad.where.startsWith('wasm') ? ' (or the js backend, which is not limited to 4 GiB)' : ''));
}

/** The sum of estimates (arrays held together; the largest kernel call of them all). */
export function combine(...parts: MemoryEstimate[]): MemoryEstimate {
  return {
    js: parts.reduce((s, p) => s + p.js, 0), kernel: Math.max(0, ...parts.map((p) => p.kernel)),
    transient: parts.reduce((s, p) => s + (p.transient ?? p.kernel), 0),
  };
}

/** Options of {@link ntkMemory}: what {@link empiricalNtk}'s options add. */
export interface NtkMemoryOptions {
  /** The L+1 layerwise terms are kept. */
  terms?: boolean;
  /** The L+1 Gram matrices are kept. */
  grams?: boolean;
  /** K is written into a caller's buffer (not counted). */
  out?: boolean;
}

/**
 * The empirical NTK of a network with input dimension d and hidden widths on n samples: the
 * 2L reused n x m_l buffers (pre-activations / phi', activations), the backward pass's
 * n x m_{l-1} buffer, the wasm backend's kept copies of W_2..W_L, f and the row norms, K,
 * and the terms and Grams when asked; the largest
 * kernel call is a GEMM, SYRK or the fused Gram-Hadamard with K. The weights and X exist
 * before the call and are not counted (see {@link networkMemory}).
 */
export function ntkMemory(n: number, d: number, widths: readonly number[], o: NtkMemoryOptions = {}): MemoryEstimate {
  const dims = [d, ...widths];
  const L = widths.length;
  const nn = n * n;
  let js = n * Math.max(...dims) + n + (L + 1) * n;
  for (const m of widths) js += 2 * n * m;
  // K's working copy (kept between calls) and the result (unless written into the caller's `out`).
  js += nn;
  // The wasm backend's kept copies of W_2..W_L (read by the forward and the backward GEMM).
  for (let l = 2; l <= L; l++) js += dims[l]! * dims[l - 1]!;
  if (!o.out) js += nn;
  if (o.terms) js += (L + 1) * nn;
  if (o.grams) js += (L + 1) * nn;
  let kernel = 0;
  for (let l = 1; l <= L; l++) {
    const m = dims[l]!, mp = dims[l - 1]!;
    kernel = Math.max(kernel, n * mp + m * mp + n * m, n * mp + n * m + nn, n * m + nn);
  }
  return { js: js * F64, kernel: kernel * F64 };
}

/** Weights W_1..W_L and v of a network with these sizes, plus X (n x d). */
export function networkMemory(n: number, d: number, widths: readonly number[]): MemoryEstimate {
  const dims = [d, ...widths];
  let js = n * d + widths[widths.length - 1]!;
  for (let l = 1; l < dims.length; l++) js += dims[l]! * dims[l - 1]!;
  return { js: js * F64, kernel: 0 };
}

/** Which eigensolver: all eigenvalues, eigenpairs, or lambda_min (Cholesky + Lanczos, tridiagonal fallback). */
export type EigKind = 'eigvalsh' | 'eigh' | 'lambdaMin';

/**
 * An eigensolver on an n x n matrix that exists already: the scaled copy `prepare` may make,
 * the outputs, and the Lanczos basis; the kernel call holds the matrix (Cholesky: and a copy of
 * it) with the tridiagonalization's workspace.
 */
export function eigMemory(n: number, kind: EigKind): MemoryEstimate {
  const nn = n * n;
  const tri = nn + 3 * n + 3 * n * EIG_NB;
  if (kind === 'eigvalsh') return { js: (nn + n) * F64, kernel: tri * F64 };
  if (kind === 'eigh') return { js: (2 * nn + n) * F64, kernel: (2 * nn + 3 * n + 4 * n * EIG_NB + EIG_NB * EIG_NB + 64 * EIG_NB) * F64 };
  // The Lanczos basis sits beside the factor (wasm memory for the wasm backend), with one more
  // vector for the step in progress; the driver keeps a few vectors of its own.
  const basis = (Math.min(n, LANCZOS_VECTORS) + 1) * n + LANCZOS_VECTORS + 2 + SOLVE_SCRATCH;
  return { js: (nn + 6 * n) * F64, kernel: Math.max(2 * nn + 2 * n * RHS_BLOCK + basis, tri) * F64 };
}

/** Options of {@link infiniteWidthMemory}. */
export interface InfiniteWidthMemoryOptions {
  /** E_1 is kept (default true, as `infiniteWidth`'s `spectrum`). */
  keepE1?: boolean;
  /** lambda_min of Theta, NNGP and E_1 are computed (default true). */
  spectrum?: boolean;
  /** Theta and the NNGP are written into the caller's arrays (not counted). */
  outputs?: boolean;
  /** Highest Mehler series degree (default 128, as the kernels' `rmax`). */
  rmax?: number;
}

/**
 * The infinite-width NTK and NNGP on n samples: Theta, the NNGP, Sigma, the pair kernels
 * (E and E', 2 n^2, kept between calls) and E_1 (2 n^2) when kept, the Mehler tables; the
 * largest kernel call is the pair-kernel map (Sigma in, 2 n^2 out) or lambda_min.
 */
export function infiniteWidthMemory(n: number, d: number, o: InfiniteWidthMemoryOptions = {}): MemoryEstimate {
  const nn = n * n;
  const spectrum = o.spectrum ?? true;
  const keep = o.keepE1 ?? spectrum;
  const tab = 2 * 2 * ((o.rmax ?? MEHLER_TERMS) + 1) * n;
  const js = (o.outputs ? 0 : 2 * nn) + nn + 2 * nn + (keep ? 2 * nn : 0) + tab + (4 + d) * n;
  const map = nn + n + 2 * tab + 4 * n + 2 * nn + 64;
  const e = { js: js * F64, kernel: map * F64 };
  // lambda_min of Theta, of the NNGP and (when kept) of E_1.
  const eig = eigMemory(n, 'lambdaMin');
  return spectrum ? combine(e, eig, eig, ...(keep ? [eig] : [])) : e;
}

/**
 * `evaluateNetwork` (and `ntk evaluate`): the NTK with its L+1 terms and Grams, all eigenvalues
 * of K, lambda_min of the last Gram matrix, and with the theory the infinite-width kernels and
 * Lemma 4.1's per-layer kernels (Sigma copy and 2 n^2 pair kernels); with `full`, K as nested
 * arrays (n^2 numbers in n arrays).
 */
export function evaluateMemory(n: number, d: number, widths: readonly number[], o: { theory?: boolean; full?: boolean } = {}): MemoryEstimate {
  const nn = n * n;
  const parts = [ntkMemory(n, d, widths, { terms: true, grams: true }), eigMemory(n, 'eigvalsh'), eigMemory(n, 'lambdaMin')];
  if (o.theory !== false) {
    parts.push(infiniteWidthMemory(n, d));
    // Lemma 4.1 per layer: a scaled copy of the Gram matrix, its pair kernel E (built like
    // lambda_1's), and lambda_min of E and of the next Gram matrix.
    for (let l = 1; l <= widths.length; l++) parts.push(lambda1Memory(n, d), eigMemory(n, 'lambdaMin'));
  }
  if (o.full) parts.push({ js: (nn + 4 * n) * F64, kernel: 0 });
  return combine(...parts);
}

/**
 * One point of a sweep: X and the network (recycled between points), K (kept for the next
 * point), lambda_min with lambda_max of K, then the infinite-width kernels (no outputs kept
 * besides the scalars) and lambda_1's matrix.
 */
/**
 * lambda_1's matrix E_1 on n samples (Sigma_1 and E_1, n^2 each, the Mehler tables) and,
 * with `spectrum`, its lambda_min.
 */
export function lambda1Memory(n: number, d: number, o: { spectrum?: boolean; rmax?: number } = {}): MemoryEstimate {
  const nn = n * n;
  const tab = 2 * ((o.rmax ?? MEHLER_TERMS) + 1) * n;
  const e = { js: (2 * nn + tab + (2 + d) * n) * F64, kernel: (2 * nn + n + 2 * tab + 2 * n + 64) * F64 };
  return o.spectrum === false ? e : combine(e, eigMemory(n, 'lambdaMin'));
}

export function sweepPointMemory(n: number, d: number, widths: readonly number[]): MemoryEstimate {
  return combine(networkMemory(n, d, widths), ntkMemory(n, d, widths), eigMemory(n, 'lambdaMin'), infiniteWidthMemory(n, d));
}

/** A short description of widths for messages. */
export function describeWidths(widths: readonly number[]): string {
  return widths.length <= 4 ? `[${widths.join(', ')}]` : `[${widths.slice(0, 3).join(', ')}, ... (${widths.length} layers)]`;
}

/** Bytes in a human unit (re-exported for messages of callers). */
export { formatBytes };
