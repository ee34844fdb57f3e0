/**
 * The empirical NTK Gram matrix at initialization by the layerwise formula of the proof of
 * Theorem 4.1 (never through an n x p Jacobian):
 *
 *   K = sum_{l=1..L} (A_{l-1} A_{l-1}^T / m_{l-1}) o (B_l B_l^T) + A_L A_L^T / m_L,
 *
 * `o` the Hadamard product (the paper's text says Kronecker; docs/conventions.md), A_l the n x m_l
 * activations (A_0 = X), and B_l (row i = df/dh_l(x_i)) from the backward recursion
 * `B_L = phi'(H_L) * v^T / sqrt(m_L)`, `B_l = phi'(H_l) o (B_{l+1} W_{l+1}) / sqrt(m_l)`.
 * About 2 n m^2 flops per layer plus the n^2 m Gram terms ({@link ntkUsefulFlops} counts them),
 * all in the backend's GEMM (activation and Hadamard product fused into its epilogue), SYRK and
 * fused Gram-Hadamard kernels.
 * @module
 */
import { getBackend } from '../backend/default.js';
import type { Backend } from '../backend/types.js';
import { NtkInputError } from '../errors.js';
import type { Matrix, MatrixLike } from '../matrix.js';
import { checkMemory, describeWidths, ntkMemory } from '../memory.js';
import { toData } from './data.js';
import { checkNetwork, type Network } from './network.js';

/** Options of {@link empiricalNtk}. */
export interface EmpiricalNtkOptions {
  /** Backend for the kernels (default: the default backend). */
  backend?: Backend;
  /** Also return the L+1 layerwise terms (costs L+1 more n x n matrices). */
  terms?: boolean;
  /** Also return the Gram matrices A_l A_l^T / m_l, l = 0..L (L+1 more n x n matrices). */
  grams?: boolean;
  /**
   * Keep the 2L intermediate n x m_l buffers for the next call (default true): fresh memory is
   * slow to touch (page faults; on some VMs several ms per MB), and a sweep calls this hundreds
   * of times with similar sizes. {@link releaseNtkScratch} frees them.
   */
  reuseBuffers?: boolean;
  /**
   * Storage for K (at least n*n values; K is written into its first n*n): a sweep passes the
   * previous point's K so each point does not fault in n^2 fresh pages (~0.4 s at n = 4000 on
   * some VMs). The returned `K.data` is then a view of it, overwritten by the next such call.
   * @throws NtkInputError when shorter than n*n.
   */
  out?: Float64Array;
  /**
   * Bytes this call may use (default: the host's available memory, or the limit of
   * setMemoryLimit / `--max-memory`); the estimate (src/memory.ts) is checked against it first.
   */
  maxMemory?: number;
}

/**
 * Intermediate buffers kept between {@link empiricalNtk} calls, one set per backend, taken from
 * the backend's `allocate` so that (wasm on shared memory) the layers' products, activations,
 * derivatives and K itself stay in wasm memory from kernel to kernel: no copies in and out
 * between layers. Callers only ever see K, f and the row norms, which are fresh arrays (or `out`).
 */
class Scratch {
  private bufs: Float64Array[] = [];
  constructor(private readonly be: Backend) {}
  /**
   * Views of `sizes[i]` values of buffer i. All sizes are known up front, so when any buffer is
   * too short every buffer is re-allocated at once (the backend frees its buffers only together).
   */
  take(sizes: number[]): Float64Array[] {
    if (sizes.some((len, i) => !this.bufs[i] || this.bufs[i]!.length < len)) {
      this.clear();
      this.bufs = sizes.map((len) => this.be.allocate(len));
    }
    return sizes.map((len, i) => this.bufs[i]!.subarray(0, len));
  }
  clear(): void {
    this.bufs = [];
    this.be.freeBuffers();
  }
}

// Weak: a backend the caller dropped takes its buffers with it.
let scratches = new WeakMap<Backend, Scratch>();
let holders: WeakRef<Backend>[] = [];

/** Frees the intermediate buffers {@link empiricalNtk} keeps between calls. */
export function releaseNtkScratch(): void {
  for (const r of holders) {
    const be = r.deref();
    if (be) scratches.get(be)?.clear();
  }
  scratches = new WeakMap();
  holders = [];
}

