/**
 * Pair expectations `E[g(u) g(u')]`, `(u, u') ~ N(0, [[a, s], [s, b]])`, for whole covariance
 * matrices: the kernels `E_l = E[phi phi]` and `Ed_l = E[phi' phi']` of the infinite-width
 * recursion and the matrix of lambda_1 (docs/conventions.md).
 *
 * Method (generalized Mehler formula):
 * `E[g(u) g(u')] = sum_r b_r(a) b_r(b) rho^r`, `rho = s / sqrt(a b)`, with `b_r` the orthonormal
 * Hermite coefficients of g under N(0, a) (hermite.ts). The coefficients are computed once per
 * distinct variance, all at once, as one GEMM of the trapezoid values of g against the table
 * of normalized Hermite polynomials (folded by parity, which halves it); the O(n^2) pair loop
 * runs in the backend (`mehlerPairs`, wasm SIMD over threads). Each pair's series stops when
 * the Cauchy-Schwarz bound on the rest,
 * `|sum_{r>R} b_r(a) b_r(b) rho^r| <= |rho|^{R+1} sqrt(T_a(R) T_b(R))`,
 * `T_a(R) = E[g^2] - sum_{r<=R} b_r(a)^2` (Parseval), falls below `tol * sqrt(E_a[g^2] E_b[g^2])`.
 * The bound is exact up to the rounding of the Parseval identity (~1e-16 relative).
 * Pairs it cannot certify within `rmax` terms (|rho| near 1 with slowly decaying coefficients,
 * e.g. tanh at variance 2-6) fall back to a 2-D product trapezoid in whitened coordinates
 * `u = sqrt(a) z1, u' = sqrt(b) (rho z1 + sqrt(1 - rho^2) z2)`, which stays accurate up to and
 * including |rho| = 1 (the inner variance then shrinks to 0), at (2K+1)^2 evaluations per pair
 * (~5 ms in JS at variance <= 4); a budget on their total turns hopeless cases (many
 * near-duplicate rows at variances ~1e4) into an error instead of hours.
 * @module
 */
import { activations, type Activation, type ActivationId } from '../activations.js';
import { erfForms, type GaussianClosedForms } from '../closed-forms.js';
import { getBackend } from '../backend/default.js';
import type { Backend } from '../backend/types.js';
import { NtkInputError } from '../errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../matrix.js';
import { finite, resolvePhi, trapezoidGrid, Z_MAX, type GridOptions, type PhiInput, type ScalarFn, type TrapezoidGrid } from './gauss.js';
import { checkDegree, normalizedHermiteTable } from './hermite.js';
import { scratch } from './scratch.js';

/** Default truncation tolerance of the Mehler series, relative to sqrt(E_a[g^2] E_b[g^2]). */
export const MEHLER_TOL = 1e-15;
/** Default highest Hermite degree of the Mehler series before the 2-D fallback. */
export const MEHLER_RMAX = 128;
/**
 * Largest pre-activation variance accepted: the trapezoid step shrinks like 1/sqrt(variance)
 * (tanh's poles come closer), so the grid grows like sqrt(variance): ~2.4e5 points at 1e6.
 */
export const MAX_VARIANCE = 1e6;
/** Grid values per temporary array (the distinct variances are processed in chunks). */
const CHUNK_ELEMENTS = 1 << 21;

/** Options of the pair expectations. */
export interface PairOptions extends GridOptions {
  /** Backend running the pair loop (default: the default backend). */
  backend?: Backend;
  /** Truncation tolerance relative to sqrt(E_a E_b) (default 1e-15). */
  tol?: number;
  /** Highest series degree before falling back to the 2-D trapezoid (default 128). */
  rmax?: number;
  /**
   * Output buffer to reuse (length >= n^2, or 2 n^2 with phi'): E is written to its first n^2
   * values and Ed to the next. Fresh memory is slow to touch on some hosts; callers that loop
   * (the infinite-width recursion) pass the same buffer each time.
   */
  out?: Float64Array;
  /**
   * @internal The largest off-diagonal |rho| below 1 - 1e-9 when the caller already knows it
   * (the infinite-width recursion computes it while writing Sigma): skips the scan of Sigma,
   * and with it the finiteness check, so only for matrices built by the library.
   */
  rhoMax?: number;
  /** @internal Grid values per temporary array in the coefficient tables (tests force chunking with it). */
  chunkElements?: number;
  /**
   * Most integrand evaluations the 2-D fallback may spend (default 2e9, ~a minute): beyond it
   * the call fails with an NtkInputError instead of running for hours (many pairs with |rho|
   * near 1 at large variances).
   */
  fallbackBudget?: number;
}

