/**
 * A sweep's theory, checked before its first point: data whose rows are near-duplicates (|rho|
 * near 1 between rows, e.g. a normalized iris with tanh) send the infinite-width kernels'
 * Mehler series to its slow 2-D fallback at every n of the sweep. Predicting that cost for the
 * first layer takes one Gram matrix per data set (src/theory/fallback-estimate.ts), so such a
 * sweep is refused in a second, not after minutes of points.
 * Browser-safe: no Node imports.
 * @module
 */
import type { Backend } from '../backend/types.js';
import { NtkInputError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { FALLBACK_BUDGET, fallbackCosts } from '../theory/fallback-estimate.js';
import { nu0sq } from '../theory/index.js';
import type { SweepPoint } from './grid.js';
import { pointData } from './setup.js';
import { infiniteKey, type TheoryCache } from './theory-cache.js';

/**
 * Refuses a sweep whose infinite-width kernels (not already cached) would spend more than
 * `budget` evaluations in the 2-D fallback at the first layer, summed over its data sets and n.
 * @throws NtkInputError naming `data` with the worst pair of rows and what to do.
 */
export function checkTheoryCost(points: readonly SweepPoint[], cache: TheoryCache, data: Matrix | undefined, be: Backend, budget = FALLBACK_BUDGET): void {
  const nus = new Map<string, number>();
  const nuOf = (p: SweepPoint): number => {
    if (p.nu0sq !== null) return p.nu0sq;
    const k = `${p.activation}|${p.sigma0 ?? 1}`;
    let v = nus.get(k);
    if (v === undefined) nus.set(k, v = nu0sq(p.activation, p.sigma0 ?? 1));
    return v;
  };
  // The points sharing data (each n takes the first n rows), activation and nu0^2, with their n.
  const groups = new Map<string, { p: SweepPoint; nu: number; ns: Set<number> }>();
  const seen = new Set<string>();
  for (const p of points) {
    const nu = nuOf(p);
    const ik = infiniteKey({ activation: p.activation, n: p.n, d: p.d, dataSeed: p.dataSeed, dataHash: p.dataHash ?? null, normalize: p.normalize, nu0sq: nu, depth: p.depth, sv2: p.sv2 });
    if (cache.infinite.has(ik) || seen.has(ik)) continue;
    seen.add(ik);
    const gk = `${p.activation}|d=${p.d}|data=${p.dataHash ? `file:${p.dataHash}` : p.dataSeed}|norm=${p.normalize ? 1 : 0}|nu0sq=${nu}`;
    const g = groups.get(gk) ?? { p, nu, ns: new Set<number>() };
    g.ns.add(p.n);
    if (p.n > g.p.n) g.p = p;
    groups.set(gk, g);
  }
  let total = 0, pairs = 0;
  let worst: { i: number; j: number; rho: number; n: number; activation: string } | null = null;
  for (const g of groups.values()) {
    const X = pointData(g.p, data);
    for (const c of fallbackCosts(X, g.p.activation, g.nu, [...g.ns], be)) {
      total += c.evaluations;
      pairs += c.pairs;
      if (c.worst && (!worst || Math.abs(c.worst.rho) > Math.abs(worst.rho))) worst = { ...c.worst, n: c.n, activation: g.p.activation };
    }
  }
  if (total > budget) {
    const w = worst ? ` (e.g. rows ${worst.j} and ${worst.i}: correlation ${worst.rho.toPrecision(10)} under ${worst.activation})` : '';
    throw new NtkInputError('data', `has rows so nearly parallel that the infinite-width kernels' series cannot converge for ${pairs} pairs over the sweep${w}: ` +
      `their 2-D fallback would need ${total.toExponential(1)} evaluations, more than ${budget.toExponential(1)} (many minutes)`,
      'remove near-duplicate rows, use a smaller sigma0 / nu0sq, fewer samples n, or an activation with closed-form kernels (erf, relu, sin)');
  }
}
