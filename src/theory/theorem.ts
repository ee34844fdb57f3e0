/**
 * The constants of Theorems 4.1/4.2 and the measured sides of Lemmas 4.1/4.2 for a network
 * and its data, as read in docs/conventions.md. Every function takes plain inputs
 * (row norms, Gram matrices, lambda values) so callers with a network at hand pass what they
 * measured.
 *
 * Theorem 4.2: `c0^{(l,r)} = (mu_{r,0}^{(l)2} / (6c))^l (sigma0^2/2)^{3rl}` with
 * `mu_{r,0}^{(l)2} = min_i (mu_r^{[c_{l,i}^2 nu0^2]}(phi))^2`, `c_{l,i} = ||alpha_l(x_i)|| / sqrt(m_l)`.
 * Theorem 4.1: `lambda_min(K) >= c0 lambda_1`, `c0 = max_{r>1} c0^{(L-1,r)}`; the proof drops
 * Lemma 4.1's factor 1/4, so both `c0 lambda_1` and `c0 lambda_1 / 4` are reported.
 * @module
 */
import { getActivation, type Activation } from '../activations.js';
import { getBackend } from '../backend/default.js';
import type { Backend } from '../backend/types.js';
import { NtkInputError } from '../errors.js';
import { lambdaMin } from '../linalg/index.js';
import { toMatrix, type Matrix, type MatrixLike } from '../matrix.js';
import { cPhi, checkSigma0 } from './cphi.js';
import { resolvePhi, type PhiInput } from './gauss.js';
import { checkDegree, type HermiteConvention } from './hermite.js';
import { pairKernels, type KernelMethod } from './lambda1.js';
import { seriesTables } from './series-tables.js';
import { checkObject, checkPositive } from '../validate.js';

/** The bound of Theorem 4.1 in one coefficient convention (field names as in the fixtures). */
export interface BoundReport {
  /** `max_{r=2..rmax} c0^{(L-1,r)}`. */
  c0: number;
  /** The r attaining the max (the smallest one on ties). */
  r_best: number;
  /** `c0 lambda_1` (Theorem 4.1 as stated). */
  bound_c0_lambda1: number;
  /** `c0 lambda_1 / 4` (keeping Lemma 4.1's factor). */
  bound_c0_lambda1_over_4: number;
  /** `lambda_min(K) / (c0 lambda_1)`, when lambda_min(K) was given. */
  ratio_lambda_min_over_bound: number | null;
  /** `c0^{(L-1,1)}`: what r = 1 would give (the theorem excludes it). */
  c0_r1_not_allowed: number;
  /** `mu_{r,0}^2` for r = 0..rmax. */
  mu0sq_by_r: number[];
  /** `c0^{(L-1,r)}` for r = 0..rmax. */
  c0_by_r: number[];
}

/** Inputs of {@link theorem41}. */
export interface Theorem41Input {
  /** The activation (name, Activation or function). */
  activation: PhiInput;
  /** sigma0 of the initialization (> 0): the theorem needs it; when only nu0^2 is known and no sigma0 reaches it, there is no bound. */
  sigma0: number;
  /** nu0^2 (default sigma0^2 / c_{phi,sigma0}). */
  nu0sq?: number;
  /**
   * Row norms per layer l = 0..L: `cli[l][i] = ||alpha_l(x_i)|| / sqrt(m_l)` (layer 0: x_i / sqrt(d)).
   * L = cli.length - 1 >= 1.
   */
  cli: ArrayLike<number>[];
  /** lambda_1 (Theorem 4.1). */
  lambda1: number;
  /** The measured lambda_min(K), for the ratio. */
  lambdaMinK?: number;
  /** Largest r in the max over r (default 30). */
  rmax?: number;
  /**
   * Gram matrices `A_l A_l^T / m_l` for l = 0..L (A_0 = X): when given, the report also holds
   * Lemma 4.1's layers (see {@link lemma41Layers}).
   */
  grams?: MatrixLike[];
  /** Backend for the coefficient tables and eigenvalues (default: the default backend). */
  backend?: Backend;
}