/** Statistics of one {@link gaussKernelMatrices} call. */
export interface PairStats {
  /** Distinct variances on the diagonal (= sets of series coefficients computed). */
  distinctVariances: number;
  /** Highest degree of the coefficient tables. */
  rmax: number;
  /** Pairs computed by the 2-D trapezoid fallback instead of the series. */
  fallbackPairs: number;
  /** Trapezoid step used (standardized variable). */
  h: number;
}

/** Result of {@link gaussKernelMatrices}. */
export interface KernelMatrices {
  /** `E[phi(u_i) phi(u_j)]`, n x n. */
  E: Matrix;
  /** `E[phi'(u_i) phi'(u_j)]`, n x n, when requested. */
  Ed: Matrix | null;
  /** How the pair expectations were computed. */
  stats: PairStats;
}

/**
 * Per-sample coefficient tables for the pair loop: for each series s and sample i, the
 * orthonormal coefficients b_0..b_R at variance var[i], the normalized square-root Parseval
 * tails `sqrt(T(r) / E[g^2])`, and `E[g^2]`.
 */
export interface SeriesTables {
  /** Samples (variances). */
  n: number;
  /** Functions expanded: 1 (phi) or 2 (phi and phi'). */
  nser: number;
  /** Highest degree R (tables hold R + 1 terms). */
  R: number;
  /** nser x (R+1) x n, term-major. */
  coef: Float64Array;
  /** Same layout: sqrt(T_s,i(r) / E_s,i), T(r) = E - sum_{q<=r} b_q^2 (clamped at 0). */
  tail: Float64Array;
  /** nser x n: E[g_s(u_i)^2]. */
  diag: Float64Array;
  /** Number of distinct variances. */
  distinct: number;
  /** The trapezoid grid the coefficients were computed on. */
  grid: TrapezoidGrid;
}

/** phi (and phi' when the activation provides it), with the backend id when built in. */
interface Fns {
  fns: ScalarFn[];
  builtinId: ActivationId | null;
}

function fnsOf(phi: PhiInput, derivative: boolean): Fns {
  const r = resolvePhi(phi);
  if (derivative && !r.dphi) {
    throw new NtkInputError('activation', 'phi\' is needed (infinite-width NTK) but a plain function has none',
      'pass an activation name or an Activation object with phi and dphi');
  }
  const fns = derivative ? [r.phi, r.dphi!] : [r.phi];
  const act = r.activation;
  const builtin = act && (activations as Record<string, Activation>)[act.name] === act ? act.id : null;
  return { fns, builtinId: builtin };
}

/**
 * Coefficient and tail tables for the samples' variances (see {@link SeriesTables}).
 * @param variances per-sample variances (>= 0, finite, at most MAX_VARIANCE = 1e6).
 * @param R highest degree.
 * @throws NtkInputError for a bad R, variance or activation.
 */
export function seriesTables(phi: PhiInput, variances: Float64Array, R: number,
  opts: PairOptions & { derivative?: boolean } = {}): SeriesTables {
  checkDegree(R, 'R');
  variances.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new NtkInputError('variances', `entry ${i} is ${v}`, 'pass finite variances >= 0');
  });
  return tablesImpl(phi, variances, R, opts, (_slot, len) => new Float64Array(len));
}