/**
 * The n x m_l buffers of one call: h_l (pre-activations, then phi'(h_l), then B_l) and a_l
 * (activations) for l = 1..L, K's working copy (n x n), and the backward product's temporary
 * when some A_l is too short to host it. Kept per backend when `reuse` and they fit in the
 * backend's memory beside the largest kernel call's copies (`perCall` values, as if no buffer
 * were resident: near the memory ceiling the call then runs as it would without them); else fresh.
 * Kept wasm buffers also hold a copy of W_l for l >= 2 (`w[l]`, else null), which the forward
 * and the backward GEMM both read: one copy into wasm memory per call instead of one per
 * GEMM (the copies run on the calling thread alone: ~5 ms each for a 2000 x 2000 W).
 */
function layerBuffers(be: Backend, n: number, dims: number[], reuse: boolean, perCall: number): { h: Float64Array[]; a: Float64Array[]; k: Float64Array; tmp: Float64Array; w: (Float64Array | null)[] } {
  const L = dims.length - 1;
  let tmpLen = 0;
  for (let l = 2; l <= L; l++) if (dims[l]! < dims[l - 1]!) tmpLen = Math.max(tmpLen, n * dims[l - 1]!);
  const sizes = [n * n, tmpLen];
  for (let l = 1; l <= L; l++) sizes.push(n * dims[l]!, n * dims[l]!);
  let bufs: Float64Array[];
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  const fits = sum(sizes) + perCall <= be.maxElements;
  // W copies only where the kept buffers are wasm memory (a js backend reads W where it is), and
  // only when they fit too: near the ceiling the layer buffers matter more (each GEMM then
  // copies its W in, as it would without them).
  const wSizes: number[] = [];
  if (be.kind === 'wasm') for (let l = 2; l <= L; l++) wSizes.push(dims[l]! * dims[l - 1]!);
  if (sum(sizes) + sum(wSizes) + perCall > be.maxElements) wSizes.length = 0;
  // Buffers kept from an earlier call would only narrow the room this one's kernel calls need.
  if (!fits) scratches.get(be)?.clear();
  if (reuse && fits) {
    let s = scratches.get(be);
    if (!s) {
      s = new Scratch(be);
      scratches.set(be, s);
      holders = holders.filter((r) => r.deref() !== undefined);
      holders.push(new WeakRef(be));
    }
    bufs = s.take([...sizes, ...wSizes]);
  } else {
    bufs = sizes.map((len) => new Float64Array(len));
  }
  const h: Float64Array[] = [new Float64Array(0)], a: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L; l++) { h.push(bufs[2 * l]!); a.push(bufs[2 * l + 1]!); }
  const w: (Float64Array | null)[] = [null, null];
  for (let l = 2; l <= L; l++) w.push(bufs[2 * L + l] ?? null);
  return { h, a, k: bufs[0]!, tmp: bufs[1]!, w };
}

/** What {@link empiricalNtk} returns. */
export interface EmpiricalNtk {
  /** The n x n NTK Gram matrix K = J J^T, exactly symmetric. */
  K: Matrix;
  /** Network outputs f(x_i), length n. */
  f: Float64Array;
  /**
   * Row norms per layer: `cli[l][i] = ||alpha_l(x_i)|| / sqrt(m_l)` for l = 0..L (layer 0 is
   * x_i / sqrt(d)); Lemma 4.2 and Theorem 4.2 use them.
   */
  cli: Float64Array[];
  /** The L+1 terms (W_1, ..., W_L, v) when asked for: K is their sum. */
  terms?: Matrix[];
  /**
   * With `grams`: the n x n Gram matrices `A_l A_l^T / m_l` for l = 0..L (A_0 = X, m_0 = d);
   * Lemma 4.1 bounds lambda_min of the layer-l one below by lambda_l / 4.
   */
  grams?: Matrix[];
}

/**
 * Computes the empirical NTK of `net` on the rows of `X`.
 * @param X n x d data (rows are samples).
 * @throws NtkInputError when net is not a whole Network, X is not n x d or has NaN/Inf, or
 *   values so large that K overflows; NtkMemoryError when the buffers cannot be allocated
 *   (checked before allocating).
 */
