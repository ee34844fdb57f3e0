/**
 * The coefficient tables of the generalized Mehler series (mehler.ts): for every sample's
 * variance a, the orthonormal Hermite coefficients b_0..b_R of phi (and phi') under N(0, a)
 * (hermite.ts), their Parseval tails (truncation.ts) and `E[g^2]`.
 * The coefficients are computed once per distinct variance, all at once, as one GEMM of the
 * trapezoid values of g against the table of normalized Hermite polynomials (folded by parity,
 * which halves it); activations with closed-form coefficients (relu, sin) take those instead.
 * @module
 */
import { activations, type Activation, type ActivationId } from '../activations.js';
import type { GaussianClosedForms } from '../closed-forms.js';
import { getBackend } from '../backend/default.js';
import type { Backend } from '../backend/types.js';
import { NtkInputError } from '../errors.js';
import { finite, resolvePhi, trapezoidGrid, Z_MAX, type PhiInput, type ScalarFn, type TrapezoidGrid } from './gauss.js';
import { checkDegree, normalizedHermiteTable } from './hermite.js';
import type { PairOptions } from './pair-options.js';
import { scratch } from './scratch.js';
import { parsevalResolution, parsevalTails } from './truncation.js';

/**
 * Largest pre-activation variance accepted: the trapezoid step shrinks like 1/sqrt(variance)
 * (tanh's poles come closer), so the grid grows like sqrt(variance): ~2.4e5 points at 1e6.
 */
export const MAX_VARIANCE = 1e6;
/** Grid values per temporary array (the distinct variances are processed in chunks). */
const CHUNK_ELEMENTS = 1 << 21;

/**
 * Per-sample coefficient tables for the pair loop: for each series s and sample i, the
 * orthonormal coefficients b_0..b_R at variance var[i], upper bounds on the normalized
 * square-root Parseval tails `sqrt(T(r) / E[g^2])` (truncation.ts), and `E[g^2]`.
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
  /**
   * Same layout: sqrt(T_s,i(r) / E_s,i) + sqrt(resolution), T(r) = E - sum_{q<=r} b_q^2 (clamped
   * at 0): an upper bound on the normalized tail despite the rounding of the Parseval difference.
   */
  tail: Float64Array;
  /**
   * The Parseval resolution nu of these tables (truncation.ts, `parsevalResolution`): the pair
   * loop certifies against `tol + nu`, and a certified pair is accurate to `(tol + nu) sqrt(E_a E_b)`.
   */
  resolution: number;
  /** nser x n: E[g_s(u_i)^2]. */
  diag: Float64Array;
  /** Number of distinct variances. */
  distinct: number;
  /** The trapezoid grid the coefficients were computed on. */
  grid: TrapezoidGrid;
}

/** phi (and phi' when asked for), with the backend id when the activation is built in. */
export interface SeriesFunctions {
  fns: ScalarFn[];
  builtinId: ActivationId | null;
}

/**
 * phi, and phi' with `derivative` (see {@link SeriesFunctions}).
 * @throws NtkInputError naming `activation` when phi' is needed and a plain function has none.
 */
export function seriesFunctions(phi: PhiInput, derivative: boolean): SeriesFunctions {
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
  return buildSeriesTables(phi, variances, R, opts, (_slot, len) => new Float64Array(len));
}

/**
 * @internal {@link seriesTables} on checked variances, with the output arrays from `alloc`
 * (scratch slots for mehler.ts, which calls it once per layer).
 */