/** {@link seriesTables} with the arrays from `alloc` (scratch slots for internal callers). */
function tablesImpl(phi: PhiInput, variances: Float64Array, R: number,
  opts: PairOptions & { derivative?: boolean }, alloc: (slot: string, len: number) => Float64Array): SeriesTables {
  const be = opts.backend ?? getBackend();
  const { fns, builtinId } = fnsOf(phi, opts.derivative ?? false);
  const nser = fns.length;
  const n = variances.length;
  // Distinct variances, each sample pointing at its own.
  const uniq = Array.from(new Set(variances)).sort((x, y) => x - y);
  const m = uniq.length;
  const where = new Map<number, number>(uniq.map((v, u) => [v, u]));
  const vmax = m > 0 ? uniq[m - 1]! : 1;
  if (vmax > MAX_VARIANCE) {
    throw new NtkInputError('variance', `a pre-activation variance is ${vmax}, beyond ${MAX_VARIANCE}: the quadrature grid would need ` +
      `${2 * Math.ceil(Z_MAX * Math.sqrt(vmax) / 0.1) + 1} points per variance`, 'normalize the data (||x||^2 = d) or lower nu0sq');
  }
  const grid = trapezoidGrid(Math.max(vmax, 1e-300), opts);
  const K = grid.half, cols = K + 1;

  // Symmetry of each series: an odd phi has an even phi'. Then g(-t) = -+g(t) needs no
  // evaluation, and half the coefficients vanish exactly (no GEMM for them).
  const odd = resolvePhi(phi).activation?.odd === true;
  const sym = fns.map((_, s) => (odd ? (s === 0 ? -1 : 1) : 0));
  const width = odd ? K + 1 : 2 * K + 1;
  // Fold by parity and weight: plus = w (g(t) + g(-t)) feeds the even degrees, minus =
  // w (g(t) - g(-t)) the odd ones; only for the series that have them.
  const evenS = sym.map((y, s) => (y === -1 ? -1 : s)).filter((s) => s >= 0);
  const oddS = sym.map((y, s) => (y === 1 ? -1 : s)).filter((s) => s >= 0);
  const T = R + 1;
  const nEven = Math.floor(R / 2) + 1, nOdd = Math.floor((R + 1) / 2);
  const P = normalizedHermiteTable(R, grid.t);
  const pe = scratch('tables.pe', nEven * cols), po = scratch('tables.po', Math.max(1, nOdd) * cols);
  for (let q = 0; q < nEven; q++) pe.set(P.subarray(2 * q * cols, (2 * q + 1) * cols), q * cols);
  for (let q = 0; q < nOdd; q++) po.set(P.subarray((2 * q + 1) * cols, (2 * q + 2) * cols), q * cols);
  // Coefficients per distinct variance, (s, r, u) term-major; zero where the symmetry says so.
  const cu = scratch('tables.cu', nser * T * m).fill(0);
  const e2 = new Float64Array(nser * m);
  // Distinct variances in chunks, so the grid values stay within ~16 MB per array.
  const chunk = Math.max(1, Math.floor((opts.chunkElements ?? CHUNK_ELEMENTS) / width));
  // Activations with closed-form coefficients (relu, sin) skip the quadrature: exact, and for
  // relu the only accurate way (the trapezoid rule converges slowly across its kink).
  const forms = resolvePhi(phi).activation?.closedForms ?? null;
  if (forms?.hermite) {
    for (let s = 0; s < nser; s++) {
      for (let u = 0; u < m; u++) {
        const a = uniq[u]!;
        const b = a > 0 ? forms.hermite(a, R, s === 1) : new Float64Array(R + 1);
        if (a === 0) b[0] = s === 1 ? forms.pairDerivative(0, 0, 0) : forms.pair(0, 0, 0);
        for (let r = 0; r <= R; r++) cu[(s * T + r) * m + u] = b[r]!;
        e2[s * m + u] = s === 1 ? forms.pairDerivative(a, a, a) : forms.pair(a, a, a);
      }
    }
  }
  for (let u0 = 0; u0 < m && !forms?.hermite; u0 += chunk) {
    const mc = Math.min(chunk, m - u0);
    // g_s at x = sqrt(v_u) t_k (and -sqrt(v_u) t_k unless odd), one row per distinct variance.
    const xs = scratch('tables.xs', mc * width);
    for (let u = 0; u < mc; u++) {
      const sq = Math.sqrt(uniq[u0 + u]!);
      const row = u * width;
      for (let k = 0; k <= K; k++) xs[row + k] = sq * grid.t[k]!;
      if (!odd) for (let k = 1; k <= K; k++) xs[row + K + k] = -sq * grid.t[k]!;
    }
    const vals: Float64Array[] = fns.map((_, q) => scratch(`tables.vals${q}`, mc * width));
    if (builtinId !== null) {
      be.activation(builtinId, xs, vals[0]!, nser > 1 ? vals[1]! : null);
    } else {
      for (let s = 0; s < nser; s++) {
        const f = fns[s]!, out = vals[s]!;
        for (let q = 0; q < xs.length; q++) out[q] = finite(f(xs[q]!), xs[q]!);
      }
    }
    const rowsE = evenS.length * mc, rowsO = oddS.length * mc;
    const plus = scratch('tables.plus', rowsE * cols), minus = scratch('tables.minus', rowsO * cols);
    for (let s = 0; s < nser; s++) {
      const v = vals[s]!, y = sym[s]!;
      const ie = evenS.indexOf(s), io = oddS.indexOf(s);
      for (let u = 0; u < mc; u++) {
        const src = u * width;
        const dp = (ie * mc + u) * cols, dm = (io * mc + u) * cols;
        const g0 = v[src]!;
        let acc = grid.w[0]! * g0 * g0;
        if (ie >= 0) plus[dp] = grid.w[0]! * g0;
        if (io >= 0) minus[dm] = 0;
        for (let k = 1; k <= K; k++) {
          const gp = v[src + k]!, w = grid.w[k]!;
          const gm = y === 0 ? v[src + K + k]! : y * gp;
          if (ie >= 0) plus[dp + k] = w * (gp + gm);
          if (io >= 0) minus[dm + k] = w * (gp - gm);
          acc += w * (gp * gp + gm * gm);
        }
        if (!Number.isFinite(acc)) {
          throw new NtkInputError('activation', `is not finite on the quadrature grid at variance ${uniq[u0 + u]}`,
            'use an activation finite on the real line and finite variances');
        }
        e2[s * m + u0 + u] = acc;
      }
    }
    // (degrees x rows) GEMMs against the normalized Hermite table, scattered into cu.
    const ce = scratch('tables.ce', nEven * rowsE), co = scratch('tables.co', nOdd * rowsO);
    if (rowsE > 0) be.gemm(false, true, nEven, rowsE, cols, 1, pe, plus, 0, ce);
    if (rowsO > 0 && nOdd > 0) be.gemm(false, true, nOdd, rowsO, cols, 1, po, minus, 0, co);
    for (let s = 0; s < nser; s++) {
      const ie = evenS.indexOf(s), io = oddS.indexOf(s);
      for (let r = 0; r <= R; r++) {
        const even = r % 2 === 0;
        if ((even ? ie : io) < 0) continue;
        const src = even ? ce : co, rows = even ? rowsE : rowsO, base = (r >> 1) * rows + (even ? ie : io) * mc;
        const dst = (s * T + r) * m + u0;
        for (let u = 0; u < mc; u++) cu[dst + u] = src[base + u]!;
      }
    }
  }
  const coefAt = (s: number, r: number, u: number): number => cu[(s * T + r) * m + u]!;
  // Per distinct variance: Parseval tails T(r) = sum_{q>r} b_q^2, summed backwards from the
  // table's end (plus what lies beyond it, E - sum_{q<=R} b_q^2): subtracting forwards from E
  // rounds tails far below E to 0, which would certify a pair while the other sample's
  // coefficients are still large (a small-variance sample beside a large-variance one).
  const utail = scratch('tables.utail', nser * m * T);
  for (let s = 0; s < nser; s++) for (let u = 0; u < m; u++) {
    const g = s * m + u;
    const e = e2[g]!;
    let cum = 0;
    for (let r = 0; r <= R; r++) cum += coefAt(s, r, u) ** 2;
    let acc = Math.max(e - cum, 0);
    for (let r = R; r >= 0; r--) {
      utail[g * T + r] = e > 0 ? Math.sqrt(acc / e) : 0;
      acc += coefAt(s, r, u) ** 2;
    }
  }
  // Scatter to samples, term-major.
  const coef = alloc('tables.coef', nser * T * n), tail = alloc('tables.tail', nser * T * n), diag = alloc('tables.diag', nser * n);
  for (let i = 0; i < n; i++) {
    const u = where.get(variances[i]!)!;
    for (let s = 0; s < nser; s++) {
      const g = s * m + u;
      diag[s * n + i] = e2[g]!;
      for (let r = 0; r <= R; r++) {
        coef[(s * T + r) * n + i] = coefAt(s, r, u);
        tail[(s * T + r) * n + i] = utail[g * T + r]!;
      }
    }
  }
  return { n, nser, R, coef, tail, diag, distinct: m, grid };
}