/** Report of {@link theorem41}; field names as in the fixtures' `theorem41` object. */
export interface Theorem41Report {
  /** lambda_1 the bound was computed with. */
  lambda1: number;
  /** lambda_min(K), when given. */
  lambda_min_K: number | null;
  /** c_{phi,sigma0}. */
  c: number;
  /** sigma0 of the init. */
  sigma0: number;
  /** nu0^2 = sigma0^2 / c. */
  nu0sq: number;
  /** The layer index l = L - 1 of c0^{(l,r)}. */
  l: number;
  /** Largest r in the max over r. */
  rmax: number;
  /** The bound with coefficients in the `expand` convention (the one eq. (7) holds for; the default). */
  bound_expand: BoundReport;
  /** The same with `orthonormal` coefficients. */
  bound_orthonormal: BoundReport;
  /** The same with `weighted` coefficients (eq. (6) read literally, with the Gaussian weight). */
  bound_weighted_literal: BoundReport;
  /** mu_{r,0}^2 (expand) for r = 0..10. */
  'mu0sq_by_r_expand_r0..10': number[];
  /** c0^{(L-1,r)} (expand) for r = 0..10. */
  'c0_by_r_expand_r0..10': number[];
  /** Per layer 1..L: [min_i, max_i] of c_{l,i}^2 / c (Lemma 4.2 claims [1/2, 3/2]). */
  lemma42_cl2_over_c_minmax: [number, number][];
  /** Lemma 4.1 per layer, when `grams` were given. */
  lemma41_layers?: Lemma41Layer[];
  /**
   * True when sigma0^2 > 2 (then (sigma0^2/2)^{3rl} grows with r and the max over r runs to
   * rmax) or the max sits at r >= rmax - 1 anyway: the bound is then no bound.
   */
  vacuous: boolean;
  /** Why the bound is vacuous, or null. */
  vacuous_reason: string | null;
  /** Assumptions of the theorem the activation breaks (see {@link assumptionsBroken}). */
  assumptions_broken: string[];
  /** How the constants are defined (Theorem 4.2, Lemma 4.1), for readers of the JSON. */
  note: string;
}

const NOTE = 'c0^{(l,r)} = ((mu_{r,0}^{(l)})^2/(6c))^l (sigma0^2/2)^{3rl}, l = L-1, mu_{r,0}^{(l)}^2 = ' +
  'min_i mu_r^{[c_{l,i}^2 nu0^2]}(phi)^2 with c_{l,i} = ||alpha_l(x_i)||/sqrt(m_l) (alpha_0 = x); ' +
  'c0 = max over r = 2..rmax. bound_c0_lambda1 is the Theorem 4.1 statement; bound_c0_lambda1_over_4 ' +
  'keeps Lemma 4.1\'s factor 1/4.';

/**
 * Theorem 4.1's constants for a network and its data: c0^{(L-1,r)} for r = 0..rmax in the three
 * coefficient conventions, the r attaining the max over r >= 2, the bounds c0 lambda_1 and
 * c0 lambda_1 / 4, the ratio to a measured lambda_min(K), Lemma 4.2's band, and a `vacuous` flag.
 * @throws NtkInputError for a bad sigma0, nu0sq, cli, lambda1 or rmax, or a sample with
 *   c_{L-1,i} = 0 (Theorem 4.2's coefficients are undefined at variance 0); naming `sigma0`
 *   (sigma0^2 > 2) or `rmax` when c0 or a reported constant exceeds float64's range (computed
 *   in logarithms; the message gives its power of ten and the r where it overflows).
 */