export function empiricalNtk(net: Network, X: MatrixLike, opts: EmpiricalNtkOptions = {}): EmpiricalNtk {
  checkNetwork(net);
  const be = opts.backend ?? getBackend();
  const x = toData(X, net.d);
  const n = x.rows, L = net.L;
  const dims = [net.d, ...net.widths];
  const perCall = checkNtkMemory(n, dims, net, be, opts);
  const reuse = opts.reuseBuffers ?? true;
  const buf = layerBuffers(be, n, dims, reuse, perCall);

  // Forward pass. A[l] = alpha_l (A[0] = X), D[l] = phi'(h_l) (l >= 1); h_l = A[l-1] W_l^T /
  // sqrt(m_{l-1}) is computed into D[l] and overwritten by phi' in the GEMM's epilogue, block by
  // block while in cache (no second pass over h_l).
  const A: Float64Array[] = [x.data];
  const D: Float64Array[] = [new Float64Array(0)];
  // W_l as the kernels read it: the kept copy (made here, once) when there is one.
  const W: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L; l++) {
    const kept = buf.w[l];
    if (kept) kept.set(net.W[l - 1]!.data);
    W.push(kept ?? net.W[l - 1]!.data);
  }
  for (let l = 1; l <= L; l++) {
    const m = dims[l]!, mp = dims[l - 1]!;
    const h = buf.h[l]!, a = buf.a[l]!;
    be.gemmActivation(true, n, m, mp, 1 / Math.sqrt(mp), A[l - 1]!, W[l]!, net.activation.id, a, h);
    A.push(a);
    D.push(h);
  }
  const mL = dims[L]!;
  const f = new Float64Array(n);
  be.gemm(false, false, n, 1, mL, 1 / Math.sqrt(mL), A[L]!, net.v, 0, f);
  const cli = A.map((a, l) => { const c = new Float64Array(n); be.rowNorms(a, n, dims[l]!, c); return c; });
  const grams = opts.grams ? A.map((a, l) => {
    const G = new Float64Array(n * n);
    be.syrk(n, dims[l]!, 1 / dims[l]!, a, 0, G);
    return { rows: n, cols: n, data: G };
  }) : undefined;

  // K accumulates in the working buffer (in wasm memory: no copy per layer) and is copied out once.
  // Without terms only its lower triangle is updated, term after term, and the last term (W_1's)
  // mirrors it: one pass over the upper triangle per call instead of one per term.
  const K = buf.k;
  const terms: Matrix[] | undefined = opts.terms ? [] : undefined;
  // v's term: A_L A_L^T / m_L.
  be.syrk(n, mL, 1 / mL, A[L]!, 0, K, !terms);
  if (terms) terms[L] = { rows: n, cols: n, data: K.slice() };

  // Backward: B_L = phi'(H_L) * v^T / sqrt(m_L), in place over D[L].
  let B = D[L]!;
  be.scaleCols(B, n, mL, net.v, 1 / Math.sqrt(mL));
  for (let l = L; l >= 1; l--) {
    const m = dims[l]!, mp = dims[l - 1]!;
    // W_l's term: (A_{l-1} A_{l-1}^T / m_{l-1}) o (B_l B_l^T).
    if (terms) {
      const t = new Float64Array(n * n);
      be.gramHadamardAcc(n, mp, A[l - 1]!, m, B, 1 / mp, t);
      be.axpy(K, 1, t);
      terms[l - 1] = { rows: n, cols: n, data: t };
    } else {
      be.gramHadamardAcc(n, mp, A[l - 1]!, m, B, 1 / mp, K, l > 1);
    }
    if (l > 1) {
      // B_{l-1} = phi'(H_{l-1}) o (B_l W_l) / sqrt(m_{l-1}), the product in the GEMM's epilogue.
      // A_l is no longer needed: it holds the product.
      const tmp = A[l]!.length >= n * mp ? A[l]!.subarray(0, n * mp) : buf.tmp.subarray(0, n * mp);
      be.gemmHadamard(false, n, mp, m, 1 / Math.sqrt(mp), B, W[l]!, D[l - 1]!, tmp);
      B = D[l - 1]!;
    }
  }
  // Checked where K is (wasm memory, split over threads), then copied out once.
  checkOverflow(be, K, n, x.data, net);
  const Kout = kStorage(opts.out, n);
  Kout.set(K);
  const out: EmpiricalNtk = { K: { rows: n, cols: n, data: Kout }, f, cli };
  if (terms) out.terms = terms;
  if (grams) out.grams = grams;
  return out;
}

/**
 * Useful floating-point operations of one {@link empiricalNtk} call on n samples through layer
 * widths `dims` = [d, m_1, ..., m_L]: what the formula needs, nothing counted twice. The forward
 * products `A_{l-1} W_l^T` (2 n m_l m_{l-1}, l = 1..L), the backward products `B_l W_l`
 * (2 n m_l m_{l-1}, l = 2..L), and one symmetric n x n Gram product per factor of the layer sum,
 * n^2 k each (the lower half of 2 n^2 k): `A_l A_l^T` for l = 0..L (A_L's is v's term) and
 * `B_l B_l^T` for l = 1..L. Activations, Hadamard products, mirroring and copies are overhead and
 * not counted. For n = m, L = 2: 2 n d m + 4 n m^2 + n^2 (d + 4 m), 65.2 GFLOP at n = m = 2000,
 * d = 100. The benchmarks (bench/suites/ntk.mjs) divide it by the time of a call to compare the
 * build's rate with GEMM's.
 */