/**
 * The matrices `E[phi(u_i) phi(u_j)]` (and `E[phi'(u_i) phi'(u_j)]` with `derivative`) for
 * `u ~ N(0, Sigma)`: generalized Mehler series per pair with the 2-D trapezoid fallback (see
 * the module comment). Accuracy ~1e-15 relative to sqrt(E_ii E_jj).
 * @param Sigma n x n covariance (symmetric; only its lower triangle and diagonal are read).
 * @throws NtkInputError when Sigma is not square, has non-finite entries or a negative
 *   diagonal, or the activation cannot be evaluated.
 */
export function gaussKernelMatrices(Sigma: MatrixLike, phi: PhiInput,
  opts: PairOptions & { derivative?: boolean } = {}): KernelMatrices {
  const S = toMatrix(Sigma, 'Sigma');
  const n = S.rows;
  if (S.cols !== n) throw new NtkInputError('Sigma', `is ${S.rows} x ${S.cols}, not square`, 'pass a covariance matrix');
  const tol = opts.tol ?? MEHLER_TOL;
  const rcap = opts.rmax ?? MEHLER_RMAX;
  if (!(tol > 0 && tol < 1)) throw new NtkInputError('tol', `must be in (0, 1), got ${tol}`, 'pass e.g. tol = 1e-15');
  if (!Number.isInteger(rcap) || rcap < 1 || rcap > 2000) throw new NtkInputError('rmax', `must be an integer in [1, 2000], got ${rcap}`, 'pass e.g. rmax = 128');
  const be = opts.backend ?? getBackend();
  const d = S.data;
  const variances = new Float64Array(n);
  const isd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = d[i * n + i]!;
    if (!Number.isFinite(v) || v < 0) throw new NtkInputError('Sigma', `diagonal entry ${i} is ${v}`, 'pass a covariance with finite non-negative variances');
    variances[i] = v;
    isd[i] = v > 0 ? 1 / Math.sqrt(v) : 0;
  }
  // Largest |rho| short of duplicates sets how many terms any certified pair may need.
  let rhoMax = opts.rhoMax ?? 0;
  for (let i = 0; i < n && opts.rhoMax === undefined; i++) {
    const row = i * n, si = isd[i]!;
    let check = 0;
    for (let j = 0; j < i; j++) {
      const c = d[row + j]!;
      check += c;
      const r = Math.abs(c * si * isd[j]!);
      if (r > rhoMax && r < 1 - 1e-9) rhoMax = r;
    }
    // One test per row: a NaN or infinity anywhere in it leaves the sum non-finite (so may
    // an overflow of huge finite entries, hence the search).
    if (!Number.isFinite(check)) {
      for (let j = 0; j < i; j++) {
        if (!Number.isFinite(d[row + j]!)) throw new NtkInputError('Sigma', `entry (${i}, ${j}) is ${d[row + j]}`, 'pass a finite covariance');
      }
    }
  }
  const want = rhoMax > 0 ? Math.ceil(Math.log(tol) / Math.log(rhoMax)) : 4;
  const R = Math.max(4, Math.min(rcap, want));
  const derivative = opts.derivative ?? false;
  const tables = tablesImpl(phi, variances, R, { ...opts, backend: be, derivative }, scratch);
  const nser = tables.nser;
  const out = opts.out && opts.out.length >= nser * n * n ? opts.out : new Float64Array(nser * n * n);
  // Odd phi: b_r = 0 for even r and phi' even, so each term feeds one of the two series.
  const parity = nser > 1 && resolvePhi(phi).activation?.odd ? 1 : 0;
  const uncertified = be.mehlerPairs(n, nser, R + 1, d, isd, tables.coef, tables.tail, tables.diag, tol, parity, out);
  // Pairs the series could not certify: 2-D trapezoid, within a budget of evaluations.
  const { fns } = fnsOf(phi, derivative);
  let fallback = 0;
  if (uncertified > 0) {
    let cost = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
      if (!Number.isNaN(out[i * n + j]!)) continue;
      const a = variances[i]!, b = variances[j]!;
      const rho = Math.min(1, Math.max(-1, d[i * n + j]! * isd[i]! * isd[j]!));
      cost += nser * pair2dCost(a, b, rho, opts);
    }
    const budget = opts.fallbackBudget ?? 2e9;
    if (cost > budget) {
      let vmax = 0;
      for (let i = 0; i < n; i++) vmax = Math.max(vmax, variances[i]!);
      throw new NtkInputError('Sigma', `${uncertified} pairs have |rho| too close to 1 for the series at variances up to ` +
        `${vmax.toPrecision(3)}: the 2-D fallback would need ${cost.toExponential(1)} evaluations`,
        'normalize the data (||x||^2 = d), lower nu0sq, remove near-duplicate rows, or raise fallbackBudget');
    }
  }
  for (let i = 0; i < n && fallback < uncertified; i++) {
    for (let j = 0; j < i; j++) {
      if (!Number.isNaN(out[i * n + j]!)) continue;
      fallback++;
      const a = variances[i]!, b = variances[j]!;
      const rho = Math.min(1, Math.max(-1, d[i * n + j]! * isd[i]! * isd[j]!));
      const v = pairExpectation2d(fns, a, b, rho, opts);
      for (let s = 0; s < nser; s++) {
        out[s * n * n + i * n + j] = v[s]!;
        out[s * n * n + j * n + i] = v[s]!;
      }
    }
  }
  const E: Matrix = { rows: n, cols: n, data: out.subarray(0, n * n) };
  const Ed: Matrix | null = nser > 1 ? { rows: n, cols: n, data: out.subarray(n * n) } : null;
  return { E, Ed, stats: { distinctVariances: tables.distinct, rmax: R, fallbackPairs: fallback, h: tables.grid.h } };
}