export function theorem41(input: Theorem41Input): Theorem41Report {
  checkObject('input', input, "{ activation: 'tanh', sigma0: 1, cli, lambda1 }");
  const { activation, sigma0, cli } = input;
  checkSigma0(sigma0);
  const rmax = input.rmax ?? 30;
  checkDegree(rmax, 'rmax');
  if (rmax < 2) throw new NtkInputError('rmax', `must be >= 2 (the theorem takes r > 1), got ${rmax}`, 'pass e.g. rmax = 30');
  const L = checkCli(cli);
  if (typeof input.lambda1 !== 'number' || !Number.isFinite(input.lambda1)) {
    throw new NtkInputError('lambda1', `must be a finite number, got ${input.lambda1}`, 'pass lambda_1 from lambda1()');
  }
  const c = cPhi(activation, sigma0);
  const nu = input.nu0sq ?? (sigma0 * sigma0) / c;
  checkPositive('nu0sq', nu, 'omit it to use sigma0^2 / c');
  const l = L - 1;
  const rows = cli[l]!;
  const n = rows.length;
  const variances = new Float64Array(n);
  for (let i = 0; i < n; i++) variances[i] = rows[i]! * rows[i]! * nu;
  for (let i = 0; i < n; i++) {
    if (!(variances[i]! > 0)) {
      // Definition 4.1's H_r^{[a]} divides by a: mu_r^{[c_{l,i}^2 nu0^2]} does not exist at c_{l,i} = 0.
      throw new NtkInputError('cli', `sample ${i} has c_{l,i} = 0 at layer l = ${l} (a zero row of X, or zero activations there), ` +
        'where Theorem 4.2\'s mu_r^{[c^2 nu0^2]} is undefined (Definition 4.1 needs a variance > 0)', 'remove zero rows from X');
    }
  }
  const be = input.backend ?? getBackend();
  const t = seriesTables(activation, variances, rmax, { backend: be });
  const lambdaMinK = input.lambdaMinK ?? null;
  const LN_MAX = Math.log(Number.MAX_VALUE);
  const bound = (conv: HermiteConvention): BoundReport => {
    const p = conv === 'expand' ? 0.5 : conv === 'weighted' ? -0.5 : 0;
    const mu0sq: number[] = [], c0: number[] = [], lnC0: number[] = [];
    for (let r = 0; r <= rmax; r++) {
      // ln mu_{r,0}^2 = min_i ln (b_r a_i^{p r})^2, in logarithms: a^{p r} alone can overflow
      // (a large variance, high r) where the product does not, and 0 * Infinity is NaN.
      let lnM = Infinity;
      for (let i = 0; i < n; i++) {
        const b = t.coef[r * n + i]!;
        const l2 = b === 0 ? -Infinity : 2 * (Math.log(Math.abs(b)) + p * r * Math.log(variances[i]!));
        lnM = Math.min(lnM, l2);
      }
      // l = 0 (one hidden layer): every factor is raised to the power 0, so c0 = 1 (0^0 = 1, as Math.pow).
      const lnC = l === 0 ? 0 : lnM === -Infinity ? -Infinity : l * (lnM - Math.log(6 * c)) + 3 * r * l * Math.log((sigma0 * sigma0) / 2);
      if (lnM > LN_MAX) throw overflow(conv, 'mu_{r,0}^2', r, lnM);
      mu0sq.push(Math.exp(lnM));
      lnC0.push(lnC);
      c0.push(lnC > LN_MAX ? Infinity : Math.exp(lnC));
    }
    let best = 2;
    for (let r = 3; r <= rmax; r++) if (lnC0[r]! > lnC0[best]!) best = r;
    for (const r of [best, 1]) if (lnC0[r]! > LN_MAX) throw overflow(conv, `c0^{(l,r)}`, r, lnC0[r]!);
    const c0b = c0[best]!;
    const bnd = c0b * input.lambda1;
    if (!Number.isFinite(bnd)) throw overflow(conv, 'c0 lambda_1', best, lnC0[best]! + Math.log(Math.abs(input.lambda1)));
    // Every c0^{(l,r)} with r >= 2 is at most c0 (checked above); r = 0 and 1 could still exceed it.
    const c0Shown = c0.map((v, r) => (Number.isFinite(v) ? v : (() => { throw overflow(conv, 'c0^{(l,r)}', r, lnC0[r]!); })()));
    return {
      c0: c0b, r_best: best, bound_c0_lambda1: bnd, bound_c0_lambda1_over_4: bnd / 4,
      ratio_lambda_min_over_bound: lambdaMinK === null || bnd === 0 ? null : lambdaMinK / bnd,
      c0_r1_not_allowed: c0[1]!, mu0sq_by_r: mu0sq, c0_by_r: c0Shown,
    };
  };
  /** Past float64's range: the bound is astronomically vacuous; say which r still fit. */
  const overflow = (conv: HermiteConvention, what: string, r: number, lnValue: number): NtkInputError => {
    const log10 = lnValue / Math.LN10;
    return new NtkInputError(sigma0 * sigma0 > 2 ? 'sigma0' : 'rmax',
      `Theorem 4.2's ${what} (${conv} convention) is 10^${log10.toFixed(1)} at r = ${r}, beyond float64 (1.8e308)` +
      (sigma0 * sigma0 > 2 ? `: sigma0^2/2 = ${((sigma0 * sigma0) / 2).toPrecision(4)} > 1 makes (sigma0^2/2)^{3rl} grow with r, so the bound is vacuous` : ''),
      `use a smaller ${sigma0 * sigma0 > 2 ? 'sigma0 (at most sqrt 2 for a bound that can hold) or ' : ''}rmax (below ${r})`);
  };
  const ex = bound('expand');
  const vacuousSigma = sigma0 * sigma0 > 2 && l > 0;
  // Odd activations have mu_r = 0 for even r, so "at the end of the range" means rmax - 1 too.
  const vacuousR = l > 0 && ex.r_best >= rmax - 1;
  const report: Theorem41Report = {
    lambda1: input.lambda1, lambda_min_K: lambdaMinK, c, sigma0, nu0sq: nu, l, rmax,
    bound_expand: ex, bound_orthonormal: bound('orthonormal'), bound_weighted_literal: bound('weighted'),
    'mu0sq_by_r_expand_r0..10': ex.mu0sq_by_r.slice(0, 11),
    'c0_by_r_expand_r0..10': ex.c0_by_r.slice(0, 11),
    lemma42_cl2_over_c_minmax: lemma42Band(cli, c),
    vacuous: vacuousSigma || vacuousR,
    vacuous_reason: vacuousSigma
      ? `sigma0^2 = ${sigma0 * sigma0} > 2: (sigma0^2/2)^{3rl} grows with r, so the max over r runs to rmax = ${rmax} and the bound is not a bound`
      : vacuousR ? `the max over r is attained at r = ${ex.r_best}, the end of the range r <= ${rmax}: it may grow beyond` : null,
    assumptions_broken: assumptionsBroken(activation),
    note: NOTE,
  };
  if (input.grams) report.lemma41_layers = lemma41Layers({ activation, nu0sq: nu, grams: input.grams, backend: be });
  return report;
}