export function ntkUsefulFlops(n: number, dims: readonly number[]): number {
  const L = dims.length - 1;
  let f = 0;
  for (let l = 1; l <= L; l++) f += 2 * n * dims[l]! * dims[l - 1]! * (l >= 2 ? 2 : 1);
  for (let l = 0; l <= L; l++) f += n * n * dims[l]!;
  for (let l = 1; l <= L; l++) f += n * n * dims[l]!;
  return f;
}

function kStorage(out: Float64Array | undefined, n: number): Float64Array {
  if (out === undefined) return new Float64Array(n * n);
  if (!(out instanceof Float64Array) || out.length < n * n) {
    throw new NtkInputError('out', `must be a Float64Array of at least n*n = ${n * n} values, got ${out instanceof Float64Array ? out.length : typeof out}`,
      'pass a large enough buffer, or leave out undefined');
  }
  // syrk with beta = 0 below ignores the old contents: nothing to clear.
  return out.subarray(0, n * n);
}

/**
 * Finite X and weights can still overflow: `||x||^2 / d` or a Gram entry beyond 1.8e308 makes K
 * infinite, and infinity times a saturated phi' = 0 makes it NaN. Say so, naming the input,
 * rather than hand a NaN K to the eigensolver (which would blame K).
 */
function checkOverflow(be: Backend, K: Float64Array, n: number, x: Float64Array, net: Network): void {
  // One pass over K in the backend (wasm: split over threads): a row's norm is finite unless the
  // row holds NaN or Infinity, or squares beyond 1.8e308 (finite entries: the row scan below
  // passes them).
  const norms = new Float64Array(n);
  be.rowNorms(K, n, n, norms);
  const row = norms.findIndex((c) => !Number.isFinite(c));
  const j = row < 0 ? -1 : K.subarray(row * n).findIndex((v) => !Number.isFinite(v));
  const q = j < 0 ? -1 : row * n + j;
  if (q >= 0) {
    const maxAbs = (a: Float64Array) => { let m = 0; for (const v of a) m = Math.max(m, Math.abs(v)); return m; };
    const mx = maxAbs(x);
    const mw = Math.max(maxAbs(net.v), ...net.W.map((w) => maxAbs(w.data)));
    throw new NtkInputError(mx >= mw ? 'X' : 'W', `is too large: K overflowed to ${K[q]} at [${Math.floor(q / n)}, ${q % n}] (max |X| = ${mx.toPrecision(3)}, max |W|, |v| = ${mw.toPrecision(3)})`,
      'rescale the data (e.g. rows with ||x||^2 = d) or the weights');
  }
}

/**
 * Refuses, before allocating, a computation whose buffers cannot fit: one kernel call beyond
 * the backend's per-call limit (wasm's 4 GiB), an array beyond a JS array's, or the whole set
 * beyond the memory budget (src/memory.ts counts every buffer).
 * @throws NtkMemoryError naming `X`, with the largest n that fits these widths.
 */
function checkNtkMemory(n: number, dims: number[], net: Network, be: Backend, opts: EmpiricalNtkOptions): number {
  const o = { terms: !!opts.terms, grams: !!opts.grams, out: opts.out !== undefined };
  const maxDim = Math.max(net.d, ...net.widths);
  checkMemory({
    parameter: 'X', what: `empiricalNtk with d = ${net.d} and widths ${describeWidths(net.widths)}${o.terms || o.grams ? ' (with terms/grams)' : ''}`,
    size: n, sizeName: 'n', estimate: (k) => ntkMemory(k, net.d, net.widths, o),
    largestArray: (k) => Math.max(k * k, k * maxDim), fix: 'reduce n or the widths',
  }, be, opts.maxMemory);
  // The largest single kernel call (layerBuffers keeps buffers resident only beside it).
  let perCall = 0;
  for (let l = 1; l <= net.L; l++) {
    const m = dims[l]!, mp = dims[l - 1]!;
    perCall = Math.max(perCall, n * m + m * mp + n * mp, n * mp + n * m + n * n);
  }
  return perCall;
}