/**
 * `E[f(u) f(u')]` for each f in `fs`, `(u, u')` with variances a, b and correlation rho, by the
 * product trapezoid rule in whitened coordinates (see the module comment): (2K+1)^2 evaluations
 * per function, accurate to ~1e-15 for every |rho| <= 1.
 * @throws NtkInputError for variances < 0 or |rho| > 1.
 */
export function pairExpectation2d(fs: ScalarFn[], a: number, b: number, rho: number, opts: GridOptions = {}): number[] {
  if (!(a >= 0 && b >= 0 && Number.isFinite(a) && Number.isFinite(b))) {
    throw new NtkInputError('variance', `must be finite and >= 0, got ${a}, ${b}`, 'pass non-negative variances');
  }
  if (!(Math.abs(rho) <= 1)) throw new NtkInputError('rho', `must be in [-1, 1], got ${rho}`, 'pass a correlation');
  const sa = Math.sqrt(a), sb = Math.sqrt(b), c = Math.sqrt(Math.max(0, 1 - rho * rho));
  // The outer integrand varies on the scale of sqrt(max(a, b rho^2)), the inner one on
  // sqrt(b (1 - rho^2)): each grid has the step its own variance needs (see gauss.ts).
  const full = (g: TrapezoidGrid) => {
    const K = g.half, t = new Float64Array(2 * K + 1), w = new Float64Array(2 * K + 1);
    for (let k = -K; k <= K; k++) { t[k + K] = k * g.h; w[k + K] = g.w[Math.abs(k)]!; }
    return { t, w };
  };
  const outer = full(trapezoidGrid(Math.max(a, b * rho * rho, 1e-300), opts));
  const inner = full(trapezoidGrid(Math.max(b * c * c, 1e-300), opts));
  return fs.map((f) => {
    let sum = 0;
    for (let p = 0; p < outer.t.length; p++) {
      const z1 = outer.t[p]!;
      const base = rho * z1;
      let acc: number;
      if (c === 0) acc = f(sb * base);
      else {
        acc = 0;
        for (let q = 0; q < inner.t.length; q++) acc += inner.w[q]! * f(sb * (base + c * inner.t[q]!));
      }
      sum += outer.w[p]! * f(sa * z1) * acc;
    }
    return sum;
  });
}