/**
 * Lemma 4.2's measured band: for each layer l = 1..L, `[min_i, max_i]` of `c_{l,i}^2 / c`
 * (the lemma claims it lies in [1/2, 3/2]; it fails at layer 1 for many (phi, sigma0)).
 * @param cli row norms per layer 0..L as in {@link Theorem41Input.cli}.
 * @param c c_{phi,sigma0}.
 * @throws NtkInputError for bad cli or c.
 */
export function lemma42Band(cli: ArrayLike<number>[], c: number): [number, number][] {
  const L = checkCli(cli);
  checkPositive('c', c, 'pass c = cPhi(activation, sigma0)');
  const out: [number, number][] = [];
  for (let l = 1; l <= L; l++) {
    let lo = Infinity, hi = -Infinity;
    const row = cli[l]!;
    for (let i = 0; i < row.length; i++) {
      const v = (row[i]! * row[i]!) / c;
      lo = Math.min(lo, v); hi = Math.max(hi, v);
    }
    out.push([lo, hi]);
  }
  return out;
}

/** One layer of {@link lemma41Layers}; field names as in the fixtures. */
export interface Lemma41Layer {
  /** Layer index l = 1..L. */
  l: number;
  /** `lambda_l = lambda_min(E_{g~N(0, nu0^2 I)}[phi(A_{l-1} g / sqrt(m_{l-1})) phi(...)^T])`, given A_{l-1}. */
  lambda_l: number;
  /** `lambda_min(A_l A_l^T) / m_l`, measured. */
  lambda_min_AlAlT_over_m: number;
  /** Whether Lemma 4.1's conclusion `lambda_min(A_l A_l^T)/m_l >= lambda_l / 4` holds here. */
  holds: boolean;
}

/** Inputs of {@link lemma41Layers}. */
export interface Lemma41Input {
  /** The activation. */
  activation: PhiInput;
  /** nu0^2, the variance of the weights. */
  nu0sq: number;
  /** `A_l A_l^T / m_l` for l = 0..L (A_0 = X, m_0 = d), each n x n. */
  grams: MatrixLike[];
  /** Pair-expectation method (default `'auto'`: erf closed form for erf). */
  method?: KernelMethod;
  /** Backend for the kernels (default: the default backend). */
  backend?: Backend;
}

/**
 * Lemma 4.1 per layer l = 1..L: `lambda_l`, the smallest eigenvalue of the conditional
 * expectation of `A_l A_l^T / m_l` given `A_{l-1}` (pair expectations under
 * `nu0^2 A_{l-1} A_{l-1}^T / m_{l-1}`; l = 1 gives lambda_1), against the measured
 * `lambda_min(A_l A_l^T) / m_l` (the lemma: >= lambda_l / 4 with high probability).
 * @throws NtkInputError for fewer than 2 Gram matrices, shapes that differ, or a bad nu0sq.
 */