export function buildSeriesTables(phi: PhiInput, variances: Float64Array, R: number,
  opts: PairOptions & { derivative?: boolean }, alloc: (slot: string, len: number) => Float64Array): SeriesTables {
  const { fns } = seriesFunctions(phi, opts.derivative ?? false);
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
  const T = R + 1;
  // Coefficients per distinct variance, (s, r, u) term-major; zero where the symmetry says so.
  const cu = scratch('tables.cu', nser * T * m).fill(0);
  const e2 = new Float64Array(nser * m);
  // Activations with closed-form coefficients (relu, sin) skip the quadrature: exact, and for
  // relu the only accurate way (the trapezoid rule converges slowly across its kink).
  const forms = resolvePhi(phi).activation?.closedForms ?? null;
  const closed = forms?.hermite !== undefined;
  if (closed) closedFormCoefficients(forms!, uniq, R, nser, cu, e2);
  else quadratureCoefficients(phi, uniq, R, grid, opts, cu, e2);
  // Per distinct variance (set g = s m + u): the Parseval tails, as upper bounds at the
  // resolution of the sums E[g^2] and b_q came from (the grid's nodes, or the closed form's terms).
  const resolution = parsevalResolution(closed ? T : 2 * grid.half + 1);
  const utail = parsevalTails(nser * m, R, (g, r) => cu[(Math.floor(g / m) * T + r) * m + (g % m)]!, e2, resolution,
    scratch('tables.utail', nser * m * T));
  // Scatter to samples, term-major.
  const coef = alloc('tables.coef', nser * T * n), tail = alloc('tables.tail', nser * T * n), diag = alloc('tables.diag', nser * n);
  for (let i = 0; i < n; i++) {
    const u = where.get(variances[i]!)!;
    for (let s = 0; s < nser; s++) {
      const g = s * m + u;
      diag[s * n + i] = e2[g]!;
      for (let r = 0; r <= R; r++) {
        coef[(s * T + r) * n + i] = cu[(s * T + r) * m + u]!;
        tail[(s * T + r) * n + i] = utail[g * T + r]!;
      }
    }
  }
  return { n, nser, R, coef, tail, resolution, diag, distinct: m, grid };
}

/** The coefficients and `E[g^2]` of each distinct variance from the activation's closed forms. */
function closedFormCoefficients(forms: GaussianClosedForms, uniq: readonly number[], R: number, nser: number,
  cu: Float64Array, e2: Float64Array): void {
  const m = uniq.length, T = R + 1;
  for (let s = 0; s < nser; s++) {
    for (let u = 0; u < m; u++) {
      const a = uniq[u]!;
      const b = a > 0 ? forms.hermite!(a, R, s === 1) : new Float64Array(R + 1);
      if (a === 0) b[0] = s === 1 ? forms.pairDerivative(0, 0, 0) : forms.pair(0, 0, 0);
      for (let r = 0; r <= R; r++) cu[(s * T + r) * m + u] = b[r]!;
      e2[s * m + u] = s === 1 ? forms.pairDerivative(a, a, a) : forms.pair(a, a, a);
    }
  }
}

/**
 * The coefficients and `E[g^2]` of each distinct variance by the trapezoid rule on `grid`: the
 * values of g, folded by parity and weighted, times the normalized Hermite table (one GEMM per
 * parity and chunk of variances).
 * @throws NtkInputError naming `activation` when g is not finite on the grid.
 */
function quadratureCoefficients(phi: PhiInput, uniq: readonly number[], R: number, grid: TrapezoidGrid,
  opts: PairOptions & { derivative?: boolean }, cu: Float64Array, e2: Float64Array): void {
  const be: Backend = opts.backend ?? getBackend();
  const { fns, builtinId } = seriesFunctions(phi, opts.derivative ?? false);
  const nser = fns.length, m = uniq.length, T = R + 1;
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
  const nEven = Math.floor(R / 2) + 1, nOdd = Math.floor((R + 1) / 2);
  const P = normalizedHermiteTable(R, grid.t);
  const pe = scratch('tables.pe', nEven * cols), po = scratch('tables.po', Math.max(1, nOdd) * cols);
  for (let q = 0; q < nEven; q++) pe.set(P.subarray(2 * q * cols, (2 * q + 1) * cols), q * cols);
  for (let q = 0; q < nOdd; q++) po.set(P.subarray((2 * q + 1) * cols, (2 * q + 2) * cols), q * cols);
  // Distinct variances in chunks, so the grid values stay within ~16 MB per array.
  const chunk = Math.max(1, Math.floor((opts.chunkElements ?? CHUNK_ELEMENTS) / width));
  for (let u0 = 0; u0 < m; u0 += chunk) {
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
}