/** Integrand evaluations {@link pairExpectation2d} spends per function. */
export function pair2dCost(a: number, b: number, rho: number, opts: GridOptions): number {
  const c2 = Math.max(0, 1 - rho * rho);
  const nodes = (v: number) => 2 * trapezoidGrid(Math.max(v, 1e-300), opts).half + 1;
  return nodes(Math.max(a, b * rho * rho)) * (c2 === 0 ? 1 : nodes(b * c2));
}

/** Result of {@link gaussPairExpectation}. */
export interface PairExpectation {
  /** E[phi(u) phi(u')]. */
  phi: number;
  /** E[phi'(u) phi'(u')] when the activation has phi'. */
  dphi: number | null;
  /** `'mehler'` or `'trapezoid-2d'` (the fallback). */
  method: 'mehler' | 'trapezoid-2d';
}

/**
 * `E[phi(u) phi(u')]` (and `E[phi'(u) phi'(u')]` when phi' is known) for
 * `(u, u') ~ N(0, [[a, rho sqrt(ab)], [rho sqrt(ab), b]])`.
 * @throws NtkInputError for bad variances or |rho| > 1.
 */
export function gaussPairExpectation(phi: PhiInput, a: number, b: number, rho: number, opts: PairOptions = {}): PairExpectation {
  if (!(Math.abs(rho) <= 1)) throw new NtkInputError('rho', `must be in [-1, 1], got ${rho}`, 'pass a correlation');
  const derivative = resolvePhi(phi).dphi !== null;
  const c = rho * Math.sqrt(a * b);
  const res = gaussKernelMatrices({ rows: 2, cols: 2, data: Float64Array.of(a, c, c, b) }, phi, { ...opts, derivative });
  return {
    phi: res.E.data[2]!,
    dphi: res.Ed ? res.Ed.data[2]! : null,
    method: res.stats.fallbackPairs > 0 ? 'trapezoid-2d' : 'mehler',
  };
}