export function lemma41Layers(input: Lemma41Input): Lemma41Layer[] {
  checkObject('input', input, "{ activation: 'tanh', nu0sq: 1, grams }");
  if (!Array.isArray(input.grams)) throw new NtkInputError('grams', 'must be an array of n x n matrices', 'pass A_l A_l^T / m_l for l = 0..L');
  const grams = input.grams.map((g, l) => toMatrix(g, `grams[${l}]`));
  if (grams.length < 2) throw new NtkInputError('grams', `has ${grams.length} matrices`, 'pass A_l A_l^T / m_l for l = 0..L (L >= 1)');
  const n = grams[0]!.rows;
  grams.forEach((g, l) => {
    if (g.rows !== n || g.cols !== n) throw new NtkInputError(`grams[${l}]`, `is ${g.rows} x ${g.cols}, expected ${n} x ${n}`, 'pass n x n Gram matrices of the same samples');
  });
  checkPositive('nu0sq', input.nu0sq, 'pass e.g. nu0sq = 1');
  const be = input.backend ?? getBackend();
  const out: Lemma41Layer[] = [];
  for (let l = 1; l < grams.length; l++) {
    const prev = grams[l - 1]!;
    const S: Matrix = { rows: n, cols: n, data: prev.data.map((v) => input.nu0sq * v) };
    const E = pairKernels(S, input.activation, false, input.method ?? 'auto', { backend: be }).E;
    const lambdaL = lambdaMin(E, { backend: be }).value;
    const measured = lambdaMin(grams[l]!, { backend: be }).value;
    out.push({ l, lambda_l: lambdaL, lambda_min_AlAlT_over_m: measured, holds: measured >= lambdaL / 4 });
  }
  return out;
}

/**
 * The hypotheses of Theorems 4.1/4.2 an activation breaks: smoothness (relu: phi'' unbounded,
 * Assumption 1), `phi(0) != 0` (sigmoid) and a Lipschitz constant above 1 (erf, GELU:
 * Assumption 1). For a plain function, phi(0) is
 * evaluated and the Lipschitz constant estimated by central differences on [-10, 10].
 */
export function assumptionsBroken(activation: PhiInput): string[] {
  const r = resolvePhi(activation);
  const act: Activation | null = r.activation ? getActivation(r.activation) : null;
  const phi0 = act ? act.phi0 : r.phi(0);
  let lip: number;
  if (act) lip = act.lipschitz;
  else {
    lip = 0;
    const h = 1e-5;
    for (let x = -10; x <= 10; x += 1e-3) lip = Math.max(lip, Math.abs(r.phi(x + h) - r.phi(x - h)) / (2 * h));
  }
  const out: string[] = [];
  if (act && !act.smooth) {
    out.push("phi'' bounded (Assumption 1's beta_phi-smoothness: phi' jumps at 0, so phi is not smooth; " +
      'the constants are computed from its Hermite coefficients all the same, outside the theorem)');
  }
  if (Math.abs(phi0) > 1e-15) out.push(`phi(0) = ${phi0} != 0 (Theorems 4.1/4.2 assume phi(0) = 0)`);
  if (lip > 1 + 1e-12) out.push(`sup |phi'| = ${lip.toPrecision(6)} > 1 (Assumption 1: phi is 1-Lipschitz)`);
  return out;
}

function checkCli(cli: ArrayLike<number>[]): number {
  if (!Array.isArray(cli) || cli.length < 2) {
    throw new NtkInputError('cli', `must list row norms for layers 0..L with L >= 1, got ${Array.isArray(cli) ? cli.length : typeof cli} layer(s)`, 'pass [c_0, c_1, ..., c_L], each of length n');
  }
  const n = cli[0]!.length;
  cli.forEach((row, l) => {
    if (!row || row.length !== n || n === 0) throw new NtkInputError('cli', `layer ${l} has ${row?.length} entries, layer 0 has ${n}`, 'give every layer one norm per sample');
    for (let i = 0; i < row.length; i++) {
      if (!(row[i]! >= 0) || !Number.isFinite(row[i]!)) throw new NtkInputError('cli', `layer ${l} entry ${i} is ${row[i]}`, 'pass finite non-negative row norms');
    }
  });
  return cli.length - 1;
}
