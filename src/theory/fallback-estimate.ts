/**
 * What the infinite-width kernels' 2-D trapezoid fallback will cost on given data, without
 * computing any kernel: for the first layer's covariance `Sigma_1 = nu0^2 X X^T / d`, which pairs
 * of rows the Mehler series cannot certify within {@link MEHLER_RMAX} terms (the series' own
 * test, `|rho|^{R+1} tail_i(R) tail_j(R) > tol + nu` (truncation.ts), on the same coefficient tables) and the
 * evaluations the fallback spends on them. A sweep asks this before its first point, so data
 * with many near-duplicate rows (|rho| near 1) is refused in a second instead of after minutes
 * of points (each n of a sweep takes the first n rows, so one pass over the largest n answers
 * every n). Deeper layers are not predicted (their covariances need the layers before).
 * @module
 */
import type { Backend } from '../backend/types.js';
import type { Matrix } from '../matrix.js';
import { resolvePhi, type PhiInput } from './gauss.js';
import { MEHLER_RMAX, MEHLER_TOL } from './pair-options.js';
import { seriesTables } from './series-tables.js';
import { pair2dCost } from './trapezoid-2d.js';
import { certificationTol } from './truncation.js';

/** The fallback's cost on the first n rows. */
export interface FallbackCost {
  /** Samples n (the first n rows). */
  n: number;
  /** Pairs the series cannot certify. */
  pairs: number;
  /** Integrand evaluations of the 2-D trapezoid for them (phi and phi'). */
  evaluations: number;
  /** The pair with |rho| closest to 1 among them, or null. */
  worst: { i: number; j: number; rho: number } | null;
}

/**
 * The first-layer fallback cost of the infinite-width NTK (phi and phi') on the first n rows of
 * X, for each n in `ns`: zero for activations with closed-form kernels (erf, relu, sin).
 * Costs one n x n Gram matrix (the backend's SYRK) and the coefficient tables at the largest n.
 * @param X at least max(ns) rows.
 */
export function fallbackCosts(X: Matrix, activation: PhiInput, nu0sq: number, ns: readonly number[], be: Backend): FallbackCost[] {
  const act = resolvePhi(activation).activation;
  const N = Math.max(...ns), d = X.cols;
  if (act?.closedForms || N < 2) return ns.map((n) => ({ n, pairs: 0, evaluations: 0, worst: null }));
  const G = new Float64Array(N * N);
  be.syrk(N, d, nu0sq / d, X.data.subarray(0, N * d), 0, G);
  const v = new Float64Array(N), isd = new Float64Array(N);
  for (let i = 0; i < N; i++) { v[i] = G[i * N + i]!; isd[i] = v[i]! > 0 ? 1 / Math.sqrt(v[i]!) : 0; }
  const R = MEHLER_RMAX, tol = MEHLER_TOL;
  const tables = seriesTables(activation, v, R, { backend: be, derivative: true });
  const T = R + 1, nser = tables.nser, tail = tables.tail, eps = certificationTol(tol, tables.resolution);
  // Per row i: the largest |rho| to an earlier row short of a duplicate (it sets the series'
  // degree at each n), and the cost of its uncertified pairs with earlier rows; duplicates apart
  // (uncertified at every degree).
  const rowMax = new Float64Array(N);
  const all = new Float64Array(N), dup = new Float64Array(N), allPairs = new Float64Array(N), dupPairs = new Float64Array(N);
  const worstRow: ({ i: number; j: number; rho: number } | null)[] = new Array(N).fill(null);
  for (let i = 1; i < N; i++) {
    let best = 0;
    for (let j = 0; j < i; j++) {
      const raw = Math.abs(G[i * N + j]! * isd[i]! * isd[j]!);
      const isDup = raw >= 1 - 1e-9;
      if (!isDup && raw > best) best = raw;
      const rho = Math.min(1, raw);
      const pw = rho ** T;
      let ok = !isDup;
      for (let s = 0; s < nser && ok; s++) ok = pw * tail[(s * T + R) * N + i]! * tail[(s * T + R) * N + j]! <= eps;
      if (ok) continue;
      const signed = Math.max(-1, Math.min(1, G[i * N + j]! * isd[i]! * isd[j]!));
      const c = nser * pair2dCost(v[i]!, v[j]!, signed, {});
      all[i] = all[i]! + c; allPairs[i] = allPairs[i]! + 1;
      if (isDup) { dup[i] = dup[i]! + c; dupPairs[i] = dupPairs[i]! + 1; }
      const w = worstRow[i];
      if (!w || raw > Math.abs(w.rho)) worstRow[i] = { i, j, rho: signed };
    }
    rowMax[i] = best;
  }
  const out: FallbackCost[] = [];
  for (const n of ns) {
    let rhoMax = 0, ev = 0, pairs = 0;
    for (let i = 0; i < n; i++) rhoMax = Math.max(rhoMax, rowMax[i]!);
    // The degree gaussKernelMatrices will use at this n: below MEHLER_RMAX every pair short of a
    // duplicate is certified (rhoMax^(R+1) <= tol, and the tails are <= 1 + sqrt(nu), whose
    // square adds less than nu to the bound).
    const want = rhoMax > 0 ? Math.ceil(Math.log(tol) / Math.log(rhoMax)) : 4;
    const full = Math.max(4, Math.min(R, want)) >= R;
    let worst: FallbackCost['worst'] = null;
    for (let i = 0; i < n; i++) {
      ev += full ? all[i]! : dup[i]!;
      pairs += full ? allPairs[i]! : dupPairs[i]!;
      const w = worstRow[i];
      if (w && (full || Math.abs(w.rho) >= 1 - 1e-9) && (!worst || Math.abs(w.rho) > Math.abs(worst.rho))) worst = w;
    }
    out.push({ n, pairs, evaluations: ev, worst });
  }
  return out;
}

/** Default evaluations the 2-D fallback may spend: the pair kernels' own default. */
export { FALLBACK_BUDGET } from './trapezoid-2d.js';