/**
 * The erf kernels in closed form (arcsine kernel): `E[erf(u) erf(u')] = (2/pi) asin(2s / sqrt((1+2a)(1+2b)))`
 * and `E[erf'(u) erf'(u')] = (4/pi) / sqrt((1+2a)(1+2b) - 4s^2)`, for every entry of Sigma
 * (an off-diagonal |s| > sqrt(ab) is clamped to sqrt(ab), as the series path clamps rho).
 * `closedFormKernelMatrices` with erf's forms.
 * @param out optional buffer to reuse, as {@link PairOptions.out}.
 * @throws NtkInputError when Sigma is not square or has a non-finite entry or a negative variance.
 */
export function erfKernelMatrices(Sigma: MatrixLike, derivative: boolean, out?: Float64Array): {
  /** E[erf(u_i) erf(u_j)], n x n. */
  E: Matrix;
  /** E[erf'(u_i) erf'(u_j)], n x n, when requested. */
  Ed: Matrix | null;
} {
  return closedFormKernelMatrices(Sigma, erfForms, derivative, out);
}

/**
 * `E[phi(u_i) phi(u_j)]` (and `E[phi'(u_i) phi'(u_j)]` with `derivative`) for `u ~ N(0, Sigma)`
 * from an activation's closed forms (src/closed-forms.ts: erf's arcsine kernel, sin's
 * exponential-hyperbolic forms, relu's arc-cosine kernels), entry by entry: exact to rounding,
 * and no coefficient tables, series or fallback.
 * @param forms the activation's `closedForms`.
 * @param out optional buffer to reuse, as {@link PairOptions.out}.
 * @throws NtkInputError when Sigma is not square or has a non-finite entry or a negative variance.
 */
export function closedFormKernelMatrices(Sigma: MatrixLike, forms: GaussianClosedForms, derivative: boolean, out?: Float64Array): {
  /** E[phi(u_i) phi(u_j)], n x n. */
  E: Matrix;
  /** E[phi'(u_i) phi'(u_j)], n x n, when requested. */
  Ed: Matrix | null;
} {
  const S = toMatrix(Sigma, 'Sigma');
  const n = S.rows;
  if (S.cols !== n) throw new NtkInputError('Sigma', `is ${S.rows} x ${S.cols}, not square`, 'pass a covariance matrix');
  const d = S.data;
  for (let i = 0; i < n; i++) {
    const v = d[i * n + i]!;
    if (!Number.isFinite(v) || v < 0) throw new NtkInputError('Sigma', `diagonal entry ${i} is ${v}`, 'pass a covariance with finite non-negative variances');
  }
  const nser = derivative ? 2 : 1;
  const buf = out && out.length >= nser * n * n ? out : new Float64Array(nser * n * n);
  const E = buf.subarray(0, n * n), Ed = derivative ? buf.subarray(n * n, 2 * n * n) : null;
  const { pair, pairDerivative } = forms;
  for (let i = 0; i < n; i++) {
    const a = d[i * n + i]!;
    for (let j = 0; j <= i; j++) {
      const s = d[i * n + j]!;
      if (!Number.isFinite(s)) throw new NtkInputError('Sigma', `entry (${i}, ${j}) is ${s}`, 'pass a finite covariance');
      const b = d[j * n + j]!;
      const e = pair(a, b, s);
      E[i * n + j] = e; E[j * n + i] = e;
      if (Ed) {
        const ed = pairDerivative(a, b, s);
        Ed[i * n + j] = ed; Ed[j * n + i] = ed;
      }
    }
  }
  return { E: { rows: n, cols: n, data: E }, Ed: Ed ? { rows: n, cols: n, data: Ed } : null };
}
